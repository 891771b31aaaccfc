#!/bin/sh
# The man pages: mandoc -Tlint finds no warning or error in any page of
# man/, and every function that src/dlssl.sym exports is named in a
# section 3 page.  Skips when mandoc is not installed.
srcdir=${srcdir:-$(dirname "$0")/..}
command -v mandoc >/dev/null 2>&1 || { echo "SKIP: mandoc is not installed"; exit 77; }

failed=0
pages=$(ls "$srcdir"/man/*.[1-9] 2>/dev/null)
[ -n "$pages" ] || { echo "FAIL: no man pages in $srcdir/man"; exit 1; }
n=0
for p in $pages; do
	n=$((n + 1))
	# STYLE messages (a cross-reference not in this machine's mandoc.db) are not errors.
	if out=$(mandoc -Tlint -Wwarning "$p" 2>&1) && [ -z "$out" ]; then
		echo "ok: $p"
	else
		echo "FAIL: mandoc -Tlint $p:"
		printf '%s\n' "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done

documented=$(sed -n 's/^\.Nm \([A-Za-z_0-9]*\).*/\1/p' "$srcdir"/man/*.3 | sort -u)
missing=""
for f in $(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$srcdir/src/dlssl.sym"); do
	printf '%s\n' "$documented" | grep -qx "$f" || missing="$missing $f"
done
if [ -n "$missing" ]; then
	echo "FAIL: exported but named in no man page:$missing"
	failed=$((failed + 1))
else
	echo "ok: every exported function has a man page"
fi
echo "$((n + 1 - failed)) passed, $failed failed"
[ "$failed" = 0 ]
