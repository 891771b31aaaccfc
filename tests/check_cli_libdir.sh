#!/bin/sh
# check_cli_libdir.sh: DLSSL_LIBDIR finds the library of every real build in
# ../shared/ossl (DLSSL_OSSL_DIR), LibreSSL's own sonames (libssl.so.48,
# .so.60, ...) included, with the libcrypto beside it; BoringSSL's is
# refused naming it; a folder with no libssl says so.
. "${srcdir:-$(dirname "$0")/..}/tests/cli_lib.sh"

ossl=${DLSSL_OSSL_DIR:-$srcdir/../shared/ossl}
[ -d "$ossl" ] || skip "the real library builds are not at $ossl (set DLSSL_OSSL_DIR)"
ossl=$(cd "$ossl" && pwd)
unset DLSSL_LIBSSL DLSSL_LIBCRYPTO DLSSL_MODE

n=0
for dir in "$ossl"/*/lib; do
	[ -d "$dir" ] || continue
	set -- "$dir"/libssl.so.*
	[ -e "$1" ] || continue
	name=$(basename "$(dirname "$dir")")
	n=$((n + 1))
	out=$(DLSSL_LIBDIR=$dir "$DLSSL" info 2>&1)
	rc=$?
	case $name in
	boringssl*)
		if [ "$rc" != 0 ] && printf '%s\n' "$out" | grep -q "BoringSSL"; then
			ok "$name: refused, naming BoringSSL"
		else
			fail "$name: not refused as BoringSSL (exit $rc): $out"
		fi
		continue ;;
	esac
	ssl=$(printf '%s\n' "$out" | sed -n 's/^libssl: *//p')
	crypto=$(printf '%s\n' "$out" | sed -n 's/^libcrypto: *//p')
	case $rc:$ssl:$crypto in
	0:"$dir"/libssl.so.*:"$dir"/libcrypto.so.*) ok "$name: $(basename "$ssl") with $(basename "$crypto")" ;;
	*) fail "$name: DLSSL_LIBDIR=$dir gave exit $rc, libssl '$ssl', libcrypto '$crypto': $out" ;;
	esac
done
[ "$n" -gt 0 ] || skip "no build with a lib/libssl.so.* under $ossl"

mkdir "$work/empty"
out=$(DLSSL_LIBDIR=$work/empty "$DLSSL" info 2>&1)
rc=$?
if [ "$rc" != 0 ] && printf '%s\n' "$out" | grep -q "holds no libssl"; then
	ok "a folder with no libssl: exit $rc, says so"
else
	fail "a folder with no libssl: exit $rc: $out"
fi
finish
