#!/bin/sh
# tests/matrix.sh: the whole suite once against the system library and once
# against each real library build (make check-matrix; tests/matrix.mk).
#
#   matrix.sh           run from the top of the build directory; MAKE names
#                       make (default make); srcdir the top source directory
#
# Libraries: the system's (no DLSSL_ variable set), then each folder under
# DLSSL_MATRIX_DIR (default $srcdir/../shared/ossl) and under the folders in
# DLSSL_MATRIX_EXTRA (colon-separated; a folder may be a library itself or
# hold library folders).  A library folder has lib/libssl.so.* and
# lib/libcrypto.so.*; each row runs `make check` with DLSSL_LIBSSL and
# DLSSL_LIBCRYPTO naming that pair, so a library dlssl cannot load fails
# every program (tests/named_library.h) instead of skipping.
#
# A folder named boringssl* holds a fork dlssl must refuse: its row checks
# that `dlssl info --json` exits 2 with a reason naming BoringSSL, and runs
# no suite.  Folders without Linux shared libraries (the Windows DLLs, which
# make check-win32 tests) are listed as not applicable.
#
# DLSSL_MATRIX_ONLY: run only the rows whose label is in this space-separated
#                    list ("system" for the system's library).
# DLSSL_MATRIX_SLOW: programs run only on the rows in DLSSL_MATRIX_SLOW_ON
#                    (default: all rows), to keep CI short; the table says
#                    where they were left out.
# DLSSL_MATRIX_OUT:  where each row's logs go (default ./matrix).
# DLSSL_MATRIX_KNOWN: space-separated LABEL:PROGRAM pairs (for example
#                    "1.0.2u:check_faults") whose failure is already known
#                    and tracked in an open issue: the table still counts and
#                    names them ("known: ..."), but they alone do not fail the
#                    run; every other failure does.  A listed pair that passes
#                    is named too, so the list only shrinks.
#
# Prints one table row per library: label, version (from dlssl info --json),
# programs passed/failed/skipped, and a verdict; the table is also written
# to $DLSSL_MATRIX_OUT/table.md.  Exits 1 if any row failed, or if the
# library folder is absent when DLSSL_MATRIX_REQUIRE=1 (CI sets it).
set -u

srcdir=${srcdir:-$(dirname "$0")/..}
MAKE=${MAKE:-make}
out=${DLSSL_MATRIX_OUT:-matrix}
dir=${DLSSL_MATRIX_DIR:-$srcdir/../shared/ossl}
extra=${DLSSL_MATRIX_EXTRA:-}
only=${DLSSL_MATRIX_ONLY:-}
slow=${DLSSL_MATRIX_SLOW:-}
slow_on=${DLSSL_MATRIX_SLOW_ON:-}
known=${DLSSL_MATRIX_KNOWN:-}
DLSSL=./tools/dlssl

if [ ! -x "$DLSSL" ]; then
	echo "matrix: $DLSSL is not built (run make first)" >&2
	exit 1
fi
tests=$($MAKE -s matrix-list-tests 2>/dev/null) || {
	echo "matrix: cannot list the tests (make matrix-list-tests)" >&2
	exit 1
}
rm -rf "$out"
mkdir -p "$out"
rows=$out/rows
: >"$rows"
notes=$out/notes
: >"$notes"
bad=0

# json KEY: the value of a top-level string/number KEY in stdin's JSON.
json() {
	grep -o "\"$1\":\(\"\([^\"\\]\|\\.\)*\"\|[^,}]*\)" | head -n 1 |
	    sed -e "s/^\"$1\"://" -e 's/^"\(.*\)"$/\1/'
}

# first FILE...: the first that exists (a glob that matched nothing does not).
first() {
	for f in "$@"; do
		if [ -e "$f" ]; then
			echo "$f"
			return
		fi
	done
}

count() {
	echo $#
}

wanted() {
	[ -z "$only" ] && return 0
	case " $only " in *" $1 "*) return 0 ;; esac
	return 1
}

# is_known LABEL PROGRAM: the pair is in DLSSL_MATRIX_KNOWN.
is_known() {
	case " $known " in
	*" $1:$2 "*) return 0 ;;
	esac
	return 1
}

row() {
	printf '| %s | %s | %s | %s | %s | %s |\n' "$@" >>"$rows"
}

# The tests to run for LABEL (the slow ones left out unless LABEL is in slow_on).
tests_for() {
	if [ -z "$slow" ] || [ -z "$slow_on" ]; then
		echo "$tests"
		return
	fi
	case " $slow_on " in *" $1 "*) echo "$tests"; return ;; esac
	for t in $tests; do
		case " $slow " in *" $t "*) ;; *) printf '%s ' "$t" ;; esac
	done
}

# run_suite LABEL [VAR=VALUE...]: make check with that environment.
run_suite() {
	label=$1
	shift
	logdir=$out/$label
	mkdir -p "$logdir"
	info=$(env "$@" "$DLSSL" info --json 2>/dev/null)
	version=$(printf '%s\n' "$info" | json version_text)
	[ -n "$version" ] || version="(not loaded: $(printf '%s\n' "$info" | json error))"
	run=$(tests_for "$label")
	echo "==== matrix: $label: $version"
	for t in $tests; do
		rm -f "${t%.sh}.log" "${t%.sh}.trs"
	done
	start=$(date +%s)
	# shellcheck disable=SC2086 # one word per test
	env "$@" $MAKE -k check TESTS="$(printf '%s ' $run)" >"$logdir/make.log" 2>&1
	secs=$(($(date +%s) - start))
	pass=0 fail=0 skip=0 failed="" kfailed=""
	for t in $run; do
		# The harness names a .sh test's log without the extension.
		log=${t%.sh}.log
		res=$(sed -n 's/^:global-test-result: //p' "${t%.sh}.trs" 2>/dev/null)
		case $res in
		PASS | XFAIL) pass=$((pass + 1)) ;;
		SKIP)
			skip=$((skip + 1))
			echo "$label: $t skipped: $(grep -m 1 'SKIP' "$log" 2>/dev/null)" >>"$notes"
			;;
		*)
			fail=$((fail + 1))
			if is_known "$label" "${t#tests/}"; then
				kfailed="$kfailed ${t#tests/}"
			else
				failed="$failed ${t#tests/}"
			fi
			[ -f "$log" ] && cp "$log" "$logdir/$(basename "$log")"
			;;
		esac
	done
	[ -f test-suite.log ] && cp test-suite.log "$logdir/test-suite.log"
	if [ -z "$failed" ] && [ "$pass" -gt 0 ]; then
		verdict="ok (${secs}s)"
	else
		verdict="FAIL (${secs}s):$failed"
		bad=1
	fi
	[ -z "$kfailed" ] || verdict="$verdict; known:$kfailed"
	for k in $known; do
		case $k in
		"$label":*)
			case " $kfailed " in
			*" ${k#*:} "*) ;;
			*) verdict="$verdict; now passes: ${k#*:}" ;;
			esac
			;;
		esac
	done
	# shellcheck disable=SC2086 # one word per test
	left=$(($(count $tests) - $(count $run)))
	[ "$left" = 0 ] || verdict="$verdict; $left slow programs not run here"
	row "$label" "$version" "$pass" "$fail" "$skip" "$verdict"
	echo "matrix: $label: $pass passed, $fail failed, $skip skipped ($verdict)"
}

# refused LABEL LIBDIR NAME: dlssl must refuse the library, naming NAME.
refused() {
	label=$1 libdir=$2 name=$3
	ssl=$(first "$libdir"/libssl.so.*)
	info=$(env -u DLSSL_LIBDIR -u DLSSL_LIBCRYPTO DLSSL_LIBSSL="$ssl" "$DLSSL" info --json 2>/dev/null)
	rc=$?
	reason=$(printf '%s\n' "$info" | json error)
	echo "==== matrix: $label: must be refused"
	if [ "$rc" = 2 ] && printf '%s\n' "$info" | grep -q '"loaded":false' &&
	    printf '%s\n' "$reason" | grep -q "$name"; then
		row "$label" "$name (refused)" - - - "ok: refused: $reason"
	else
		row "$label" "$name" - - - "FAIL: not refused naming $name (exit $rc): $reason"
		bad=1
	fi
}

# library LABEL FOLDER: one row for a library folder.
library() {
	label=$1 folder=$2
	wanted "$label" || return 0
	case $label in
	boringssl*)
		refused "$label" "$folder/lib" BoringSSL
		return
		;;
	esac
	ssl=$(first "$folder"/lib/libssl.so.*)
	crypto=$(first "$folder"/lib/libcrypto.so.*)
	if [ -z "$ssl" ] || [ -z "$crypto" ]; then
		row "$label" - - - - "n/a: no lib/libssl.so.* and lib/libcrypto.so.* here (not a Linux build)"
		return
	fi
	run_suite "$label" -u DLSSL_LIBDIR DLSSL_LIBSSL="$ssl" DLSSL_LIBCRYPTO="$crypto"
}

# folder PATH: a library folder, or a folder of library folders.
folder() {
	if [ -d "$1/lib" ] || [ -d "$1/bin" ]; then
		library "$(basename "$1")" "$1"
		return
	fi
	for f in "$1"/*/; do
		[ -d "$f" ] && library "$(basename "$f")" "${f%/}"
	done
}

if wanted system; then
	run_suite system -u DLSSL_LIBSSL -u DLSSL_LIBCRYPTO -u DLSSL_LIBDIR
fi
if [ -d "$dir" ]; then
	folder "$(cd "$dir" && pwd)"
else
	echo "matrix: no library folder $dir: only the system library is tested" |
	    tee -a "$notes"
	if [ "${DLSSL_MATRIX_REQUIRE:-0}" = 1 ]; then
		echo "matrix: DLSSL_MATRIX_REQUIRE=1: the library folder must exist" >&2
		bad=1
	fi
fi
oldifs=$IFS
IFS=:
for e in $extra; do
	IFS=$oldifs
	if [ -d "$e" ]; then
		folder "$(cd "$e" && pwd)"
	else
		echo "matrix: DLSSL_MATRIX_EXTRA names $e, which is not a folder" | tee -a "$notes"
		bad=1
	fi
done
IFS=$oldifs

{
	echo "| library | version | passed | failed | skipped | result |"
	echo "|---|---|---|---|---|---|"
	cat "$rows"
} >"$out/table.md"
echo
# shellcheck disable=SC2086 # one word per test
echo "==== make check-matrix ($(count $tests) programs; logs in $out/)"
cat "$out/table.md"
if [ -s "$notes" ]; then
	echo
	cat "$notes"
fi
exit "$bad"
