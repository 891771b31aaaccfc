#!/bin/sh
# The programs of examples/, each against a loopback peer: https_get with
# openssl s_server -www and dlssl serve --http, https_server (encrypted key)
# with curl or dlssl get, starttls client against its server,
# client_cert_server with dlssl connect --cert, tls_over_pipe on its own,
# epoll-server with 200 nonblocking-client connections at once, and
# nonblocking-client against dlssl serve.
. "${srcdir:-$(dirname "$0")/..}/tests/cli_lib.sh"
require_libssl
need timeout
EX=./examples
for p in https_get https_server starttls client_cert_server tls_over_pipe epoll-server \
    nonblocking-client; do
	[ -x "$EX/$p" ] || { echo "ERROR: $EX/$p was not built"; exit 99; }
done
ca=$PKI/root-ca.crt

# https_get, against dlssl serve --http (by name, with SNI) ...
start_serve http --cert "$PKI/localhost-chain.pem" --key "$PKI/localhost.key" --http || exit 99
check "https_get from dlssl serve --http" 0 "$EX/https_get" -c "$ca" localhost "$port" /
contains "https_get printed the status line" "$work/out" '^HTTP/1\.1 200 OK'
contains "https_get printed the body" "$work/out" '^hello from dlssl serve$'
check "https_get with the rogue CA" 3 "$EX/https_get" -c "$PKI/rogue-root-ca.crt" localhost "$port" /
stop_bg "$bg_pid"
# ... and openssl s_server -www (by IP address).
if command -v openssl >/dev/null 2>&1; then
	start_s_server www -www || exit 99
	check "https_get from openssl s_server -www" 0 "$EX/https_get" -c "$ca" 127.0.0.1 "$port" /
	contains "s_server answered https_get" "$work/out" '^HTTP/1\.0 200 ok'
	stop_bg "$bg_pid"
fi

# https_server with the password-protected key.
start_bg https '^listening on ' env HTTPS_SERVER_PASSWORD=dlssl-test \
    "$EX/https_server" "$PKI/localhost-chain.pem" "$PKI/localhost-key-enc.pem" || {
	fail "https_server did not start with the right password:"; cat "$work/https.log"; }
port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$work/https.log")
check "dlssl get from https_server" 0 "$DLSSL" get "https://localhost:$port/" --cafile "$ca"
contains "https_server named the protocol" "$work/out" 'Hello over TLSv1\.[23] with '
if command -v curl >/dev/null 2>&1; then
	check "curl from https_server" 0 curl -sS --max-time 20 --cacert "$ca" "https://localhost:$port/"
	contains "curl got https_server's page" "$work/out" 'Hello over TLSv1'
fi
stop_bg "$bg_pid"
check "https_server with the wrong password" 1 env HTTPS_SERVER_PASSWORD=wrong \
    "$EX/https_server" -1 "$PKI/localhost-chain.pem" "$PKI/localhost-key-enc.pem"
contains "the wrong password is named" "$work/err" 'password|decrypt|bad'

# starttls: the client against the server, both from the example.
start_bg starttls '^listening on ' "$EX/starttls" server "$PKI/localhost-chain.pem" \
    "$PKI/localhost.key" || exit 99
port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$work/starttls.log")
check "starttls client upgrades and talks" 0 "$EX/starttls" client localhost "$port" "$ca"
contains "the server answered over TLS" "$work/out" '^250 over TLSv1\.[23] you said: HELLO from the client$'
contains "the session ended with QUIT" "$work/out" '^221 bye$'
wait "$bg_pid"
rc=$?
[ "$rc" = 0 ] && ok "starttls server exits 0" || fail "starttls server exited $rc"

# client_cert_server: the fingerprint it prints is the client certificate's.
start_bg ccs '^listening on ' "$EX/client_cert_server" -1 "$PKI/localhost-chain.pem" \
    "$PKI/localhost.key" "$ca" || exit 99
port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$work/ccs.log")
check "dlssl connect --cert to client_cert_server" 0 sh -c "sleep 2 | \"\$0\" connect \
    localhost:$port --cafile \"\$1\" --cert \"\$2\" --key \"\$3\"" "$DLSSL" "$ca" \
    "$PKI/client-chain.pem" "$PKI/client.key"
contains "the client was greeted by name" "$work/out" '^hello, CN=dlssl test client,O=dlssl tests$'
wait "$bg_pid"
want=$("$DLSSL" x509 "$PKI/client.crt" | sed -n 's/^sha256: *//p')
if command -v openssl >/dev/null 2>&1; then
	want=$(openssl x509 -in "$PKI/client.crt" -noout -fingerprint -sha256 | sed 's/.*=//')
fi
got=$(sed -n 's/^sha256: //p' "$work/ccs.log")
[ -n "$want" ] && [ "$got" = "$want" ] && ok "client_cert_server printed the client's SHA-256" ||
    fail "client_cert_server printed '$got', the client certificate's SHA-256 is '$want'"
start_bg ccs2 '^listening on ' "$EX/client_cert_server" -1 "$PKI/localhost-chain.pem" \
    "$PKI/localhost.key" "$ca" || exit 99
port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$work/ccs2.log")
timeout "$LIMIT" "$DLSSL" connect "localhost:$port" --cafile "$ca" </dev/null >/dev/null 2>&1
wait "$bg_pid"
rc=$?
[ "$rc" = 3 ] && ok "client_cert_server refuses a client without a certificate (exit 3)" ||
    fail "client_cert_server exited $rc for a client without a certificate, wanted 3"
contains "the refusal names the cause" "$work/ccs2.log" '^refused: .*certificate'

# tls_over_pipe: TLS through callbacks between two threads.
check "tls_over_pipe" 0 "$EX/tls_over_pipe" "$PKI/localhost-chain.pem" "$PKI/localhost.key" "$ca"
contains "the answer came back in upper case" "$work/out" '^TLSv1\.[23]: HELLO THROUGH AN IN-MEMORY PIPE$'
check "tls_over_pipe with the rogue CA" 3 "$EX/tls_over_pipe" "$PKI/localhost-chain.pem" \
    "$PKI/localhost.key" "$PKI/rogue-root-ca.crt"

# epoll-server: 200 clients of nonblocking-client at once, every line echoed;
# the server exits once the 200 connections have ended.
start_bg epoll '^listening on ' "$EX/epoll-server" "$PKI/localhost-chain.pem" \
    "$PKI/localhost.key" 0 200 || exit 99
port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$work/epoll.log")
check "nonblocking-client x200 to epoll-server" 0 "$EX/nonblocking-client" localhost "$port" "$ca" 200
contains "every client got its line back" "$work/out" '^200 of 200 echoed$'
wait "$bg_pid"
rc=$?
[ "$rc" = 0 ] && ok "epoll-server exits 0 after 200 connections" ||
    fail "epoll-server exited $rc"
contains "epoll-server counted them" "$work/epoll.log" '^served 200 connections$'
# nonblocking-client against dlssl serve (its event loop).
start_serve nbserve --cert "$PKI/localhost-chain.pem" --key "$PKI/localhost.key" || exit 99
check "nonblocking-client x50 to dlssl serve" 0 "$EX/nonblocking-client" localhost "$port" "$ca" 50
contains "dlssl serve echoed every line" "$work/out" '^50 of 50 echoed$'
check "nonblocking-client with the rogue CA" 4 "$EX/nonblocking-client" localhost "$port" \
    "$PKI/rogue-root-ca.crt" 1
contains "the client names the verification failure" "$work/err" 'verif|certificate'
stop_bg "$bg_pid"
finish
