#!/bin/sh
# dlssl connect against openssl s_server on 127.0.0.1: verification with the
# right and wrong CA and name, every transport, IPv6, ALPN, client
# certificates, a peer that stays silent (timeout), usage errors.
. "${srcdir:-$(dirname "$0")/..}/tests/cli_lib.sh"
require_libssl
need openssl timeout

request() { printf 'GET / HTTP/1.0\r\n\r\n' >"$work/req"; }
request

start_s_server www -www -alpn http/1.1 || exit 99
www=$port
# stdin ends at once: the answer must still be read (half-close handling).
for t in fd io file; do
	check "connect --transport $t with the right CA" 0 \
	    "$DLSSL" connect "127.0.0.1:$www" --cafile "$PKI/root-ca.crt" --transport "$t" \
	    <"$work/req" && contains "connect --transport $t got the page" "$work/out" '^HTTP/1.0 200 ok'
done
check "connect by name (SNI localhost)" 0 \
    "$DLSSL" connect "localhost:$www" --cafile "$PKI/root-ca.crt" <"$work/req"
contains "connect says whether the session was resumed" "$work/err" '^dlssl connect: session: new$'
check "connect with the rogue root as CA" 3 \
    "$DLSSL" connect "localhost:$www" --cafile "$PKI/rogue-root-ca.crt" <"$work/req"
contains "the chain failure names the X509 error" "$work/err" 'X509_V_ERR 20'
check "connect --servername other.example" 3 \
    "$DLSSL" connect "127.0.0.1:$www" --cafile "$PKI/root-ca.crt" \
    --servername other.example <"$work/req"
contains "the name failure says hostname mismatch and the subject" "$work/err" \
    'hostname mismatch.*X509_V_ERR 62.*CN=localhost'
check "connect without the test CA (system store)" 3 \
    "$DLSSL" connect "localhost:$www" <"$work/req"
check "connect --verify none without the test CA" 0 \
    "$DLSSL" connect "localhost:$www" --verify none <"$work/req"
check "connect --alpn h2,http/1.1 --verbose" 0 \
    "$DLSSL" connect "localhost:$www" --cafile "$PKI/root-ca.crt" --alpn h2,http/1.1 \
    --verbose <"$work/req" && contains "the server chose http/1.1" "$work/err" 'ALPN http/1\.1'
stop_bg "$bg_pid"

# IPv6, when the machine has ::1.
port=$(random_port)
if start_bg www6 '^ACCEPT' openssl s_server -accept "[::1]:$port" -www \
    -cert "$PKI/localhost.crt" -cert_chain "$PKI/intermediate-ca.crt" -key "$PKI/localhost.key"; then
	check "connect [::1]:PORT (IPv6 literal in brackets)" 0 \
	    "$DLSSL" connect "[::1]:$port" --cafile "$PKI/root-ca.crt" <"$work/req" &&
	    contains "connect over IPv6 got the page" "$work/out" '^HTTP/1.0 200 ok'
	stop_bg "$bg_pid"
else
	echo "note: no IPv6 loopback here; [::1] not tested"
fi

# Client certificates.
start_s_server cc -www -Verify 1 -verify_return_error -CAfile "$PKI/root-ca.crt" || exit 99
check "connect --cert/--key to a server that requires one" 0 \
    "$DLSSL" connect "localhost:$port" --cafile "$PKI/root-ca.crt" \
    --cert "$PKI/client-chain.pem" --key "$PKI/client.key" <"$work/req"
contains "the server accepted the client certificate" "$work/out" '^HTTP/1.0 200 ok'
check "connect without a client certificate is refused" 4 \
    "$DLSSL" connect "localhost:$port" --cafile "$PKI/root-ca.crt" <"$work/req"
check "connect --cert without --key" 1 \
    "$DLSSL" connect "localhost:$port" --cert "$PKI/client-chain.pem" <"$work/req"
stop_bg "$bg_pid"

# A server that completes the handshake and then says nothing.
start_serve quiet --cert "$PKI/localhost-chain.pem" --key "$PKI/localhost.key" \
    --exec 'sleep 30' || exit 99
check "connect --timeout 1 to a silent server" 5 \
    sh -c "sleep 5 | \"\$0\" connect localhost:$port --cafile \"\$1\" --timeout 1" \
    "$DLSSL" "$PKI/root-ca.crt"
contains "the timeout is named" "$work/err" 'timed out'
stop_bg "$bg_pid"

check "connect with no target" 1 "$DLSSL" connect
check "connect to a bare IPv6 address" 1 "$DLSSL" connect ::1:443
check "connect --verify sometimes" 1 "$DLSSL" connect localhost:1 --verify sometimes
check "connect --timeout -1" 1 "$DLSSL" connect localhost:1 --timeout -1
check "connect to a closed port" 4 "$DLSSL" connect "127.0.0.1:$(random_port)" <"$work/req"
finish
