#!/bin/bash
# The sd_notify protocol as systemd would see it, through a NOTIFY_SOCKET we listen on:
# READY=1 only after start-up, STATUS= with counters, WATCHDOG=1 pings from sd-event's
# watchdog while the loop runs (WATCHDOG_USEC), STOPPING=1 and exit 0 on SIGTERM.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
make_tmp
mkfifo "$TMP/fifo"
python3 - "$TMP/notify.sock" >"$TMP/notify.log" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(8)
start = time.monotonic()
try:
    while True:
        msg = s.recv(4096).decode()
        print("%.3f %s" % (time.monotonic() - start, msg.replace("\n", " | ")), flush=True)
        if "STOPPING=1" in msg:
            break
except socket.timeout:
    pass
PY
lpid=$!
for _ in $(seq 50); do [ -S "$TMP/notify.sock" ] && break; sleep 0.05; done
write_test_config "$TMP/test.conf"
NOTIFY_SOCKET=$TMP/notify.sock WATCHDOG_USEC=400000 "$OOMLENSD" -c "$TMP/test.conf" --kmsg "$TMP/fifo" \
        -s "$TMP/spool" -S "$TMP/state" --journal=no 2>"$TMP/log" &
pid=$!
exec 9>"$TMP/fifo"
# start-up takes a moment more on a loaded machine or under valgrind (OOMLENS_VALGRIND=1)
for _ in $(seq 100); do grep -q "READY=1" "$TMP/notify.log" && break; sleep 0.1; done
grep -q "READY=1" "$TMP/notify.log" || fail "no READY=1: $(cat "$TMP/notify.log")"
cat "$KMSG_DATA/gap.kmsg" >&9
sleep 1.5 # ~3 watchdog intervals
kill -TERM $pid
wait $pid || fail "SIGTERM: exit $?"
wait $lpid
cat "$TMP/notify.log" | cut -c1-160
ready_line=$(grep -n "READY=1" "$TMP/notify.log" | head -1 | cut -d: -f1)
[ -n "$ready_line" ] || fail "no READY=1"
n_wd=$(grep -c "WATCHDOG=1" "$TMP/notify.log")
[ "$n_wd" -ge 3 ] || fail "only $n_wd watchdog pings in 1.8 s with WATCHDOG_USEC=400ms"
grep -q "STATUS=.*2 reports (2 files" "$TMP/notify.log" || fail "STATUS does not count the 2 reports"
grep -q "STATUS=.*2 gaps (110 records lost)" "$TMP/notify.log" || fail "STATUS does not count the gaps"
grep -q "STOPPING=1" "$TMP/notify.log" || fail "no STOPPING=1"
ok "READY=1, STATUS= with counters, $n_wd WATCHDOG=1 pings, STOPPING=1, exit 0"
echo PASS
