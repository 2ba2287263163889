#!/bin/bash
# End to end on the real thing: oomlensd reads /dev/kmsg, a real systemd-journald runs in a
# private mount namespace, and a real memcg OOM kill is provoked in a child of our own memory
# cgroup (limit 32M; never a global OOM). Expect one spool file and one journal entry for it,
# with the documented fields, read back with journalctl -o json MESSAGE_ID=...; print the
# latency from the kernel's kill record to the spool file.
set -u
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/memcg-oom.sh"
need_daemon
need_root "/dev/kmsg, cgroups, mounts"
[ -r /dev/kmsg ] || skip "/dev/kmsg not readable"
memcg_oom_supported || skip "memcg OOM not possible here: $MEMCG_WHY"
command -v python3 >/dev/null || skip "python3 needed for the hog"
in_private_mount_ns "$@"
make_tmp
journald_start
on_exit memcg_oom_cleanup

write_test_config "$TMP/test.conf"
CG=oomlensd-test-$$
"$OOMLENSD" -v -c "$TMP/test.conf" -s "$TMP/spool" -S "$TMP/state" 2>"$TMP/log" &
pid=$!
on_exit "kill $pid 2>/dev/null"
# READY: the daemon logs where it reads once kmsg is open, state loaded and the spool checked.
for _ in $(seq 100); do grep -q "reading /dev/kmsg" "$TMP/log" && break; sleep 0.05; done
grep -q "reading /dev/kmsg (kmsg device)" "$TMP/log" || { cat "$TMP/log"; fail "daemon did not start"; }
sleep 0.5 # let it work through the ring buffer's backlog (earlier OOMs are spooled too)

find "$TMP/spool" -name '*.json' >"$TMP/backlog" # earlier OOMs read from the ring buffer: not ours
# The watcher runs before the OOM is provoked, so it sees the file appear (5 ms polling, new
# names only) and timestamps it on CLOCK_MONOTONIC, the kmsg clock.
python3 - "$TMP/spool" "$CG" "$TMP/backlog" >"$TMP/seen" <<'PY' &
import glob, json, os, sys, time
spool, cg = sys.argv[1], sys.argv[2]
deadline = time.monotonic() + 30
known = set(open(sys.argv[3]).read().split())  # the backlog: parse none of it
while time.monotonic() < deadline:
    for p in glob.glob(os.path.join(spool, "*.json")):
        if p in known:
            continue
        seen = time.monotonic()
        known.add(p)
        try:
            d = json.load(open(p))
        except (OSError, ValueError):
            continue
        if (d.get("constraint") or {}).get("memcg", "").endswith("/" + cg):
            print(p, d["victim"]["pid"], int(seen * 1e6))
            sys.exit(0)
    time.sleep(0.005)
sys.exit(1)
PY
watcher=$!
sleep 0.3 # the watcher is polling
memcg_oom_provoke "$CG" 32M || fail "the hog was not OOM-killed"
wait $watcher || { cat "$TMP/log"; fail "no spool file for cgroup $CG"; }
result=$(cat "$TMP/seen")
set -- $result
file=$1 victim=$2 seen_usec=$3
[ "$(find "$TMP/spool" -name "*.json" -exec grep -l "/$CG\"" {} + | wc -l)" = 1 ] || fail "more than one file for $CG"

# The kill record's own timestamp (kmsg clock = CLOCK_MONOTONIC).
kill_usec=$(python3 - "$victim" <<'PY'
import os, sys, errno
fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
ts = None
while True:
    try:
        rec = os.read(fd, 16384).decode("utf-8", "replace")
    except OSError as e:
        if e.errno == errno.EAGAIN:
            break
        continue
    head, _, text = rec.partition(";")
    if "Killed process %s " % sys.argv[1] in text and int(head.split(",")[0]) < 8:
        ts = int(head.split(",")[2])
print(ts)
PY
)
[ "$kill_usec" != None ] || fail "kill record not found in /dev/kmsg"
lat_ms=$(( (seen_usec - kill_usec) / 1000 ))
echo "latency: kernel kill record -> spool file: ${lat_ms} ms (ReaperWaitSec=${TEST_REAPER_WAIT:-0})"
[ $lat_ms -ge 0 ] && [ $lat_ms -lt 10000 ] || fail "implausible latency ${lat_ms} ms"

# The entry is sent before the file is renamed into place, but journald writes it to its files
# asynchronously: wait for this victim's entry itself (not just any entry: the ring buffer's
# earlier OOMs are in the journal too), up to 20 s on a loaded machine.
entry=""
for _ in $(seq 200); do
        entry=$(journal_json $MID_REPORT "OOM_VICTIM_PID=$victim")
        [ -n "$entry" ] && break
        sleep 0.1
done
[ "$(echo "$entry" | grep -c .)" = 1 ] || fail "expected 1 journal entry for victim $victim, got $(echo "$entry" | grep -c .)"
echo "$entry" | python3 -c '
import json, sys
e = json.loads(sys.stdin.readline())
victim, cg, spool = sys.argv[1], sys.argv[2], sys.argv[3]
need = ["OOM_REPORT_ID", "OOM_KIND", "OOM_CAUSE", "OOM_VICTIM_PID", "OOM_VICTIM_COMM", "OOM_VICTIM_UID",
        "OOM_VICTIM_RSS_KB", "OOM_TRIGGER_COMM", "OOM_GFP_MASK", "OOM_ORDER", "OOM_CONSTRAINT", "OOM_MEMCG",
        "OOM_SPOOL_FILE", "OOM_KERNEL_SEQNUM", "PRIORITY", "MESSAGE"]
missing = [k for k in need if k not in e]
assert not missing, "missing fields: %s" % missing
assert e["OOM_VICTIM_PID"] == victim, e["OOM_VICTIM_PID"]
assert e["OOM_VICTIM_COMM"] == "python3", e["OOM_VICTIM_COMM"]
assert e["OOM_KIND"] == "memcg", e["OOM_KIND"]
assert e["OOM_CAUSE"] == "memcg_limit", e["OOM_CAUSE"]
assert e["OOM_CONSTRAINT"] in ("memcg", "CONSTRAINT_MEMCG"), e["OOM_CONSTRAINT"]
assert e["OOM_MEMCG"].endswith("/" + cg), e["OOM_MEMCG"]
assert e["OOM_SPOOL_FILE"] == spool, (e["OOM_SPOOL_FILE"], spool)
assert e["MESSAGE"].startswith("oom-kill: python3[%s] in " % victim), e["MESSAGE"]
assert "cgroup limit 32.0 MiB reached" in e["MESSAGE"], e["MESSAGE"]
print("journal:", e["MESSAGE"])
for k in need[:-2]:
    print("  %s=%s" % (k, e[k]))
' "$victim" "$CG" "$file" || fail "journal entry fields"
[ "$(json_get "$file" "d['id']")" = "$(basename "$file" .json)" ] || fail "file name is not the report id"
kill -TERM $pid
wait $pid || fail "SIGTERM: exit $?"
ok "real memcg OOM: 1 spool file, 1 journal entry with the documented fields"
echo PASS
