#!/bin/bash
# oomlens follow against the real oomlensd publishing into its spool (recorded streams on a
# FIFO): started before the spool exists, it waits for it, prints each report once as the
# daemon renames it into place, keeps its matches, follows a spool that is removed and made
# again, and ends with exit 0 on SIGTERM and on SIGINT.
set -u
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/cli.sh"
need_daemon
[ -x "${OOMLENS:-}" ] || skip "OOMLENS not set"
command -v python3 >/dev/null || skip "python3 needed"
make_tmp
export TZ=UTC0
O=$OOMLENS
mixed_stream "$TMP/mixed.kmsg"
write_test_config "$TMP/test.conf"
S=$TMP/var/spool # neither it nor its parent exist yet

# stream NAME FILE: the daemon on a copy of FILE (its own path: its own boot tag) into $S
stream() {
        cp "$2" "$TMP/$1.kmsg"
        "$OOMLENSD" -c "$TMP/test.conf" --kmsg "$TMP/$1.kmsg" -s "$S" -S "$TMP/state-$1" --oneshot --journal=no \
                2>"$TMP/$1.log" || fail "daemon on $1: $(cat "$TMP/$1.log")"
}
# wait_lines FILE N: until FILE has N lines (20 s at most)
wait_lines() {
        for _ in $(seq 200); do [ "$(grep -c . "$1" 2>/dev/null)" -ge "$2" ] && return 0; sleep 0.1; done
        return 1
}

"$O" follow --spool-dir "$S" >"$TMP/f1" 2>"$TMP/f1.err" &
f1=$!
on_exit "kill $f1 2>/dev/null"
for _ in $(seq 50); do grep -q "waiting for it" "$TMP/f1.err" && break; sleep 0.1; done
grep -q "$S does not exist (yet); waiting for it" "$TMP/f1.err" || fail "follow: no waiting message: $(cat "$TMP/f1.err")"
mkdir -p "$TMP/var"
stream mixed "$TMP/mixed.kmsg"
wait_lines "$TMP/f1" 7 || fail "follow printed $(grep -c . "$TMP/f1") lines, expected header + 6"
cat "$TMP/f1"
grep -q "appeared; following it" "$TMP/f1.err" || fail "follow: no message when the spool appeared"
[ "$(tail -n +2 "$TMP/f1" | list_ids)" = "$("$O" list --spool-dir "$S" --no-legend | list_ids)" ] ||
        fail "follow printed other reports than list has"
[ "$(tail -n +2 "$TMP/f1" | awk '{print $5, $6}' | tr '\n' ' ')" = \
  "memcg memcg_limit global fragmentation alloc_failure fragmentation global kernel_memory global userspace_memory global cma_unusable " ] ||
        fail "follow rows"
ok "follow: waited for a spool that did not exist, then printed the 6 reports as they landed"

# A second follower with matches and -n, on the spool as it is now.
"$O" follow --spool-dir "$S" --json --cause fragmentation -n 1 >"$TMP/f2" 2>"$TMP/f2.err" &
f2=$!
on_exit "kill $f2 2>/dev/null"
wait_lines "$TMP/f2" 1 || fail "follow -n 1: the newest matching report first"
stream gap "$KMSG_DATA/gap.kmsg"        # memcg_limit: not for f2
cp "$TMP/mixed.kmsg" "$TMP/mixed2.kmsg" # another path: another boot tag, 6 new reports
stream mixed2 "$TMP/mixed2.kmsg"
wait_lines "$TMP/f1" 15 || fail "f1 after two more streams: $(grep -c . "$TMP/f1") lines"
wait_lines "$TMP/f2" 3 || fail "f2: $(grep -c . "$TMP/f2") lines"
sleep 0.5 # nothing more may come
python3 - "$TMP/f2" <<'PY' || fail "follow --json --cause"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 3, len(lines)
for l in lines:
    d = json.loads(l)
    assert [c["code"] for c in d["analysis"]["causes"] if c["primary"]] == ["fragmentation"], d["id"]
print("ok: follow --json --cause fragmentation -n 1: 1 old + 2 new objects")
PY
[ "$(grep -c . "$TMP/f1")" = 15 ] || fail "f1 printed a report twice or missed one"
[ "$(tail -n +2 "$TMP/f1" | list_ids | sort | uniq -d)" = "" ] || fail "f1: duplicates"
kill -INT $f2
wait $f2 || fail "follow: SIGINT should end it with exit 0, got $?"

# The spool removed under the follower, then made again by the daemon.
rm -rf "$S"
for _ in $(seq 50); do grep -q "was removed; waiting for it" "$TMP/f1.err" && break; sleep 0.1; done
grep -q "was removed; waiting for it" "$TMP/f1.err" || fail "follow: removal not noticed: $(cat "$TMP/f1.err")"
rm -rf "$TMP/state-gap"
stream gap "$KMSG_DATA/gap.kmsg"
wait_lines "$TMP/f1" 17 || fail "follow after the spool came back: $(grep -c . "$TMP/f1") lines"
kill -TERM $f1
wait $f1 || fail "follow: SIGTERM should end it with exit 0, got $?"
cat "$TMP/f1.err"
ok "follow: matches, -n, no duplicates, a removed spool waited for again; SIGINT and SIGTERM end it with 0"
echo PASS
