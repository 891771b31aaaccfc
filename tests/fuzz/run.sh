#!/bin/sh
# Run libFuzzer targets for a bounded time each and fail on any finding.
#
#   tests/fuzz/run.sh SECONDS SRCDIR TARGET...
#
# Each TARGET (a path to a built fuzz_<unit> program) runs for SECONDS on a
# scratch copy of SRCDIR/tests/fuzz/corpus/<unit>/ (the committed seeds
# are never modified), with a 10 s timeout per input and a 2 GiB memory
# limit.  A target fails on a crash, a leak, a timeout, an out-of-memory,
# or any sanitizer report in its output; the offending input is kept
# under FUZZ_OUT (default: fuzz-out/) and its log is printed.
#
# Prints one line per target: runs, executions per second, coverage,
# corpus size, and a summary; FUZZ_STATS names a file to append the lines
# to (README figures).  Exit status 1 if any target failed.
set -u

if [ $# -lt 3 ]; then
	echo "usage: $0 SECONDS SRCDIR TARGET..." >&2
	exit 2
fi
secs=$1
srcdir=$2
shift 2
out=${FUZZ_OUT:-fuzz-out}
mkdir -p "$out"
failed=0

for t in "$@"; do
	unit=$(basename "$t")
	unit=${unit#fuzz_}
	seeds=$srcdir/tests/fuzz/corpus/$unit
	work=$out/$unit
	log=$out/$unit.log
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/artifacts"
	if [ -d "$seeds" ]; then
		cp "$seeds"/* "$work/corpus/" 2>/dev/null || true
	fi
	# detect_leaks: LeakSanitizer after each run; the library keeps libssl
	# and its tables for the life of the process (reachable, not leaks).
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	    "$work/corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*ft: \([0-9]*\).*corp: \([0-9]*\).*/\1 edges, \2 features, \3 inputs/p')
	status=ok
	if [ "$rc" != 0 ]; then
		status="FAIL (exit $rc)"
	elif grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$log"; then
		status="FAIL (sanitizer report)"
	fi
	line="fuzz_$unit: ${runs:-?} runs in ${secs} s, ${eps:-?} exec/s, ${cov:-? coverage}: $status"
	echo "$line"
	if [ -n "${FUZZ_STATS:-}" ]; then
		echo "$line" >>"$FUZZ_STATS"
	fi
	if [ "$status" != ok ]; then
		failed=1
		echo "---- $log (last 60 lines)"
		tail -n 60 "$log"
		ls -l "$work/artifacts" 2>/dev/null
	fi
done
exit $failed
