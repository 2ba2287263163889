#!/bin/bash
# oomlensd benchmark: kill-to-spool-file latency on real memcg OOM kills (root, memory cgroup;
# never a global OOM). One oomlensd on /dev/kmsg with the shipped configuration, a private
# journald (so the journal send is part of the path, as in production), N kills in child
# cgroups of our own (limit 32M). For each, the time from the kernel's "Killed process" record
# to the moment the report's file is renamed into the spool (inotify IN_MOVED_TO, read on
# CLOCK_MONOTONIC). The kill record's timestamp is on the kmsg clock (local_clock()), which
# drifts from CLOCK_MONOTONIC; the offset is measured with a probe record written to /dev/kmsg
# and the latency corrected by it (both figures are printed). Printed, never asserted.
#
#   tests/bench/daemon_latency.sh [N]          (default 20)
#   OOMLENSD=path/to/oomlensd  OOMLENSD_CONF=file (default: conf/oomlensd.conf, the shipped one;
#   its storm limit is lifted with a drop-in, Burst=0)
#   BENCH_TMPFS=1  spool and state on tmpfs: the daemon's own latency, without the disk's fsync
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OOMLENSD=${OOMLENSD:-$SRC/build/daemon/oomlensd}
N=${1:-20}
. "$SRC/tests/integration/lib/common.sh"
. "$SRC/tests/integration/lib/memcg-oom.sh"
[ -x "$OOMLENSD" ] || skip "oomlensd not found: set OOMLENSD"
need_root "/dev/kmsg, cgroups, mounts"
memcg_oom_supported || skip "memcg OOM not possible here: $MEMCG_WHY"
in_private_mount_ns "$@"
make_tmp
journald_start
on_exit memcg_oom_cleanup
# The shipped configuration, with the storm limit lifted (Burst=10 per minute would suppress
# most of N kills in a row: suppressed reports get no file, which is not what is measured).
CONF=$TMP/oomlensd.conf
cp "${OOMLENSD_CONF:-$SRC/conf/oomlensd.conf}" "$CONF"
mkdir "$CONF.d"
printf '[RateLimit]\nBurst=0\n' >"$CONF.d/bench.conf"

mkdir -p "$TMP/spool" "$TMP/state"
if [ -n "${BENCH_TMPFS:-}" ]; then
        # Without the disk: what the daemon itself takes (fsync on tmpfs returns at once).
        mount -t tmpfs -o size=64m tmpfs "$TMP/spool" && mount -t tmpfs -o size=1m tmpfs "$TMP/state" ||
                skip "cannot mount tmpfs"
        on_exit "umount -l '$TMP/spool' '$TMP/state'"
        echo "spool and state on tmpfs (BENCH_TMPFS=1)"
fi
"$OOMLENSD" -c "$CONF" -s "$TMP/spool" -S "$TMP/state" 2>"$TMP/log" &
pid=$!
on_exit "kill $pid 2>/dev/null"
sleep 1 # the ring buffer's backlog (earlier OOMs) is spooled first

# The watcher: every report file renamed into the spool, with its victim and the time seen.
python3 - "$TMP/spool" >"$TMP/seen" <<'PY' &
import ctypes, json, os, select, sys, time
spool = sys.argv[1]
libc = ctypes.CDLL("libc.so.6", use_errno=True)
fd = libc.inotify_init1(os.O_NONBLOCK)
IN_MOVED_TO = 0x80
assert libc.inotify_add_watch(fd, spool.encode(), IN_MOVED_TO) >= 0
p = select.poll()
p.register(fd, select.POLLIN)
deadline = time.monotonic() + 600
while time.monotonic() < deadline:
    if not p.poll(1000):
        continue
    seen = time.clock_gettime(time.CLOCK_MONOTONIC)
    buf = os.read(fd, 65536)
    off = 0
    while off < len(buf):
        wd, mask, cookie, ln = __import__("struct").unpack_from("iIII", buf, off)
        name = buf[off + 16:off + 16 + ln].rstrip(b"\0").decode()
        off += 16 + ln
        try:
            d = json.load(open(os.path.join(spool, name)))
        except (OSError, ValueError):
            continue
        memcg = (d.get("constraint") or {}).get("memcg") or ""
        print(name, (d.get("victim") or {}).get("pid"), memcg, "%.6f" % seen, flush=True)
PY
watcher=$!
on_exit "kill $watcher 2>/dev/null"
# The reference: a minimal /dev/kmsg reader (poll, read, note the time of each kill record).
# What it sees is the kernel's wake-up and this machine's scheduling delay, which no reader
# avoids; the daemon's own share is the difference.
python3 - >"$TMP/ref" <<'PY' &
import os, select, time
fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
os.lseek(fd, 0, os.SEEK_END)
p = select.poll()
p.register(fd, select.POLLIN)
deadline = time.monotonic() + 600
while time.monotonic() < deadline:
    p.poll(1000)
    while True:
        try:
            rec = os.read(fd, 16384)
        except BlockingIOError:
            break
        except BrokenPipeError:
            continue
        now = time.clock_gettime(time.CLOCK_MONOTONIC)
        head, _, text = rec.decode("utf-8", "replace").partition(";")
        if int(head.split(",")[0]) < 8 and "Killed process " in text:
            print(text.split("Killed process ")[1].split()[0], "%.6f" % now, flush=True)
PY
refpid=$!
on_exit "kill $refpid 2>/dev/null"
sleep 0.3

echo "== $N memcg OOM kills, $OOMLENSD, shipped configuration + [RateLimit] Burst=0"
killed=0
for i in $(seq "$N"); do
        memcg_oom_provoke "oomlens-lat-$$-$i" 32M && killed=$((killed + 1))
        # Apart by more than any wait (the old default ReaperWaitSec=1s): the next OOM's header
        # must not be what ends this report.
        sleep 1.5
done
sleep 2
memcg_oom_cleanup

# The offset of the kmsg clock from CLOCK_MONOTONIC, from one probe record (user facility).
PYTHONPATH=$LIB python3 - "$TMP/seen" "$$" "$TMP/ref" <<'PY'
import statistics, sys, time
import kmsg
seen_path, me, ref_path = sys.argv[1], sys.argv[2], sys.argv[3]
t0 = time.clock_gettime(time.CLOCK_MONOTONIC)
kmsg.write("<14>oomlens-latency-bench: clock probe\n")
t1 = time.clock_gettime(time.CLOCK_MONOTONIC)
kills, probe = {}, None
for prio, _, ts, text in kmsg.records():
    if "oomlens-latency-bench: clock probe" in text:
        probe = ts / 1e6
    elif prio < 8 and "Killed process " in text:
        kills[text.split("Killed process ")[1].split()[0]] = ts / 1e6
offset = (t0 + t1) / 2 - probe  # CLOCK_MONOTONIC - kmsg clock
ref_seen = dict(l.split() for l in open(ref_path))
raw, fixed, ref, own = [], [], [], []
for line in open(seen_path):
    name, victim, memcg, seen = line.split()
    if "/oomlens-lat-%s-" % me not in memcg or victim not in kills:
        continue
    raw.append((float(seen) - kills[victim]) * 1e3)
    fixed.append((float(seen) - offset - kills[victim]) * 1e3)
    if victim in ref_seen:
        ref.append((float(ref_seen[victim]) - offset - kills[victim]) * 1e3)
        own.append((float(seen) - float(ref_seen[victim])) * 1e3)
if not fixed:
    sys.exit("no report file matched a kill")
print("kmsg clock offset (CLOCK_MONOTONIC - kmsg timestamps): %.3f ms" % (offset * 1e3))
print("kill record -> spool file, %d kills: median %.2f ms, worst %.2f ms, best %.2f ms" % (
    len(fixed), statistics.median(fixed), max(fixed), min(fixed)))
print("  (uncorrected for the clock offset: median %.2f ms, worst %.2f ms)" % (statistics.median(raw), max(raw)))
print("  all (ms):", " ".join("%.1f" % x for x in sorted(fixed)))
if ref:
    print("reference reader (python, poll + read) got the kill record after: median %.2f ms, worst %.2f ms" % (
        statistics.median(ref), max(ref)))
    print("spool file after the reference reader got the record: median %.2f ms, worst %.2f ms" % (
        statistics.median(own), max(own)))
PY
echo "kills provoked: $killed"
kill -TERM $pid
wait $pid
