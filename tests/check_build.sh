#!/bin/sh
# check_build.sh: libssl and libcrypto are never build-time dependencies.
#
# On the built files: `readelf -d` of the shared library and of the real
# dlssl program (behind libtool's wrapper) shows no NEEDED libssl/libcrypto.
# On the sources: nothing under src/, include/, tools/ or examples/ includes
# an <openssl/...> header; no build file (configure.ac, Makefile.am, *.mk)
# links -lssl/-lcrypto or $(OPENSSL_LIBS) outside the optional bench,
# headercheck and reload_linked (a test playing a host program that links
# OpenSSL itself) rules; dlssl.pc.in does not ask for OpenSSL.
#
# Run from the build directory (the test harness does); $srcdir is the top
# source directory.  Exit 0 pass, 1 fail, 77 skip (readelf missing).

srcdir=${srcdir:-$(dirname "$0")/..}
builddir=${top_builddir:-.}
READELF=${READELF:-readelf}

if ! command -v "${READELF%% *}" >/dev/null 2>&1; then
	echo "SKIP: $READELF not found (binutils)"
	exit 77
fi

failed=0
fail() { echo "FAIL: $*"; failed=1; }
ok() { echo "ok: $*"; }
# The lines of $1 as one space-separated line.
words() { printf '%s\n' "$1" | tr '\n' ' ' | sed 's/ *$//'; }

# shellcheck disable=SC2086
is_elf() { $READELF -h "$1" >/dev/null 2>&1; }

# A file's NEEDED entries must not name libssl or libcrypto.
check_needed() {
	what=$1 file=$2
	# shellcheck disable=SC2086
	if ! needed=$($READELF -d "$file" 2>&1); then
		fail "readelf -d $file: $needed"
		return
	fi
	needed=$(printf '%s\n' "$needed" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p')
	bad=$(printf '%s\n' "$needed" | grep -E '^(lib)?(ssl|crypto|eay32|ssleay32)([.-]|$)' || true)
	if [ -n "$bad" ]; then
		fail "$what ($file) has NEEDED $(words "$bad")"
	else
		ok "$what ($file): NEEDED $(words "$needed" | sed "s/ /, /g")"
	fi
}

# 1. The built shared library.
lib=$builddir/.libs/libdlssl.so
if [ -f "$lib" ]; then
	check_needed "shared library" "$lib"
elif [ -f "$builddir/.libs/libdlssl.a" ]; then
	ok "no shared library built (static only): nothing to check in $lib"
else
	fail "library not built: neither $lib nor $builddir/.libs/libdlssl.a"
fi

# 2. The real dlssl program: tools/dlssl itself when it is ELF (static
# build), else the binary libtool hides in tools/.libs/.
prog=
for p in "$builddir/tools/dlssl" "$builddir/tools/.libs/dlssl" \
    "$builddir/tools/.libs/lt-dlssl"; do
	if [ -f "$p" ] && is_elf "$p"; then
		prog=$p
		break
	fi
done
if [ -n "$prog" ]; then
	check_needed "dlssl program" "$prog"
else
	fail "no ELF dlssl program found (tools/dlssl, tools/.libs/dlssl, tools/.libs/lt-dlssl)"
fi

# 3. No source of the library, program or examples includes OpenSSL.
n=0 hits=
for d in src include tools examples; do
	[ -d "$srcdir/$d" ] || continue
	for f in $(find "$srcdir/$d" -type f \( -name '*.[ch]' -o -name '*.cc' \
	    -o -name '*.cpp' -o -name '*.in' \) | sort); do
		n=$((n + 1))
		h=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]openssl/' "$f" || true)
		[ -z "$h" ] || hits="$hits
$f:$(echo "$h" | head -n 3)"
	done
done
if [ -n "$hits" ]; then
	fail "sources include OpenSSL headers:$hits"
else
	ok "$n source files under src/ include/ tools/ examples/: no <openssl/...> include"
fi

# 4. Build files: a logical line (continuations joined) that links OpenSSL
# is allowed only when the variable or rule it belongs to is a bench,
# headercheck or reload_linked one.  configure.ac must not add OpenSSL to LIBS.
bf=$(cd "$srcdir" && { ls configure.ac Makefile.am 2>/dev/null
    find . \( -name .git -o -name autom4te.cache -o -name _build -o -name 'dlssl-*' \
    -o -name sanitize \) -prune -o -name '*.mk' -print | sed 's|^\./||'; } | sort -u)
nb=0 bfail=0
for f in $bf; do
	nb=$((nb + 1))
	out=$(awk -v file="$f" '
		function flush(   ctx) {
			if (line != "" && line ~ /(-lssl|-lcrypto|OPENSSL_LIBS|AC_CHECK_LIB\(\[?(ssl|crypto)|AC_SEARCH_LIBS\(.*\[[^]]*(ssl|crypto))/) {
				if (file ~ /configure\.ac$/) {
					if (line !~ /PKG_CHECK_MODULES\(\[OPENSSL\]/)
						print file ":" start ": " line
				} else {
					ctx = rule
					if (!recipe) {
						ctx = line
						sub(/[:+?]?=.*/, "", ctx)
					}
					if (ctx !~ /(bench|headercheck|reload_linked)/)
						print file ":" start ": " line
				}
			}
			line = ""
		}
		{
			if (line == "") {
				start = NR
				recipe = ($0 ~ /^\t/)
				# A rule line "target: deps" starts a new rule.
				if (!recipe && $0 ~ /^[^#=]*:/ && $0 !~ /^[^:]*[:+?]?=/) {
					rule = $0
					sub(/:.*/, "", rule)
				} else if (!recipe && $0 ~ /^[A-Za-z_]/)
					rule = ""
			}
			s = $0
			sub(/[ \t]*#.*/, "", s)
			cont = (s ~ /\\$/)
			sub(/\\$/, "", s)
			line = line " " s
			if (!cont) flush()
		}
		END { flush() }
	' "$srcdir/$f")
	if [ -n "$out" ]; then
		fail "links OpenSSL outside bench/headercheck/reload_linked rules:
$out"
		bfail=1
	fi
done
[ "$bfail" = 1 ] || ok "$nb build files ($(words "$bf")): no -lssl/-lcrypto/\$(OPENSSL_LIBS) outside bench/headercheck/reload_linked"

# 5. pkg-config must not make users link OpenSSL (STYLE.md rule 23).
if [ -f "$srcdir/dlssl.pc.in" ]; then
	if grep -nE '(-lssl|-lcrypto|^Requires(\.private)?:.*(openssl|libssl|libcrypto))' "$srcdir/dlssl.pc.in"; then
		fail "dlssl.pc.in asks for OpenSSL"
	else
		ok "dlssl.pc.in: no OpenSSL in Libs/Requires"
	fi
fi

if [ "$failed" = 0 ]; then
	echo "PASS"
	exit 0
fi
echo "FAIL"
exit 1
