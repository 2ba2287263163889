#!/bin/bash
# Every query command on the real thing: oomlensd reads /dev/kmsg, a real systemd-journald
# runs in a private mount namespace, a real memcg OOM kill is provoked in a child of our own
# memory cgroup (limit 32M; never a global OOM). `oomlens follow` is started before the spool
# exists; then list, show, stats and journal must all name the same report: the hog the kernel
# killed, in our cgroup, cause memcg_limit. The ring buffer's earlier OOMs are in the spool
# and journal too; --unit with our cgroup's name picks ours out.
set -u
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/memcg-oom.sh"
need_daemon
need_root "/dev/kmsg, cgroups, mounts"
[ -x "${OOMLENS:-}" ] || skip "OOMLENS not set"
[ -r /dev/kmsg ] || skip "/dev/kmsg not readable"
memcg_oom_supported || skip "memcg OOM not possible here: $MEMCG_WHY"
command -v python3 >/dev/null || skip "python3 needed for the hog"
in_private_mount_ns "$@"
make_tmp
journald_start
on_exit memcg_oom_cleanup
O=$OOMLENS
S=$TMP/spool
CG=oomlens-cli-$$

"$O" follow --spool-dir "$S" --unit "$CG" --no-legend >"$TMP/follow" 2>"$TMP/follow.err" &
follower=$!
on_exit "kill $follower 2>/dev/null"
write_test_config "$TMP/test.conf"
"$OOMLENSD" -v -c "$TMP/test.conf" -s "$S" -S "$TMP/state" 2>"$TMP/log" &
daemon=$!
on_exit "kill $daemon 2>/dev/null"
for _ in $(seq 100); do grep -q "reading /dev/kmsg" "$TMP/log" && break; sleep 0.05; done
grep -q "reading /dev/kmsg (kmsg device)" "$TMP/log" || { cat "$TMP/log"; fail "daemon did not start"; }
sleep 0.5 # the ring buffer's backlog
memcg_oom_provoke "$CG" 32M || fail "the hog was not OOM-killed"

# follow: exactly our report, as it landed
for _ in $(seq 200); do [ -s "$TMP/follow" ] && break; sleep 0.1; done
[ "$(grep -c . "$TMP/follow")" = 1 ] || fail "follow: $(cat "$TMP/follow" "$TMP/follow.err")"
cat "$TMP/follow"
id=$(awk '{print $NF}' "$TMP/follow")
victim=$(json_get "$S/$id.json" "d['victim']['pid']")
read -r kind cause who unit < <(awk '{print $5, $6, $7, $8}' "$TMP/follow")
[ "$kind $cause $who" = "memcg memcg_limit python3[$victim]" ] && [ "${unit##*/}" = "$CG" ] ||
        fail "follow row: $kind $cause $who $unit"
kill -TERM $follower
wait $follower || fail "follow: exit $? on SIGTERM"
ok "follow: the kill of python3[$victim] in $CG as it landed"

# list: the same row
"$O" list --spool-dir "$S" --no-legend --unit "$CG" >"$TMP/list" || fail "list --unit"
cols() { awk '{$1 = $2 = $3 = $4 = ""; print}' "$1"; } # all but the time
[ "$(grep -c . "$TMP/list")" = 1 ] && [ "$(cols "$TMP/list")" = "$(cols "$TMP/follow")" ] || fail "list: $(cat "$TMP/list")"
"$O" list --spool-dir "$S" --no-legend -b --comm python3 | grep -q " $id$" || fail "list -b --comm python3"
"$O" list --spool-dir "$S" --no-legend --since -5min --cause memcg_limit | grep -q " $id$" ||
        fail "list --since -5min --cause memcg_limit"

# show: the explanation, with the numbers of this kill
"$O" show --spool-dir "$S" "$id" >"$TMP/show" || fail "show"
sed -n 1,12p "$TMP/show"
grep -q "^Cause: memcg_limit" "$TMP/show" && grep -q "usage 32.0 MiB (32768 kB) of limit 32.0 MiB (32768 kB)" "$TMP/show" &&
        grep -q "^Victim: python3\[$victim\]" "$TMP/show" && grep -q "python3  <- victim" "$TMP/show" ||
        fail "show text"
"$O" show --spool-dir "$S" --raw "$id" | grep -q "Killed process $victim (python3)" || fail "show --raw"
"$O" show --spool-dir "$S" --json "$id" | cmp -s - "$S/$id.json" || fail "show --json"

# stats: ours is counted under memcg_limit, python3 and our cgroup, this boot
"$O" stats --spool-dir "$S" --json --unit "$CG" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["reports"] == 1, d
assert d["by_cause"] == [{"cause": "memcg_limit", "count": 1}], d["by_cause"]
assert d["by_victim"] == [{"comm": "python3", "count": 1}], d["by_victim"]
assert d["by_unit"][0]["unit"].endswith("/" + sys.argv[1]), d["by_unit"]
assert d["by_boot"][0]["current"], d["by_boot"]
' "$CG" || fail "stats"

# journal: the entry the daemon sent for it, found by the same match
for _ in $(seq 200); do
        "$O" journal --no-legend --unit "$CG" >"$TMP/journal" 2>/dev/null && break
        sleep 0.1
done
[ "$(grep -c . "$TMP/journal")" = 1 ] || fail "journal: $(cat "$TMP/journal")"
[ "$(cols "$TMP/journal")" = "$(cols "$TMP/list")" ] ||
        fail "journal row differs from list: $(cat "$TMP/journal" "$TMP/list")"
"$O" journal -b --json --unit "$CG" | python3 -c '
import json, sys
r = json.loads(sys.stdin.readline())
assert r["id"] == sys.argv[1] and r["victim"]["pid"] == int(sys.argv[2]) and r["cause"] == "memcg_limit", r
assert r["spool_file"].endswith("/" + sys.argv[1] + ".json"), r
' "$id" "$victim" || fail "journal --json"
kill -TERM $daemon
wait $daemon || fail "daemon: exit $? on SIGTERM"
ok "list, show, stats and journal name the same kill: $id"
echo PASS
