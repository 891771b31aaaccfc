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
# PATH, else /usr/lib/wine/wine64, else wine), MAKE, WIN32_CONFIGURE_FLAGS,
# WIN32_OSSL_DLLS (a directory with the real libssl-3-x64.dll and
# libcrypto-3-x64.dll; without them the real-DLL tests are skipped, saying
# so, and fail under CI=true).
#
# The build is the plain cross-build a user runs, `configure --host=HOST &&
# make`, whatever the build machine has installed (its libssl-dev and Check
# are not the target's: configure must ignore them); the dlssl program
# (tools/dlssl.exe) is part of it.
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
# shellcheck disable=SC2086 # flags are words
"$src/configure" --host="$host" ${WIN32_CONFIGURE_FLAGS:-} >"$dir/configure.log"
# The build machine's OpenSSL and Check must not have been taken.
if ! grep -q '^  OpenSSL headers: *no' "$dir/configure.log" ||
    ! grep -q '^  Check (tests): *no' "$dir/configure.log"; then
	sed -n '/^  dlssl /,$p' "$dir/configure.log"
	say "FAIL: the cross build took the build machine's OpenSSL or Check" >&2
	exit 1
fi
$make
$make tests/win32/check_win32.exe tests/win32/check_transport.exe \
    tests/win32/check_tools.exe tests/win32/hostload.exe tests/win32/check_real.exe

# libtool keeps a program linked with libdlssl.la in .libs/ (a wrapper beside it).
real() {
	d=$(dirname "$1")
	b=$(basename "$1")
	if [ -f "$d/.libs/$b" ]; then echo "$d/.libs/$b"; else echo "$1"; fi
}
cp .libs/libdlssl-0.dll "$t/bin/"
cp "$(real tools/dlssl.exe)" "$t/bin/dlssl.exe"
for p in check_win32 check_transport check_tools check_real hostload; do
	cp "$(real "tests/win32/$p.exe")" "$t/bin/"
done
# The test PKI (the mock OpenSSL takes any PEM; the real DLLs verify).
mkdir -p "$t/pki"
cp "$src"/tests/pki/*.crt "$src"/tests/pki/*.key "$src"/tests/pki/*.pem "$t/pki/"
# Three copies of the real DLLs, if given (check_real reloads between them).
dlls=${WIN32_OSSL_DLLS:-}
have_dlls=no
if [ -n "$dlls" ] && [ -f "$dlls/libssl-3-x64.dll" ] && [ -f "$dlls/libcrypto-3-x64.dll" ]; then
	for c in a b 'c%TEMP%'; do
		mkdir -p "$t/real/$c"
		cp "$dlls/libssl-3-x64.dll" "$dlls/libcrypto-3-x64.dll" "$t/real/$c/"
	done
	have_dlls=yes
fi

say "building the stub DLLs"
CC="$host-gcc" sh "$src/tests/win32/build-stubs.sh" "$src" "$gen" "$t/stubs"

# ---- under wine ----
WINEPREFIX=$dir/wineprefix
WINEDEBUG=-all
# No Mono or Gecko installer at the first start; no debugger on a crash
# (the process ends with the exception's code).
WINEDLLOVERRIDES="mscoree,mshtml,winedbg.exe=d"
export WINEPREFIX WINEDEBUG WINEDLLOVERRIDES
unset DISPLAY WAYLAND_DISPLAY 2>/dev/null || true
if [ ! -d "$WINEPREFIX" ]; then
	say "creating the wine prefix $WINEPREFIX (the first start is slow)"
	"$wine" wineboot.exe -i >/dev/null 2>&1 || true
fi
"$wine" --version 2>/dev/null | sed 's/^/check-win32: /' || true

rc=0
progs="check_win32 check_transport check_tools"
if [ "$have_dlls" = yes ]; then
	progs="$progs check_real real.sh"
elif [ "${CI:-}" = true ]; then
	say "FAIL: no real OpenSSL DLLs (WIN32_OSSL_DLLS='$dlls'): CI must run check_real and real.sh" >&2
	rc=1
else
	say "SKIP: check_real and real.sh: no real OpenSSL DLLs in WIN32_OSSL_DLLS='$dlls'"
fi
for p in $progs; do
	say "$p"
	# Every run is bounded; a program's own children are bounded inside it.
	case $p in
	*.sh) cmd="sh $src/tests/win32/$p $t $wine" ;;
	*) cmd="timeout -k 10 900 $wine $t/bin/$p.exe" ;;
	esac
	# shellcheck disable=SC2086 # cmd is words
	if $cmd >"$dir/$p.log" 2>&1; then
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
