#!/bin/bash
# oomlensd on recorded kmsg streams fed through a FIFO (--kmsg): gaps, continuation fragments,
# interleaved reports, partial reports, a flood of 100 000 records with reports inside, and a
# report forged by userspace (facility user). With root, a real journald runs in a private
# mount namespace and the journal entries are checked too.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
private_journal "$@"

files() { find "$RUN_DIR/spool" -maxdepth 1 -name '*.json' ! -name '.*' | sort; }

# --- gaps: 10 records lost inside report A, 100 between reports. The stream has printk caller
# ids, so A goes on across its hole: one report, marked spans_gap and incomplete (without them
# it would be cut in two: daemon_overrun.sh).
run_stream gap "$KMSG_DATA/gap.kmsg" --journal=$JOURNAL || fail "gap: exit $?"
[ "$(spool_count "$RUN_DIR/spool")" = 2 ] || fail "gap: expected 2 files, got $(spool_count "$RUN_DIR/spool")"
mapfile -t F < <(files)
[ "$(json_get "${F[0]}" "d['spans_gap'], d['complete'], d['victim']['pid']")" = "True False 8101" ] ||
        fail "gap: report A not marked spans_gap and incomplete"
[ "$(json_get "${F[1]}" "d['spans_gap'], d['victim']['pid'], d['complete']")" = "False 8102 True" ] || fail "gap: second report wrong"
[ "$(counter gaps "$RUN_LOG")" = 2 ] && [ "$(counter lost "$RUN_LOG")" = 110 ] || fail "gap: counters $(grep counters "$RUN_LOG")"
if [ $JOURNAL = yes ]; then
        # Both holes fall within one second: one coalesced entry.
        [ "$(journal_wait $MID_GAP 1)" = 1 ] || fail "gap: expected 1 coalesced gap journal entry"
        journal_json $MID_GAP | grep '"OOM_GAP_RECORDS":"110"' | grep -q '"OOM_GAP_EVENTS":"2"' ||
                fail "gap: entry does not sum up 110 records in 2 gaps: $(journal_json $MID_GAP)"
        journal_json $MID_REPORT OOM_VICTIM_PID=8101 | grep -q '"OOM_SPANS_GAP":"1"' || fail "gap: report entry lacks OOM_SPANS_GAP"
fi
ok "gaps: 2 reports, the one with a hole marked spans_gap and incomplete, one entry for both holes"

# --- continuation fragments ('c' + '+' records) of the kill line are joined.
run_stream fragments "$KMSG_DATA/fragments.kmsg" --journal=no || fail "fragments: exit $?"
mapfile -t F < <(files)
[ ${#F[@]} = 1 ] || fail "fragments: expected 1 file, got ${#F[@]}"
[ "$(json_get "${F[0]}" "d['victim']['pid'], d['victim']['total_vm_kb'], d['victim']['anon_rss_kb'], d['complete']")" = "8012 221368 32384 True" ] ||
        fail "fragments: kill line not joined: $(json_get "${F[0]}" "d['victim']")"
ok "fragments: the split kill line was joined (victim fields complete)"

# --- two OOM dumps interleaved record by record (caller ids), plus noise.
run_stream interleave "$KMSG_DATA/interleave.kmsg" --journal=no || fail "interleave: exit $?"
mapfile -t F < <(files)
[ ${#F[@]} = 2 ] || fail "interleave: expected 2 files, got ${#F[@]}"
pids=$(for f in "${F[@]}"; do json_get "$f" "d['victim']['pid']"; done | sort | tr '\n' ' ')
[ "$pids" = "8012 9013 " ] || fail "interleave: victims $pids"
for f in "${F[@]}"; do
        [ "$(json_get "$f" "d['complete'], len(d['tasks']) > 0")" = "True True" ] || fail "interleave: $f incomplete"
done
ok "interleave: 2 complete reports with distinct victims"

# --- partial reports: one cut before its kill line (quiet timeout on the stream clock), a
# whole one, one cut by the end of input (flushed at EOF).
run_stream partial "$KMSG_DATA/partial.kmsg" --journal=no || fail "partial: exit $?"
mapfile -t F < <(files)
[ ${#F[@]} = 3 ] || fail "partial: expected 3 files, got ${#F[@]}"
got=$(for f in "${F[@]}"; do json_get "$f" "d['complete']"; done | tr '\n' ' ')
[ "$got" = "False True False " ] || fail "partial: complete flags $got"
[ "$(json_get "${F[1]}" "d['victim']['pid']")" = 8202 ] || fail "partial: whole report victim"
[ "$(counter incomplete "$RUN_LOG")" = 2 ] || fail "partial: incomplete counter"
ok "partial: cut reports emitted marked incomplete, whole one complete"

# --- a report written by userspace (facility user): never a kill record, but counted.
run_stream forged "$KMSG_DATA/forged.kmsg" --journal=$JOURNAL || fail "forged: exit $?"
[ "$(spool_count "$RUN_DIR/spool")" = 0 ] || fail "forged: a userspace report produced a file"
[ "$(counter ignored_facility "$RUN_LOG")" = 79 ] || fail "forged: ignored_facility $(counter ignored_facility "$RUN_LOG")"
[ "$(counter reports "$RUN_LOG")" = 0 ] || fail "forged: counted as a report"
ok "forged: 79 user-facility records ignored, no file, no report"

# --- flood: 100 000 ordinary records with 3 reports inside.
python3 "$KMSG_DATA/make-variants.py" flood 100000 3 >"$TMP/flood.kmsg"
start=$(date +%s.%N)
run_stream flood "$TMP/flood.kmsg" --journal=$JOURNAL || fail "flood: exit $?"
end=$(date +%s.%N)
[ "$(spool_count "$RUN_DIR/spool")" = 3 ] || fail "flood: expected 3 files, got $(spool_count "$RUN_DIR/spool")"
[ "$(counter records "$RUN_LOG")" = "$(wc -l <"$TMP/flood.kmsg")" ] || fail "flood: records $(counter records "$RUN_LOG")"
if [ $JOURNAL = yes ]; then
        n=$(journal_wait $MID_REPORT 5) # gap (2 victims) + flood (3)
        [ "$n" -ge 5 ] || fail "flood: journal has $n report entries"
        for p in 20000 20001 20002; do
                journal_json $MID_REPORT OOM_VICTIM_PID=$p | grep -q '"OOM_KIND":"memcg"' || fail "flood: no journal entry for victim $p"
        done
fi
printf 'ok: flood: %s records, 3 reports in %.2fs\n' "$(counter records "$RUN_LOG")" "$(awk "BEGIN{print $end - $start}")"
[ "$(temp_count "$RUN_DIR/spool")" = 0 ] || fail "temp files left behind"

# --- storm: 12 reports against Burst=3 per hour: 3 files and entries, one summary, all counted.
python3 "$KMSG_DATA/make-variants.py" flood 2000 12 >"$TMP/storm.kmsg"
printf '[RateLimit]\nBurst=3\nIntervalSec=1h\n[Spool]\nKeepFree=0\n' >"$TMP/storm.conf"
RUN_DIR=$TMP/storm
mkdir -p "$RUN_DIR" && mkfifo "$RUN_DIR/kmsg.fifo"
"$OOMLENSD" -v -c "$TMP/storm.conf" --kmsg "$RUN_DIR/kmsg.fifo" -s "$RUN_DIR/spool" -S "$RUN_DIR/state" \
        --journal=$JOURNAL --oneshot 2>"$RUN_DIR/log" &
pid=$!
cat "$TMP/storm.kmsg" >"$RUN_DIR/kmsg.fifo"
wait $pid || fail "storm: exit $?"
[ "$(spool_count "$RUN_DIR/spool")" = 3 ] || fail "storm: expected 3 files, got $(spool_count "$RUN_DIR/spool")"
[ "$(counter reports "$RUN_DIR/log")" = 12 ] && [ "$(counter suppressed "$RUN_DIR/log")" = 9 ] ||
        fail "storm: counters $(grep counters "$RUN_DIR/log")"
if [ $JOURNAL = yes ]; then
        [ "$(journal_wait $MID_SUPPRESSED 1)" = 1 ] || fail "storm: expected one summary entry"
        journal_json $MID_SUPPRESSED | grep -q '"OOM_SUPPRESSED":"9"' || fail "storm: summary does not count 9"
fi
ok "storm: 12 reports, 3 written, 9 suppressed and summarised once"
echo "PASS"
