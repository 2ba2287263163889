#!/bin/bash
# [Metrics] TextfileDirectory=: oomlensd writes oomlens.prom for node_exporter's textfile
# collector. Checked by parsing the file with the Prometheus client library's own parser
# (Debian's python3-prometheus-client) after the daemon read a recorded stream of real reports
# (tests/integration/lib/kmsg_stream.py: 2 memcg kills, a global kill, an allocation failure, a
# cut report, a sequence gap, 79 records forged by userspace):
#   * every family has HELP and TYPE, names and units follow the conventions;
#   * each value equals what the stream holds and what the daemon did (its spool files, its
#     counters at exit); the last-kill time equals the newest kill's spool name time;
#   * with root: spool write errors (a full tmpfs) are counted;
#   * live on a FIFO: written at start and after a report, not rewritten while idle, moved by a
#     SIGHUP that changes TextfileDirectory=, final values at SIGTERM.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
PY=
for p in /usr/bin/python3 python3; do
        if "$p" -c 'import prometheus_client.parser' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || skip "python3-prometheus-client is not installed (scripts/lib.sh installs it)"
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
        in_private_mount_ns "$@"
fi
make_tmp
T0=$(date +%s)

OOMLENS_DATA=$OOMLENS_DATA "$PY" "$(dirname "$0")/lib/kmsg_stream.py" "$TMP/stream.kmsg" >"$TMP/expect.json" ||
        fail "could not build the stream"

conf() { # conf FILE METRICS_DIR
        write_test_config "$1"
        printf '[Metrics]\nTextfileDirectory=%s\n' "$2" >>"$1"
}

# check.py PROM EXPECT SPOOL LOG: parse, then compare; prints one line per check.
cat >"$TMP/check.py" <<'EOF'
import datetime, glob, json, os, re, sys
from prometheus_client.parser import text_string_to_metric_families

prom, expect_file, spool, log = sys.argv[1:5]
mode = sys.argv[5] if len(sys.argv) > 5 else "full"
text = open(prom).read()
exp = json.load(open(expect_file))
bad = []

def check(cond, what):
    print(("ok" if cond else "FAIL") + ": " + what)
    if not cond:
        bad.append(what)

fams = {f.name: f for f in text_string_to_metric_families(text)}
# Conventions: oomlens_ prefix, HELP on every family, counters' samples end in _total,
# timestamps in seconds; every HELP/TYPE line precedes its samples (the parser enforces it).
for name, f in fams.items():
    check(name.startswith("oomlens_"), "prefix: " + name)
    check(bool(f.documentation), "HELP: " + name)
    check(f.type in ("counter", "gauge"), "TYPE %s: %s" % (f.type, name))
    for s in f.samples:
        if f.type == "counter":
            check(s.name.endswith("_total"), "counter sample ends in _total: " + s.name)
        check(s.value >= 0, "non-negative: %s %s" % (s.name, s.value))
check(all(re.match(r"^[a-z_]+$", l) for f in fams.values() for s in f.samples for l in s.labels), "label names")

def value(name, **labels):
    for f in fams.values():
        for s in f.samples:
            if s.name == name and s.labels == labels:
                return s.value
    return None

counters = dict(re.findall(r" (\w+)=(\d+)", [l for l in open(log) if "counters:" in l][-1]))
files = sorted(glob.glob(os.path.join(spool, "*.json")))
reports = [json.load(open(f)) for f in files]

if mode == "full":
    # What the stream holds (kmsg_stream.py) ...
    check(value("oomlens_reports_total") == exp["reports"], "reports_total == %d" % exp["reports"])
    check(value("oomlens_reports_incomplete_total") == exp["incomplete"], "reports_incomplete_total == %d" % exp["incomplete"])
    check(value("oomlens_kmsg_gaps_total") == exp["gaps"], "kmsg_gaps_total == %d" % exp["gaps"])
    check(value("oomlens_kmsg_records_lost_total") == exp["records_lost"], "kmsg_records_lost_total == %d" % exp["records_lost"])
    check(value("oomlens_kmsg_userspace_records_total") == exp["userspace_records"],
          "kmsg_userspace_records_total == %d (forged)" % exp["userspace_records"])
    check(value("oomlens_kills_total", kind="memcg", cause="memcg_limit") == 2, "kills{memcg,memcg_limit} == 2")
    check(value("oomlens_kills_total", kind="global", cause="userspace_memory") == 1, "kills{global,userspace_memory} == 1")
    check(value("oomlens_spool_errors_total") == 0, "spool_errors_total == 0")
    check(value("oomlens_spool_files_written_total") == len(files), "spool_files_written_total == %d files" % len(files))

# ... and what the daemon did: per kind and primary cause as its own spool files say.
kills, fails = {}, {}
for r in reports:
    cause = [c["code"] for c in r["analysis"]["causes"] if c["primary"]][0]
    if r["victim"] is not None:
        kills[(r["kind"], cause)] = kills.get((r["kind"], cause), 0) + 1
    elif r["kind"] == "alloc_failure":
        fails[cause] = fails.get(cause, 0) + 1
for f in fams.values():
    for s in f.samples:
        if s.name == "oomlens_kills_total":
            want = kills.get((s.labels["kind"], s.labels["cause"]), 0)
            if mode == "full":
                check(s.value == want, "kills%s == %d (spool)" % (s.labels, want))
            elif want:  # files still pending are counted too
                check(s.value >= want, "kills%s >= %d (spool)" % (s.labels, want))
        if s.name == "oomlens_allocation_failures_total" and mode == "full":
            check(s.value == fails.get(s.labels["cause"], 0), "allocation_failures%s (spool)" % s.labels)
for m, c in [("oomlens_reports_total", "reports"), ("oomlens_reports_incomplete_total", "incomplete"),
             ("oomlens_reports_unanalysable_total", "unanalysable"), ("oomlens_reports_suppressed_total", "suppressed"),
             ("oomlens_kmsg_gaps_total", "gaps"), ("oomlens_kmsg_records_lost_total", "lost"),
             ("oomlens_kmsg_userspace_records_total", "ignored_facility"), ("oomlens_spool_errors_total", "file_errors"),
             ("oomlens_spool_files_written_total", "files"), ("oomlens_spool_pending_files", "pending"),
             ("oomlens_journal_errors_total", "journal_errors")]:
    check(value(m) == int(counters[c]), "%s == daemon counter %s=%s" % (m, c, counters[c]))

# The last kill: the newest kill's time, the clock mapping of its spool file name.
stamps = [datetime.datetime.strptime(os.path.basename(f)[:16], "%Y%m%dT%H%M%SZ").replace(
          tzinfo=datetime.timezone.utc).timestamp() for f, r in zip(files, reports) if r["victim"] is not None]
last = value("oomlens_last_kill_timestamp_seconds")
if stamps and mode == "full":
    check(last is not None and abs(last - max(stamps)) < 1.5, "last_kill_timestamp_seconds %s ~ %s" % (last, max(stamps)))
start = value("oomlens_start_time_seconds")
check(start is not None and int(os.environ["T0"]) - 1 <= start <= datetime.datetime.now().timestamp() + 1,
      "start_time_seconds %s within the test" % start)
sys.exit(1 if bad else 0)
EOF
check() { T0=$T0 "$PY" "$TMP/check.py" "$@" >"$TMP/check.out" || fail "$(grep FAIL "$TMP/check.out" | head -5)"; }

# --- the recorded stream through --oneshot.
mkdir -p "$TMP/prom"
conf "$TMP/test.conf" "$TMP/prom"
run_stream oneshot "$TMP/stream.kmsg" --journal=no || fail "oneshot: exit $?"
[ -f "$TMP/prom/oomlens.prom" ] || fail "no $TMP/prom/oomlens.prom: $(cat "$RUN_LOG")"
[ "$(stat -c %a "$TMP/prom/oomlens.prom")" = 644 ] || fail "mode $(stat -c %a "$TMP/prom/oomlens.prom"), node_exporter must read it"
[ "$(find "$TMP/prom" -mindepth 1 | wc -l)" = 1 ] || fail "left in the directory: $(ls -A "$TMP/prom")"
check "$TMP/prom/oomlens.prom" "$TMP/expect.json" "$RUN_DIR/spool" "$RUN_LOG"
ok "oneshot: $(grep -c '^ok' "$TMP/check.out") checks on the parsed file ($(grep -vc '^#' "$TMP/prom/oomlens.prom") samples)"
cp "$TMP/prom/oomlens.prom" "$TMP/oneshot.prom"

# --- spool write errors: a spool on a tmpfs too small for the reports (needs root).
if [ -n "${OOMLENS_IN_MOUNT_NS:-}" ]; then
        mkdir -p "$TMP/full/spool" "$TMP/promfull"
        mount -t tmpfs -o size=12k tmpfs "$TMP/full/spool" || fail "cannot mount a small tmpfs"
        on_exit "umount $TMP/full/spool"
        conf "$TMP/full.conf" "$TMP/promfull"
        cp "$TMP/full.conf" "$TMP/test.conf"
        run_stream full "$TMP/stream.kmsg" --journal=no || fail "full: exit $?"
        errs=$(counter file_errors "$RUN_LOG")
        [ "${errs:-0}" -gt 0 ] || fail "full: no spool error happened: $(grep counters "$RUN_LOG")"
        check "$TMP/promfull/oomlens.prom" "$TMP/expect.json" "$RUN_DIR/spool" "$RUN_LOG" partial
        ok "full spool: oomlens_spool_errors_total $(grep '^oomlens_spool_errors_total' "$TMP/promfull/oomlens.prom" | cut -d' ' -f2), pending $(grep '^oomlens_spool_pending_files' "$TMP/promfull/oomlens.prom" | cut -d' ' -f2)"
else
        echo "skip: spool errors (needs root for a small tmpfs)"
fi

# --- live on a FIFO: when the file is written.
RUN_DIR=$TMP/live
mkdir -p "$RUN_DIR" "$TMP/prom2" "$TMP/prom3"
rm -f "$TMP/prom/oomlens.prom"
mkfifo "$RUN_DIR/kmsg.fifo"
conf "$RUN_DIR/c.conf" "$TMP/prom2"
first=$(json_get "$TMP/expect.json" "d['first_part_lines']")
"$OOMLENSD" -v -c "$RUN_DIR/c.conf" --kmsg "$RUN_DIR/kmsg.fifo" -s "$RUN_DIR/spool" -S "$RUN_DIR/state" --journal=no \
        2>"$RUN_DIR/log" &
pid=$!
on_exit "kill $pid 2>/dev/null"
exec 3>"$RUN_DIR/kmsg.fifo"
prom_value() { grep "^$1 " "$2" 2>/dev/null | cut -d' ' -f2; }
wait_value() { # wait_value METRIC VALUE FILE
        for _ in $(seq 200); do [ "$(prom_value "$1" "$3")" = "$2" ] && return 0; sleep 0.1; done
        return 1
}
wait_value oomlens_reports_total 0 "$TMP/prom2/oomlens.prom" || fail "live: not written at start: $(cat "$RUN_DIR/log")"
head -n "$first" "$TMP/stream.kmsg" >&3
wait_value oomlens_reports_total 1 "$TMP/prom2/oomlens.prom" || fail "live: not written after the first report"
ino=$(stat -c %i "$TMP/prom2/oomlens.prom")
sleep 3 # longer than the 2 s write interval: an idle daemon must not rewrite it
[ "$(stat -c %i "$TMP/prom2/oomlens.prom")" = "$ino" ] || fail "live: rewritten while nothing changed"
ok "live: written at start and after the first report, not rewritten while idle"
# A reload that moves the file: the new directory gets it without waiting for a report.
conf "$RUN_DIR/c.conf" "$TMP/prom3"
kill -HUP $pid
wait_value oomlens_reports_total 1 "$TMP/prom3/oomlens.prom" || fail "live: not written to the new directory after SIGHUP"
tail -n "+$((first + 1))" "$TMP/stream.kmsg" >&3
wait_value oomlens_reports_total 4 "$TMP/prom3/oomlens.prom" || fail "live: values did not follow the stream"
exec 3>&-
kill -TERM $pid
wait $pid || fail "live: exit $?"
RUN_LOG=$RUN_DIR/log
check "$TMP/prom3/oomlens.prom" "$TMP/expect.json" "$RUN_DIR/spool" "$RUN_LOG"
[ "$(prom_value oomlens_reports_total "$TMP/prom2/oomlens.prom")" = 1 ] || fail "live: the old directory's file changed after the move"
ok "live: moved by SIGHUP, final values at SIGTERM ($(grep -c '^ok' "$TMP/check.out") checks)"
echo "PASS"
