#!/bin/bash
# Overrun: a reader made to fall behind. Part 1, a recorded stream (150 reports in 30 000
# records) through a FIFO shrunk to one page, written like the kernel writes its ring buffer:
# a record that does not fit while oomlensd is paused (SIGSTOP) is lost, never waited for.
# The writer knows exactly which records were lost, so the daemon's gap and lost-record
# counters must match exactly; every report must come out once if none of its records was
# lost, marked spans_gap and incomplete if some were, not at all if all were; and nothing may be
# fabricated: every file's lines belong to one report of the stream (lines on both sides of a
# hole never make one report: no trigger of one OOM paired with the victim of another).
# Part 2 (root), the real /dev/kmsg: oomlensd paused while 160 records of ~1000 bytes (user
# facility, so no report can come of them) overwrite the kernel's ring buffer (128 KiB on a
# default CONFIG_LOG_BUF_SHIFT=17 kernel: the record count, not its length, is what matters for
# disturbing others, and 160 is a handful); after SIGCONT the gap must be counted and bounded by
# what was overwritten.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
private_journal "$@"
python3 "$KMSG_DATA/make-variants.py" flood 30000 150 >"$TMP/stream.kmsg"
write_test_config "$TMP/test.conf"
printf '[Spool]\nMaxReports=0\nMaxUse=0\n' >>"$TMP/test.conf"
mkfifo "$TMP/kmsg.fifo"

"$OOMLENSD" -v -c "$TMP/test.conf" --kmsg "$TMP/kmsg.fifo" -s "$TMP/spool" -S "$TMP/state" --journal=$JOURNAL \
        --oneshot 2>"$TMP/log" &
pid=$!
on_exit "kill -CONT $pid 2>/dev/null; kill $pid 2>/dev/null"

# The writer: one record per write() (a page-sized pipe takes records of <= PIPE_BUF whole or
# not at all); blocking between pauses, non-blocking while the daemon is stopped.
python3 - "$TMP/stream.kmsg" "$TMP/kmsg.fifo" "$pid" "$TMP/lost" <<'PY' || fail "writer"
import errno, fcntl, os, random, signal, sys, time
src, fifo, pid, lost_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
recs = open(src, "rb").read().splitlines(keepends=True)
rng = random.Random(7)
fd = os.open(fifo, os.O_WRONLY)
fcntl.fcntl(fd, 1031, 4096)  # F_SETPIPE_SZ: one page
fl = fcntl.fcntl(fd, fcntl.F_GETFL)
lost = []
i, pauses = 0, 0
next_pause = rng.randint(300, 1500)
while i < len(recs):
    if i >= next_pause and i < len(recs) - 400:
        os.kill(pid, signal.SIGSTOP)
        fcntl.fcntl(fd, fcntl.F_SETFL, fl | os.O_NONBLOCK)
        for _ in range(rng.randint(30, 700)):
            try:
                os.write(fd, recs[i])
            except BlockingIOError:
                lost.append(int(recs[i].split(b",", 2)[1]))
            i += 1
        fcntl.fcntl(fd, fcntl.F_SETFL, fl)
        os.kill(pid, signal.SIGCONT)
        pauses += 1
        next_pause = i + rng.randint(300, 1500)
        continue
    os.write(fd, recs[i])
    i += 1
os.close(fd)
open(lost_path, "w").write("\n".join(map(str, lost)) + "\n")
print("writer: %d records, %d pauses, %d lost" % (len(recs), pauses, len(lost)))
PY
wait $pid || { tail "$TMP/log"; fail "daemon exit $?"; }
grep "counters:" "$TMP/log" | sed 's/^oomlensd: //'

python3 - "$TMP/stream.kmsg" "$TMP/lost" "$TMP/spool" "$TMP/log" <<'PY' || fail "overrun through a FIFO"
import json, os, re, sys
stream, lost_path, spool, log = sys.argv[1:5]
lost = {int(x) for x in open(lost_path).read().split()}
seqs, texts = [], {}
reports = []  # [first, last, pid]
for line in open(stream, encoding="latin-1"):
    head, text = line.rstrip("\n").split(";", 1)
    seq = int(head.split(",")[1])
    seqs.append(seq)
    if "invoked oom-killer" in text:
        reports.append([seq, None, None])
    m = re.search(r"Killed process (\d+)", text)
    if m:
        reports[-1][1], reports[-1][2] = seq, int(m.group(1))

# Expected counters: a run of lost records is one gap (each is followed by a written record).
runs, prev = 0, None
for s in sorted(lost):
    if prev is None or s != prev + 1:
        runs += 1
    prev = s
counters = dict(re.findall(r" (\w+)=(\d+)", [l for l in open(log) if "counters:" in l][-1]))
assert int(counters["gaps"]) == runs, "gaps: daemon %s, writer %d" % (counters["gaps"], runs)
assert int(counters["lost"]) == len(lost), "lost: daemon %s, writer %d" % (counters["lost"], len(lost))

def report_of(seq):
    for r in reports:
        if r[0] <= seq <= r[1]:
            return r
    return None

files = {}
for n in sorted(os.listdir(spool)):
    d = json.load(open(os.path.join(spool, n)))
    r = report_of(d["seq"])
    assert r, "%s: seq %d is in no report of the stream" % (n, d["seq"])
    assert d["seq"] not in lost, "%s: its first record was lost" % n
    # Every pid a line names (CPU line, task row, kill line) is its report's own victim.
    pids = set()
    for l in d["lines"]:
        for pat in (r"PID: (\d+) Comm", r"Killed process (\d+)", r"^\[ *(\d+)\]"):
            pids.update(int(x) for x in re.findall(pat, l))
    assert pids <= {r[2]}, "%s: lines of several reports %s (report at %d, victim %d)" % (n, sorted(pids), r[0], r[2])
    if d["victim"] and d["victim"].get("pid") is not None:
        assert d["victim"]["pid"] == r[2], "%s: victim %s" % (n, d["victim"]["pid"])
    files.setdefault(r[0], []).append((n, d))

whole = partial = gone = 0
for first, last, pid in reports:
    missing = sum(1 for s in range(first, last + 1) if s in lost)
    got = files.get(first, [])
    if missing == 0:
        # A hole right after its kill line takes nothing of its own: whole and unmarked.
        assert len(got) == 1, "report %d (victim %d) intact: %d files" % (first, pid, len(got))
        n, d = got[0]
        assert d["complete"] and not d["spans_gap"], "%s: intact, complete %s spans_gap %s" % (
            n, d["complete"], d["spans_gap"])
        whole += 1
    elif missing == last - first + 1:
        assert not got, "report %d entirely lost, yet %s" % (first, [n for n, _ in got])
        gone += 1
    else:
        for n, d in got:
            assert d["spans_gap"] and not d["complete"], "%s: %d of its records lost, spans_gap %s complete %s" % (
                n, missing, d["spans_gap"], d["complete"])
        partial += 1
print("reports: %d intact (complete, unmarked), %d cut by a gap (files marked spans_gap, incomplete), "
      "%d entirely lost (no file); no file mixes two reports" % (whole, partial, gone))
assert partial > 0 and gone > 0 and whole > 0, "the pauses did not produce every case"
PY
ok "FIFO overrun: gaps and lost records counted exactly, reports across a gap marked, nothing fabricated"

if [ $JOURNAL = yes ]; then
        journal_wait $MID_GAP 1 >/dev/null
        want=$(counter lost "$TMP/log")
        got=$(journal_json $MID_GAP | python3 -c '
import json, sys
print(sum(int(json.loads(l)["OOM_GAP_RECORDS"]) for l in sys.stdin if l.strip()))')
        [ "$got" = "$want" ] || fail "gap journal entries sum up $got lost records, the daemon counted $want"
        ok "gap journal entries sum up the $want lost records"
fi

# --- Part 2: the real /dev/kmsg.
if [ "$(id -u)" != 0 ] || [ ! -r /dev/kmsg ] || [ ! -w /dev/kmsg ]; then
        echo "SKIP part 2: needs root and a readable, writable /dev/kmsg"
        echo PASS
        exit 0
fi
"$OOMLENSD" -v -c "$TMP/test.conf" -s "$TMP/kspool" -S "$TMP/kstate" --journal=no 2>"$TMP/klog" &
kpid=$!
on_exit "kill -CONT $kpid 2>/dev/null; kill $kpid 2>/dev/null"
for _ in $(seq 100); do grep -q "reading /dev/kmsg" "$TMP/klog" && break; sleep 0.05; done
grep -q "reading /dev/kmsg" "$TMP/klog" || fail "daemon did not start on /dev/kmsg"
PYTHONPATH=$LIB python3 - "$kpid" "$TMP/kseq" <<'PY' || fail "overrunning the kernel ring buffer"
import os, signal, sys, time
import kmsg
pid, out = int(sys.argv[1]), sys.argv[2]
tag = "oomlens-overrun-%d" % os.getpid()
write = kmsg.write

def seq_of(marker):
    found = oldest = None
    for _, s, _, text in kmsg.records():
        oldest = s if oldest is None else oldest
        if marker in text:
            found = s
    return found, oldest

write("<14>%s: before the pause\n" % tag)
time.sleep(0.5)  # the daemon reads it (it is idle and polls /dev/kmsg)
before, _ = seq_of(tag + ": before")
os.kill(pid, signal.SIGSTOP)
try:
    pad = "x" * 960
    for i in range(160):
        write("<14>%s: %03d %s\n" % (tag, i, pad))
    write("<14>%s: after the pause\n" % tag)
finally:
    os.kill(pid, signal.SIGCONT)
after, oldest = seq_of(tag + ": after")
assert before is not None, "our first record is not in the ring"
assert after is not None, "our last record is not in the ring"
assert oldest > before + 1, "160 records of 1000 bytes did not overrun the ring (oldest %d, ours from %d)" % (oldest, before)
open(out, "w").write("%d %d %d\n" % (before, after, oldest))
print("kernel ring overrun: our records %d..%d, oldest left %d" % (before, after, oldest))
PY
read -r before after oldest <"$TMP/kseq"
sleep 1.5 # the daemon catches up; the gap summary goes out within a second
kill -TERM $kpid
wait $kpid || fail "daemon on /dev/kmsg: exit $?"
line=$(grep "records lost in" "$TMP/klog" | grep "reader overrun" | tail -1)
[ -n "$line" ] || { cat "$TMP/klog"; fail "no gap logged after the overrun"; }
echo "daemon: ${line#oomlensd: }"
first=$(echo "$line" | sed -E 's/.* between seq ([0-9]+) and ([0-9]+).*/\1/')
last=$(echo "$line" | sed -E 's/.* between seq ([0-9]+) and ([0-9]+).*/\2/')
# The hole begins after the last record the daemon had read (our first one, or later: other
# kernel messages may come) and ends before the oldest record the ring still held.
[ "$first" -gt "$before" ] && [ "$last" -lt "$oldest" ] && [ "$last" -lt "$after" ] ||
        fail "gap $first..$last does not fit: last read $before, oldest left $oldest, our last $after"
[ "$(counter gaps "$TMP/klog")" -ge 1 ] || fail "gap counter"
find "$TMP/kspool" -name '*.json' -exec grep -l "oomlens-overrun" {} + 2>/dev/null | grep -q . &&
        fail "a report was made of the user-facility records"
ok "/dev/kmsg overrun: the hole ($first..$last) counted, bounded by what was overwritten"
echo PASS
