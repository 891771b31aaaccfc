#!/bin/sh
# The body of `make check-win32` (tests/win32.mk): cross-build dlssl for
# Windows with mingw-w64 and run the Windows tests under wine.
#
#   run.sh SRC DIR GEN_MANIFEST
#
# SRC           a fresh source tree (a `make distdir` copy), never configured
# DIR           the work directory: DIR/build (the cross build), DIR/t (what
#               wine runs: t/bin, t/stubs, t/work), DIR/wineprefix
# GEN_MANIFEST  a native tests/gen_manifest (makes the stub DLLs' symbols)
#
# Environment: WIN32_HOST (x86_64-w64-mingw32), WINE (default: wine64 on
# PATH, else /usr/lib/wine/wine64, else wine), MAKE, WIN32_CONFIGURE_FLAGS,
# WIN32_REQUIRE_TOOLS=1 to fail (not skip) when tools/ does not build.
set -eu

if [ $# -ne 3 ]; then
	echo "usage: $0 SRC DIR GEN_MANIFEST" >&2
	exit 1
fi
src=$(cd "$1" && pwd)
mkdir -p "$2"
dir=$(cd "$2" && pwd)
gen=$3
host=${WIN32_HOST:-x86_64-w64-mingw32}
make=${MAKE:-make}
say() { printf 'check-win32: %s\n' "$*"; }

if ! command -v "$host-gcc" >/dev/null 2>&1; then
	say "$host-gcc not found (Debian: apt-get install gcc-mingw-w64-x86-64)" >&2
	exit 1
fi
wine=${WINE:-}
if [ -z "$wine" ]; then
	for w in wine64 /usr/lib/wine/wine64 wine; do
		if command -v "$w" >/dev/null 2>&1; then
			wine=$w
			break
		fi
	done
fi
if [ -z "$wine" ]; then
	say "wine64 not found (Debian: apt-get install wine64)" >&2
	exit 1
fi

# ---- the cross build ----
build=$dir/build
t=$dir/t
rm -rf "$build" "$t"
mkdir -p "$build" "$t/bin" "$t/work"
cd "$build"
say "configuring for $host in $build"
# No pkg-config answers from the build machine (its Check and OpenSSL are
# not the target's); no winepath calls from libtool's program wrappers
# (the tests run the real programs, from .libs/).
# shellcheck disable=SC2086 # flags are words
"$src/configure" -q --host="$host" PKG_CONFIG_LIBDIR="$dir/no-pkg-config" \
    lt_cv_to_host_file_cmd=func_convert_file_noop ${WIN32_CONFIGURE_FLAGS:-}
$make libdlssl.la
$make tests/win32/check_win32.exe tests/win32/check_transport.exe \
    tests/win32/hostload.exe tests/win32/dlssl_min.exe

# libtool keeps a program linked with libdlssl.la in .libs/ (a wrapper beside it).
real() {
	d=$(dirname "$1")
	b=$(basename "$1")
	if [ -f "$d/.libs/$b" ]; then echo "$d/.libs/$b"; else echo "$1"; fi
}
cp .libs/libdlssl-0.dll "$t/bin/"
for p in check_win32 check_transport hostload; do
	cp "$(real "tests/win32/$p.exe")" "$t/bin/"
done

tools=built
if $make -k tools/dlssl.exe >"$build/tools-dlssl.log" 2>&1; then
	cp "$(real tools/dlssl.exe)" "$t/bin/dlssl.exe"
	say "tools/dlssl.exe built"
else
	tools=failed
	cp "$(real tests/win32/dlssl_min.exe)" "$t/bin/dlssl.exe"
	say "tools/dlssl.exe does not build for Windows; the errors ($build/tools-dlssl.log):"
	grep -E ': (fatal )?error:' "$build/tools-dlssl.log" | sed "s|$src/||; s/^/    /" | head -n 20
	say "the tests run tests/win32/dlssl_min.exe as dlssl.exe: the same tools/cmd_info.c," \
	    "cmd_random.c and json.c, with its own dispatcher"
fi

say "building the stub DLLs"
CC="$host-gcc" sh "$src/tests/win32/build-stubs.sh" "$src" "$gen" "$t/stubs"

# ---- under wine ----
WINEPREFIX=$dir/wineprefix
WINEDEBUG=-all
# No Mono or Gecko installer at the first start.
WINEDLLOVERRIDES="mscoree,mshtml=d"
export WINEPREFIX WINEDEBUG WINEDLLOVERRIDES
unset DISPLAY WAYLAND_DISPLAY 2>/dev/null || true
if [ ! -d "$WINEPREFIX" ]; then
	say "creating the wine prefix $WINEPREFIX (the first start is slow)"
	"$wine" wineboot.exe -i >/dev/null 2>&1 || true
fi
"$wine" --version 2>/dev/null | sed 's/^/check-win32: /' || true

rc=0
for p in check_win32 check_transport; do
	say "$wine $t/bin/$p.exe"
	if "$wine" "$t/bin/$p.exe" >"$dir/$p.log" 2>&1; then
		status=0
	else
		status=$?
	fi
	cat "$dir/$p.log"
	# TAP: every test reported, none "not ok".
	if [ "$status" != 0 ] || grep -q '^not ok' "$dir/$p.log" ||
	    ! grep -q '^# .* 0 failed' "$dir/$p.log"; then
		say "FAIL: $p (exit $status)"
		rc=1
	else
		say "PASS: $p"
	fi
done
if [ "$tools" = failed ]; then
	if [ "${WIN32_REQUIRE_TOOLS:-0}" = 1 ]; then
		say "FAIL: tools/dlssl.exe does not build for Windows"
		rc=1
	else
		say "SKIP: tools/dlssl.exe does not build for Windows (WIN32_REQUIRE_TOOLS=1 makes this a failure)"
	fi
fi
"${wine%64}server" -k 2>/dev/null || true
exit $rc
