#!/bin/sh
# The body of `make check-win32` (tests/win32.mk): cross-build dlssl for
# Windows with mingw-w64 and run the Windows tests under wine.
#
#   run.sh SRC DIR GEN_MANIFEST
#
# SRC           a fresh source tree (a `make distdir` copy), never configured
# DIR           the work directory: DIR/build (the cross build), DIR/t (what
#               wine runs: t/bin, t/stubs, t/pki, t/work), DIR/wineprefix
# GEN_MANIFEST  a native tests/gen_manifest (makes the stub DLLs' symbols)
#
# Environment: WIN32_HOST (x86_64-w64-mingw32), WINE (default: wine64 on
# PATH, else /usr/lib/wine/wine64, else wine), MAKE, WIN32_CONFIGURE_FLAGS.
#
# The dlssl program (tools/dlssl.exe) is part of the build: if it does not
# build for Windows, check-win32 fails there.
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
$make libdlssl.la tools/dlssl.exe
$make tests/win32/check_win32.exe tests/win32/check_transport.exe \
    tests/win32/check_tools.exe tests/win32/hostload.exe

# libtool keeps a program linked with libdlssl.la in .libs/ (a wrapper beside it).
real() {
	d=$(dirname "$1")
	b=$(basename "$1")
	if [ -f "$d/.libs/$b" ]; then echo "$d/.libs/$b"; else echo "$1"; fi
}
cp .libs/libdlssl-0.dll "$t/bin/"
cp "$(real tools/dlssl.exe)" "$t/bin/dlssl.exe"
for p in check_win32 check_transport check_tools hostload; do
	cp "$(real "tests/win32/$p.exe")" "$t/bin/"
done
# serve's certificate and key (the mock OpenSSL takes any PEM), x509's input.
mkdir -p "$t/pki"
cp "$src/tests/pki/localhost.crt" "$src/tests/pki/localhost.key" "$t/pki/"

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
for p in check_win32 check_transport check_tools; do
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
"${wine%64}server" -k 2>/dev/null || true
exit $rc
