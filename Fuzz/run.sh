#!/usr/bin/env bash
# Runs one fuzz target for a bounded time and prints one summary line (executions, speed,
# coverage, result); its corpus grows in Fuzz/.build/corpus/TARGET across runs, its log is
# Fuzz/.build/logs/TARGET.log and any crashing input lands in Fuzz/crashes/TARGET-*.
# Usage: Fuzz/run.sh SECONDS TARGET   (after `make fuzz-build`)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=$1 target=$2
build=$here/.build
mkdir -p "$build/corpus/$target" "$build/logs" "$build/results" "$here/crashes"
log=$build/logs/$target.log
# detect_leaks: a leak is a bug too. symbolize=0: reports stay readable without llvm-symbolizer
# on PATH; the stack still names the Swift functions through the binary's symbols.
NETSCOPE_FUZZ_TARGET=$target ASAN_OPTIONS=symbolize=0:detect_leaks=1 \
    timeout $((seconds + 120)) "$build/debug/fuzz-netscope" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$here/crashes/$target-" "$build/corpus/$target" "$build/seeds/$target" >"$log" 2>&1
status=$?
final_stat() { grep -o "$1: *[0-9]*" "$log" | tail -1 | grep -o '[0-9]*$' || echo '?'; }
coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo '?')
corpus=$(find "$build/corpus/$target" -type f | wc -l)
if [ "$status" -ne 0 ]; then
    result="FAILED (exit $status, see $log)"
elif [ "$coverage" = "?" ]; then
    # libFuzzer saw no coverage counters move: the code under test is not instrumented.
    result="FAILED (no coverage feedback, see $log)"; status=1
else
    result=clean
fi
line=$(printf '%-12s %5ss %12s execs %7s/s  cov %5s  corpus %5s  peak %5s MB  %s' "$target" "$seconds" \
    "$(final_stat number_of_executed_units)" "$(final_stat average_exec_per_sec)" "$coverage" "$corpus" "$(final_stat peak_rss_mb)" "$result")
echo "$line" | tee "$build/results/$target"
exit "$status"
