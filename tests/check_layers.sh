#!/bin/sh
# check_layers.sh: the library's calls go one way (issue 16).
#
# Reads tests/layers.txt (a layer number and a source file per line) and the
# symbols each object file of libdlssl_core defines and uses (nm), and fails
# when
#   - an object file of the library has no layer in tests/layers.txt,
#   - a file calls a function defined in a file of a higher layer, or
#   - the files call each other in a circle (also within one layer).
# Every edge and the verdict are printed, so a failure names the culprit.
#
# It also fails when
#   - a file of the dlssl program (tools/*.c, tools/*.h) includes a header
#     from src/: it may include "config.h", "dlssl.h" and tools' own headers,
#   - an object file under tools/ uses a symbol of libdlssl that
#     src/dlssl.sym does not export (a private dlssl__ one, say), or
#   - a source file of the project #defines a standard C or POSIX function's
#     name (recv, poll, fopen, strerror, pthread_create, ...): a portable
#     call gets a name of its own (dlssl__net_recv, cli_poll).
#
# Usage: check_layers.sh [BUILDDIR [SRCDIR]]  (default: the current folder)
# Exit: 0 pass, 1 fail, 77 skip (nm missing or the library not built).
set -u
build=${1:-${abs_top_builddir:-.}}
src=${2:-${abs_top_srcdir:-${srcdir:-$build}}}
map="$src/tests/layers.txt"

if ! command -v nm >/dev/null 2>&1; then
	echo "SKIP: nm (binutils) is not installed"
	exit 77
fi
objs=$(find "$build/src" -name 'libdlssl_core_la-*.o' ! -path '*/.libs/*' 2>/dev/null | sort)
if [ -z "$objs" ]; then
	echo "SKIP: no object files of libdlssl_core under $build/src (build first)"
	exit 77
fi
if [ ! -r "$map" ]; then
	echo "FAIL: $map is missing"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dlssl-layers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# src/README.md describes every file of src/ that has a layer (one line
# each, naming it as `name.c`): X file for each one it does not.
for f in $(sed 's/#.*//' "$map" | awk 'NF >= 2 && $2 ~ /^src\// { print $2 }'); do
	grep -qF "\`${f#src/}\`" "$src/src/README.md" 2>/dev/null || echo "X $f"
done >"$tmp/syms"

# D file symbol / U file symbol, file named by its path under src/.
for o in $objs; do
	rel=${o#"$build"/}
	dir=$(dirname "$rel")
	base=$(basename "$o" .o)
	file="$dir/${base#libdlssl_core_la-}.c"
	nm "$o" | awk -v f="$file" '
	    NF == 3 && $2 ~ /^[TDBR]$/ { print "D", f, $3 }
	    NF == 2 && $1 == "U"        { print "U", f, $2 }'
done >>"$tmp/syms"

layers_rc=0
awk -v mapfile="$map" '
function visit(n,    i, m) {
	state[n] = 1
	stack[++depth] = n
	for (i = 1; i <= nout[n]; i++) {
		m = out[n, i]
		if (state[m] == 1) {
			cyc = m
			for (j = depth; j >= 1 && stack[j] != m; j--)
				cyc = stack[j] " -> " cyc
			print "FAIL: circle: " m " -> " cyc
			bad = 1
		} else if (state[m] == 0)
			visit(m)
	}
	depth--
	state[n] = 2
}
BEGIN {
	while ((getline line < mapfile) > 0) {
		sub(/#.*/, "", line)
		if (split(line, w, " ") < 2)
			continue
		layer[w[2]] = w[1] + 0
	}
}
$1 == "X" { print "FAIL: " $2 " is not described in src/README.md"; bad = 1 }
$1 == "D" { def[$3] = $2; files[$2] = 1 }
$1 == "U" { use[NR] = $2 " " $3; files[$2] = 1 }
END {
	for (f in files)
		if (!(f in layer)) {
			print "FAIL: " f " has no layer in tests/layers.txt"
			bad = 1
		}
	for (i in use) {
		split(use[i], a, " ")
		if (!(a[2] in def) || def[a[2]] == a[1])
			continue
		e = a[1] SUBSEP def[a[2]]
		if (e in seen)
			continue
		seen[e] = a[2]
		from = a[1]; to = def[a[2]]
		out[from, ++nout[from]] = to
		if (layer[to] > layer[from]) {
			printf "FAIL: %s (layer %d) calls up into %s (layer %d): %s\n",
			    from, layer[from], to, layer[to], a[2]
			bad = 1
		} else
			printf "ok: %s (%d) -> %s (%d) [%s]\n", from, layer[from], to, layer[to], a[2]
	}
	for (f in files)
		if (state[f] == 0)
			visit(f)
	if (bad) {
		print "check_layers: the calls between the layers: FAIL"
		exit 1
	}
	print "check_layers: every call goes down a layer or stays in one, with no circle"
}' "$tmp/syms" || layers_rc=1

# ---- the dlssl program: the public header and its own files ----
for f in "$src"/tools/*.c "$src"/tools/*.h; do
	[ -e "$f" ] || continue
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"]\)\([^>"]*\)[>"].*/\1 \2/p' "$f" |
	while read -r kind h; do
		case $kind$h in
		'"config.h' | '"dlssl.h') continue ;;
		'"'*/*) ;; # a path: not tools' own
		'"'*) [ -e "$src/tools/$h" ] && continue ;;
		*) [ -e "$src/src/$h" ] || continue ;; # <stdio.h> and the like
		esac
		echo "FAIL: ${f#"$src"/} includes $h, which is not the public header or tools' own"
	done
done >"$tmp/incl"
cat "$tmp/incl"
[ -s "$tmp/incl" ] && layers_rc=1

tobjs=$(find "$build/tools" -name '*.o' ! -path '*/.libs/*' 2>/dev/null | sort)
if [ -z "$tobjs" ]; then
	echo "FAIL: no object files under $build/tools (build the dlssl program first)"
	layers_rc=1
fi
for o in $tobjs; do
	nm "$o" | awk -v o="${o#"$build"/}" -v symfile="$src/src/dlssl.sym" '
	    BEGIN { while ((getline l < symfile) > 0) pub[l] = 1 }
	    NF == 2 && $1 == "U" && $2 ~ /^dlssl_/ && !($2 in pub) {
		print "FAIL: " o " uses " $2 ", which libdlssl does not export (src/dlssl.sym)"
	    }'
done >"$tmp/tsyms"
cat "$tmp/tsyms"
[ -s "$tmp/tsyms" ] && layers_rc=1

# ---- no macro over a standard function's name ----
std='recv|recvfrom|recvmsg|send|sendto|sendmsg|poll|select|fstat|stat|lstat|fcntl|ioctl'
std="$std|read|write|open|close|socket|accept|connect|bind|listen|shutdown|getsockname"
std="$std|getpeername|getsockopt|setsockopt|pipe|dup|dup2|fopen|fclose|fread|fwrite"
std="$std|realpath|getenv|setenv|strerror|clock_gettime|gettimeofday|time|sleep|usleep"
std="$std|malloc|calloc|realloc|free|strdup|printf|fprintf|snprintf|pthread_[a-z_]+"
for d in src tools include bench examples tests; do
	[ -d "$src/$d" ] && find "$src/$d" \( -name '*.c' -o -name '*.h' \) -type f
done | sort | while read -r f; do
	grep -nE "^[[:space:]]*#[[:space:]]*define[[:space:]]+($std)([[:space:](]|\$)" "$f" |
	    sed "s|^|FAIL: ${f#"$src"/}:|; s|\$| (a macro over a standard C or POSIX name)|"
done >"$tmp/macros"
cat "$tmp/macros"
[ -s "$tmp/macros" ] && layers_rc=1

if [ "$layers_rc" = 0 ]; then
	echo "check_layers: the dlssl program uses only dlssl.h and its own files, and no macro hides a standard function"
else
	echo "check_layers: FAIL"
fi
exit "$layers_rc"
