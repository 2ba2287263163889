#!/bin/bash
# oomlensd benchmarks: printed, never asserted (docs/performance.md, "## oomlensd").
#   1. CPU per million kmsg records through a FIFO, next to dmesg parsing the same records;
#   2. (root, BENCH_LIVE_KMSG=N, N <= 50000) the same on the live /dev/kmsg, next to
#      `dmesg --follow`: N user-facility records are written in paced bursts (other readers of
#      the ring must keep up), CPU from /proc/PID/schedstat, scaled to a million;
#   3. RSS idle and while 10 000 reports go through (spool on tmpfs: memory, not fsync, is
#      measured), VmRSS/VmHWM/RssAnon/RssFile;
#   4. binary sizes;
#   5. wake-ups of an idle daemon in BENCH_IDLE_SECONDS (default 60), without and with the
#      unit's watchdog (WATCHDOG_USEC=30s), from /proc/PID/schedstat;
#   6. (root, memory cgroup) kill-to-spool-file latency: tests/bench/daemon_latency.sh.
#
#   tests/bench/bench_daemon.sh [RECORDS]     (default 1000000)
#   OOMLENSD=path/to/oomlensd (default: build/daemon/oomlensd next to the sources)
#   BENCH_SKIP="3 6"  skip sections by number
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OOMLENSD=${OOMLENSD:-$SRC/build/daemon/oomlensd}
N=${1:-1000000}
[ -x "$OOMLENSD" ] || { echo "oomlensd not found: set OOMLENSD" >&2; exit 77; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 77; }
. "$SRC/tests/integration/lib/common.sh" # notify_listener, on_exit
TMP=$(mktemp -d /tmp/oomlensd-bench.XXXXXX)
SHM=$(mktemp -d /dev/shm/oomlensd-bench.XXXXXX)
PIDS=()
cleanup() {
        local p
        for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
        cleanup_all
        rm -rf "$SHM"
}
trap cleanup EXIT
printf '[Spool]\nKeepFree=0\n[RateLimit]\nBurst=0\n' >"$TMP/bench.conf"
skipped() { case " ${BENCH_SKIP:-} " in *" $1 "*) return 0 ;; esac; return 1; }
per_m() { awk -v c="$1" -v n="$2" 'BEGIN { printf "%.3f", c * 1000000 / n }'; } # per_m SECONDS RECORDS
mono() { python3 -c 'import time; print("%.6f" % time.monotonic())'; }
run_ns() { awk '{ print $1 }' "/proc/$1/schedstat"; }  # CPU time, ns
runs() { awk '{ print $3 }' "/proc/$1/schedstat"; }    # times run on a CPU (wake-ups)
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
last_status_records() { grep -o 'STATUS=[0-9]* records' "$1" | tail -1 | grep -o '[0-9]*'; }

# --- 1. FIFO
if ! skipped 1; then
        echo "== 1. CPU per million kmsg records ($N records, 10 OOM reports inside)"
        python3 "$SRC/tests/data/kmsg/make-variants.py" flood "$N" 10 >"$TMP/stream.kmsg"
        records=$(wc -l <"$TMP/stream.kmsg")
        mkfifo "$TMP/fifo"
        /usr/bin/time -f '%U %S %M %e' -o "$TMP/time.daemon" "$OOMLENSD" -v -c "$TMP/bench.conf" --kmsg "$TMP/fifo" \
                -s "$TMP/spool" -S "$TMP/state" --journal=no --oneshot 2>"$TMP/daemon.log" &
        pid=$!
        cat "$TMP/stream.kmsg" >"$TMP/fifo"
        wait $pid || { cat "$TMP/daemon.log"; exit 1; }
        read -r du ds drss de <"$TMP/time.daemon"
        files=$(find "$TMP/spool" -name '*.json' | wc -l)
        # dmesg parsing the same records (syslog-format copy: dmesg -F cannot read kmsg format).
        python3 - "$TMP/stream.kmsg" >"$TMP/stream.syslog" <<'PY'
import sys
for line in open(sys.argv[1], encoding="latin-1"):
    head, _, text = line.partition(";")
    p, s, ts = head.split(",")[:3]
    print("<%s>[%5d.%06d] %s" % (p, int(ts) // 1000000, int(ts) % 1000000, text), end="")
PY
        /usr/bin/time -f '%U %S %M %e' -o "$TMP/time.dmesg" dmesg -F "$TMP/stream.syslog" >/dev/null
        read -r mu ms mrss me <"$TMP/time.dmesg"
        printf '%-46s %10s %12s %10s\n' "reader ($records records)" "CPU s/1M" "peak RSS" "wall s"
        printf '%-46s %10s %9s KiB %10s\n' "oomlensd --kmsg FIFO (parse+assemble+spool)" \
                "$(per_m "$(awk -v a="$du" -v b="$ds" 'BEGIN { print a + b }')" "$records")" "$drss" "$de"
        printf '%-46s %10s %9s KiB %10s\n' "dmesg -F (same records, syslog format)" \
                "$(per_m "$(awk -v a="$mu" -v b="$ms" 'BEGIN { print a + b }')" "$records")" "$mrss" "$me"
        echo "oomlensd wrote $files report files; $(grep -o 'records=[0-9]*' "$TMP/daemon.log" | tail -1)"
        echo
fi

# --- 2. live /dev/kmsg
if ! skipped 2 && [ -n "${BENCH_LIVE_KMSG:-}" ]; then
        [ "$(id -u)" = 0 ] || { echo "BENCH_LIVE_KMSG needs root" >&2; exit 77; }
        L=$BENCH_LIVE_KMSG
        [ "$L" -le 50000 ] || { echo "BENCH_LIVE_KMSG: at most 50000 (other readers share the ring)" >&2; exit 2; }
        echo "== 2. live /dev/kmsg: $L records written, CPU scaled to a million"
        notify_listener "$TMP/live.sock" "$TMP/live.notify"
        NOTIFY_SOCKET=$TMP/live.sock "$OOMLENSD" -c "$TMP/bench.conf" -s "$TMP/lspool" -S "$TMP/lstate" \
                --journal=no 2>"$TMP/live.log" &
        lpid=$!
        PIDS+=($lpid)
        dmesg --follow --raw >"$TMP/follow.out" &
        fpid=$!
        PIDS+=($fpid)
        sleep 6 # both have read the ring's backlog; the daemon's housekeeping sent STATUS=
        d0=$(run_ns $lpid) f0=$(run_ns $fpid) r0=$(last_status_records "$TMP/live.notify") l0=$(wc -l <"$TMP/follow.out")
        python3 - "$L" <<'PY'
import os, sys, time
n = int(sys.argv[1])
# Bursts of 10 records per open (printk_devkmsg=ratelimit allows 10 per open file per 5 s), 500
# per 20 ms: fast enough to measure, slow enough for every reader of the ring to keep up.
i = 0
while i < n:
    for _ in range(50):
        fd = os.open("/dev/kmsg", os.O_WRONLY)
        for _ in range(10):
            if i < n:
                os.write(fd, b"<14>oomlens-bench: ordinary record %d with some text to parse, eth0 link up\n" % i)
                i += 1
        os.close(fd)
    time.sleep(0.02)
PY
        sleep 6 # caught up; STATUS= again after the housekeeping delay
        d1=$(run_ns $lpid) f1=$(run_ns $fpid) r1=$(last_status_records "$TMP/live.notify") l1=$(wc -l <"$TMP/follow.out")
        kill -TERM $lpid $fpid
        wait $lpid $fpid 2>/dev/null
        printf '%-46s %10s %10s\n' "reader" "records" "CPU s/1M"
        printf '%-46s %10s %10s\n' "oomlensd (/dev/kmsg)" "$((r1 - r0))" "$(per_m "$(((d1 - d0) / 1000))e-6" "$((r1 - r0))")"
        printf '%-46s %10s %10s\n' "dmesg --follow --raw" "$((l1 - l0))" "$(per_m "$(((f1 - f0) / 1000))e-6" "$((l1 - l0))")"
        grep -o 'gaps=[0-9]* lost=[0-9]*' "$TMP/live.log" | tail -1 | sed 's/^/oomlensd overruns: /'
        echo
fi

# --- 3. RSS idle and over 10 000 reports
if ! skipped 3; then
        echo "== 3. RSS: idle, then 10 000 reports through a FIFO (spool on tmpfs, default limits but Burst=0)"
        python3 "$SRC/tests/data/kmsg/make-variants.py" flood 100000 10000 >"$TMP/r10k.kmsg"
        mkfifo "$TMP/rfifo"
        "$OOMLENSD" -c "$TMP/bench.conf" --kmsg "$TMP/rfifo" -s "$SHM/spool" -S "$SHM/state" --journal=no 2>"$TMP/rss.log" &
        rpid=$!
        PIDS+=($rpid)
        exec 8>"$TMP/rfifo"
        sleep 1
        printf '%-28s %8s %8s %8s %8s\n' "" "VmRSS" "VmHWM" "RssAnon" "RssFile"
        row() { printf '%-28s %8s %8s %8s %8s KiB\n' "$1" "$(status_kib $rpid VmRSS)" "$(status_kib $rpid VmHWM)" \
                "$(status_kib $rpid RssAnon)" "$(status_kib $rpid RssFile)"; }
        row "idle after start"
        python3 - "$TMP/r10k.kmsg" "$rpid" <<'PY' >&8
import sys, time
pid = sys.argv[2]

def kib(key):
    for l in open("/proc/%s/status" % pid):
        if l.startswith(key + ":"):
            return int(l.split()[1])

reports = 0
for line in open(sys.argv[1], "rb"):
    sys.stdout.buffer.write(line)
    if b"Killed process" in line:
        reports += 1
        if reports % 2000 == 0:
            sys.stdout.flush()
            time.sleep(0.2)  # the daemon is at most a pipe's worth behind
            sys.stderr.write("%-28s %8d %8d %8d %8d KiB\n" % ("after %d reports" % reports, kib("VmRSS"),
                             kib("VmHWM"), kib("RssAnon"), kib("RssFile")))
PY
        exec 8>&-
        for _ in $(seq 600); do grep -q "end of input" "$TMP/rss.log" 2>/dev/null && break; sleep 0.1; done
        sleep 6
        row "idle again (6 s later)"
        echo "files kept in the spool (MaxReports=1000): $(find "$SHM/spool" -name '*.json' | wc -l)"
        pss=$(awk '/^Pss:/ { print $2 }' /proc/$rpid/smaps_rollup)
        priv=$(awk '/^Private_(Clean|Dirty):/ { s += $2 } END { print s }' /proc/$rpid/smaps_rollup)
        echo "Pss $pss KiB, private (USS) $priv KiB; file-backed RSS by mapping:"
        awk '/^[0-9a-f]+-[0-9a-f]+ / { name = $6 == "" ? "[anon]" : $6 } /^Rss:/ { rss[name] += $2 }
             END { for (n in rss) if (rss[n] > 0) printf "  %6d KiB %s\n", rss[n], n }' /proc/$rpid/smaps | sort -rn | head -8
        kill -TERM $rpid
        wait $rpid
        echo
fi

# --- 4. sizes
if ! skipped 4; then
        echo "== 4. binary size"
        cp "$OOMLENSD" "$TMP/oomlensd.stripped"
        strip "$TMP/oomlensd.stripped"
        size "$OOMLENSD" | sed 's|'"$OOMLENSD"'|oomlensd|'
        echo "file $(stat -c %s "$OOMLENSD") bytes, stripped $(stat -c %s "$TMP/oomlensd.stripped") bytes;" \
                "shared libraries: $(ldd "$OOMLENSD" | awk '/=>/ { print $1 }' | tr '\n' ' ')"
        echo
fi

# --- 5. idle wake-ups
if ! skipped 5; then
        S=${BENCH_IDLE_SECONDS:-60}
        echo "== 5. wake-ups of an idle daemon in $S s (FIFO open, nothing written)"
        for wd in "" 30000000; do
                rm -f "$TMP/ififo"
                mkfifo "$TMP/ififo"
                notify_listener "$TMP/idle$wd.sock" "$TMP/idle$wd.notify"
                NOTIFY_SOCKET=$TMP/idle$wd.sock WATCHDOG_USEC=$wd bash -c 'export WATCHDOG_PID=$$; [ -n "$WATCHDOG_USEC" ] || unset WATCHDOG_USEC WATCHDOG_PID; exec "$@"' _ \
                        "$OOMLENSD" -c "$TMP/bench.conf" --kmsg "$TMP/ififo" -s "$TMP/ispool" -S "$TMP/istate" --journal=no 2>/dev/null &
                ipid=$!
                PIDS+=($ipid)
                exec 7>"$TMP/ififo"
                cat "$SRC/tests/data/kmsg/memcg-6.18.kmsg" >&7
                sleep 7 # the report, then the housekeeping 5 s later: after that, idle
                w0=$(runs $ipid) m0=$(mono)
                sleep "$S"
                w1=$(runs $ipid) m1=$(mono)
                printf '%-46s %4d wake-ups (%d WATCHDOG=1 sent)\n' "WATCHDOG_USEC=${wd:-unset}" "$((w1 - w0))" \
                        "$(awk -v a="$m0" -v b="$m1" '/WATCHDOG=1/ && $1 >= a && $1 <= b { n++ } END { print n + 0 }' "$TMP/idle$wd.notify")"
                exec 7>&-
                kill -TERM $ipid
                wait $ipid
        done
        echo
fi

# --- 6. latency
if ! skipped 6 && [ "$(id -u)" = 0 ]; then
        echo "== 6. kill-to-spool-file latency"
        OOMLENSD=$OOMLENSD bash "$SRC/tests/bench/daemon_latency.sh" 20 2>&1 | grep -v '^ok\|^SKIP' || true
fi
