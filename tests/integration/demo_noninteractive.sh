#!/bin/bash
# The newcomer's first run, as a script or CI job runs it: `scripts/demo </dev/null` must show
# the seed's analysis and a live memcg OOM caught by the daemon, then stop the daemon cleanly
# and exit 0 on its own (it used to wait for Ctrl-C forever). It uses this build tree
# (OOMLENS_BUILD_DIR), which it only brings up to date. A real journald in a private mount
# namespace receives the daemon's entries, so the host's journal is left alone.
set -u
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/memcg-oom.sh"
need_daemon
need_root "/dev/kmsg, cgroups, mounts"
[ -r /dev/kmsg ] || skip "/dev/kmsg not readable"
memcg_oom_supported || skip "memcg OOM not possible here: $MEMCG_WHY"
[ -n "${OOMLENS_BUILD:-}" ] && [ -f "$OOMLENS_BUILD/CMakeCache.txt" ] || skip "OOMLENS_BUILD is not a build tree"
command -v timeout >/dev/null || skip "timeout(1) missing"
in_private_mount_ns "$@"
make_tmp
journald_start

start=$(date +%s)
OOMLENS_BUILD_DIR=$OOMLENS_BUILD timeout 300 "$OOMLENS_SRC/scripts/demo" </dev/null >"$TMP/out" 2>&1
rc=$?
cat "$TMP/out"
echo "demo: exit $rc after $(($(date +%s) - start)) s"
[ $rc != 124 ] || fail "the demo did not end within 300 s"
[ $rc = 0 ] || fail "demo exit $rc"
grep -q "^Cause: cma_unusable" "$TMP/out" || fail "step 1: the seed's analysis"
grep -q "journal=yes" "$TMP/out" || fail "the demo did not find the journal"
grep -q "^>>> oomlens show " "$TMP/out" && grep -q "^Cause: memcg_limit" "$TMP/out" || fail "step 2: the live report"
grep -qE "^>>> oomlensd stopped \(pid [0-9]+, exit 0\)" "$TMP/out" || fail "the daemon was not stopped cleanly"
pid=$(sed -nE 's/^>>> oomlensd stopped \(pid ([0-9]+),.*/\1/p' "$TMP/out")
! kill -0 "$pid" 2>/dev/null || fail "oomlensd (pid $pid) still runs"
spool=$(sed -nE 's/^>>> oomlensd reading \/dev\/kmsg, spool ([^,]+),.*/\1/p' "$TMP/out")
[ -n "$spool" ] && [ ! -e "$(dirname "$spool")" ] || fail "the demo's temporary directory '$spool' was not removed"
ok "scripts/demo </dev/null: seed explained, live OOM shown, daemon stopped, exit 0"
echo PASS
