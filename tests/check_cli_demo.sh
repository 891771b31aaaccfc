#!/bin/sh
# dlssl demo end to end, and the program's usage errors and exit codes.
. "${srcdir:-$(dirname "$0")/..}/tests/cli_lib.sh"
require_libssl

check "demo with no arguments" 0 "$DLSSL" demo
cp "$work/out" "$work/demo.out"
contains "demo names the protocol" "$work/demo.out" '^protocol: +TLSv1\.[23]$'
contains "demo says the server was verified" "$work/demo.out" '^verification: +verified'
contains "demo names the libssl it loaded" "$work/demo.out" '^libssl: +/.*libssl'
contains "demo refuses the wrong host name" "$work/demo.out" '^wrong name: +refused.*X509_V_ERR 62'
contains "demo measures throughput" "$work/demo.out" '^throughput: +64 MiB in .* MiB/s'
contains "demo ends with OK" "$work/demo.out" '^result: +OK$'
if [ -s "$work/err" ]; then
	fail "demo printed to stderr when it was not a terminal:"
	sed 's/^/    /' "$work/err"
else
	ok "demo keeps stderr quiet off a terminal"
fi

for t in fd io file; do
	check "demo --transport $t" 0 "$DLSSL" demo --transport "$t" --mib 2 &&
	    contains "demo --transport $t reports it" "$work/out" "^transport: +$t "
done

check "demo --help" 0 "$DLSSL" demo --help
contains "demo --help is a usage text" "$work/out" '^usage: dlssl demo'
check "demo with an unknown option" 1 "$DLSSL" demo --no-such-option
check "demo --transport bogus" 1 "$DLSSL" demo --transport bogus
check "demo --libssl with a relative path" 1 "$DLSSL" demo --libssl libssl.so.3
check "demo --libssl with a missing library" 2 "$DLSSL" demo --libssl /nonexistent/libssl.so.3
contains "a load failure names the cause" "$work/err" 'cannot load libssl'

check "dlssl with no command" 1 "$DLSSL"
check "dlssl --help" 0 "$DLSSL" --help
for c in demo connect serve get check-host x509 random info; do
	check "dlssl $c --help" 0 "$DLSSL" "$c" --help &&
	    contains "dlssl $c --help says how to use it" "$work/out" "^usage: dlssl $c"
done
check "an unknown command" 1 "$DLSSL" no-such-command
finish
