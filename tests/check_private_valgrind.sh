#!/bin/sh
# The reload chain in a host program linked with the system's OpenSSL
# (tests/reload_linked, else tests/reload_plain playing one), under valgrind:
# no invalid access across the namespaces and no crash at exit.  Skipped
# (77) without valgrind or without the real library builds.
set -u
top=$(pwd)
src=$(cd "${srcdir:-$(dirname "$0")/..}" && pwd)
ossl=${DLSSL_OSSL_DIR:-$src/../shared/ossl}
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind is not installed"; exit 77; }
[ -d "$ossl" ] || { echo "SKIP: the real library builds are not at $ossl (set DLSSL_OSSL_DIR)"; exit 77; }
prog=$top/tests/reload_linked
env=
if [ ! -x "$prog" ]; then
	prog=$top/tests/reload_plain
	env="RP_HOST_GLOBAL=libssl.so.3"
fi
lib() { ls "$ossl/$1"/lib/libssl.so.* | head -n 1; }
unset DLSSL_LIBSSL DLSSL_LIBCRYPTO DLSSL_LIBDIR DLSSL_MODE
# libtool wrappers: run the real binary under valgrind.
out=$(env $env "$top/libtool" --mode=execute valgrind -q --error-exitcode=3 \
	--suppressions="$src/tests/valgrind.supp" "$prog" chain host \
	"auto:$(lib 3.5.7)" "auto:$(lib 4.0.2)" "auto:$(lib libressl-4.3.2)" \
	"auto:$(lib 1.1.1w)" host 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || { echo "FAIL: exit status $rc under valgrind"; exit 1; }
n=$(printf '%s\n' "$out" | grep -c '"handshake":true')
[ "$n" -eq 6 ] || { echo "FAIL: $n of 6 steps handshook"; exit 1; }
echo "PASS: 6 steps under valgrind, clean exit"
