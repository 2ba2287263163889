#!/usr/bin/env bash
# Throughput of `oomlens analyze` on a large mixed log next to `grep -c 'invoked oom-killer'` on
# the same file, both from the page cache, best of 5 wall-clock runs timed with nanosecond
# `date +%s%N` deltas (the old /usr/bin/time had 10 ms resolution: grep takes ~0.1 s). Also
# times the slow path (OOMLENS_NO_PREFILTER=1) and checks that both give the same output.
# Prints figures; asserts only that equality.
# Usage: analyze_throughput.sh [OOMLENS_BINARY] [SIZE_MB] [LOG]  (LOG: reuse an existing file)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oomlens=${1:-$here/../../build/oomlens}
size=${2:-200}
log=${3:-}
out=$(mktemp /tmp/oomlens-bench-out.XXXXXX)
generated=
trap 'rm -f "$out" $generated' EXIT
if [ -z "$log" ]; then
        log=$(mktemp /tmp/oomlens-bench.XXXXXX.log)
        generated=$log
        "$here/gen_mixed_log.sh" "$size" "$log"
fi
cat "$log" > /dev/null # warm the page cache
bytes=$(stat -c %s "$log")

best() { # best wall time of 5 runs of "$@", in nanoseconds. Output goes to a file: GNU grep
        # stops at the first match when its output is /dev/null.
        local b= t0 t1
        for _ in 1 2 3 4 5; do
                t0=$(date +%s%N)
                "$@" > "$out"
                t1=$(date +%s%N)
                if [ -z "$b" ] || [ $((t1 - t0)) -lt "$b" ]; then b=$((t1 - t0)); fi
        done
        echo "$b"
}
set +e # grep -c exits 1 on no match; oomlens 1 on no report
tg=$(best grep -c 'invoked oom-killer' "$log")
to=$(best "$oomlens" analyze --json "$log")
ts=$(OOMLENS_NO_PREFILTER=1 best "$oomlens" analyze --json "$log")
set -e
fast=$("$oomlens" analyze --json "$log" | md5sum)
slow=$(OOMLENS_NO_PREFILTER=1 "$oomlens" analyze --json "$log" | md5sum)
reports=$("$oomlens" analyze --json "$log" | wc -l)
[ "$fast" = "$slow" ] || { echo "FAIL: output differs with OOMLENS_NO_PREFILTER=1" >&2; exit 1; }
awk -v b="$bytes" -v tg="$tg" -v to="$to" -v ts="$ts" -v r="$reports" 'BEGIN {
  mb = b / 1048576
  printf "input: %.1f MB, %d reports analysed (same output with and without the fast path)\n", mb, r
  printf "grep -c \"invoked oom-killer\":      %8.3f s  %8.1f MB/s\n", tg / 1e9, mb / (tg / 1e9)
  printf "oomlens analyze --json:             %8.3f s  %8.1f MB/s  ratio to grep %.2f\n", to / 1e9, mb / (to / 1e9), to / tg
  printf "  OOMLENS_NO_PREFILTER=1 (slow path): %6.3f s  %8.1f MB/s  ratio to grep %.2f\n", ts / 1e9, mb / (ts / 1e9), ts / tg
}'
