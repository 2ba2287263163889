#!/bin/bash
# oomlens list, show and stats on spools the real oomlensd wrote from recorded streams (a FIFO
# as --kmsg): six reports of two kinds and five causes from the lab's captures, two more from
# gap.kmsg. Every match, the outputs against the stored files, the pager and colours on a
# terminal, the configuration, and a spool holding corrupt and foreign files.
set -u
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/cli.sh"
need_daemon
[ -x "${OOMLENS:-}" ] || skip "OOMLENS not set"
command -v python3 >/dev/null || skip "python3 needed"
make_tmp
export TZ=UTC0 # times in the output are compared with the names
O=$OOMLENS

mixed_stream "$TMP/mixed.kmsg"
run_stream mixed "$TMP/mixed.kmsg" --journal=no || fail "daemon exit $?"
S=$RUN_DIR/spool
[ "$(spool_count "$S")" = 6 ] || fail "expected 6 spool files, got $(spool_count "$S"): $(cat "$RUN_LOG")"

# --- list -----------------------------------------------------------------------------------
out=$("$O" list --spool-dir "$S") || fail "list exit $?"
echo "$out"
echo "$out" | head -1 | grep -qE '^TIME +KIND +CAUSE +VICTIM +UNIT +RSS ID$' || fail "header: $(echo "$out" | head -1)"
rows=$(echo "$out" | tail -n +2)
[ "$(echo "$rows" | wc -l)" = 6 ] || fail "6 rows expected"
# newest last; the ID column is the file name
[ "$(echo "$rows" | list_ids)" = "$(cd "$S" && ls -- *.json | sed 's/\.json$//' | sort)" ] || fail "ids/order"
# kind, cause, victim of each, in the streams' order (time is 4 words: "Wed 2026-12-02 22:01:00 UTC")
expect="memcg memcg_limit hog[101]
global fragmentation frag[97]
alloc_failure fragmentation frag[97]
global kernel_memory pipefill[97]
global userspace_memory hog[98]
global cma_unusable pipefill[100]"
[ "$(echo "$rows" | awk '{print $5, $6, $7}')" = "$expect" ] || fail "kind/cause/victim: $(echo "$rows" | awk '{print $5, $6, $7}')"
# every row against its own file: time = the name's stamp, RSS = victim.rss_kb, unit = the memcg path
"$O" list --spool-dir "$S" --no-legend | python3 -c '
import json, sys, datetime
spool = sys.argv[1]
for line in sys.stdin:
    f = line.split()
    d = json.load(open("%s/%s.json" % (spool, f[-1])))
    stamp = datetime.datetime.strptime(f[-1][:16], "%Y%m%dT%H%M%SZ")
    assert " ".join(f[0:4]) == stamp.strftime("%a %Y-%m-%d %H:%M:%S UTC"), (f[0:4], f[-1])
    v = d["victim"]
    rss = "-" if not v or v["rss_kb"] is None else ("%d kB" % v["rss_kb"] if v["rss_kb"] < 1024 else "%.1f MiB" % (v["rss_kb"] / 1024))
    assert line.rstrip().endswith(rss + " " + f[-1]), (rss, line)
    c = d["constraint"]
    where = c["task_memcg"] or (d["memcg"] or {}).get("task_path") or c["memcg"] or (d["memcg"] or {}).get("path") or "-"
    assert f[7] == where, (f[7], where)
print("ok: every row matches its file (time, victim RSS, unit column)")
' "$S" || fail "rows against files"
"$O" list --spool-dir "$S" --utc --no-legend | head -1 | grep -q "UTC" || fail "--utc"

# --- matches ----------------------------------------------------------------------------------
count() { "$O" list --spool-dir "$S" --no-legend "$@" | grep -c .; }
ids() { "$O" list --spool-dir "$S" --no-legend "$@" | list_ids | tr '\n' ' '; }
all=($("$O" list --spool-dir "$S" --no-legend | list_ids))
[ "$(count --cause fragmentation)" = 2 ] || fail "--cause fragmentation"
[ "$(count --cause fragmentation --kind global)" = 1 ] || fail "--cause + --kind"
[ "$(count --cause memcg_limit,cma_unusable)" = 2 ] || fail "--cause a,b"
[ "$(count --cause memcg_limit --cause cma_unusable)" = 2 ] || fail "--cause twice"
[ "$(count --kind alloc_failure)" = 1 ] || fail "--kind alloc_failure"
[ "$(count --comm 'pipe*')" = 2 ] || fail "--comm glob"
[ "$(count --comm hog)" = 2 ] || fail "--comm"
[ "$(count --unit /lab)" = 1 ] || fail "--unit (memcg path)"
[ "$(count --unit lab)" = 1 ] || fail "--unit (last path component)"
"$O" list --spool-dir "$S" --kind cpuset >"$TMP/nomatch"
[ $? = 1 ] && [ ! -s "$TMP/nomatch" ] || fail "no match: exit 1, no output"
"$O" list --spool-dir "$S" --cause nonsense 2>"$TMP/err"
[ $? = 2 ] && grep -q "unknown cause 'nonsense'" "$TMP/err" && grep -q "^memcg_limit$" "$TMP/err" || fail "bad --cause"
"$O" list --cause=help | grep -qx highatomic_reserve || fail "--cause=help"
"$O" list --kind=help | grep -qx alloc_failure || fail "--kind=help"
[ "$(ids -n 2)" = "${all[4]} ${all[5]} " ] || fail "-n 2: $(ids -n 2)"
# times: the third report's own second from its name, as @epoch, ISO and journalctl's local form
t3=$(date -u -d "$(echo "${all[2]}" | sed -E 's/^(....)(..)(..)T(..)(..)(..)Z.*/\1-\2-\3 \4:\5:\6/')" +%s)
[ "$(ids --since "@$t3")" = "${all[2]} ${all[3]} ${all[4]} ${all[5]} " ] || fail "--since @epoch"
[ "$(ids --until "@$t3")" = "${all[0]} ${all[1]} ${all[2]} " ] || fail "--until @epoch"
[ "$(ids -S "$(date -u -d "@$t3" '+%Y-%m-%d %H:%M:%S')" -U "$(date -u -d "@$t3" '+%Y-%m-%dT%H:%M:%SZ')")" = "${all[2]} " ] ||
        fail "--since/--until local and ISO forms"
[ "$(count --since "$(date -u -d "@$t3" '+%Y-%m-%d')" )" = 6 ] || fail "--since a date"
"$O" list --spool-dir "$S" --since tomorrow >/dev/null
[ $? = 1 ] || fail "--since tomorrow: nothing"
"$O" list --spool-dir "$S" --since "next tuesday" 2>"$TMP/err"
[ $? = 2 ] && grep -q "cannot read 'next tuesday' as a time" "$TMP/err" || fail "bad --since"
# boots: the stream's tag (8 hex of its id); not this boot's
tag=$(echo "${all[0]}" | cut -d- -f2)
[ "$(count --boot "$tag")" = 6 ] || fail "--boot TAG"
[ "$(count -b 1)" = 6 ] || fail "-b 1 (the oldest)"
[ "$(count -b -1)" = 6 ] || fail "-b -1 (before this boot, which has no report)"
"$O" list --spool-dir "$S" -b >/dev/null
[ $? = 1 ] || fail "-b (this boot): none"
"$O" list --spool-dir "$S" -b -2 2>"$TMP/err"
[ $? = 2 ] && grep -q "no boot -2" "$TMP/err" || fail "-b -2"
ok "list: columns, order, every match"

# --- list --json ------------------------------------------------------------------------------
"$O" list --spool-dir "$S" --json >"$TMP/jsonl" || fail "list --json"
[ "$(wc -l <"$TMP/jsonl")" = 6 ] || fail "--json: 6 lines"
for id in "${all[@]}"; do cat "$S/$id.json"; done | cmp -s - "$TMP/jsonl" || fail "--json: the stored objects"
[ "$("$O" list --spool-dir "$S" --json --kind alloc_failure | python3 -c 'import json,sys; print(json.load(sys.stdin)["trigger"]["comm"])')" = frag ] ||
        fail "--json with a match"
ok "list --json: the stored files, one per line"

# --- show -------------------------------------------------------------------------------------
"$O" show --spool-dir "$S" >"$TMP/show" || fail "show (latest) exit $?"
head -3 "$TMP/show"
grep -q "^Report $S/${all[5]}.json$" "$TMP/show" && grep -q "^id ${all[5]}$" "$TMP/show" &&
        grep -q "^Cause: cma_unusable" "$TMP/show" && grep -q "^Zones" "$TMP/show" && grep -q "^Top tasks" "$TMP/show" &&
        grep -q "^Where the memory went" "$TMP/show" || fail "show latest: $(head -20 "$TMP/show")"
# every report: the engine, run again on the stored lines, finds what the daemon stored
for id in "${all[@]}"; do
        cause=$(json_get "$S/$id.json" "[c['code'] for c in d['analysis']['causes'] if c['primary']][0]")
        summary=$(json_get "$S/$id.json" "d['analysis']['summary']")
        "$O" show --spool-dir "$S" "$id" >"$TMP/show" || fail "show $id"
        grep -qx "Cause: $cause" "$TMP/show" || fail "show $id: cause $cause: $(grep Cause "$TMP/show")"
        grep -qxF "$summary" "$TMP/show" || fail "show $id: summary differs from the stored one"
        ! grep -q "^Note: oomlensd recorded" "$TMP/show" || fail "show $id: cause note"
done
"$O" show --spool-dir "$S" --json "${all[1]}" | cmp -s - "$S/${all[1]}.json" || fail "show --json"
"$O" show --spool-dir "$S" --raw "${all[1]}" >"$TMP/raw" || fail "show --raw"
json_get "$S/${all[1]}.json" "'\n'.join(d['lines'])" | cmp -s - "$TMP/raw" || fail "show --raw: the stored lines"
grep -q "invoked oom-killer" "$TMP/raw" || fail "show --raw content"
"$O" show --spool-dir "$S" "${all[3]: -12}" | grep -q "^id ${all[3]}$" || fail "show by a unique part of the id"
"$O" show --spool-dir "$S" "${all[3]}.json" | grep -q "^id ${all[3]}$" || fail "show by file name"
"$O" show --spool-dir "$S" Z- 2>"$TMP/err"
[ $? = 2 ] && grep -q "matches 6 reports" "$TMP/err" || fail "show ambiguous"
"$O" show --spool-dir "$S" nosuchreport 2>/dev/null
[ $? = 1 ] || fail "show of a missing id should exit 1"
"$O" show --spool-dir "$S" --json --raw 2>/dev/null
[ $? = 2 ] || fail "show --json --raw"
ok "show: text from the stored lines agrees with the stored analysis for all 6; --json, --raw, ids"

# --- stats ------------------------------------------------------------------------------------
"$O" stats --spool-dir "$S" >"$TMP/stats" || fail "stats"
cat "$TMP/stats"
grep -q "^6 reports in 1 boot" "$TMP/stats" && grep -qE "^fragmentation +2$" "$TMP/stats" &&
        grep -qE "^$tag +6 " "$TMP/stats" || fail "stats text"
"$O" stats --spool-dir "$S" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["reports"] == 6, d
c = {x["cause"]: x["count"] for x in d["by_cause"]}
assert c == {"fragmentation": 2, "memcg_limit": 1, "kernel_memory": 1, "userspace_memory": 1, "cma_unusable": 1}, c
assert d["by_cause"][0]["cause"] == "fragmentation"
v = {x["comm"]: x["count"] for x in d["by_victim"]}
assert v == {"hog": 2, "frag": 2, "pipefill": 2}, v
u = {x["unit"]: x["count"] for x in d["by_unit"]}
assert u["/lab"] == 1 and sum(u.values()) == 6, u
assert len(d["by_boot"]) == 1 and d["by_boot"][0]["count"] == 6 and not d["by_boot"][0]["current"], d["by_boot"]
assert d["first_usec"] < d["last_usec"]
' || fail "stats --json"
[ "$("$O" stats --spool-dir "$S" --json --cause fragmentation | python3 -c 'import json,sys; print(json.load(sys.stdin)["reports"])')" = 2 ] ||
        fail "stats with a match"
ok "stats: by cause, victim, unit, boot (text and --json)"

# --- a second stream, the same spool: two more reports, kept apart by boot ---------------------
cat "$KMSG_DATA/gap.kmsg" >"$TMP/gap.kmsg"
"$OOMLENSD" -c "$TMP/test.conf" --kmsg "$TMP/gap.kmsg" -s "$S" -S "$TMP/gap-state" --oneshot --journal=no 2>"$TMP/gap.log" ||
        fail "second stream"
[ "$(count)" = 8 ] || fail "8 reports after the second stream"
tag2=$("$O" list --spool-dir "$S" --no-legend --comm python3 | head -1 | list_ids | cut -d- -f2)
[ "$tag2" != "$tag" ] && [ "$(count --boot "$tag2")" = 2 ] && [ "$(count --boot "$tag")" = 6 ] || fail "two boots"
"$O" list --spool-dir "$S" --no-legend --boot "$tag2" | awk '{print $5, $6, $7}' | grep -qx "memcg memcg_limit python3\[8102\]" ||
        fail "second stream rows"
"$O" stats --spool-dir "$S" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [b["count"] for b in d["by_boot"]] in ([6, 2], [2, 6]), d["by_boot"]' ||
        fail "stats per boot"
ok "two streams in one spool: --boot and stats per boot"

# --- the configuration: the daemon's files, drop-ins included ----------------------------------
mkdir -p "$TMP/etc/oomlensd.conf.d"
printf '[Spool]\nDirectory=/nonexistent\n[Kmsg]\nPath=/dev/kmsg\n[Metrics]\nDirectory=/tmp\n' >"$TMP/etc/oomlensd.conf"
printf '[Spool]\nDirectory=%s\n' "$S" >"$TMP/etc/oomlensd.conf.d/50-spool.conf"
[ "$("$O" list --config "$TMP/etc/oomlensd.conf" --no-legend | grep -c .)" = 8 ] || fail "spool from the config's drop-in"
"$O" list --config "$TMP/etc/oomlensd.conf" --spool-dir "$TMP/none" 2>"$TMP/err"
[ $? = 2 ] && grep -q "$TMP/none: no such directory" "$TMP/err" || fail "--spool-dir wins over the config"
printf '[Spool]\nDirectory=relative\n' >"$TMP/etc/oomlensd.conf.d/60-bad.conf"
"$O" list --config "$TMP/etc/oomlensd.conf" 2>"$TMP/err"
[ $? = 2 ] && grep -q "60-bad.conf:2: Directory= must be an absolute path" "$TMP/err" || fail "bad config: $(cat "$TMP/err")"
"$O" list --config "$TMP/etc/missing.conf" 2>"$TMP/err"
[ $? = 2 ] && grep -q "missing.conf" "$TMP/err" || fail "--config of a missing file"
ok "spool location from the daemon's configuration and drop-ins; --spool-dir overrides"

# --- the pager and colours, on a terminal (script(1) provides one) -----------------------------
if command -v script >/dev/null; then
        SYSTEMD_PAGER='sed s/^/PAGED:/' script -qec "$O list --spool-dir $S" /dev/null >"$TMP/tty" || fail "list on a tty"
        [ "$(grep -c '^PAGED:' "$TMP/tty")" = 9 ] || fail "pager: $(head -3 "$TMP/tty")"
        grep -q $'\033\\[1m' "$TMP/tty" || fail "colours on a terminal"
        SYSTEMD_PAGER='sed s/^/PAGED:/' script -qec "$O list --spool-dir $S --no-pager" /dev/null >"$TMP/tty"
        ! grep -q '^PAGED:' "$TMP/tty" && [ "$(grep -c . "$TMP/tty")" = 9 ] || fail "--no-pager"
        PAGER=cat NO_COLOR=1 script -qec "$O list --spool-dir $S" /dev/null >"$TMP/tty"
        ! grep -q $'\033' "$TMP/tty" || fail "NO_COLOR"
        SYSTEMD_PAGER= script -qec "$O show --spool-dir $S" /dev/null | grep -q "^Cause: cma_unusable" || fail "show on a tty"
        # less's options as systemd sets them: $SYSTEMD_LESS, else FRSXMK
        SYSTEMD_PAGER='sed "s/^/[$LESS]/"' script -qec "$O list --spool-dir $S" /dev/null | grep -q '^\[FRSXMK\]' ||
                fail "LESS=FRSXMK for the pager"
        SYSTEMD_LESS=FR SYSTEMD_PAGER='sed "s/^/[$LESS]/"' script -qec "$O stats --spool-dir $S" /dev/null |
                grep -q '^\[FR\]8 reports' || fail "SYSTEMD_LESS"
        ok "pager (SYSTEMD_PAGER, --no-pager, PAGER=cat) and colours (never with NO_COLOR) on a terminal"
else
        echo "note: script(1) missing: pager and colours not tested"
fi
SYSTEMD_PAGER='sed s/^/PAGED:/' "$O" list --spool-dir "$S" | grep -q 'PAGED:\|'$'\033' && fail "pager or colours into a pipe"

# --- hostile spools -----------------------------------------------------------------------------
C=$TMP/corrupt
cp -a "$S" "$C"
printf 'garbage\n' >"$C/20200101T000000Z-deadbeef-000000000001.json"
printf '{"name": "a package.json"}\n' >"$C/20200101T000000Z-deadbeef-000000000002.json"
head -c 300 "$S/${all[0]}.json" >"$C/20200101T000000Z-deadbeef-000000000003.json"
printf '{"schema": "oomlens.report/9"}\n' >"$C/20200101T000000Z-deadbeef-000000000004.json"
truncate -s 17M "$C/20200101T000000Z-deadbeef-000000000005.json"
ln -s /etc/passwd "$C/20200101T000000Z-deadbeef-000000000006.json"
mkdir "$C/20200101T000000Z-deadbeef-000000000007.json"
printf 'notes\n' >"$C/notes.txt"
printf '\033]0;pwned\007' >"$C/$(printf 'evil\033[2J.json')"
printf 'partial' >"$C/.#20200101T000000Z-deadbeef-000000000008.json.abc" # being written: silent
"$O" list --spool-dir "$C" --no-legend >"$TMP/out" 2>"$TMP/err"
[ $? = 0 ] || fail "list of a spool with bad files: exit $?"
cat "$TMP/err"
[ "$(grep -c . "$TMP/out")" = 8 ] || fail "the 8 good reports"
for want in "000001.json: not valid JSON" "000002.json: not an oomlens report" "000003.json: not valid JSON" \
        "000004.json: written by a newer oomlens" "000005.json: larger than 16 MiB" \
        "000006.json: not a regular file" "000007.json: not a regular file" "notes.txt: not a report file name"; do
        grep -q "$want.*, skipped$" "$TMP/err" || fail "no warning '$want'"
done
grep -q 'evil\\x1B\[2J.json' "$TMP/err" || fail "a hostile name is printed escaped"
! grep -q $'\033' "$TMP/err" || fail "an escape sequence reached the terminal"
! grep -q "000008" "$TMP/err" || fail "a temp file is not warned about"
[ "$(grep -c . "$TMP/err")" = 9 ] || fail "one warning per bad entry"
"$O" show --spool-dir "$C" 20200101T000000Z-deadbeef-000000000001 2>"$TMP/err"
[ $? = 2 ] && grep -q "not valid JSON" "$TMP/err" || fail "show of a corrupt file"
"$O" stats --spool-dir "$C" --json 2>/dev/null | python3 -c 'import json,sys; assert json.load(sys.stdin)["reports"] == 8' ||
        fail "stats skips them too"
ok "corrupt, foreign, oversized, symlinked, hostile-named files: skipped with one warning each"

# --- no spool, empty spool ------------------------------------------------------------------------
mkdir "$TMP/empty"
"$O" list --spool-dir "$TMP/empty" >"$TMP/out"
[ $? = 1 ] && [ ! -s "$TMP/out" ] || fail "list of an empty spool: exit 1, no output"
"$O" show --spool-dir "$TMP/empty" 2>"$TMP/err"
[ $? = 1 ] && grep -q "no reports" "$TMP/err" || fail "show of an empty spool"
"$O" stats --spool-dir "$TMP/empty" | grep -q "No reports" || fail "stats of an empty spool"
"$O" list --spool-dir "$TMP/none" 2>"$TMP/err"
[ $? = 2 ] && grep -q "no such directory: oomlensd has not written a report yet" "$TMP/err" || fail "missing spool"
ln -s "$S" "$TMP/link"
"$O" list --spool-dir "$TMP/link" 2>"$TMP/err"
[ $? = 2 ] && grep -q "symbolic link" "$TMP/err" || fail "a symlinked spool"
"$O" list --spool-dir "$S" --bogus 2>/dev/null
[ $? = 2 ] || fail "unknown option"
"$O" show --spool-dir "$S" --cause memcg_limit 2>"$TMP/err"
[ $? = 2 ] && grep -q -- "--cause is not an option of this command" "$TMP/err" || fail "option of another command"
ok "no spool, an empty one, a symlink, bad options: clear errors"
echo PASS
