#!/bin/sh
# Interoperation with GnuTLS: dlssl connect and get to gnutls-serv, and
# gnutls-cli to dlssl serve.
. "${srcdir:-$(dirname "$0")/..}/tests/cli_lib.sh"
require_libssl
need gnutls-serv gnutls-cli timeout

# start_gnutls_serv NAME ARGS...: on a free port (tried until one binds); sets $port.
start_gnutls_serv() {
	name=$1
	shift
	for try in 1 2 3 4 5 6 7 8 9 10; do
		port=$(random_port)
		start_bg "$name" 'listening' gnutls-serv -p "$port" \
		    --x509certfile="$PKI/localhost-chain.pem" --x509keyfile="$PKI/localhost.key" \
		    "$@" && return 0
	done
	echo "could not start gnutls-serv:"
	cat "$work/$name.log"
	return 1
}

start_gnutls_serv http --http || exit 99
printf 'GET / HTTP/1.0\r\n\r\n' >"$work/req"
for t in fd io; do
	check "dlssl connect to gnutls-serv --http (--transport $t)" 0 \
	    "$DLSSL" connect "localhost:$port" --cafile "$PKI/root-ca.crt" --transport "$t" \
	    <"$work/req" && contains "gnutls-serv answered ($t)" "$work/out" '^HTTP/1\.0 200 OK'
done
check "dlssl get from gnutls-serv" 0 \
    "$DLSSL" get "https://localhost:$port/" --cafile "$PKI/root-ca.crt"
contains "gnutls-serv's page arrived" "$work/out" '[Gg]nu[Tt][Ll][Ss]'
check "dlssl connect to gnutls-serv with the rogue CA" 3 \
    "$DLSSL" connect "localhost:$port" --cafile "$PKI/rogue-root-ca.crt" <"$work/req"
stop_bg "$bg_pid"

start_serve http --cert "$PKI/localhost-chain.pem" --key "$PKI/localhost.key" --http || exit 99
check "gnutls-cli to dlssl serve --http" 0 sh -c "printf 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n' |
    gnutls-cli --x509cafile=\"\$0\" -p $port localhost" "$PKI/root-ca.crt"
contains "gnutls-cli got dlssl serve's answer" "$work/out" '^hello from dlssl serve'
check "gnutls-cli refuses dlssl serve with another CA" 1 sh -c "printf 'x\n' |
    gnutls-cli --x509cafile=\"\$0\" -p $port localhost" "$PKI/rogue-root-ca.crt"
stop_bg "$bg_pid"

start_serve echo --cert "$PKI/localhost-chain.pem" --key "$PKI/localhost.key" || exit 99
check "gnutls-cli to dlssl serve's echo" 0 sh -c "(echo from-gnutls; sleep 2) |
    gnutls-cli --x509cafile=\"\$0\" -p $port localhost" "$PKI/root-ca.crt"
contains "dlssl serve echoed to gnutls-cli" "$work/out" '^from-gnutls'
stop_bg "$bg_pid"
finish
