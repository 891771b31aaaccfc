#!/bin/sh
# The man pages.
#
#  - mandoc -Tlint finds no warning or error in any page of man/;
#  - no page renders "()()" (an .Fn followed by its own parentheses);
#  - MAN3_LINKS of man/man.mk (PAGE NAME pairs: the hard links make install
#    adds) holds exactly the names that section 3 pages give with .Nm other
#    than their own, each with its page;
#  - every function of src/dlssl.sym is such a name;
#  - every page is listed in man/man.mk (so it is installed);
#  - every .Xr to a dlssl page points to one that exists;
#  - in a man tree (a copy laid out as make install does, or the installed
#    one: MAN_TREE=/usr/local/share/man), each name is found: its page is
#    lint-clean and shows the right title, and man(1), when installed, finds
#    it with -M.
#
# Skips (77) when mandoc is not installed.
srcdir=${srcdir:-$(dirname "$0")/..}
command -v mandoc >/dev/null 2>&1 || { echo "SKIP: mandoc is not installed"; exit 77; }

failed=0
checks=0
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}
ok() {
	echo "ok: $*"
}
check() {
	checks=$((checks + 1))
}
# Rendered text without overstrike (bold, underline): col -b, by hand.
bs=$(printf '\b')
plain() {
	sed "s/.$bs//g"
}

man="$srcdir/man"
pages=$(ls "$man"/*.[1-9] 2>/dev/null)
[ -n "$pages" ] || { echo "FAIL: no man pages in $man"; exit 1; }

# Lint and render each page.
for p in $pages; do
	check
	# STYLE messages (a cross-reference not in this machine's mandoc.db) are not errors.
	if out=$(mandoc -Tlint -Wwarning "$p" 2>&1) && [ -z "$out" ]; then
		ok "mandoc -Tlint $p"
	else
		fail "mandoc -Tlint $p:"
		printf '%s\n' "$out" | sed 's/^/    /'
	fi
	check
	if mandoc -Tascii "$p" 2>/dev/null | plain | grep -n '()()' >/dev/null; then
		fail "$p renders '()()':"
		mandoc -Tascii "$p" | plain | grep -n '()()' | sed 's/^/    /'
	fi
done

# The names: NAME PAGE per line, from every section 3 page.
names=$(for p in "$man"/*.3; do
	page=$(basename "$p" .3)
	sed -n 's/^\.Nm \([A-Za-z_0-9]*\).*/\1/p' "$p" | sort -u | sed "s/\$/ $page/"
done)

# MAN3_LINKS as "NAME PAGE" lines.
mlinks=$(sed -n '/^MAN3_LINKS = /,/^$/p' "$man/man.mk" | sed -e '1d' -e 's/\\$//' |
	awk 'NF == 2 { print $2, $1 }')
check
want=$(printf '%s\n' "$names" | awk '$1 != $2' | sort)
have=$(printf '%s\n' "$mlinks" | sort)
if [ "$want" = "$have" ]; then
	ok "MAN3_LINKS links every .Nm name to its page"
else
	fail "MAN3_LINKS in man/man.mk and the .Nm lines disagree (< .Nm, > MAN3_LINKS):"
	printf '%s\n' "$want" >"${TMPDIR:-/tmp}/dlssl-man-want.$$"
	printf '%s\n' "$have" | diff "${TMPDIR:-/tmp}/dlssl-man-want.$$" - | grep '^[<>]' | sed 's/^/    /'
	rm -f "${TMPDIR:-/tmp}/dlssl-man-want.$$"
fi

check
missing=""
for f in $(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$srcdir/src/dlssl.sym"); do
	printf '%s\n' "$names" | awk -v n="$f" '$1 == n { f = 1 } END { exit !f }' ||
		missing="$missing $f"
done
[ -z "$missing" ] && ok "every exported function has a man page" ||
	fail "exported but named in no man page:$missing"

check
listed=$(sed -n 's/^[[:space:]]*\(man\/[^ ]*\.[1-9]\).*/\1/p; s/^dist_man[13]_MANS = \(man\/[^ ]*\.[1-9]\).*/\1/p' \
	"$man/man.mk" | sort -u)
bad=""
for f in $pages; do
	rel=${f#"$srcdir"/}
	printf '%s\n' "$listed" | grep -qx "$rel" || bad="$bad $rel"
done
for f in $listed; do
	[ -f "$srcdir/$f" ] || bad="$bad $f(missing)"
done
[ -z "$bad" ] && ok "man/man.mk lists every page" || fail "man/man.mk and man/ disagree:$bad"

check
bad=""
xrefs=$(sed -n 's/^\.Xr \(dlssl[A-Za-z_0-9]*\) \([1-9]\).*/\1.\2/p' $pages | sort -u)
for x in $xrefs; do
	n=${x%.*}
	[ -f "$man/$x" ] || printf '%s\n' "$mlinks" | grep -q "^$n " || bad="$bad $n(${x##*.})"
done
[ -z "$bad" ] && ok "every .Xr to a dlssl page resolves" || fail ".Xr to no page:$bad"

# A man tree: the one given, or a copy laid out as make install does.
tree=${MAN_TREE:-}
tmp=""
if [ -z "$tree" ]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/dlssl-man.XXXXXX") || exit 99
	trap 'rm -rf "$tmp"' EXIT
	mkdir "$tmp/man1" "$tmp/man3"
	cp "$man"/*.1 "$tmp/man1/"
	cp "$man"/*.3 "$tmp/man3/"
	printf '%s\n' "$mlinks" | while read -r n page; do
		ln "$tmp/man3/$page.3" "$tmp/man3/$n.3" || exit 99
	done || exit 99
	tree=$tmp
fi
[ -d "$tree/man3" ] || { fail "$tree/man3 does not exist"; echo "$failed failed"; exit 1; }

havman=0
command -v man >/dev/null 2>&1 && havman=1
check
bad=""
while read -r n page; do
	title=$(printf '%s' "$page" | tr '[:lower:]' '[:upper:]')
	f="$tree/man3/$n.3"
	if [ ! -f "$f" ]; then
		bad="$bad $n(no $f)"
		continue
	fi
	out=$(mandoc -Tlint -Wwarning "$f" 2>&1)
	[ -z "$out" ] || { bad="$bad $n(lint: $out)"; continue; }
	mandoc -Tascii "$f" | head -1 | grep -q "^$title(3)" ||
		bad="$bad $n(mandoc shows another page)"
done <<EOF
$names
EOF
[ -z "$bad" ] && ok "mandoc finds every name in $tree" || fail "in $tree:$bad"

if [ "$havman" = 1 ]; then
	check
	bad=""
	while read -r n page; do
		w=$(MANPATH= man -M "$tree" -w 3 "$n" 2>/dev/null)
		# (or any name of the same file: it picks one of the hard links)
		[ -n "$w" ] && [ "$w" -ef "$tree/man3/$page.3" ] || bad="$bad $n"
	done <<EOF
$names
EOF
	MANPATH= MANWIDTH=80 man -M "$tree" -P cat 3 dlssl_write 2>/dev/null | plain |
		grep -q "^ *dlssl_read, .*dlssl_write" || bad="$bad dlssl_write(not shown)"
	[ -z "$bad" ] && ok "man -M $tree finds every name" || fail "man -M $tree does not find:$bad"
else
	echo "note: man(1) is not installed: looked up with mandoc only"
fi

echo "$((checks - failed)) passed, $failed failed"
[ "$failed" = 0 ]
