#!/bin/bash
# The spool is for root and the daemon's group: a user in that group reads it without root, a
# user outside gets told which group to join. The spool is set up as systemd-tmpfiles does it
# (2750, the group's), the real oomlensd writes into it (files 0640, the group inherited from
# the setgid directory), and the commands run as a real unprivileged user created for the
# test (useradd/groupadd; setpriv --init-groups takes its groups as a login would), and as
# nobody. The user and group are removed at the end.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
need_root "creating a user and a group"
[ -x "${OOMLENS:-}" ] || skip "OOMLENS not set"
for c in useradd userdel groupadd groupdel setpriv; do
        command -v $c >/dev/null || skip "$c not installed"
done
make_tmp
chmod 755 "$TMP"
O=$OOMLENS

G=oomlens-t$$
U=oomlens-u$$
groupadd --system "$G" || skip "groupadd failed"
on_exit "groupdel $G"
useradd --system --no-create-home --shell /usr/sbin/nologin --gid nogroup --groups "$G" "$U" || skip "useradd failed"
on_exit "userdel $U"
as_member() { setpriv --reuid="$U" --regid=nogroup --init-groups -- "$@"; }
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
as_member "$O" --version >/dev/null 2>&1 || skip "$O is not reachable for an unprivileged user (build directory permissions)"
as_member id | grep -q "($G)" || fail "$U is not in $G: $(as_member id)"

S=$TMP/spool
install -d -m 2750 -g "$G" "$S"
write_test_config "$TMP/test.conf"
cp "$KMSG_DATA/gap.kmsg" "$TMP/gap.kmsg"
"$OOMLENSD" -c "$TMP/test.conf" --kmsg "$TMP/gap.kmsg" -s "$S" -S "$TMP/state" --oneshot --journal=no 2>"$TMP/log" ||
        fail "daemon: $(cat "$TMP/log")"
[ "$(spool_count "$S")" = 2 ] || fail "2 reports expected"
for f in "$S"/*.json; do
        [ "$(stat -c '%a %G' "$f")" = "640 $G" ] || fail "$f: $(stat -c '%a %G' "$f"), expected 640 $G"
done
ok "oomlensd's files in a 2750 spool: 0640, group $G"

# A member of the group, no root.
as_member "$O" list --spool-dir "$S" --no-legend >"$TMP/out" 2>"$TMP/err" || fail "member: list exit $?: $(cat "$TMP/err")"
[ "$(grep -c . "$TMP/out")" = 2 ] && [ ! -s "$TMP/err" ] || fail "member: list output"
as_member "$O" show --spool-dir "$S" | grep -q "^Cause: memcg_limit" || fail "member: show"
as_member "$O" stats --spool-dir "$S" --json | grep -q '"reports":2' || fail "member: stats"
as_member timeout --preserve-status -s TERM 3 "$O" follow --spool-dir "$S" -n 1 --no-legend >"$TMP/follow"
rc=$?
[ $rc = 0 ] && [ "$(grep -c . "$TMP/follow")" = 1 ] || fail "member: follow -n 1 (exit $rc, $(cat "$TMP/follow"))"
ok "a member of $G reads the spool without root: list, show, stats, follow (ended by SIGTERM, exit 0)"

# Not a member: told which group to join.
as_nobody "$O" list --spool-dir "$S" >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/err"
[ $rc = 2 ] && [ ! -s "$TMP/out" ] || fail "nobody: exit $rc"
grep -q "$S: permission denied" "$TMP/err" && grep -q "members of group '$G'" "$TMP/err" &&
        grep -q "usermod -aG $G" "$TMP/err" || fail "nobody: the message"
as_nobody "$O" show --spool-dir "$S" 2>&1 | grep -q "members of group '$G'" || fail "nobody: show"
as_nobody "$O" follow --spool-dir "$S" 2>&1 | grep -q "members of group '$G'" || fail "nobody: follow"
ok "outside $G: exit 2, 'permission denied' and the group to join"

# One file the group may not read: skipped with the reason, the others listed.
f=$(ls "$S"/*.json | head -1)
chmod 600 "$f"
as_member "$O" list --spool-dir "$S" --no-legend >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/err"
[ $rc = 0 ] && [ "$(grep -c . "$TMP/out")" = 1 ] || fail "one unreadable file: exit $rc"
grep -q "$(basename "$f"): permission denied, skipped" "$TMP/err" && grep -q "readable by its owner only" "$TMP/err" ||
        fail "one unreadable file: the warning"
ok "a file the group cannot read: skipped with a warning that says why"
echo PASS
