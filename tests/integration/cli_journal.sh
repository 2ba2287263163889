#!/bin/bash
# oomlens journal on what the real oomlensd sent to a real systemd-journald (private mount
# namespace): the same reports as the spool, read with sd-journal, with the matches, --json,
# --directory and --file on the journal files, and -b across two boots (the second boot made
# by bind-mounting another boot id over /proc/sys/kernel/random/boot_id in the namespace and
# restarting journald, which stamps _BOOT_ID from it).
set -u
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/cli.sh"
need_daemon
need_root "journald in a private mount namespace"
[ -x "${OOMLENS:-}" ] || skip "OOMLENS not set"
command -v python3 >/dev/null || skip "python3 needed"
in_private_mount_ns "$@"
make_tmp
journald_start
export TZ=UTC0
O=$OOMLENS
JDIR=/run/log/journal/$(cat /etc/machine-id 2>/dev/null)

mixed_stream "$TMP/mixed.kmsg"
run_stream mixed "$TMP/mixed.kmsg" || fail "daemon exit $?"
S=$RUN_DIR/spool
[ "$(journal_wait $MID_REPORT 6)" -ge 6 ] || fail "6 journal entries expected"

# --- the same list as the spool's ----------------------------------------------------------------
"$O" journal --no-pager >"$TMP/j" || fail "journal exit $?"
cat "$TMP/j"
head -1 "$TMP/j" | grep -qE '^TIME +KIND +CAUSE +VICTIM +UNIT +RSS ID$' || fail "journal header"
# TIME is the entry's (when oomlensd logged it), the name's is the kernel record's: compare the rest
"$O" list --spool-dir "$S" --no-legend | cut -c29- | sed 's/  */ /g' >"$TMP/l.cols"
tail -n +2 "$TMP/j" | cut -c29- | sed 's/  */ /g' >"$TMP/j.cols"
diff "$TMP/l.cols" "$TMP/j.cols" || fail "journal and spool list differ"
ok "journal: the 6 reports, the same kind, cause, victim, unit, RSS and id as the spool's list"

count() { "$O" journal --no-legend "$@" | grep -c .; }
[ "$(count --cause fragmentation)" = 2 ] || fail "--cause"
[ "$(count --kind alloc_failure)" = 1 ] || fail "--kind"
[ "$(count --comm 'pipe*')" = 2 ] || fail "--comm"
[ "$(count --unit /lab)" = 1 ] || fail "--unit"
[ "$(count -n 2)" = 2 ] || fail "-n"
[ "$(count --since -1h)" = 6 ] || fail "--since -1h"
"$O" journal --since tomorrow >/dev/null
[ $? = 1 ] || fail "--since tomorrow: none, exit 1"
[ "$(count --until -1h)" = 0 ] || fail "--until -1h"
"$O" journal --spool-dir "$S" 2>"$TMP/err"
[ $? = 2 ] && grep -q -- "--spool-dir is not an option of this command" "$TMP/err" || fail "journal --spool-dir"
"$O" journal --json | python3 -c '
import json, sys
spool = sys.argv[1]
rows = [json.loads(l) for l in sys.stdin]
assert len(rows) == 6, len(rows)
for r in rows:
    d = json.load(open("%s/%s.json" % (spool, r["id"])))
    assert r["spool_file"] == "%s/%s.json" % (spool, r["id"]), r["spool_file"]
    assert r["kind"] == d["kind"], (r["kind"], d["kind"])
    assert r["cause"] == [c["code"] for c in d["analysis"]["causes"] if c["primary"]][0]
    if d["victim"]:
        assert r["victim"]["pid"] == d["victim"]["pid"] and r["victim"]["comm"] == d["victim"]["comm"]
        assert r["victim"]["rss_kb"] == d["victim"]["rss_kb"]
    else:
        assert r["victim"] is None and r["trigger"]["comm"] == d["trigger"]["comm"]
    assert len(r["boot"]) == 32 and r["time_usec"] > 0 and r["seq"] == d["seq"]
print("ok: journal --json: every summary matches its spool file")
' "$S" || fail "journal --json"

# --- the journal files themselves, as collected from another machine ----------------------------------
[ -d "$JDIR" ] || fail "no journal directory $JDIR"
[ "$(count --directory "$JDIR")" = 6 ] || fail "--directory"
[ "$(count -D "$JDIR" --cause cma_unusable)" = 1 ] || fail "-D with a match"
[ "$(count --file "$JDIR/*.journal")" = 6 ] || fail "--file with a glob"
"$O" journal --directory "$TMP" 2>/dev/null
[ $? = 1 ] || fail "--directory without journal files: none"
"$O" journal --directory "$JDIR" --file x 2>/dev/null
[ $? = 2 ] || fail "--directory and --file"
ok "journal --directory, --file (globs) on the journal files"

# --- boots ---------------------------------------------------------------------------------------
boot1=$(tr -d '-' </proc/sys/kernel/random/boot_id)
[ "$(count -b)" = 6 ] && [ "$(count -b 0)" = 6 ] && [ "$(count --boot="$boot1")" = 6 ] && [ "$(count -b "${boot1:0:8}")" = 6 ] ||
        fail "-b: this boot"
"$O" journal -b -1 2>"$TMP/err"
[ $? = 2 ] && grep -q "no boot -1" "$TMP/err" || fail "-b -1 with one boot"

# A second boot: journald restarted with another boot id, and two more reports.
kill "$JOURNALD_PID"
wait "$JOURNALD_PID" 2>/dev/null
boot2=0123456789abcdef0123456789abcdef
echo "01234567-89ab-cdef-0123-456789abcdef" >"$TMP/boot_id"
mount --bind "$TMP/boot_id" /proc/sys/kernel/random/boot_id || skip "cannot bind-mount a boot id"
on_exit "umount /proc/sys/kernel/random/boot_id"
[ "$(tr -d '-' </proc/sys/kernel/random/boot_id)" = "$boot2" ] || fail "boot id not replaced"
rm -f /run/systemd/journal/socket /run/systemd/journal/stdout /run/systemd/journal/dev-log
/lib/systemd/systemd-journald >/dev/null 2>&1 &
JOURNALD_PID=$!
on_exit "kill $JOURNALD_PID 2>/dev/null; wait $JOURNALD_PID 2>/dev/null"
for _ in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
run_stream gap "$KMSG_DATA/gap.kmsg" || fail "daemon (second boot) exit $?"
[ "$(journal_wait $MID_REPORT 8)" -ge 8 ] || fail "8 journal entries expected"

[ "$(count)" = 8 ] || fail "both boots"
[ "$(count -b)" = 2 ] || fail "-b: the second boot's 2"
[ "$(count -b -1)" = 6 ] || fail "-b -1: the first boot's 6"
[ "$(count -b 1)" = 6 ] && [ "$(count -b 2)" = 2 ] || fail "-b 1, -b 2 (from the oldest)"
[ "$(count -b "$boot1")" = 6 ] && [ "$(count -b "01234567-89ab-cdef-0123-456789abcdef")" = 2 ] || fail "-b ID"
"$O" journal -b -1 --no-legend | awk '{print $6}' | grep -qx cma_unusable || fail "-b -1 content"
"$O" journal -b --no-legend | awk '{print $7}' | sort | tr '\n' ' ' | grep -qx 'python3\[8101\] python3\[8102\] ' ||
        fail "-b content"
# For files from elsewhere "this boot" is the newest boot in them.
[ "$(count -D "$JDIR" -b)" = 2 ] && [ "$(count -D "$JDIR" -b -1)" = 6 ] || fail "-D with -b"
"$O" journal -b -2 2>/dev/null
[ $? = 2 ] || fail "-b -2 with two boots"
ok "journal -b: this boot, -1, from the oldest, by id (also on --directory)"
echo PASS
