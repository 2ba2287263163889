#!/bin/bash
# The list line of every report the engine can write: each report of the public corpus, the
# lab captures and the golden logs, analysed and stored under daemon-style names, must list
# with the kind, cause, victim, RSS and unit column a full JSON parse (python) computes from the
# same file. Guards the summary reader's skipping scanner against every shape of report.
set -u
. "$(dirname "$0")/lib/common.sh"
[ -x "${OOMLENS:-}" ] || skip "OOMLENS not set"
command -v python3 >/dev/null || skip "python3 needed"
: "${OOMLENS_DATA:=$OOMLENS_SRC/tests/data}"
make_tmp
S=$TMP/spool
mkdir "$S"
inputs=("$OOMLENS_DATA"/lab/*.log "$OOMLENS_DATA"/golden/*.log "$OOMLENS_DATA"/golden/*.txt "$OOMLENS_DATA"/kmsg/*.kmsg)
[ -d "${OOMLENS_SHARED:-}/corpus/public" ] && inputs+=("$OOMLENS_SHARED"/corpus/public/*)
n=0
for f in "${inputs[@]}"; do
        [ -f "$f" ] || continue
        "$OOMLENS" analyze --json "$f" 2>/dev/null
done | python3 -c '
import json, sys
spool = sys.argv[1]
for i, line in enumerate(sys.stdin):
    d = json.loads(line)
    name = "20260101T%02d%02d%02dZ-0123abcd-%012d" % (i // 3600 % 24, i // 60 % 60, i % 60, i)
    d["id"] = name
    with open("%s/%s.json" % (spool, name), "w") as f:
        f.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n")
print(i + 1)
' "$S" >"$TMP/count" || fail "writing the spool"
n=$(cat "$TMP/count")
[ "$n" -ge 50 ] || fail "only $n reports"

TZ=UTC0 "$OOMLENS" list --spool-dir "$S" --no-legend --utc >"$TMP/list" 2>"$TMP/err" || fail "list: $(cat "$TMP/err")"
[ ! -s "$TMP/err" ] || fail "warnings: $(head "$TMP/err")"
python3 - "$S" "$TMP/list" <<'PY' || fail "list rows differ from the files"
import json, sys
spool, listing = sys.argv[1], sys.argv[2]
def human(kb):
    if kb is None: return "-"
    if kb < 1024: return "%d kB" % kb
    v, units = kb / 1024.0, ["MiB", "GiB", "TiB"]
    u = 0
    while v >= 1023.95 and u + 1 < len(units):
        v, u = v / 1024.0, u + 1
    return "%.1f %s" % (v, units[u])
rows = open(listing, encoding="utf-8", errors="replace").read().splitlines()
checked = 0
for row in rows:
    f = row.split()
    d = json.load(open("%s/%s.json" % (spool, f[-1])))
    causes = (d.get("analysis") or {}).get("causes") or []
    prim = [c["code"] for c in causes if c.get("primary")] or [c["code"] for c in causes] or ["unknown"]
    v = d.get("victim")
    who = v if v else d["trigger"]
    comm = who.get("comm") or ("?" if who.get("pid") is not None else "-")
    victim = "%s[%d]" % (comm, who["pid"]) if who.get("pid") is not None else comm
    c, m = d.get("constraint") or {}, d.get("memcg") or {}
    w = d.get("workload") or {}
    where = (w.get("unit") or (w.get("container_id") or "")[:12] or w.get("pod_uid") or
             c.get("task_memcg") or m.get("task_path") or c.get("memcg") or m.get("path") or "-")
    rss = human(v.get("rss_kb")) if v else "-"
    want = [d["kind"], prim[0], victim]
    if any(ch == " " or ord(ch) < 0x20 or ord(ch) > 0x7e for ch in victim + where):
        continue  # text the terminal-safe printer escapes or splits: compared by the unit tests
    assert f[4:7] == want, (f[-1], f[4:7], want)
    assert f[7] == where and " ".join(f[8:-1]) == rss, (f[-1], f[7:-1], where, rss)
    checked += 1
assert checked >= len(rows) - 2, (checked, len(rows))
print("ok: %d of %d rows match a full parse of their file" % (checked, len(rows)))
PY
ok "$n reports of the corpus, lab and golden logs: every list line as a full parse says"
echo PASS
