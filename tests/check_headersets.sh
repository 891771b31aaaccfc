#!/bin/sh
# tests/check_headersets.sh (generated from tests/check_headersets.sh.in):
# the header agreement check (tests/gen_manifest headercheck) against the
# headers of every library build in the library folder (DLSSL_MATRIX_DIR,
# default ../shared/ossl beside the source tree), not only the system's.
#
# For each set: tests/headercheck.c compiled with -DHC_NOCONST -Dconst=
# must build and run: every manifest prototype bound for that version
# agrees with the headers up to const qualifiers (which do not change the
# ABI), and every DL_ constant in src/ossl/decls.h has the headers' value
# within its since/until range (LibreSSL: its own DL_LRS_ value where it
# differs).  A second build with -DHC_EXACT lists the prototypes whose
# const qualifiers differ.  A set whose folder is absent is skipped, saying
# so; with none present the test is skipped.
CC='gcc'
CPPFLAGS=''
top_srcdir='/work/wt-matrix'
builddir='/work/wt-matrix'
dir=${DLSSL_MATRIX_DIR:-$top_srcdir/../shared/ossl}
expected="1.0.2u 1.1.1w 3.5.7 4.0.2 libressl-3.2.2 libressl-4.3.2"
src=$builddir/tests/headercheck.c
work=$(mktemp -d "${TMPDIR:-/tmp}/dlssl-hc.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

if [ ! -f "$src" ]; then
	echo "FAIL: $src was not generated (make tests/headercheck.c)"
	exit 1
fi
sets=$expected
for d in "$dir"/*/include; do
	[ -d "$d/openssl" ] || continue
	s=$(basename "$(dirname "$d")")
	case " $sets " in *" $s "*) ;; *) sets="$sets $s" ;; esac
done

# build NAME INCLUDE FLAGS...: compile the check for one set; 0 on success.
build() {
	name=$1 inc=$2
	shift 2
	# shellcheck disable=SC2086 # CPPFLAGS holds several words
	$CC -std=gnu11 $CPPFLAGS -I"$inc" -I"$top_srcdir/src" -Wno-deprecated-declarations \
	    "$@" -o "$work/hc-$name" "$src" >"$work/cc-$name.log" 2>&1
}

for s in $sets; do
	inc=$dir/$s/include
	if [ ! -d "$inc/openssl" ]; then
		echo "skip: $s: no headers in $inc (folder absent)"
		continue
	fi
	if build "$s" "$inc" -DHC_NOCONST -Dconst= && "$work/hc-$s" >"$work/out-$s" 2>&1; then
		echo "ok: $s: $(grep -m 1 '^headercheck: [0-9]' "$work/out-$s" | sed 's/^headercheck: //')"
		grep -v '^headercheck: [0-9]' "$work/out-$s" | sed 's/^/    /'
		passed=$((passed + 1))
	else
		echo "FAIL: $s: the declarations disagree with $inc:"
		grep -E 'error|assert' "$work/cc-$s.log" | head -n 20 | sed 's/^/    /'
		failed=$((failed + 1))
		continue
	fi
	if build "$s-exact" "$inc" -DHC_EXACT && "$work/hc-$s-exact" >"$work/out-$s-exact" 2>&1; then
		grep 'other const' "$work/out-$s-exact" | sed 's/^headercheck: /    exact: /'
	else
		echo "FAIL: $s: the exact-comparison build failed:"
		head -n 20 "$work/cc-$s-exact.log" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "$passed header sets agree, $failed failed"
[ "$failed" = 0 ] || exit 1
if [ "$passed" = 0 ]; then
	echo "SKIP: no header set found under $dir"
	exit 77
fi
exit 0
