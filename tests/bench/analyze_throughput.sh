#!/usr/bin/env bash
# Throughput of `oomlens analyze` on a large mixed log next to `grep -c 'invoked oom-killer'` on
# the same file (both from the page cache, best of 3). Prints figures; asserts nothing.
# Usage: analyze_throughput.sh [OOMLENS_BINARY] [SIZE_MB]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oomlens=${1:-$here/../../build/oomlens}
size=${2:-200}
log=$(mktemp /tmp/oomlens-bench.XXXXXX.log)
trap 'rm -f "$log"' EXIT
"$here/gen_mixed_log.sh" "$size" "$log"
cat "$log" > /dev/null # warm the page cache
mb=$(awk -v b="$(stat -c %s "$log")" 'BEGIN{printf "%.1f", b/1048576}')
best() { # best wall time of 3 runs of "$@", in seconds
  local b=999999 t
  for _ in 1 2 3; do
    t=$( { /usr/bin/time -f %e "$@" > /dev/null; } 2>&1 | tail -n1 )
    b=$(awk -v a="$b" -v c="$t" 'BEGIN{print (c < a) ? c : a}')
  done
  echo "$b"
}
tg=$(best grep -c 'invoked oom-killer' "$log")
to=$(best "$oomlens" analyze --json "$log")
reports=$("$oomlens" analyze --json "$log" | wc -l)
awk -v mb="$mb" -v tg="$tg" -v to="$to" -v r="$reports" 'BEGIN {
  g = (tg > 0) ? mb / tg : 0; o = (to > 0) ? mb / to : 0
  printf "input: %.1f MB, %d reports analysed\n", mb, r
  printf "grep -c:          %6.2f s  %8.1f MB/s\n", tg, g
  printf "oomlens analyze:  %6.2f s  %8.1f MB/s\n", to, o
  printf "ratio oomlens/grep time: %.2f\n", (tg > 0) ? to / tg : 0
}'
