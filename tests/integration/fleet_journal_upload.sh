#!/bin/bash
# Fleets: oomlensd's journal entries ride systemd's own transport. A real journald in a private
# mount namespace receives the entries of oomlensd reading a recorded stream of real reports
# (tests/integration/lib/kmsg_stream.py: a kill in nginx.service, one in a Kubernetes
# container, a global kill, an allocation failure, a cut report, a gap);
# systemd-journal-upload sends that journal over http://127.0.0.1:PORT to
# systemd-journal-remote, which writes journal files into a directory. Then:
#   * every oomlens entry is there, and every field it carries (all OOM_*, MESSAGE, MESSAGE_ID,
#     PRIORITY) is byte-for-byte the one journald stored on the sending side;
#   * the collected files answer queries: journalctl --directory / --file with OOM_UNIT=,
#     OOM_POD_UID=, OOM_KIND= matches, and `oomlens journal --directory/--file` when this
#     build's oomlens has it (else journalctl alone, said in the output).
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
REMOTE_BIN=/lib/systemd/systemd-journal-remote
UPLOAD_BIN=/lib/systemd/systemd-journal-upload
[ -x $REMOTE_BIN ] || REMOTE_BIN=/usr/lib/systemd/systemd-journal-remote
[ -x $UPLOAD_BIN ] || UPLOAD_BIN=/usr/lib/systemd/systemd-journal-upload
[ -x $REMOTE_BIN ] && [ -x $UPLOAD_BIN ] || skip "systemd-journal-remote is not installed (scripts/lib.sh installs it)"
in_private_mount_ns "$@"
make_tmp
journald_start

python3 "$(dirname "$0")/lib/kmsg_stream.py" "$TMP/stream.kmsg" >"$TMP/expect.json" || fail "could not build the stream"
run_stream send "$TMP/stream.kmsg" --journal=yes || fail "oomlensd: exit $?"
n_files=$(spool_count "$RUN_DIR/spool")
[ "$n_files" = "$(json_get "$TMP/expect.json" "d['reports']")" ] || fail "expected a spool file per report, got $n_files"
[ "$(journal_wait $MID_REPORT "$n_files")" = "$n_files" ] || fail "local journal: not $n_files report entries"
[ "$(journal_wait $MID_GAP 1)" = 1 ] || fail "local journal: no gap entry"
journalctl --sync 2>/dev/null || true

# The receiver: HTTP on a free loopback port, journal files into a directory.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$TMP/remote"
$REMOTE_BIN --listen-http=127.0.0.1:$PORT --output="$TMP/remote/fleet.journal" --split-mode=none --compress=no \
        2>"$TMP/remote.log" &
RPID=$!
on_exit "kill $RPID 2>/dev/null; wait $RPID 2>/dev/null"
for _ in $(seq 100); do
        (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
        sleep 0.05
done
(exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null || fail "systemd-journal-remote is not listening: $(cat "$TMP/remote.log")"

# The sender: everything in the private journald's directory, then exit (no --follow).
$UPLOAD_BIN --url=http://127.0.0.1:$PORT --directory=/run/log/journal --follow=no \
        --save-state="$TMP/upload.state" >"$TMP/upload.log" 2>&1 || fail "systemd-journal-upload failed: $(cat "$TMP/upload.log")"
grep -q '^LAST_CURSOR=' "$TMP/upload.state" || fail "systemd-journal-upload saved no cursor"
kill -TERM $RPID
wait $RPID 2>/dev/null
REMOTE_FILES=("$TMP"/remote/*.journal)
[ -e "${REMOTE_FILES[0]}" ] || fail "systemd-journal-remote wrote no journal file: $(cat "$TMP/remote.log")"
ok "shipped over http://127.0.0.1:$PORT into ${REMOTE_FILES[*]##*/}"

# Field-for-field: the entries of both sides, by MESSAGE_ID, keyed by report id / gap seqnum.
journalctl --no-pager -o json MESSAGE_ID=$MID_REPORT MESSAGE_ID=$MID_GAP >"$TMP/local.json"
journalctl --no-pager -o json --directory="$TMP/remote" MESSAGE_ID=$MID_REPORT MESSAGE_ID=$MID_GAP >"$TMP/remote.json" ||
        fail "journalctl --directory cannot read the collected files"
python3 - "$TMP/local.json" "$TMP/remote.json" <<'EOF' >"$TMP/compare.out" || fail "$(cat "$TMP/compare.out")"
import json, sys

def load(path):
    out = {}
    for line in open(path):
        e = json.loads(line)
        key = e.get("OOM_REPORT_ID") or "gap-" + e.get("OOM_GAP_FIRST_SEQNUM", "?")
        if key in out:
            sys.exit("%s: %s twice" % (path, key))
        out[key] = e
    return out

local, remote = load(sys.argv[1]), load(sys.argv[2])
if not local:
    sys.exit("no local entries")
if set(local) != set(remote):
    sys.exit("entries differ: only local %s, only remote %s" % (sorted(set(local) - set(remote)), sorted(set(remote) - set(local))))
n = 0
for key, le in local.items():
    re_ = remote[key]
    fields = [f for f in le if f.startswith("OOM_")] + ["MESSAGE", "MESSAGE_ID", "PRIORITY", "SYSLOG_IDENTIFIER"]
    for f in fields:
        if le.get(f) != re_.get(f):
            sys.exit("%s: %s differs: local %r, remote %r" % (key, f, le.get(f), re_.get(f)))
        n += 1
    # journald's own fields travel too (who sent it, when): the same values on both sides.
    for f in ("_PID", "_COMM", "_EXE", "_UID", "_BOOT_ID", "_MACHINE_ID", "_TRANSPORT", "__REALTIME_TIMESTAMP"):
        if le.get(f) != re_.get(f):
            sys.exit("%s: %s differs: local %r, remote %r" % (key, f, le.get(f), re_.get(f)))
    extra = sorted(f for f in re_ if f.startswith("OOM_") and f not in le)
    if extra:
        sys.exit("%s: remote has fields the sender did not: %s" % (key, extra))
print("%d entries, %d fields identical (%d OOM_* field names)" % (len(local), n,
      len({f for e in local.values() for f in e if f.startswith("OOM_")})))
EOF
ok "$(cat "$TMP/compare.out")"

# Queries on the collected files: --directory and --file, by workload and by kind.
unit_id=$(journalctl --no-pager -o json --directory="$TMP/remote" MESSAGE_ID=$MID_REPORT OOM_UNIT=nginx.service |
        python3 -c 'import json,sys; print(" ".join(json.loads(l)["OOM_REPORT_ID"] for l in sys.stdin))')
[ -n "$unit_id" ] && [ "$(wc -w <<<"$unit_id")" = 1 ] || fail "OOM_UNIT=nginx.service: expected one entry, got '$unit_id'"
pod=$(json_get "$TMP/expect.json" "d['pod_uid']")
cid=$(json_get "$TMP/expect.json" "d['container_id']")
journalctl --no-pager -o json --file="${REMOTE_FILES[0]}" MESSAGE_ID=$MID_REPORT OOM_POD_UID="$pod" >"$TMP/pod.json"
[ "$(grep -c . "$TMP/pod.json")" = 1 ] || fail "--file OOM_POD_UID=$pod: $(grep -c . "$TMP/pod.json") entries"
[ "$(json_get "$TMP/pod.json" "d['OOM_CONTAINER_ID'], d['OOM_POD_QOS'], d['OOM_CONTAINER_RUNTIME']")" = "$cid burstable containerd" ] ||
        fail "--file OOM_POD_UID: wrong entry $(cat "$TMP/pod.json")"
n_memcg=$(journalctl --no-pager -o json --directory="$TMP/remote" MESSAGE_ID=$MID_REPORT OOM_KIND=memcg | grep -c .)
[ "$n_memcg" = 2 ] || fail "OOM_KIND=memcg: $n_memcg entries"
ok "journalctl --directory/--file on the collected files: OOM_UNIT=, OOM_POD_UID=, OOM_KIND= answer"

# oomlens journal reads the same entries on the collector: every report, and the workload
# fields survive the trip (a --unit match and the JSON summary's workload).
ids=$(journalctl --no-pager -o json --directory="$TMP/remote" MESSAGE_ID=$MID_REPORT |
        python3 -c 'import json,sys; print(" ".join(json.loads(l)["OOM_REPORT_ID"] for l in sys.stdin))')
[ -n "$ids" ] || fail "no report ids in the collected journal"
"$OOMLENS" journal --no-pager --directory "$TMP/remote" >"$TMP/oj-dir.out" 2>&1 ||
        fail "oomlens journal --directory: exit $?: $(cat "$TMP/oj-dir.out")"
"$OOMLENS" journal --no-pager --file "${REMOTE_FILES[0]}" >"$TMP/oj-file.out" 2>&1 ||
        fail "oomlens journal --file: exit $?: $(cat "$TMP/oj-file.out")"
for id in $ids; do
        grep -q -- "$id" "$TMP/oj-dir.out" || fail "oomlens journal --directory does not list $id: $(cat "$TMP/oj-dir.out")"
        grep -q -- "$id" "$TMP/oj-file.out" || fail "oomlens journal --file does not list $id"
done
"$OOMLENS" journal --no-pager --json --unit nginx.service --directory "$TMP/remote" >"$TMP/oj-unit.json" ||
        fail "oomlens journal --unit nginx.service found nothing on the collector"
python3 - "$TMP/oj-unit.json" "$unit_id" <<'PY' || fail "oomlens journal --unit: wrong reports or workload"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert rows and all(r["workload"]["unit"] == "nginx.service" for r in rows), rows
assert sys.argv[2] in [r["id"] for r in rows], (sys.argv[2], rows)
PY
ok "oomlens journal --directory and --file list all $(wc -w <<<"$ids") reports of the collected files; --unit finds nginx.service's"
echo "PASS"
