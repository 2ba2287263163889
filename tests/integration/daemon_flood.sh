#!/bin/bash
# Flood: 1 000 000 ordinary kmsg records with 1 000 OOM reports inside, written through a FIFO
# as fast as oomlensd takes them. Every report must come out exactly once (spool files, and
# with root the journal entries of a real journald in a private mount namespace), memory must
# stay flat (VmRSS sampled every 100 000 records, VmHWM at the end, both printed), and the
# sd-event watchdog must never miss: WATCHDOG=1 arrivals at a NOTIFY_SOCKET we listen on are
# timestamped and the longest interval must stay below WATCHDOG_USEC.
#   FLOOD_RECORDS / FLOOD_REPORTS override the sizes (default 1000000 / 1000).
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
private_journal "$@"
RECORDS=${FLOOD_RECORDS:-1000000}
REPORTS=${FLOOD_REPORTS:-1000}
# The unit ships WatchdogSec=30s; a flood must not come anywhere near that, so the test holds
# the loop to a far tighter bound (sd-event pings every quarter of it while the loop turns; a
# loaded 2-CPU machine has shown 1.06 s between pings).
WD_USEC=3000000

python3 "$KMSG_DATA/make-variants.py" flood "$RECORDS" "$REPORTS" >"$TMP/stream.kmsg"
total=$(wc -l <"$TMP/stream.kmsg")
cat >"$TMP/test.conf" <<EOC
[Spool]
KeepFree=0
MaxReports=0
MaxUse=0
[RateLimit]
Burst=0
EOC
mkfifo "$TMP/kmsg.fifo"

notify_listener "$TMP/notify.sock" "$TMP/notify.log"

# WATCHDOG_PID must be the daemon's own pid: set it in the shell that execs it.
NOTIFY_SOCKET=$TMP/notify.sock WATCHDOG_USEC=$WD_USEC bash -c 'export WATCHDOG_PID=$$; exec "$@"' _ \
        "$OOMLENSD" -v -c "$TMP/test.conf" --kmsg "$TMP/kmsg.fifo" -s "$TMP/spool" -S "$TMP/state" \
        --journal=$JOURNAL 2>"$TMP/log" &
pid=$!
on_exit "kill $pid 2>/dev/null"

# The writer: full speed, and every 100 000 records the daemon's VmRSS (the pipe holds at
# most 64 KiB, so the daemon is never more than a few hundred records behind the sample).
start=$(date +%s.%N)
python3 - "$TMP/stream.kmsg" "$TMP/kmsg.fifo" "$pid" >"$TMP/rss.log" <<'PY' || fail "writer failed"
import sys
src, fifo, pid = sys.argv[1], sys.argv[2], sys.argv[3]

def rss_kib():
    for line in open("/proc/%s/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

with open(src, "rb") as f, open(fifo, "wb", buffering=0) as out:
    n, chunk = 0, []
    for line in f:
        chunk.append(line)
        n += 1
        if len(chunk) == 2000:
            out.write(b"".join(chunk))
            chunk = []
        if n % 100000 == 0:
            out.write(b"".join(chunk))
            chunk = []
            print(n, rss_kib(), flush=True)
    out.write(b"".join(chunk))
PY
# End of input: the daemon logs it (with -v) and keeps running.
for _ in $(seq 1200); do grep -q "end of input" "$TMP/log" && break; sleep 0.05; done
grep -q "end of input" "$TMP/log" || { tail "$TMP/log"; fail "the daemon did not reach the end of the stream"; }
end=$(date +%s.%N)
hwm=$(awk '/^VmHWM:/ { print $2 }' /proc/$pid/status)
rss_end=$(awk '/^VmRSS:/ { print $2 }' /proc/$pid/status)
kill -TERM $pid
wait $pid || fail "SIGTERM: exit $?"
wait $NOTIFY_PID

echo "$total records ($REPORTS reports) in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s"
echo "VmRSS by records read:" $(awk '{ printf "%dk:%d ", $1 / 1000, $2 }' "$TMP/rss.log") "KiB; at the end $rss_end KiB"
echo "peak RSS (VmHWM): $hwm KiB"
grep "counters:" "$TMP/log" | sed 's/^oomlensd: //'

# --- memory: bounded and flat (not under a sanitizer or valgrind, whose own memory is counted).
first=$(head -1 "$TMP/rss.log" | cut -d' ' -f2)
max=$(sort -k2 -n "$TMP/rss.log" | tail -1 | cut -d' ' -f2)
if grep -q __asan_init "$OOMLENSD" || [ "${OOMLENS_VALGRIND:-0}" = 1 ]; then
        echo "instrumented daemon: RSS printed, not checked"
else
        [ "$hwm" -lt 16384 ] || fail "peak RSS $hwm KiB: not bounded (limit 16 MiB)"
        [ $((max - first)) -lt 256 ] || fail "RSS grew from $first to $max KiB during the flood"
fi

# --- watchdog: every interval between pings (from READY to the first, from the last to
# STOPPING) below WATCHDOG_USEC, and as many pings as the run's length calls for.
python3 - "$TMP/notify.log" "$WD_USEC" <<'PY' || fail "watchdog missed"
import sys
ts = [float(l.split()[0]) for l in open(sys.argv[1]) if any(k in l for k in ("WATCHDOG=1", "READY=1", "STOPPING=1"))]
limit = int(sys.argv[2]) / 1e6
gaps = [b - a for a, b in zip(ts, ts[1:])]
worst = max(gaps) if gaps else float("inf")
pings = len(ts) - 2
# sd-event pings at least every 3/4 of the interval while the loop turns
need = int((ts[-1] - ts[0]) / (0.75 * limit)) - 1
print("watchdog: %d pings in %.1f s, longest interval %.0f ms (WATCHDOG_USEC %.0f ms)" % (
    pings, ts[-1] - ts[0], worst * 1e3, limit * 1e3))
sys.exit(0 if worst < limit and pings >= need else 1)
PY

# --- every report exactly once in the spool.
[ "$(counter records "$TMP/log")" = "$total" ] || fail "records counter"
[ "$(counter reports "$TMP/log")" = "$REPORTS" ] || fail "reports counter"
[ "$(counter incomplete "$TMP/log")" = 0 ] || fail "incomplete reports in a gapless stream"
[ "$(counter gaps "$TMP/log")" = 0 ] || fail "gaps in a gapless stream"
[ "$(temp_count "$TMP/spool")" = 0 ] || fail "temp files left"
python3 - "$TMP/spool" "$REPORTS" <<'PY' || fail "spool files are not one per report"
import collections, json, os, sys
spool, want = sys.argv[1], int(sys.argv[2])
pids = collections.Counter()
seqs = collections.Counter()
for n in os.listdir(spool):
    if not n.endswith(".json") or n.startswith("."):
        continue
    d = json.load(open(os.path.join(spool, n)))
    assert d["complete"] and not d["spans_gap"], n
    pids[d["victim"]["pid"]] += 1
    seqs[d["seq"]] += 1
expect = {20000 + i for i in range(want)}
assert set(pids) == expect, "victims differ: %d missing, %d extra" % (len(expect - set(pids)), len(set(pids) - expect))
assert max(pids.values()) == 1 and max(seqs.values()) == 1, "a report was written twice"
print("spool: %d files, victims 20000..%d each exactly once" % (sum(pids.values()), 20000 + want - 1))
PY

# --- every report exactly once in the journal (our daemon's entries only: _PID).
if [ $JOURNAL = yes ]; then
        n=0
        for _ in $(seq 200); do
                n=$(journal_json $MID_REPORT _PID=$pid | grep -c .)
                [ "$n" -ge "$REPORTS" ] && break
                sleep 0.1
        done
        journal_json $MID_REPORT _PID=$pid | python3 -c '
import collections, json, sys
want = int(sys.argv[1])
e = [json.loads(l) for l in sys.stdin if l.strip()]
c = collections.Counter(x["OOM_VICTIM_PID"] for x in e)
assert set(c) == {str(20000 + i) for i in range(want)}, "journal victims differ (%d entries)" % len(e)
assert max(c.values()) == 1, "a report journaled twice"
assert len({x["OOM_KERNEL_SEQNUM"] for x in e}) == want
print("journal: %d report entries, each victim exactly once" % len(e))
' "$REPORTS" || fail "journal entries are not one per report ($n entries)"
        [ "$(counter journal "$TMP/log")" = "$REPORTS" ] || fail "journal counter"
fi
ok "flood of $total records: $REPORTS reports exactly once, RSS flat, watchdog held"
echo PASS
