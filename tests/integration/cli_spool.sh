#!/bin/bash
# `oomlens list` and `oomlens show` on a spool written by oomlensd.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
[ -x "${OOMLENS:-}" ] || skip "OOMLENS not set"
make_tmp
# Two whole reports (two tasks' dumps interleaved record by record, 5.1+ caller ids).
run_stream interleave "$KMSG_DATA/interleave.kmsg" --journal=no || fail "daemon exit $?"
S=$RUN_DIR/spool

out=$("$OOMLENS" list --spool-dir "$S") || fail "list exit $?"
[ "$(echo "$out" | wc -l)" = 2 ] || fail "list: $out"
echo "$out" | head -1 | grep -q -E '^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}-[0-9]{12}  memcg +memcg_limit +python3\[8012\] in /' ||
        fail "list line: $(echo "$out" | head -1)"
[ "$("$OOMLENS" list --spool-dir "$S" --json | python3 -c 'import json,sys; print(sorted(json.loads(l)["victim"]["pid"] for l in sys.stdin))')" = "[8012, 9013]" ] ||
        fail "list --json"
id=$(echo "$out" | sed -n 2p | cut -d' ' -f1)
"$OOMLENS" show --spool-dir "$S" "$id" >"$TMP/show" || fail "show exit $?"
grep -q "^Cause: memcg_limit" "$TMP/show" && grep -q "^id $id$" "$TMP/show" && grep -q "python3\[9013\]" "$TMP/show" ||
        fail "show text: $(head -5 "$TMP/show")"
"$OOMLENS" show --spool-dir "$S" --json "${id: -12}" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["victim"]["pid"] == 9013' ||
        fail "show --json by id suffix"
"$OOMLENS" show --spool-dir "$S" nosuchreport 2>/dev/null
[ $? = 1 ] || fail "show of a missing id should exit 1"
mkdir "$TMP/empty"
"$OOMLENS" list --spool-dir "$TMP/empty" >/dev/null
[ $? = 1 ] || fail "list of an empty spool should exit 1"
"$OOMLENS" list --spool-dir "$TMP/none" 2>/dev/null
[ $? = 2 ] || fail "list of a missing spool should exit 2"
ok "oomlens list / show (text re-analysis and --json) on the daemon's spool"
echo PASS
