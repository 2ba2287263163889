#!/usr/bin/env bash
# Throughput of `oomlens analyze --json` next to `grep -c 'invoked oom-killer'` on the same
# file, for each input format users feed it, both from the page cache, run back to back, best
# of RUNS (5) rounds of wall-clock and of CPU time (user + sys; tests/bench/best_of.py). Also
# checks that the fast path gives the same output as the slow one (OOMLENS_NO_PREFILTER=1).
# Prints figures; asserts only that equality.
#
# Usage: analyze_throughput.sh [OOMLENS_BINARY] [CASE...]
#   CASE  dmesg, syslog, journal, kmsg (200 MB, 1% of the lines in reports), kern.log (300 MB
#         syslog, 0.01% in reports: what users feed it), syslog-iso (200 MB, RFC 3339 times),
#         or NAME=FILE for an existing log. Default: dmesg syslog journal kmsg kern.log.
# Environment: RUNS (5); BENCH_DIR keeps the generated logs for the next run (default: a
# temporary directory, removed); SLOW=1 also times the slow path; BASELINE=another oomlens
# binary (an older build) is timed in the same rounds, for a before/after under equal load.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oomlens=${1:-$here/../../build/oomlens}
shift || true
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(dmesg syslog journal kmsg kern.log)
runs=${RUNS:-5}
work=$(mktemp -d /tmp/oomlens-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
dir=${BENCH_DIR:-$work}
mkdir -p "$dir"

generate() { # NAME -> path of the log (generated once per BENCH_DIR)
        local name=$1 fmt size rate f
        case $name in
        *=*) echo "${name#*=}"; return ;;
        kern.log) fmt=syslog size=300 rate=1 ;;
        dmesg | syslog | syslog-iso | journal | kmsg) fmt=$name size=200 rate=100 ;;
        *) echo "analyze_throughput.sh: unknown case '$name'" >&2; exit 2 ;;
        esac
        f=$dir/bench-$name-${size}M-$rate.log
        [ -s "$f" ] || "$here/gen_mixed_log.sh" "$size" "$f" "$fmt" "$rate" 2> /dev/null
        echo "$f"
}

printf '%-10s %7s %7s | %-15s | %-15s | %-11s\n' case MB reports "grep wall/cpu s" "oomlens wall/cpu" "ratio w/cpu"
for c in "${cases[@]}"; do
        log=$(generate "$c")
        cat "$log" > /dev/null # warm the page cache
        fast=$("$oomlens" analyze --json "$log" | md5sum) || true
        slow=$(OOMLENS_NO_PREFILTER=1 "$oomlens" analyze --json "$log" | md5sum) || true
        [ "$fast" = "$slow" ] || { echo "FAIL: $c: output differs with OOMLENS_NO_PREFILTER=1" >&2; exit 1; }
        reports=$("$oomlens" analyze --json "$log" | wc -l) || true
        base=()
        [ -z "${BASELINE:-}" ] || base=(-- "$BASELINE" analyze --json "$log")
        read -r gw gc ow oc bw bc < <(python3 "$here/best_of.py" "$runs" "$work/out" \
                -- grep -c 'invoked oom-killer' "$log" -- "$oomlens" analyze --json "$log" "${base[@]}" |
                tr '\n' ' '; echo)
        awk -v c="${c%%=*}" -v b="$(stat -c %s "$log")" -v r="$reports" -v gw="$gw" -v gc="$gc" -v ow="$ow" -v oc="$oc" \
                'BEGIN { printf "%-10s %7.1f %7d | %6.3f / %6.3f | %6.3f / %6.3f | %4.2f / %4.2f\n",
                         c, b / 1048576, r, gw, gc, ow, oc, ow / gw, oc / gc }'
        [ -z "${BASELINE:-}" ] || awk -v bw="$bw" -v bc="$bc" -v gw="$gw" -v gc="$gc" \
                'BEGIN { printf "  baseline, same rounds:           %6.3f / %6.3f | %4.2f / %4.2f\n",
                         bw, bc, bw / gw, bc / gc }'
        if [ "${SLOW:-0}" = 1 ]; then
                read -r sw sc < <(OOMLENS_NO_PREFILTER=1 python3 "$here/best_of.py" "$runs" "$work/out" \
                        -- "$oomlens" analyze --json "$log")
                awk -v sw="$sw" -v sc="$sc" -v gw="$gw" -v gc="$gc" \
                        'BEGIN { printf "  slow path (OOMLENS_NO_PREFILTER=1): %6.3f / %6.3f s, ratio %4.2f / %4.2f\n",
                                 sw, sc, sw / gw, sc / gc }'
        fi
done
echo "(same output with and without the fast path for every case; best of $runs back-to-back rounds)"
