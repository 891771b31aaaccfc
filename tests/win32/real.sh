#!/bin/sh
# The dlssl program (dlssl.exe) with the real OpenSSL DLLs for Windows,
# under wine, found the way a Windows user has them: next to dlssl.exe, on
# PATH, named by DLSSL_LIBSSL or --libssl with a Windows path (also with
# non-ASCII characters).  Run by tests/win32/run.sh (make check-win32).
#
#   real.sh T WINE
#
# T     the test tree of run.sh: T/bin (dlssl.exe, libdlssl-0.dll,
#       hostload.exe), T/pki (tests/pki), T/real/a (the DLLs); made here:
#       T/real/app, T/real/bare, T/real/<non-ASCII name>, T/real/logs
# WINE  the wine64 to run; WINEPREFIX etc. come from the caller
#
# What is checked: `dlssl.exe info` reports the DLLs from each place, and the
# search order (application directory before PATH, never the current
# directory, not even through a relative PATH entry); `demo` completes its
# verified handshake and echo; `serve` and `connect` talk to each other and
# to the Linux `openssl s_server` and `s_client` on 127.0.0.1; a server
# certificate from an untrusted root makes connect exit 3; a client
# certificate required by serve; host mode (hostload.exe) keeps the DLL a
# host frees; private mode uses its own copy of the same DLL names beside
# the host's.  Every wine run is bounded by timeout(1).  Exit 0, or 1 with
# each failure named on stderr; 77 without the DLLs or openssl(1).
set -u

t=$1
wine=$2
real=$t/real
logs=$real/logs
fails=0
n=0

say() { printf 'real.sh: %s\n' "$*"; }
ok() { n=$((n + 1)); printf 'ok %d - %s\n' "$n" "$1"; }
not_ok() {
	n=$((n + 1))
	fails=$((fails + 1))
	printf 'not ok %d - %s\n' "$n" "$1"
	shift
	for f in "$@"; do
		[ -f "$f" ] && sed 's/^/#   /' "$f" | head -40
	done
}
# The Windows form of an absolute Unix path (wine's Z: drive).
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
# A bounded wine run: wine ARGS... (stdin as given).
w() { timeout -k 5 90 "$wine" "$@"; }

if [ ! -f "$real/a/libssl-3-x64.dll" ] || [ ! -f "$real/a/libcrypto-3-x64.dll" ]; then
	say "SKIP: no real OpenSSL DLLs in $real/a"
	exit 77
fi
rm -rf "$real/app" "$real/bare" "$logs" "$real"/dir-*
mkdir -p "$real/app" "$real/bare" "$logs"
for d in app bare; do
	cp "$t/bin/dlssl.exe" "$t/bin/libdlssl-0.dll" "$real/$d/"
done
cp "$real/a/libssl-3-x64.dll" "$real/a/libcrypto-3-x64.dll" "$real/app/"
# Non-ASCII: Latin (in the ANSI code page), Greek and Japanese (not).
uni="$real/dir-ü-λ-日本"
mkdir -p "$uni"
cp "$real/a/libssl-3-x64.dll" "$real/a/libcrypto-3-x64.dll" "$uni/"
cp "$t/pki/localhost-chain.pem" "$t/pki/localhost.key" "$t/pki/root-ca.crt" \
    "$t/pki/localhost.crt" "$uni/"
# Wine reads the Unix command line and environment in the locale's charset.
LC_ALL=C.UTF-8
export LC_ALL

pki=$(winpath "$t/pki")
ca="$pki\\root-ca.crt"
app_exe=$real/app/dlssl.exe
bare_exe=$real/bare/dlssl.exe

# info --json from EXE (with env ENV... before it): the libssl it reports.
info_libssl() {
	out=$logs/info.out
	env "$@" timeout -k 5 90 "$wine" "$exe" info --json >"$out" 2>"$logs/info.err"
	rc=$?
	sed -n 's/^{"loaded":[a-z]*,"libssl":"\([^"]*\)".*/\1/p' "$out" | sed 's/\\\\/\\/g'
	return $rc
}

# ---- where the DLLs are found ----
check_info() { # NAME EXPECTED-LIBSSL-DIR EXE ENV...
	name=$1 want=$2 exe=$3
	shift 3
	got=$(info_libssl "$@")
	rc=$?
	if [ "$rc" = 0 ] && [ "$got" = "$want\\libssl-3-x64.dll" ] &&
	    grep -q '"version_text": *"OpenSSL 3\.' "$logs/info.out"; then
		ok "$name"
	else
		printf "exit %s, libssl '%s', expected '%s'\n" "$rc" "$got" "$want\\libssl-3-x64.dll" \
		    >"$logs/why"
		not_ok "$name" "$logs/why" "$logs/info.out" "$logs/info.err"
	fi
}

check_info "info: the DLLs next to dlssl.exe" "$(winpath "$real/app")" "$app_exe"
check_info "info: the DLLs on PATH" "$(winpath "$real/a")" "$bare_exe" \
    WINEPATH="$(winpath "$real/a")"
check_info "info: the application directory before PATH" "$(winpath "$real/app")" "$app_exe" \
    WINEPATH="$(winpath "$real/a")"
check_info "info: DLSSL_LIBSSL with a Windows path" "$(winpath "$real/a")" "$bare_exe" \
    DLSSL_LIBSSL="$(winpath "$real/a")\\libssl-3-x64.dll"
check_info "info: DLSSL_LIBSSL with a non-ASCII path" "$(winpath "$uni")" "$bare_exe" \
    DLSSL_LIBSSL="$(winpath "$uni")\\libssl-3-x64.dll"
check_info "info: DLSSL_LIBDIR with a non-ASCII path" "$(winpath "$uni")" "$bare_exe" \
    DLSSL_LIBDIR="$(winpath "$uni")"

# --libssl with a non-ASCII path: the argument arrives whole (wide command line).
exe=$bare_exe
w "$exe" info --json --libssl "$(winpath "$uni")\\libssl-3-x64.dll" >"$logs/info.out" \
    2>"$logs/info.err"
rc=$?
if [ "$rc" = 0 ] && grep -q 'dir-ü-λ-日本' "$logs/info.out"; then
	ok "info --libssl with a non-ASCII path"
else
	echo "exit $rc" >"$logs/why"
	not_ok "info --libssl with a non-ASCII path" "$logs/why" "$logs/info.out" "$logs/info.err"
fi

# Never the current directory: the DLLs there, none beside dlssl.exe, PATH "." only.
(cd "$real/a" && WINEPATH='.' timeout -k 5 90 "$wine" "$bare_exe" info --json \
    >"$logs/info.out" 2>"$logs/info.err")
rc=$?
if [ "$rc" = 2 ] && ! grep -q '"loaded": *true' "$logs/info.out"; then
	ok "info: DLLs in the current directory are not loaded (exit 2)"
else
	echo "exit $rc" >"$logs/why"
	not_ok "info: DLLs in the current directory are not loaded (exit 2)" "$logs/why" \
	    "$logs/info.out" "$logs/info.err"
fi

# ---- demo ----
w "$app_exe" demo --mib 1 >"$logs/demo.out" 2>"$logs/demo.err"
rc=$?
if [ "$rc" = 0 ] && grep -qi 'verif' "$logs/demo.out" && grep -qi 'echo' "$logs/demo.out"; then
	ok "demo: verified handshake and echo"
else
	echo "exit $rc" >"$logs/why"
	not_ok "demo: verified handshake and echo" "$logs/why" "$logs/demo.out" "$logs/demo.err"
fi

# ---- serve and connect ----
# Start a server in the background (its stderr in FILE); sets port and pid.
start_server() { # FILE COMMAND...
	f=$1
	shift
	"$@" >"$f.out" 2>"$f" &
	pid=$!
	port=
	i=0
	while [ $i -lt 300 ] && [ -z "$port" ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		port=$(sed -n 's/.*\(listening on\|ACCEPT\) 127\.0\.0\.1:\([0-9][0-9]*\).*/\2/p' \
		    "$f" "$f.out" 2>/dev/null | head -1)
		i=$((i + 1))
	done
	[ -n "$port" ]
}
stop_server() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# connect: dlssl.exe to dlssl.exe
if start_server "$logs/serve1" timeout -k 5 90 "$wine" "$app_exe" serve --port 0 --once \
    --cert "$pki\\localhost-chain.pem" --key "$pki\\localhost.key"; then
	(printf 'ping-windows\n'; sleep 5) | w "$app_exe" connect "127.0.0.1:$port" \
	    --servername localhost --cafile "$ca" --close-on-eof >"$logs/conn1.out" 2>"$logs/conn1.err"
	rc=$?
	stop_server
	if [ "$rc" = 0 ] && grep -q 'ping-windows' "$logs/conn1.out"; then
		ok "connect to serve (both dlssl.exe): verified echo"
	else
		echo "exit $rc" >"$logs/why"
		not_ok "connect to serve (both dlssl.exe): verified echo" "$logs/why" \
		    "$logs/conn1.out" "$logs/conn1.err" "$logs/serve1"
	fi
else
	stop_server
	not_ok "serve (dlssl.exe) did not start" "$logs/serve1" "$logs/serve1.out"
fi

# A client certificate that serve requires: with it, and without it.
if start_server "$logs/serve2" timeout -k 5 90 "$wine" "$app_exe" serve --port 0 \
    --cert "$pki\\localhost-chain.pem" --key "$pki\\localhost.key" --verify required \
    --cafile "$ca"; then
	(printf 'with-cert\n'; sleep 5) | w "$app_exe" connect "127.0.0.1:$port" \
	    --servername localhost --cafile "$ca" --cert "$pki\\client-chain.pem" \
	    --key "$pki\\client.key" --close-on-eof >"$logs/conn2.out" 2>"$logs/conn2.err"
	rc=$?
	(printf 'without-cert\n'; sleep 5) | w "$app_exe" connect "127.0.0.1:$port" \
	    --servername localhost --cafile "$ca" --close-on-eof >"$logs/conn3.out" \
	    2>"$logs/conn3.err"
	rc3=$?
	stop_server
	if [ "$rc" = 0 ] && grep -q 'with-cert' "$logs/conn2.out"; then
		ok "connect with a client certificate serve requires"
	else
		echo "exit $rc" >"$logs/why"
		not_ok "connect with a client certificate serve requires" "$logs/why" \
		    "$logs/conn2.out" "$logs/conn2.err" "$logs/serve2"
	fi
	if [ "$rc3" != 0 ] && ! grep -q 'without-cert' "$logs/conn3.out"; then
		ok "connect without the client certificate is refused (exit $rc3)"
	else
		echo "exit $rc3" >"$logs/why"
		not_ok "connect without the client certificate is refused" "$logs/why" \
		    "$logs/conn3.out" "$logs/conn3.err"
	fi
else
	stop_server
	not_ok "serve --verify required did not start" "$logs/serve2" "$logs/serve2.out"
fi

# Certificate, key and CA files under a non-ASCII path (x509, serve, connect).
upki=$(winpath "$uni")
w "$bare_exe" x509 --libssl "$upki\\libssl-3-x64.dll" "$upki\\localhost.crt" \
    >"$logs/x509.out" 2>"$logs/x509.err"
rc=$?
if [ "$rc" = 0 ] && grep -q 'CN=localhost' "$logs/x509.out"; then
	ok "x509 of a certificate under a non-ASCII path"
else
	echo "exit $rc" >"$logs/why"
	not_ok "x509 of a certificate under a non-ASCII path" "$logs/why" "$logs/x509.out" \
	    "$logs/x509.err"
fi
if start_server "$logs/serve4" timeout -k 5 90 "$wine" "$app_exe" serve --port 0 --once \
    --cert "$upki\\localhost-chain.pem" --key "$upki\\localhost.key"; then
	(printf 'unicode-paths\n'; sleep 5) | w "$app_exe" connect "127.0.0.1:$port" \
	    --servername localhost --cafile "$upki\\root-ca.crt" --close-on-eof \
	    >"$logs/conn6.out" 2>"$logs/conn6.err"
	rc=$?
	stop_server
	if [ "$rc" = 0 ] && grep -q 'unicode-paths' "$logs/conn6.out"; then
		ok "serve and connect with certificate, key and CA under a non-ASCII path"
	else
		echo "exit $rc" >"$logs/why"
		not_ok "serve and connect with files under a non-ASCII path" "$logs/why" \
		    "$logs/conn6.out" "$logs/conn6.err" "$logs/serve4"
	fi
else
	stop_server
	not_ok "serve with files under a non-ASCII path did not start" "$logs/serve4" \
	    "$logs/serve4.out"
fi

# ---- the Linux openssl(1) ----
if ! command -v openssl >/dev/null 2>&1; then
	say "SKIP: no openssl(1) for the interoperability cases"
else
	lpki=$t/pki
	# connect (dlssl.exe) to s_server, which answers each line reversed.
	# (The other connects hold stdin open 5 s for the echo: wine is slow.)
	if start_server "$logs/sserver" timeout 90 openssl s_server -accept 127.0.0.1:0 \
	    -cert "$lpki/localhost.crt" -key "$lpki/localhost.key" \
	    -cert_chain "$lpki/intermediate-ca.crt" -rev -naccept 1; then
		# "CLOSE": s_server -rev ends the connection cleanly (connect exits 0).
		printf 'hello-linux\nCLOSE\n' | w "$app_exe" connect "127.0.0.1:$port" \
		    --servername localhost --cafile "$ca" >"$logs/conn4.out" 2>"$logs/conn4.err"
		rc=$?
		stop_server
		if [ "$rc" = 0 ] && grep -q 'xunil-olleh' "$logs/conn4.out"; then
			ok "connect (dlssl.exe) to openssl s_server: verified"
		else
			echo "exit $rc" >"$logs/why"
			not_ok "connect (dlssl.exe) to openssl s_server" "$logs/why" \
			    "$logs/conn4.out" "$logs/conn4.err" "$logs/sserver"
		fi
	else
		stop_server
		not_ok "openssl s_server did not start" "$logs/sserver" "$logs/sserver.out"
	fi
	# An untrusted server certificate: exit 3.  (-rev: s_server ignores its
	# stdin, /dev/null here, whose end would make it close at once.)
	if start_server "$logs/sserver2" timeout 90 openssl s_server -accept 127.0.0.1:0 \
	    -cert "$lpki/untrusted.crt" -key "$lpki/untrusted.key" -rev -naccept 1; then
		printf 'x\n' | w "$app_exe" connect "127.0.0.1:$port" --servername localhost \
		    --cafile "$ca" --close-on-eof >"$logs/conn5.out" 2>"$logs/conn5.err"
		rc=$?
		stop_server
		if [ "$rc" = 3 ] && grep -qi 'verif' "$logs/conn5.err"; then
			ok "connect to an untrusted server: exit 3"
		else
			echo "exit $rc" >"$logs/why"
			not_ok "connect to an untrusted server: exit 3" "$logs/why" \
			    "$logs/conn5.out" "$logs/conn5.err"
		fi
	else
		stop_server
		not_ok "openssl s_server (untrusted) did not start" "$logs/sserver2"
	fi
	# s_client to serve (dlssl.exe, echo).
	if start_server "$logs/serve3" timeout -k 5 90 "$wine" "$app_exe" serve --port 0 --once \
	    --cert "$pki\\localhost-chain.pem" --key "$pki\\localhost.key"; then
		(printf 'from-s_client\n'; sleep 5) | timeout 60 openssl s_client \
		    -connect "127.0.0.1:$port" -CAfile "$lpki/root-ca.crt" -verify_return_error \
		    -verify_hostname localhost -quiet >"$logs/sclient.out" 2>"$logs/sclient.err"
		stop_server
		if grep -q 'from-s_client' "$logs/sclient.out" &&
		    grep -q 'verify return:1' "$logs/sclient.err" &&
		    ! grep -q 'verify error' "$logs/sclient.err"; then
			ok "openssl s_client to serve (dlssl.exe): verified echo"
		else
			not_ok "openssl s_client to serve (dlssl.exe)" "$logs/sclient.out" \
			    "$logs/sclient.err" "$logs/serve3"
		fi
	else
		stop_server
		not_ok "serve (dlssl.exe) for s_client did not start" "$logs/serve3"
	fi
fi

# ---- host mode: the host frees the DLL, dlssl's reference keeps it ----
DLSSL_MODE=host w "$t/bin/hostload.exe" --preload "$(winpath "$real/a")\\libssl-3-x64.dll" \
    --free-after >"$logs/host.out" 2>"$logs/host.err"
rc=$?
if [ "$rc" = 0 ] && grep -q '"host_owned": *true' "$logs/host.out" &&
    grep -q '"unloaded": *false' "$logs/host.out" &&
    grep -q '"random_after_free": *"[0-9a-f]\{8\}"' "$logs/host.out"; then
	ok "host mode: the host frees its DLL, dlssl still uses it"
else
	echo "exit $rc" >"$logs/why"
	not_ok "host mode: the host frees its DLL, dlssl still uses it" "$logs/why" \
	    "$logs/host.out" "$logs/host.err"
fi

# ---- private mode beside the host's OpenSSL of the same names ----
# The host loaded copy a; dlssl uses the copy under the non-ASCII directory
# (same DLL names): Windows alone would bind that libssl's import of
# libcrypto-3-x64.dll to the host's, dlssl redirects it (an activation
# context whose manifest names the file beside it, in UTF-8).
json_path() { winpath "$1" | sed 's/\\/\\\\/g'; }
DLSSL_MODE=private DLSSL_LIBSSL="$(winpath "$uni")\\libssl-3-x64.dll" \
    w "$t/bin/hostload.exe" --preload "$(winpath "$real/a")\\libssl-3-x64.dll" \
    >"$logs/beside.out" 2>"$logs/beside.err"
rc=$?
if [ "$rc" = 0 ] &&
    grep -qF "\"libssl\":\"$(json_path "$uni")\\\\libssl-3-x64.dll\"" "$logs/beside.out" &&
    grep -qF "\"libcrypto\":\"$(json_path "$uni")\\\\libcrypto-3-x64.dll\"" "$logs/beside.out" &&
    grep -q '"random": *"[0-9a-f]\{8\}"' "$logs/beside.out"; then
	ok "private mode: its own copy of the same DLL names beside the host's"
else
	echo "exit $rc" >"$logs/why"
	not_ok "private mode: its own copy of the same DLL names beside the host's" "$logs/why" \
	    "$logs/beside.out" "$logs/beside.err"
fi

printf '# %d tests, %d failed, 0 skipped\n' "$n" "$fails"
[ "$fails" = 0 ]
