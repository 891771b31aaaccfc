#!/bin/sh
# README.md as a user reads it: every ```c block is extracted and compiled
# with -std=c99 -Wall -Wextra -Werror against include/ (a block with a main
# is linked with the library, one without is compiled alone with -c), and
# each whole program is run as the README says.  The only one today,
# hello.c, fetches a page from dlssl serve --http on 127.0.0.1 trusting the
# test root through SSL_CERT_FILE (OpenSSL's variable: a library that does
# not read it must refuse the server, exit 3), then meets the wrong host
# name and a closed port.  The pkg-config file the README's install recipe
# uses is validated too.
. "${srcdir:-$(dirname "$0")/..}/tests/cli_lib.sh"
need timeout
# CC and the link line of the build (tests/docs.mk writes them).
[ -f tests/docs.env ] && . ./tests/docs.env
CC=${CC:-cc}
command -v "${CC%% *}" >/dev/null 2>&1 || skip "no C compiler ($CC)"

readme=$srcdir/README.md
[ -f "$readme" ] || { echo "ERROR: no $readme"; exit 99; }

# Extract the blocks: $work/block-N.c, N from 1.
awk -v dir="$work" '
	/^```c[[:space:]]*$/ { n++; f = dir "/block-" n ".c"; inb = 1; next }
	/^```/ && inb { inb = 0; close(f); next }
	inb { print > f }
	END { print n + 0 > (dir "/count") }
' "$readme"
count=$(cat "$work/count")
[ "$count" -gt 0 ] || { fail "README.md has no \`\`\`c block"; finish; }
ok "README.md has $count C block(s)"

# The library as the README's recipe links it: .libs/libdlssl.so with an
# rpath, or the static archive in a --disable-shared build.
if [ -f .libs/libdlssl.so ]; then
	lib=".libs/libdlssl.so -Wl,-rpath,$(pwd)/.libs"
elif [ -f .libs/libdlssl.a ]; then
	lib=".libs/libdlssl.a ${DLSSL_LIBS:-}"
else
	echo "ERROR: libdlssl was not built"
	exit 99
fi
flags="-std=c99 -Wall -Wextra -Werror -pedantic-errors -I$srcdir/include"

# valgrind cannot run a sanitizer build's programs (their own runtime checks them).
use_valgrind=
case " ${DOCS_LDFLAGS:-} " in
*-fsanitize=*) echo "note: sanitizer build: the leak checks are the sanitizer's, not valgrind's" ;;
*) command -v valgrind >/dev/null 2>&1 && use_valgrind=1 ;;
esac

programs=""
blk=1
while [ "$blk" -le "$count" ]; do
	b=$work/block-$blk.c
	if grep -q '^int main(' "$b"; then
		# shellcheck disable=SC2086
		# DOCS_LDFLAGS: a sanitizer build's runtime, which its libdlssl needs.
		if $CC $flags ${DOCS_LDFLAGS:-} -o "$work/block-$blk" "$b" $lib >"$work/cc.log" 2>&1; then
			ok "block $blk compiles and links (-std=c99 -Wall -Wextra -Werror)"
			programs="$programs $blk"
		else
			fail "block $blk does not build:"
			sed 's/^/    /' "$work/cc.log" | head -n 20
		fi
	else
		# shellcheck disable=SC2086
		if $CC $flags -c -o "$work/block-$blk.o" "$b" >"$work/cc.log" 2>&1; then
			ok "block $blk compiles (-std=c99 -Wall -Wextra -Werror)"
		else
			fail "block $blk does not compile:"
			sed 's/^/    /' "$work/cc.log" | head -n 20
		fi
	fi
	blk=$((blk + 1))
done

# Run the programs.  hello.c is the one that takes HOST PORT.
for blk in $programs; do
	p=$work/block-$blk
	if ! grep -q 'getaddrinfo(argv\[1\], argv\[2\]' "$work/block-$blk.c"; then
		fail "block $blk is a program this test does not know how to run: teach it"
		continue
	fi
	require_libssl
	start_serve serve --cert "$PKI/localhost-chain.pem" --key "$PKI/localhost.key" --http ||
		exit 99
	# Does the loaded library read SSL_CERT_FILE?  Ask the dlssl program.
	if SSL_CERT_FILE=$PKI/root-ca.crt timeout "$LIMIT" "$DLSSL" get \
	    "https://localhost:$port/" >/dev/null 2>&1; then
		check "block $blk fetches the page (SSL_CERT_FILE names the test root)" 0 \
		    env SSL_CERT_FILE="$PKI/root-ca.crt" "$p" localhost "$port"
		contains "block $blk printed the status line" "$work/out" '^HTTP/1\.[01] 200 '
		contains "block $blk printed the body" "$work/out" '^hello from dlssl serve$'
		if [ -n "$use_valgrind" ]; then
			check "block $blk frees what it allocates (valgrind)" 0 env \
			    SSL_CERT_FILE="$PKI/root-ca.crt" valgrind -q --leak-check=full --undef-value-errors=no \
			    --errors-for-leak-kinds=definite --error-exitcode=9 \
			    --suppressions="$srcdir/tests/valgrind.supp" "$p" localhost "$port"
		fi
	else
		echo "note: the loaded library ignores SSL_CERT_FILE: the README's run must fail to verify"
	fi
	check "block $blk refuses an untrusted server" 3 \
	    env SSL_CERT_FILE="$PKI/rogue-root-ca.crt" SSL_CERT_DIR="$work" "$p" localhost "$port"
	contains "block $blk named the verification failure" "$work/err" 'verification failed'
	stop_bg "$bg_pid"
	check "block $blk reports a refused connection" 4 "$p" 127.0.0.1 "$port"
	contains "block $blk named the refusal" "$work/err" 'refused'
	check "block $blk wants two arguments" 1 "$p"
	if [ -n "$use_valgrind" ]; then
		check "block $blk frees its addresses when it cannot connect (valgrind)" 4 valgrind -q \
		    --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		    --error-exitcode=9 "$p" localhost "$port"
	fi
	# A server whose certificate is for another name.
	start_serve wrong --cert "$PKI/wronghost-chain.pem" --key "$PKI/wronghost.key" --http ||
		exit 99
	check "block $blk refuses a certificate for another host" 3 \
	    env SSL_CERT_FILE="$PKI/root-ca.crt" "$p" localhost "$port"
	stop_bg "$bg_pid"
done

# The pkg-config file the README's install recipe reads.
if command -v pkg-config >/dev/null 2>&1 && [ -f dlssl.pc ]; then
	check "dlssl.pc is valid" 0 pkg-config --validate ./dlssl.pc
	if grep -Eiq '(example|invalid|placeholder|TODO)' dlssl.pc; then
		fail "dlssl.pc holds a placeholder:"
		grep -Ein '(example|invalid|placeholder|TODO)' dlssl.pc | sed 's/^/    /'
	else
		ok "dlssl.pc holds no placeholder"
	fi
fi
finish
