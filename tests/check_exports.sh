#!/bin/sh
# check_exports.sh: the library exports exactly the API (STYLE.md rule 12).
#
#  1. The dynamic symbol table of .libs/libdlssl.so defines exactly the
#     names in src/dlssl.sym: every one present, nothing else (the
#     linker's own _init, _fini, _edata, ... aside).
#  2. Every name in src/dlssl.sym is declared DLSSL_EXPORT in
#     include/dlssl.h, and every DLSSL_EXPORT declaration is in the list.
#  3. libevdev's leak test: every global symbol the static library defines
#     is in the list or carries the internal prefix dlssl__, so linking
#     libdlssl.a cannot clash with a user's names.
#
# Run from the build directory; $srcdir is the top source directory.
# Exit 0 pass, 1 fail, 77 skip (nm missing).

srcdir=${srcdir:-$(dirname "$0")/..}
builddir=${top_builddir:-.}
NM=${NM:-nm}
sym=$srcdir/src/dlssl.sym
hdr=$srcdir/include/dlssl.h

# $NM may carry options ("nm -B", as libtool sets it).
if ! command -v "${NM%% *}" >/dev/null 2>&1; then
	echo "SKIP: $NM not found (binutils)"
	exit 77
fi

failed=0
fail() { echo "FAIL: $*"; failed=1; }
ok() { echo "ok: $*"; }
# The lines of $1 as one space-separated line.
words() { printf '%s\n' "$1" | tr '\n' ' ' | sed 's/ *$//'; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check_exports.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# Symbols the toolchain defines in every shared object, and the sanitizer
# runtimes' hooks in an instrumented build.
toolchain_re='^(_init|_fini|_edata|_end|__bss_start|_DYNAMIC|_GLOBAL_OFFSET_TABLE_|_PROCEDURE_LINKAGE_TABLE_|__dso_handle|__(asan|lsan|ubsan|tsan|msan|sancov|sanitizer|odr_asan)_.*|___asan_.*)$'

# The list, without comments or blank lines.
sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$sym" | sort > "$tmp/sym"
if [ ! -s "$tmp/sym" ]; then
	fail "$sym is empty"
fi
dup=$(uniq -d "$tmp/sym")
[ -z "$dup" ] || fail "$sym lists names twice: $dup"
sort -u -o "$tmp/sym" "$tmp/sym"
nsym=$(wc -l < "$tmp/sym")

# 1. The shared library's dynamic exports.
lib=$builddir/.libs/libdlssl.so
if [ -f "$lib" ]; then
	# shellcheck disable=SC2086
	$NM -D --defined-only "$lib" > "$tmp/nm" || fail "$NM -D $lib"
	awk 'NF >= 3 { print $3 }' "$tmp/nm" | sed 's/@.*//' | \
	    grep -Ev "$toolchain_re" | sort -u > "$tmp/dyn"
	missing=$(comm -23 "$tmp/sym" "$tmp/dyn")
	extra=$(comm -13 "$tmp/sym" "$tmp/dyn")
	[ -z "$missing" ] || fail "$lib does not export: $(words "$missing")"
	[ -z "$extra" ] || fail "$lib exports names not in src/dlssl.sym: $(words "$extra")"
	[ -n "$missing$extra" ] || ok "$lib exports exactly the $nsym names of src/dlssl.sym"
else
	echo "note: $lib not built (static only); skipping the dynamic table"
fi

# 2. The header: drop comments and preprocessor lines (with their
# continuations), join the rest, split it into declarations at ';', '{' and
# '}', keep those marked DLSSL_EXPORT and take the last name before the
# first '(' (the function's name).
awk '
{
	line = $0
	out = ""
	while (line != "") {
		if (incomment) {
			i = index(line, "*/")
			if (i == 0)
				break
			line = substr(line, i + 2)
			incomment = 0
		} else {
			i = index(line, "/*")
			if (i == 0) {
				out = out line
				break
			}
			out = out substr(line, 1, i - 1) " "
			line = substr(line, i + 2)
			incomment = 1
		}
	}
	if (directive || out ~ /^[ \t]*#/) {
		directive = (out ~ /\\[ \t]*$/)
		next
	}
	printf "%s ", out
}' "$hdr" | tr ';{}' '\n' | grep 'DLSSL_EXPORT' | \
    sed -nE 's/\(.*//; s/.*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*$/\1/p' | \
    sort -u > "$tmp/hdr"
undeclared=$(comm -23 "$tmp/sym" "$tmp/hdr")
unlisted=$(comm -13 "$tmp/sym" "$tmp/hdr")
[ -z "$undeclared" ] || fail "in src/dlssl.sym but not declared DLSSL_EXPORT in include/dlssl.h: $(words "$undeclared")"
[ -z "$unlisted" ] || fail "declared DLSSL_EXPORT in include/dlssl.h but not in src/dlssl.sym: $(words "$unlisted")"
[ -n "$undeclared$unlisted" ] || ok "include/dlssl.h declares DLSSL_EXPORT exactly the $nsym names of src/dlssl.sym"

# 3. The static library (libevdev's nm test).
for a in "$builddir/.libs/libdlssl.a" "$builddir/.libs/libdlssl_core.a"; do
	[ -f "$a" ] || continue
	# shellcheck disable=SC2086
	$NM -g --defined-only "$a" 2>/dev/null | awk 'NF >= 3 { print $3 }' | \
	    grep -Ev "$toolchain_re" | grep -v '^dlssl__' | sort -u > "$tmp/static"
	leaked=$(comm -13 "$tmp/sym" "$tmp/static")
	if [ -n "$leaked" ]; then
		fail "$a defines global names that are neither API nor dlssl__: $(words "$leaked")"
	else
		ok "$a: $(wc -l < "$tmp/static") API names, every other global is dlssl__*"
	fi
done

if [ "$failed" = 0 ]; then
	echo "PASS"
	exit 0
fi
echo "FAIL"
exit 1
