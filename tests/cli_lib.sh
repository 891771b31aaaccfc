# Sourced by tests/check_cli_*.sh and tests/check_examples.sh: the dlssl
# program, the test PKI, a scratch directory, servers bounded in time and
# killed on exit, and pass/fail counting.  Run from the build directory
# (the test harness does); $srcdir is the top source directory.

srcdir=${srcdir:-$(dirname "$0")/..}
PKI=$(cd "$srcdir/tests/pki" 2>/dev/null && pwd) || PKI=$srcdir/tests/pki
DLSSL=${DLSSL:-./tools/dlssl}
# Every server and client a test starts is killed after this many seconds.
LIMIT=${CLI_TEST_LIMIT:-60}

work=$(mktemp -d "${TMPDIR:-/tmp}/dlssl-cli.XXXXXX") || exit 99
pids=""
passed=0
failed=0

cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	for p in $pids; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 99' INT TERM

ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
skip() { echo "SKIP: $*"; exit 77; }
need() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
	done
}
# The plain closing line, and the exit status of the test.
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ] && exit 0
	exit 1
}

# check WHAT WANT_RC CMD...: run CMD (output in $work/out, $work/err), compare
# its exit status; on failure show what it printed.
check() {
	what=$1 want=$2
	shift 2
	timeout "$LIMIT" "$@" >"$work/out" 2>"$work/err"
	rc=$?
	if [ "$rc" = "$want" ]; then
		ok "$what (exit $rc)"
		return 0
	fi
	fail "$what: exit $rc, wanted $want"
	sed 's/^/    stderr: /' "$work/err" | head -n 5
	return 1
}
# contains WHAT FILE PATTERN: FILE has a line matching PATTERN (grep -E).
contains() {
	if grep -Eq -- "$3" "$2"; then
		ok "$1"
	else
		fail "$1: no /$3/ in $2:"
		sed 's/^/    /' "$2" | head -n 10
	fi
}

# A library named in the environment is the one under test: if dlssl cannot
# load it, the test fails rather than skips.
require_libssl() {
	"$DLSSL" info >/dev/null 2>&1 && return 0
	for v in DLSSL_LIBSSL DLSSL_LIBCRYPTO DLSSL_LIBDIR; do
		eval "val=\${$v:-}"
		if [ -n "$val" ]; then
			echo "FAIL: $v=$val names a library dlssl cannot load:"
			"$DLSSL" info 2>&1 | sed 's/^/    /' | head -n 5
			exit 1
		fi
	done
	skip "no libssl can be loaded (dlssl info fails)"
}

# wait_for FILE PATTERN PID: until FILE has PATTERN (10 s at most), or PID died.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

random_port() {
	echo $(( $(od -An -N2 -tu2 /dev/urandom) % 30000 + 20000 ))
}

# start_bg NAME PATTERN CMD...: run CMD in the background (log in
# $work/NAME.log) until its log shows PATTERN; sets $bg_pid.  Returns 1 when
# it died first (a busy port, say).
start_bg() {
	name=$1 pattern=$2
	shift 2
	timeout "$LIMIT" "$@" >"$work/$name.log" 2>&1 &
	bg_pid=$!
	pids="$pids $bg_pid"
	if wait_for "$work/$name.log" "$pattern" "$bg_pid"; then
		return 0
	fi
	kill "$bg_pid" 2>/dev/null
	wait "$bg_pid" 2>/dev/null
	return 1
}

stop_bg() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# start_serve NAME ARGS...: dlssl serve on 127.0.0.1, a free port; sets
# $port and $bg_pid.
start_serve() {
	name=$1
	shift
	start_bg "$name" '^listening on ' "$DLSSL" serve --port 0 "$@" || {
		echo "could not start dlssl serve $*:"
		cat "$work/$name.log"
		return 1
	}
	port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$work/$name.log")
}

# start_s_server NAME ARGS...: openssl s_server on 127.0.0.1 and a free port
# (tried until one binds), with the good localhost certificate, in the
# directory $S_SERVER_DIR (default: here); sets $port.
start_s_server() {
	name=$1
	shift
	for try in 1 2 3 4 5 6 7 8 9 10; do
		port=$(random_port)
		start_bg "$name" '^ACCEPT' sh -c 'cd "$0" && exec "$@"' "${S_SERVER_DIR:-.}" \
		    openssl s_server -accept "127.0.0.1:$port" \
		    -cert "$PKI/localhost.crt" -cert_chain "$PKI/intermediate-ca.crt" \
		    -key "$PKI/localhost.key" "$@" && return 0
	done
	echo "could not start openssl s_server:"
	cat "$work/$name.log"
	return 1
}
