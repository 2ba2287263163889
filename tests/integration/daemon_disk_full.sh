#!/bin/bash
# Disk full, then read-only: oomlensd keeps running, still writes the journal entry, leaves no
# partial file, and writes the file once space returns. The spool is a tiny tmpfs and journald
# a real one, both in a private mount namespace.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
need_root "tmpfs mounts"
in_private_mount_ns "$@"
make_tmp
journald_start

SPOOL=$TMP/spool
mkdir -p "$SPOOL"
mount -t tmpfs -o size=256k,mode=0750 tmpfs "$SPOOL" || skip "cannot mount a tmpfs"
on_exit "umount -l '$SPOOL'"
dd if=/dev/zero of="$SPOOL/filler" bs=4k 2>/dev/null # until ENOSPC
[ "$(df --output=avail "$SPOOL" | tail -1)" -lt 8 ] || fail "could not fill the spool"
write_test_config "$TMP/test.conf"
mkfifo "$TMP/kmsg.fifo"

"$OOMLENSD" -v -c "$TMP/test.conf" --kmsg "$TMP/kmsg.fifo" -s "$SPOOL" -S "$TMP/state" 2>"$TMP/log" &
pid=$!
on_exit "kill $pid 2>/dev/null"
cat "$KMSG_DATA/memcg-6.18.kmsg" >"$TMP/kmsg.fifo" # EOF: the daemon flushes and keeps running

[ "$(journal_wait $MID_REPORT 1)" -ge 1 ] || { cat "$TMP/log"; fail "no journal entry while the disk is full"; }
journal_json $MID_REPORT | grep -q '"OOM_SPOOL_PENDING":"1"' || fail "journal entry does not say the file is pending"
sleep 1.2 # a few retries (RetrySec=500ms) against the full disk
kill -0 $pid 2>/dev/null || fail "daemon died on a full disk"
[ "$(spool_count "$SPOOL")" = 0 ] || fail "a report file appeared on a full disk"
[ "$(temp_count "$SPOOL")" = 0 ] || fail "a partial temp file was left behind"
grep -q "No space left on device" "$TMP/log" || fail "the failure was not logged"
ok "disk full: daemon alive, journal entry written (OOM_SPOOL_PENDING=1), no partial file"

rm -f "$SPOOL/filler"
for _ in $(seq 60); do [ "$(spool_count "$SPOOL")" = 1 ] && break; sleep 0.1; done
[ "$(spool_count "$SPOOL")" = 1 ] || fail "file not written after space returned"
f=$(find "$SPOOL" -name '*.json')
[ "$(json_get "$f" "d['victim']['pid'], d['schema']")" = "8012 oomlens.report/1" ] || fail "file content wrong"
[ "$(stat -c %a "$f")" = 640 ] || fail "file mode $(stat -c %a "$f")"
[ "$(journal_wait $MID_REPORT 1)" = 1 ] || fail "a second journal entry was written for the retried file"
ok "space returned: the file was written once, no second journal entry"

# Read-only: same story with a second report.
mount -o remount,ro "$SPOOL" || fail "cannot remount read-only"
sed -e 's/^\([0-9]*\),\([0-9]*\),/\1,\2,/' "$KMSG_DATA/memcg-6.18.kmsg" | awk -F, 'BEGIN{OFS=","} {$2 = $2 + 1000; print}' \
        >"$TMP/second.kmsg"
kill $pid; wait $pid
"$OOMLENSD" -v -c "$TMP/test.conf" --kmsg "$TMP/kmsg.fifo" -s "$SPOOL" -S "$TMP/state" 2>"$TMP/log2" &
pid=$!
on_exit "kill $pid 2>/dev/null"
cat "$TMP/second.kmsg" >"$TMP/kmsg.fifo"
[ "$(journal_wait $MID_REPORT 2)" = 2 ] || { cat "$TMP/log2"; fail "no journal entry while read-only"; }
sleep 1
kill -0 $pid 2>/dev/null || fail "daemon died on a read-only spool"
[ "$(spool_count "$SPOOL")" = 1 ] || fail "unexpected files on a read-only spool"
grep -q "Read-only file system" "$TMP/log2" || fail "the read-only failure was not logged"
mount -o remount,rw "$SPOOL"
for _ in $(seq 60); do [ "$(spool_count "$SPOOL")" = 2 ] && break; sleep 0.1; done
[ "$(spool_count "$SPOOL")" = 2 ] || fail "file not written after the spool became writable"
kill -TERM $pid
wait $pid || fail "SIGTERM exit status $?"
[ "$(temp_count "$SPOOL")" = 0 ] || fail "temp files left behind"
ok "read-only: journal entry written, file written once writable, SIGTERM exits 0"
echo PASS
