#!/bin/bash
# A member of the group oomlens reads the spool without root, nobody else can (oomlensd(8),
# ACCESS). The installed sysusers.d and tmpfiles.d files make the user, the group and the spool
# in an alternate root; oomlensd runs as that user, as the unit runs it (User=oomlens), on a
# recorded kmsg stream; then `oomlens list` and `oomlens show` run as an unprivileged user, once
# with the group and once without.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
need_root "switching users with setpriv"
command -v setpriv >/dev/null || skip "setpriv (util-linux) not installed"
command -v systemd-sysusers >/dev/null && command -v systemd-tmpfiles >/dev/null || skip "systemd-sysusers/tmpfiles not installed"
make_tmp
chmod 755 "$TMP"

R=$TMP/root
mkdir -p "$R/etc"
echo "root:x:0:0:root:/root:/bin/sh" >"$R/etc/passwd"
echo "root:x:0:" >"$R/etc/group"
systemd-sysusers --root="$R" "$OOMLENS_SRC/systemd/oomlens.sysusers" >/dev/null 2>&1 || fail "systemd-sysusers"
systemd-tmpfiles --root="$R" --create "$OOMLENS_SRC/systemd/oomlens.tmpfiles" || fail "systemd-tmpfiles"
uid=$(awk -F: '$1 == "oomlens" {print $3}' "$R/etc/passwd")
gid=$(awk -F: '$1 == "oomlens" {print $3}' "$R/etc/group")
[ -n "$uid" ] && [ -n "$gid" ] || fail "sysusers made no oomlens user and group"
SPOOL=$R/var/spool/oomlens
[ "$(stat -c '%a %u %g' "$SPOOL")" = "2750 $uid $gid" ] || fail "spool $(stat -c '%a %u:%g' "$SPOOL"), want 2750 $uid:$gid"
chmod 755 "$R" "$R/var" "$R/var/spool" "$R/var/lib"

# The daemon as the unit runs it: the oomlens user and group, no supplementary groups.
write_test_config "$TMP/test.conf"
chmod 644 "$TMP/test.conf"
setpriv --reuid="$uid" --regid="$gid" --clear-groups "$OOMLENSD" -c "$TMP/test.conf" --kmsg "$KMSG_DATA/gap.kmsg" \
        -s "$SPOOL" -S "$R/var/lib/oomlens" --journal=no --oneshot 2>"$TMP/daemon.log" ||
        { cat "$TMP/daemon.log"; fail "oomlensd as uid $uid exited $?"; }
n=$(spool_count "$SPOOL")
[ "$n" -ge 1 ] || { cat "$TMP/daemon.log"; fail "no report in the spool"; }
bad=$(find "$SPOOL" -maxdepth 1 -name '*.json' ! \( -user "$uid" -group "$gid" -perm 0640 \) | head -3)
[ -z "$bad" ] || fail "spool files not 0640 $uid:$gid: $(stat -c '%n %a %u:%g' $bad)"
ok "oomlensd as oomlens ($uid:$gid) wrote $n report(s), each 0640 oomlens:oomlens, into the 2750 spool"

# A member of the group: list and show work.
member() { setpriv --reuid=65534 --regid=65534 --groups="$gid" "$@"; }
member "$OOMLENS" list --no-legend --spool-dir "$SPOOL" >"$TMP/list" 2>"$TMP/err" || { cat "$TMP/err"; fail "oomlens list as a member of oomlens: exit $?"; }
[ "$(grep -c . "$TMP/list")" = "$n" ] || { cat "$TMP/list" "$TMP/err"; fail "list shows $(grep -c . "$TMP/list") of $n reports"; }
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "list warned"; }
id=$(head -1 "$TMP/list" | awk '{print $NF}')
member "$OOMLENS" show --spool-dir "$SPOOL" "$id" >"$TMP/show" 2>"$TMP/err" || { cat "$TMP/err"; fail "oomlens show $id as a member: exit $?"; }
[ -s "$TMP/show" ] || fail "show printed nothing"
member "$OOMLENS" show --json --spool-dir "$SPOOL" "$id" | python3 -c 'import json,sys; assert json.load(sys.stdin)["schema"] == "oomlens.report/1"' ||
        fail "show --json as a member"
ok "uid 65534 in group oomlens: list shows all $n, show and show --json read $id"

# Anyone else: refused by the file system, with a message that says so.
other() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
other "$OOMLENS" list --spool-dir "$SPOOL" >"$TMP/list" 2>"$TMP/err"
rc=$?
[ "$rc" = 2 ] || fail "list without the group: exit $rc, want 2"
grep -qi 'permission denied' "$TMP/err" || { cat "$TMP/err"; fail "list without the group does not say why"; }
other cat "$SPOOL/$id.json" >/dev/null 2>&1 && fail "a report file is readable without the group"
ok "uid 65534 without the group: list exits 2 ($(head -1 "$TMP/err")), files unreadable"
echo PASS
