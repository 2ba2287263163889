#!/bin/bash
# Faults around oomlensd, each handled with one clear log line and never a crash loop (the
# daemon keeps running and retries, or exits once with a documented code systemd does not
# restart on):
#   - the spool directory removed while running: created again, the next report written there;
#   - the spool path taken by a file: reports wait in memory (journal entries still written),
#     logged once, written when the path is usable again;
#   - the state directory removed while running: created again, the position saved there;
#   - the state file corrupt, or from another boot: read from the start, the reports already
#     in the spool recognised (no second file, no second journal entry);
#   - (root) the state directory read-only: logged once, the daemon goes on, saves once writable;
#   - (root) /dev/kmsg unreadable (a user without CAP_SYSLOG, kernel.dmesg_restrict=1): exit 4
#     with the reason, and the unit does not restart on exit 4.
# Disk full and a read-only spool: tests/integration/daemon_disk_full.sh.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
private_journal "$@"
write_test_config "$TMP/test.conf"
SPOOL=$TMP/spool STATE=$TMP/state LOG=$TMP/log

for k in $(seq 9); do report_kmsg $k >"$TMP/r$k.kmsg"; done

start_daemon() { # start_daemon LOGFILE: on a FIFO whose writer end we hold (fd 9)
        rm -f "$TMP/kmsg.fifo"
        mkfifo "$TMP/kmsg.fifo"
        "$OOMLENSD" -v -c "$TMP/test.conf" --kmsg "$TMP/kmsg.fifo" -s "$SPOOL" -S "$STATE" --boot-id faults \
                --journal=$JOURNAL 2>"$1" &
        pid=$!
        exec 9>"$TMP/kmsg.fifo"
        for _ in $(seq 100); do grep -q "reading " "$1" && break; sleep 0.05; done
}
stop_daemon() {
        exec 9>&-
        kill -TERM $pid
        wait $pid || fail "$1: SIGTERM exit $?"
}
wait_files() { # wait_files N: until the spool holds N report files (10 s)
        for _ in $(seq 100); do [ "$(spool_count "$SPOOL" 2>/dev/null)" = "$1" ] && return 0; sleep 0.1; done
        return 1
}
has_pid() { grep -l "\"pid\": *$1," "$SPOOL"/*.json >/dev/null 2>&1; }
alive() { kill -0 $pid 2>/dev/null || { tail -5 "$LOG"; fail "the daemon died: $1"; }; }
once() { # once PATTERN WHAT: the log says it exactly once
        local n
        n=$(grep -c -- "$1" "$LOG")
        [ "$n" = 1 ] || { cat "$LOG"; fail "$2: logged $n times, expected once"; }
        echo "  log: $(grep -- "$1" "$LOG" | head -1 | sed 's/^oomlensd: //')"
}
on_exit "kill \$pid 2>/dev/null"

# Reports 1-3, then a clean stop.
start_daemon "$LOG"
cat "$TMP"/r[1-3].kmsg >&9
wait_files 3 || fail "reports 1-3 not written"
stop_daemon "first run"

# --- the state file corrupt, then from another boot: everything is read again (reports 1-4,
# as the ring buffer after a restart), nothing twice.
replay() { # replay LOG WHAT
        start_daemon "$1"
        cat "$TMP"/r[1-4].kmsg >&9
        exec 9>&-
        for _ in $(seq 100); do grep -q "end of input" "$1" && break; sleep 0.1; done
        kill -TERM $pid
        wait $pid || fail "$2: SIGTERM exit $?"
}
printf 'BOOT_ID=faults\nNEXT_SEQ=12\x00\xff garbage\n' >"$STATE/kmsg-state"
LOG=$TMP/log.corrupt
replay "$LOG" "corrupt state"
once "not a valid state file (corrupt or truncated): reading kmsg from its start" "corrupt state"
[ "$(counter duplicate "$LOG")" = 3 ] || { cat "$LOG"; fail "corrupt state: $(counter duplicate "$LOG") duplicates recognised, expected 3"; }
[ "$(spool_count "$SPOOL")" = 4 ] && has_pid 9004 || fail "corrupt state: not exactly reports 1-4 in the spool"
grep -q "^BOOT_ID=faults$" "$STATE/kmsg-state" && grep -q "^NEXT_SEQ=[0-9]*$" "$STATE/kmsg-state" ||
        fail "corrupt state not replaced by a valid one"
ok "corrupt state file: read from the start, 3 filed reports recognised, the new one written, state valid again"

printf 'BOOT_ID=0123456789abcdef0123456789abcdef\nNEXT_SEQ=99999999\n' >"$STATE/kmsg-state"
LOG=$TMP/log.boot
replay "$LOG" "other boot"
once "new boot faults (state was for 0123456789abcdef0123456789abcdef): reading kmsg from its start" "other boot"
[ "$(counter duplicate "$LOG")" = 4 ] || fail "other boot: $(counter duplicate "$LOG") duplicates recognised, expected 4"
[ "$(spool_count "$SPOOL")" = 4 ] || fail "other boot: files written twice"
ok "state of another boot: read from the start, all 4 filed reports recognised"

LOG=$TMP/log
start_daemon "$LOG"

# --- the spool directory removed while running.
rm -rf "$SPOOL"
cat "$TMP/r5.kmsg" >&9
wait_files 1 || { cat "$LOG"; fail "the removed spool was not created again for the next report"; }
has_pid 9005 || fail "report 5 is not in the new spool"
alive "spool removed"
once "the spool directory was removed or replaced; creating it again" "spool removed"
ok "spool removed while running: created again, the next report written into it"

# --- the spool path taken by a file: held in memory, logged once, written when fixed.
rm -rf "$SPOOL"
echo "not a directory" >"$SPOOL"
cat "$TMP/r6.kmsg" >&9
sleep 1.6 # three RetrySec=500ms rounds against it
alive "spool path is a file"
once "cannot use the spool directory: Not a directory" "spool unusable"
if [ $JOURNAL = yes ]; then
        [ "$(journal_wait $MID_REPORT 6)" -ge 6 ] || fail "no journal entry while the spool is unusable"
        journal_json $MID_REPORT OOM_VICTIM_PID=9006 | grep -q '"OOM_SPOOL_PENDING":"1"' ||
                fail "the journal entry does not say the file is pending"
fi
rm -f "$SPOOL"
wait_files 1 || { cat "$LOG"; fail "the held report was not written once the path was free"; }
has_pid 9006 || fail "report 6 not written after the spool came back"
once "the spool directory is usable again" "spool back"
ok "spool path taken by a file: report held (journal entry sent), written once the path was free"

# --- the state directory removed while running.
rm -rf "$STATE"
cat "$TMP/r7.kmsg" >&9
wait_files 2 || fail "report 7 not written"
for _ in $(seq 100); do grep -q "^NEXT_SEQ=" "$STATE/kmsg-state" 2>/dev/null && break; sleep 0.1; done
grep -q "^BOOT_ID=faults$" "$STATE/kmsg-state" 2>/dev/null || { cat "$LOG"; fail "the state was not saved again"; }
alive "state removed"
once "the state directory was removed or replaced; created it again" "state removed"
ok "state directory removed while running: created again, the position saved there"
stop_daemon "after the directory faults"

if [ $JOURNAL = yes ]; then
        journal_wait $MID_REPORT 7 >/dev/null
        journal_json $MID_REPORT | python3 -c '
import collections, json, sys
c = collections.Counter(json.loads(l)["OOM_VICTIM_PID"] for l in sys.stdin if l.strip())
assert sorted(c) == [str(9000 + k) for k in range(1, 8)], sorted(c)
assert max(c.values()) == 1, c
' || fail "journal: not exactly one entry per report through all of it"
        ok "journal: exactly one entry for each of the 7 reports through all of it"
fi

# --- root: the state directory read-only; /dev/kmsg unreadable.
if [ -z "${OOMLENS_IN_MOUNT_NS:-}" ]; then
        echo "SKIP: read-only state and unreadable /dev/kmsg need root"
        echo PASS
        exit 0
fi
rm -rf "$STATE"
mkdir -p "$STATE"
mount -t tmpfs -o size=1m tmpfs "$STATE" || fail "cannot mount a tmpfs for the state"
on_exit "umount -l '$STATE'"
LOG=$TMP/log.ro
start_daemon "$LOG"
mount -o remount,ro "$STATE" || fail "cannot remount read-only"
cat "$TMP/r8.kmsg" >&9
for _ in $(seq 100); do has_pid 9008 && break; sleep 0.1; done
has_pid 9008 || fail "no report file while the state is read-only"
sleep 1
cat "$TMP/r9.kmsg" >&9
for _ in $(seq 100); do has_pid 9009 && break; sleep 0.1; done
alive "state read-only"
once "could not save the kmsg position: Read-only file system" "state read-only"
mount -o remount,rw "$STATE"
for _ in $(seq 150); do grep -q "saved again" "$LOG" && break; sleep 0.1; done
once "the kmsg position is saved again" "state writable again"
grep -q "^NEXT_SEQ=" "$STATE/kmsg-state" || fail "state not saved after it became writable"
stop_daemon "read-only state"
ok "read-only state directory: logged once, reports still written, the position saved once writable"

if [ "$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)" = 1 ] && command -v setpriv >/dev/null; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all "$OOMLENSD" -s "$TMP/nb-spool" \
                -S "$TMP/nb-state" --journal=no 2>"$TMP/log.kmsg"
        rc=$?
        [ $rc = 4 ] || fail "unreadable /dev/kmsg: exit $rc, expected 4 ($(cat "$TMP/log.kmsg"))"
        grep -q "/dev/kmsg: cannot open: Operation not permitted" "$TMP/log.kmsg" || fail "no clear message: $(cat "$TMP/log.kmsg")"
        echo "  log: $(cat "$TMP/log.kmsg")"
        grep -Eq '^RestartPreventExitStatus=.*\b4\b' "$OOMLENS_SRC/systemd/oomlensd.service.in" ||
                fail "the unit would restart oomlensd into the same exit 4"
        ok "/dev/kmsg unreadable: exit 4 with the reason; the unit does not restart on it"
else
        echo "SKIP: unreadable /dev/kmsg (needs kernel.dmesg_restrict=1 and setpriv)"
fi
echo PASS
