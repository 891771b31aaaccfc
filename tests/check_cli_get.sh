#!/bin/sh
# dlssl get: close-delimited bodies from openssl s_server -WWW, Content-Length
# from dlssl serve --http, chunked and redirects from dlssl serve --exec,
# statuses outside 2xx, verification failures.
. "${srcdir:-$(dirname "$0")/..}/tests/cli_lib.sh"
require_libssl
need openssl timeout od cmp

cert="--cert $PKI/localhost-chain.pem --key $PKI/localhost.key"
ca="--cafile $PKI/root-ca.crt"

# A file served by s_server -WWW (HTTP/1.0, body up to the close).
mkdir "$work/www"
head -c 1048576 /dev/urandom >"$work/www/big.bin"
echo "small page" >"$work/www/small.txt"
S_SERVER_DIR=$work/www start_s_server www -WWW || exit 99
for t in fd io file; do
	# shellcheck disable=SC2086
	check "get a 1 MiB file over --transport $t" 0 \
	    "$DLSSL" get "https://localhost:$port/big.bin" $ca --transport "$t" &&
	    if cmp -s "$work/out" "$work/www/big.bin"; then
		ok "the body is the file, byte for byte ($t)"
	else
		fail "the body differs from the file ($t)"
	fi
done
# shellcheck disable=SC2086
check "get by IP address (no SNI, IP SAN)" 0 "$DLSSL" get "https://127.0.0.1:$port/small.txt" $ca
contains "the small page arrived" "$work/out" '^small page$'
check "get with the rogue CA" 3 "$DLSSL" get "https://localhost:$port/small.txt" \
    --cafile "$PKI/rogue-root-ca.crt"
# shellcheck disable=SC2086
check "get with another --servername" 3 "$DLSSL" get "https://localhost:$port/small.txt" $ca \
    --servername other.example
stop_bg "$bg_pid"

# Content-Length.
# shellcheck disable=SC2086
start_serve http $cert --http || exit 99
# shellcheck disable=SC2086
check "get a Content-Length body" 0 "$DLSSL" get "https://localhost:$port/" $ca
contains "the Content-Length body arrived" "$work/out" '^hello from dlssl serve$'
stop_bg "$bg_pid"

# A small HTTP server for --exec: reads the request, answers by path.
cat >"$work/http.sh" <<'SCRIPT'
#!/bin/sh
read -r method path version
while IFS= read -r line; do
	case "$line" in ""|"$(printf '\r')") break ;; esac
done
case "$path" in
/chunked)
	printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
	printf '6\r\nhello \r\n8;name=value\r\nchunked \r\n5\r\nbody\n\r\n0\r\nX-Trailer: t\r\n\r\n' ;;
/old)
	printf 'HTTP/1.1 301 Moved Permanently\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n' ;;
/relative/a)
	printf 'HTTP/1.1 302 Found\r\nLocation: b\r\nContent-Length: 0\r\n\r\n' ;;
/relative/b)
	printf 'HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nrelative b\n' ;;
/new)
	printf 'HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nredirected\n' ;;
/loop)
	printf 'HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n' ;;
/continue)
	printf 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nfinal\n' ;;
/missing)
	printf 'HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\nnot found\n' ;;
/short)
	printf 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this\n' ;;
*)
	printf 'HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n' ;;
esac
SCRIPT
# shellcheck disable=SC2086
start_serve exec $cert --exec "sh $work/http.sh" || exit 99
# shellcheck disable=SC2086
check "get a chunked body" 0 "$DLSSL" get "https://localhost:$port/chunked" $ca
printf 'hello chunked body\n' >"$work/want"
if cmp -s "$work/out" "$work/want"; then ok "the chunks were joined"; else
	fail "the chunked body came out as: $(od -c "$work/out" | head -n 3)"; fi
# shellcheck disable=SC2086
check "a redirect without --follow" 4 "$DLSSL" get "https://localhost:$port/old" $ca
contains "the 301 and its Location are on stderr" "$work/err" '301 Moved Permanently.*Location: /new'
# shellcheck disable=SC2086
check "a redirect with --follow" 0 "$DLSSL" get "https://localhost:$port/old" $ca --follow
contains "--follow reached the new page" "$work/out" '^redirected$'
contains "the first connection made a new session" "$work/err" 'localhost:[0-9]+ session: new$'
# The redirect's connection to the same server offers that session (dlssl serve
# speaks TLS 1.3 when the library can; without the capability tls1.3-resume,
# as with LibreSSL, TLS 1.3 sessions never resume).
caps=$("$DLSSL" info | sed -n 's/^capabilities: *//p')
if echo " $caps " | grep -q ' tls1\.3 ' && ! echo " $caps " | grep -q ' tls1\.3-resume '; then
	ok "resumption is not expected: the library cannot resume TLS 1.3 sessions"
else
	contains "the redirect's connection resumed it" "$work/err" 'localhost:[0-9]+ session: resumed$'
fi
# shellcheck disable=SC2086
check "a relative redirect with --follow" 0 "$DLSSL" get "https://localhost:$port/relative/a" $ca \
    --follow && contains "the relative Location was resolved" "$work/out" '^relative b$'
# shellcheck disable=SC2086
check "a redirect loop with --follow" 4 "$DLSSL" get "https://localhost:$port/loop" $ca --follow
contains "the loop is cut after 5 redirects" "$work/err" 'more than 5 redirects'
# shellcheck disable=SC2086
check "100 Continue before the answer" 0 "$DLSSL" get "https://localhost:$port/continue" $ca
contains "the final answer's body arrived" "$work/out" '^final$'
# shellcheck disable=SC2086
check "a body shorter than its Content-Length" 4 "$DLSSL" get "https://localhost:$port/short" $ca
# shellcheck disable=SC2086
check "get a missing page" 4 "$DLSSL" get "https://localhost:$port/missing" $ca
contains "the status line is on stderr" "$work/err" 'HTTP/1\.1 404 Not Found'
if [ -s "$work/out" ]; then fail "a 404 body went to stdout"; else ok "no body for a 404"; fi
# shellcheck disable=SC2086
check "a 500" 4 "$DLSSL" get "https://localhost:$port/other" $ca
contains "the 500 status line is on stderr" "$work/err" '500 Internal Server Error'
stop_bg "$bg_pid"

check "get http://" 1 "$DLSSL" get http://localhost/
check "get without a URL" 1 "$DLSSL" get
check "get https:///nohost" 1 "$DLSSL" get https:///nohost
finish
