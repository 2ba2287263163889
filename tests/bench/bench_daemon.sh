#!/bin/bash
# oomlensd benchmark: CPU time per million kmsg records (next to dmesg reading the same
# records), peak RSS, and the latency from the kernel's kill record to the spool file.
#
#   tests/bench/bench_daemon.sh [RECORDS]            (default 1000000)
#   OOMLENSD=path/to/oomlensd; default: build-daemon/daemon/oomlensd next to the sources
#   BENCH_LIVE_KMSG=N  also write N records to the real /dev/kmsg and time oomlensd and
#                      `dmesg --follow` reading them live (root; floods the kernel log, sets
#                      kernel.printk_devkmsg=on for the duration and restores it)
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OOMLENSD=${OOMLENSD:-$SRC/build-daemon/daemon/oomlensd}
N=${1:-1000000}
[ -x "$OOMLENSD" ] || { echo "oomlensd not found: set OOMLENSD" >&2; exit 77; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 77; }
TMP=$(mktemp -d /tmp/oomlensd-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
printf '[Spool]\nKeepFree=0\n[RateLimit]\nBurst=0\n' >"$TMP/bench.conf"

echo "== generating $N records (ordinary kernel lines, 10 OOM reports inside)"
python3 "$SRC/tests/data/kmsg/make-variants.py" flood "$N" 10 >"$TMP/stream.kmsg"
records=$(wc -l <"$TMP/stream.kmsg")

# 1. oomlensd on the recorded stream through a FIFO (the daemon's real read path for streams).
mkfifo "$TMP/fifo"
/usr/bin/time -f '%U %S %M %e' -o "$TMP/time.daemon" "$OOMLENSD" -v -c "$TMP/bench.conf" --kmsg "$TMP/fifo" \
        -s "$TMP/spool" -S "$TMP/state" --journal=no --oneshot 2>"$TMP/daemon.log" &
pid=$!
cat "$TMP/stream.kmsg" >"$TMP/fifo"
wait $pid || { cat "$TMP/daemon.log"; exit 1; }
read -r du ds drss de <"$TMP/time.daemon"
files=$(find "$TMP/spool" -name '*.json' | wc -l)
# 2. dmesg parsing the same records (syslog-format copy: dmesg -F cannot read kmsg format).
python3 - "$TMP/stream.kmsg" >"$TMP/stream.syslog" <<'PY'
import sys
for line in open(sys.argv[1], encoding="latin-1"):
    head, _, text = line.partition(";")
    p, s, ts = head.split(",")[:3]
    print("<%s>[%5d.%06d] %s" % (p, int(ts) // 1000000, int(ts) % 1000000, text), end="")
PY
/usr/bin/time -f '%U %S %M %e' -o "$TMP/time.dmesg" dmesg -F "$TMP/stream.syslog" >/dev/null
read -r mu ms mrss me <"$TMP/time.dmesg"
per_m() { awk -v u="$1" -v s="$2" -v n="$3" 'BEGIN { printf "%.3f", (u + s) * 1000000 / n }'; }
echo
printf '%-44s %10s %12s %10s\n' "reader ($records records)" "CPU s/1M" "peak RSS" "wall s"
printf '%-44s %10s %9s KiB %10s\n' "oomlensd --kmsg FIFO (parse+assemble+spool)" "$(per_m "$du" "$ds" "$records")" "$drss" "$de"
printf '%-44s %10s %9s KiB %10s\n' "dmesg -F (same records, syslog format)" "$(per_m "$mu" "$ms" "$records")" "$mrss" "$me"
echo "oomlensd wrote $files report files; $(grep -o 'records=[0-9]*' "$TMP/daemon.log" | tail -1)"

# 3. Live: oomlensd and dmesg --follow on the real /dev/kmsg, same records.
if [ -n "${BENCH_LIVE_KMSG:-}" ]; then
        [ "$(id -u)" = 0 ] || { echo "BENCH_LIVE_KMSG needs root"; exit 77; }
        L=$BENCH_LIVE_KMSG
        old=$(cat /proc/sys/kernel/printk_devkmsg)
        echo on >/proc/sys/kernel/printk_devkmsg
        trap 'echo "$old" >/proc/sys/kernel/printk_devkmsg; rm -rf "$TMP"' EXIT
        /usr/bin/time -f '%U %S %M %e' -o "$TMP/time.live" "$OOMLENSD" -v -c "$TMP/bench.conf" -s "$TMP/lspool" \
                -S "$TMP/lstate" --journal=no 2>"$TMP/live.log" &
        lpid=$!
        /usr/bin/time -f '%U %S %M %e' -o "$TMP/time.follow" dmesg --follow --raw >"$TMP/follow.out" &
        fpid=$!
        sleep 1
        python3 - "$L" <<'PY'
import os, sys
fd = os.open("/dev/kmsg", os.O_WRONLY)
for i in range(int(sys.argv[1])):
    os.write(fd, b"<6>oomlens-bench: ordinary record %d with some text to parse, eth0 link up\n" % i)
PY
        sleep 2
        # $lpid/$fpid are /usr/bin/time; signal the program it runs (its only child).
        kill -TERM "$(pgrep -P $lpid)"
        wait $lpid
        kill -TERM "$(pgrep -P $fpid)"
        wait $fpid 2>/dev/null
        echo "$old" >/proc/sys/kernel/printk_devkmsg
        read -r lu ls lrss _ < <(grep -E '^[0-9.]+ [0-9.]+ [0-9]+ ' "$TMP/time.live")
        read -r fu fs frss _ < <(grep -E '^[0-9.]+ [0-9.]+ [0-9]+ ' "$TMP/time.follow")
        lrec=$(grep -o ' records=[0-9]*' "$TMP/live.log" | tail -1 | cut -d= -f2)
        frec=$(wc -l <"$TMP/follow.out")
        echo
        echo "live /dev/kmsg, $L records written (plus the ring buffer's backlog):"
        printf '%-44s %10s %9s KiB  (%s records)\n' "oomlensd (/dev/kmsg)" "$(per_m "$lu" "$ls" "$lrec")" "$lrss" "$lrec"
        printf '%-44s %10s %9s KiB  (%s records)\n' "dmesg --follow --raw" "$(per_m "$fu" "$fs" "$frec")" "$frss" "$frec"
        grep -o 'gaps=[0-9]* lost=[0-9]*' "$TMP/live.log" | tail -1 | sed 's/^/oomlensd (overruns while the writer floods): /'
fi

# 4. Kill-to-file latency on a real memcg OOM (root + memory cgroup), via the integration test.
if [ "$(id -u)" = 0 ]; then
        echo
        for wait in 0 1s; do # 1s: the default ReaperWaitSec= (the wait for the oom_reaper line)
                TEST_REAPER_WAIT=$wait OOMLENSD=$OOMLENSD OOMLENS_SRC=$SRC OOMLENS_DATA=$SRC/tests/data \
                        bash "$SRC/tests/integration/daemon_memcg_journald.sh" 2>&1 | grep -E '^latency|^SKIP' || true
        done
fi
