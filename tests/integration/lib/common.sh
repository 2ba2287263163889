# shellcheck shell=bash
# Shared helpers for the oomlensd integration tests. Source after setting -u.
# Env from CTest: OOMLENS, OOMLENSD, OOMLENS_SRC, OOMLENS_DATA.

LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) # also holds kmsg.py (PYTHONPATH=$LIB)

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

need_daemon() {
        [ -n "${OOMLENSD:-}" ] && [ -x "$OOMLENSD" ] || skip "OOMLENSD is not set (daemon not built)"
        : "${OOMLENS_DATA:=$OOMLENS_SRC/tests/data}"
        KMSG_DATA=$OOMLENS_DATA/kmsg
        [ "${OOMLENS_VALGRIND:-0}" = 1 ] && valgrind_daemon
        return 0
}

# OOMLENS_VALGRIND=1: every oomlensd this test starts runs under valgrind (memcheck, full leak
# check). Any error or leak makes the daemon exit 99, and each process writes its report to
# $OOMLENS_VALGRIND_LOGS (default <build>/valgrind) as <test>.<pid>.log, which scripts/test
# sums up: a test that does not look at the daemon's exit status still cannot hide a finding.
# The wrapper execs valgrind, so the daemon's pid, signals and sd_notify stay the same.
valgrind_daemon() {
        command -v valgrind >/dev/null || skip "OOMLENS_VALGRIND=1 but valgrind is not installed"
        case $OOMLENSD in *oomlensd-valgrind) return 0 ;; esac # re-run in a mount namespace
        local logs=${OOMLENS_VALGRIND_LOGS:-${OOMLENS_BUILD:-/tmp}/valgrind}
        local test wrapper
        test=$(basename "$0" .sh)
        mkdir -p "$logs"
        wrapper=$logs/$test.oomlensd-valgrind
        cat >"$wrapper.tmp" <<EOW
#!/bin/sh
exec valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible \
        --log-file="$logs/$test.%p.log" "$OOMLENSD" "\$@"
EOW
        chmod +x "$wrapper.tmp"
        mv "$wrapper.tmp" "$wrapper"
        export OOMLENSD=$wrapper
}

need_root() { [ "$(id -u)" = 0 ] || skip "needs root ($1)"; }

# Re-run this script inside a private mount namespace (for private journald / tmpfs mounts).
in_private_mount_ns() {
        if [ -z "${OOMLENS_IN_MOUNT_NS:-}" ]; then
                need_root "private mount namespace"
                command -v unshare >/dev/null || skip "unshare(1) not installed"
                OOMLENS_IN_MOUNT_NS=1 exec unshare -m --propagation private bash "$0" "$@"
        fi
}

make_tmp() {
        TMP=$(mktemp -d /tmp/oomlensd-test.XXXXXX)
        # shellcheck disable=SC2064
        trap "cleanup_all" EXIT
}

CLEANUPS=()
cleanup_all() {
        local i
        for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${CLEANUPS[$i]}" || true; done
        [ -n "${TMP:-}" ] && rm -rf "$TMP"
}
on_exit() { CLEANUPS+=("$1"); }

# A real systemd-journald in this (private) mount namespace: /run/systemd and /run/log are
# tmpfs mounts only we see, so sd_journal_sendv() reaches this journald and journalctl reads
# its files.
journald_start() {
        local jd=/lib/systemd/systemd-journald
        [ -x "$jd" ] || jd=/usr/lib/systemd/systemd-journald
        [ -x "$jd" ] || skip "systemd-journald not installed"
        command -v journalctl >/dev/null || skip "journalctl not installed"
        mount -t tmpfs tmpfs /run/systemd || skip "cannot mount a private /run/systemd"
        mkdir -p /run/log && mount -t tmpfs tmpfs /run/log || skip "cannot mount a private /run/log"
        mkdir -p /run/systemd/journal
        "$jd" >/dev/null 2>&1 &
        JOURNALD_PID=$!
        on_exit "kill $JOURNALD_PID 2>/dev/null; wait $JOURNALD_PID 2>/dev/null"
        for _ in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
        [ -S /run/systemd/journal/socket ] || skip "journald did not create /run/systemd/journal/socket"
}

# With root and unshare(1): re-run in a private mount namespace with a real journald in it
# (JOURNAL=yes); otherwise JOURNAL=no. Makes $TMP either way. Call as: private_journal "$@"
private_journal() {
        if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
                in_private_mount_ns "$@"
        fi
        make_tmp
        JOURNAL=no
        if [ -n "${OOMLENS_IN_MOUNT_NS:-}" ]; then
                journald_start
                JOURNAL=yes
        fi
}

# notify_listener SOCKET LOG: a NOTIFY_SOCKET for oomlensd, one line per datagram in LOG,
# "<CLOCK_MONOTONIC s> <message>"; stops at STOPPING=1. Sets NOTIFY_PID.
notify_listener() {
        python3 - "$1" >"$2" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
while True:
    msg = s.recv(4096).decode(errors="replace")
    print("%.6f %s" % (time.monotonic(), msg.replace("\n", " | ")), flush=True)
    if "STOPPING=1" in msg:
        break
PY
        NOTIFY_PID=$!
        on_exit "kill $NOTIFY_PID 2>/dev/null"
        local _
        for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.05; done
        fail "notify listener did not start"
}

# report_kmsg K: the recorded memcg OOM (tests/data/kmsg/memcg-6.18.kmsg) as report K of a
# stream: reports 1, 2, ... follow one another without a seq gap, 10 s apart, victim 9000 + K.
report_kmsg() { python3 "$KMSG_DATA/make-variants.py" report "$1"; }

# journal_json MESSAGE_ID [more matches]: the matching entries, one JSON object per line.
journal_json() {
        journalctl --no-pager -o json "MESSAGE_ID=$1" "${@:2}" 2>/dev/null || true
}

# Wait until COUNT entries with MESSAGE_ID exist (journald writes asynchronously).
journal_wait() {
        local id=$1 want=$2 n=0
        # journald writes asynchronously; allow a loaded CI machine up to 20 s.
        for _ in $(seq 200); do
                n=$(journal_json "$id" | grep -c . || true)
                [ "$n" -ge "$want" ] && break
                sleep 0.1
        done
        echo "$n"
}

spool_count() { find "$1" -maxdepth 1 -name '*.json' ! -name '.*' | wc -l; }
temp_count() { find "$1" -maxdepth 1 -name '.#*' | wc -l; }

# The message IDs (daemon/journal_sink.h).
MID_REPORT=9fc25929c12449a6a7d84ebe27cb76df
MID_GAP=de0e930785844cd6bbb8c02e766024e1
MID_SUPPRESSED=bb9fa5205bc24ee38f2e33e8e921e3f2

# A config file with the test defaults: no storm limit, quick retries, no KeepFree.
write_test_config() {
        cat >"$1" <<EOC
[Spool]
KeepFree=0
RetrySec=500ms
[RateLimit]
Burst=0
[Assembler]
ReaperWaitSec=${TEST_REAPER_WAIT:-0}
EOC
}

# run_stream NAME FILE [daemon args]: feed FILE through a FIFO into oomlensd --oneshot.
# Sets RUN_DIR, RUN_LOG; returns the daemon's exit status.
run_stream() {
        local name=$1 file=$2
        shift 2
        RUN_DIR=$TMP/$name
        mkdir -p "$RUN_DIR"
        mkfifo "$RUN_DIR/kmsg.fifo"
        RUN_LOG=$RUN_DIR/log
        [ -e "$TMP/test.conf" ] || write_test_config "$TMP/test.conf"
        "$OOMLENSD" -v -c "$TMP/test.conf" --kmsg "$RUN_DIR/kmsg.fifo" -s "$RUN_DIR/spool" -S "$RUN_DIR/state" \
                --oneshot "$@" 2>"$RUN_LOG" &
        local pid=$!
        cat "$file" >"$RUN_DIR/kmsg.fifo"
        wait $pid
}

counter() { # counter NAME LOGFILE
        grep -o " $1=[0-9]*" "$2" | tail -1 | cut -d= -f2
}

json_get() { # json_get FILE PYTHON-EXPR-ON-d
        python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}
