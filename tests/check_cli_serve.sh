#!/bin/sh
# dlssl serve: echo to openssl s_client and dlssl connect, --http to curl,
# --exec, --once with client certificates, --max-clients, every transport,
# the raised descriptor limit, bad --workers and timeout values.
. "${srcdir:-$(dirname "$0")/..}/tests/cli_lib.sh"
require_libssl
need openssl timeout

cert="--cert $PKI/localhost-chain.pem --key $PKI/localhost.key"

# Echo, to openssl s_client (which sends close_notify when its input ends).
# shellcheck disable=SC2086
start_serve echo $cert || exit 99
check "s_client to the echo server" 0 sh -c "(echo hello-echo; sleep 2) |
    openssl s_client -connect 127.0.0.1:$port -servername localhost \
    -CAfile \"\$0\" -verify_return_error -quiet -no_ign_eof" "$PKI/root-ca.crt"
contains "the echo server echoed" "$work/out" '^hello-echo$'
check "dlssl connect to the echo server" 0 sh -c "(echo ping; sleep 2) |
    \"\$0\" connect localhost:$port --cafile \"\$1\" --close-on-eof" "$DLSSL" "$PKI/root-ca.crt"
contains "dlssl connect got the echo" "$work/out" '^ping$'
stop_bg "$bg_pid"

for t in fd io file; do
	# shellcheck disable=SC2086
	start_serve "echo-$t" $cert --transport "$t" || exit 99
	check "echo server over --transport $t" 0 sh -c "(echo via-$t; sleep 2) |
	    \"\$0\" connect localhost:$port --cafile \"\$1\" --close-on-eof --transport $t" \
	    "$DLSSL" "$PKI/root-ca.crt" && contains "transport $t echoed" "$work/out" "^via-$t\$"
	stop_bg "$bg_pid"
done

# IPv6, when the machine has ::1.
# shellcheck disable=SC2086
if start_serve echo6 $cert --bind ::1 2>/dev/null; then
	contains "serve --bind ::1 reports the address in brackets" "$work/echo6.log" \
	    '^listening on \[::1\]:[0-9]+$'
	check "dlssl connect [::1] to serve --bind ::1" 0 sh -c "(echo over-v6; sleep 2) |
	    \"\$0\" connect [::1]:$port --cafile \"\$1\" --close-on-eof" "$DLSSL" "$PKI/root-ca.crt" &&
	    contains "the echo came back over IPv6" "$work/out" '^over-v6$'
	stop_bg "$bg_pid"
else
	echo "note: no IPv6 loopback here; serve --bind ::1 not tested"
fi

# --http, to curl.
if command -v curl >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	start_serve http $cert --http || exit 99
	check "curl --cacert to serve --http" 0 \
	    curl -sS --max-time 20 --cacert "$PKI/root-ca.crt" "https://localhost:$port/"
	contains "curl got the body" "$work/out" '^hello from dlssl serve$'
	check "curl without the test CA is refused" 60 \
	    curl -sS --max-time 20 "https://localhost:$port/"
	stop_bg "$bg_pid"
else
	echo "note: curl is not installed; serve --http not tested with it"
fi

# --exec: the command's output goes to the peer, the peer's input to it.
# shellcheck disable=SC2086
start_serve exec $cert --exec 'head -n 1; echo exec-done' || exit 99
check "serve --exec 'head -n 1'" 0 sh -c "(echo line-one; echo line-two; sleep 5) |
    \"\$0\" connect localhost:$port --cafile \"\$1\"" "$DLSSL" "$PKI/root-ca.crt"
contains "the command read the peer's first line" "$work/out" '^line-one$'
contains "the command's output reached the peer" "$work/out" '^exec-done$'
if grep -q line-two "$work/out"; then
	fail "the command saw more than it read"
else
	ok "only what the command printed came back"
fi
stop_bg "$bg_pid"

# --once with client certificates required: the exit status is the connection's.
# shellcheck disable=SC2086
start_serve once-ok $cert --once --verify required --cafile "$PKI/root-ca.crt" || exit 99
check "client certificate accepted" 0 sh -c "(echo with-cert; sleep 2) |
    \"\$0\" connect localhost:$port --cafile \"\$1\" --close-on-eof --cert \"\$2\" --key \"\$3\"" \
    "$DLSSL" "$PKI/root-ca.crt" "$PKI/client-chain.pem" "$PKI/client.key"
wait "$bg_pid"
rc=$?
[ "$rc" = 0 ] && ok "serve --once exits 0 after a good connection" ||
    fail "serve --once exited $rc after a good connection"
# shellcheck disable=SC2086
start_serve once-bad $cert --once --verify required --cafile "$PKI/root-ca.crt" || exit 99
timeout "$LIMIT" "$DLSSL" connect "localhost:$port" --cafile "$PKI/root-ca.crt" \
    </dev/null >/dev/null 2>&1
wait "$bg_pid"
rc=$?
[ "$rc" = 3 ] && ok "serve --once exits 3 when the client has no certificate" ||
    fail "serve --once exited $rc for a client without a certificate, wanted 3"
contains "the server names the verification failure" "$work/once-bad.log" 'no certificate'

# --max-clients: a second client waits while the first holds the only slot.
mkfifo "$work/hold"
# shellcheck disable=SC2086
start_serve max1 $cert --max-clients 1 --verbose || exit 99
timeout "$LIMIT" "$DLSSL" connect "localhost:$port" --cafile "$PKI/root-ca.crt" \
    <"$work/hold" >/dev/null 2>&1 &
holder=$!
pids="$pids $holder"
exec 3>"$work/hold"
echo first >&3
wait_for "$work/max1.log" ': TLSv1' "$holder" || fail "the first client was not served"
check "a second client waits for the only slot" 5 sh -c "(echo second; sleep 5) |
    \"\$0\" connect localhost:$port --cafile \"\$1\" --timeout 1" "$DLSSL" "$PKI/root-ca.crt"
exec 3>&-
stop_bg "$holder"
stop_bg "$bg_pid"
# shellcheck disable=SC2086
start_serve max2 $cert --max-clients 2 --verbose || exit 99
timeout "$LIMIT" "$DLSSL" connect "localhost:$port" --cafile "$PKI/root-ca.crt" \
    <"$work/hold" >/dev/null 2>&1 &
holder=$!
pids="$pids $holder"
exec 3>"$work/hold"
echo first >&3
wait_for "$work/max2.log" ': TLSv1' "$holder" || fail "the first client was not served"
check "with two slots the second client is served at once" 0 sh -c "(echo second; sleep 2) |
    \"\$0\" connect localhost:$port --cafile \"\$1\" --close-on-eof --timeout 5" \
    "$DLSSL" "$PKI/root-ca.crt" && contains "the second client got its echo" "$work/out" '^second$'
exec 3>&-
stop_bg "$holder"
stop_bg "$bg_pid"

# The soft descriptor limit is raised to the hard one, and serve says so.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -gt 256 ]; then
	start_bg nofile '^listening on ' sh -c 'ulimit -Sn 256 && exec "$0" serve --port 0 \
	    --cert "$1" --key "$2"' "$DLSSL" "$PKI/localhost-chain.pem" "$PKI/localhost.key" || exit 99
	contains "serve raises RLIMIT_NOFILE from 256 and says so" "$work/nofile.log" \
	    '^dlssl serve: raised the open-file limit \(RLIMIT_NOFILE\) from 256 to .*clients at once$'
	port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$work/nofile.log")
	check "the raised server serves" 0 sh -c "(echo after-raise; sleep 1) |
	    \"\$0\" connect localhost:$port --cafile \"\$1\" --close-on-eof --timeout 5" \
	    "$DLSSL" "$PKI/root-ca.crt" && contains "it echoed" "$work/out" '^after-raise$'
	stop_bg "$bg_pid"
else
	echo "note: the hard open-file limit is $hard; serve's raise not tested"
fi

# shellcheck disable=SC2086
check "serve --workers 0" 1 "$DLSSL" serve $cert --port 0 --workers 0
contains "the bad --workers is named" "$work/err" 'workers'
# shellcheck disable=SC2086
check "serve --idle-timeout -1" 1 "$DLSSL" serve $cert --port 0 --idle-timeout -1
check "serve without --cert" 1 "$DLSSL" serve --port 0 --key "$PKI/localhost.key"
check "serve --port 70000" 1 "$DLSSL" serve $cert --port 70000
check "serve --http --exec" 1 "$DLSSL" serve $cert --http --exec cat
check "serve with a key that does not match" 1 "$DLSSL" serve --port 0 \
    --cert "$PKI/localhost-chain.pem" --key "$PKI/wronghost.key"
finish
