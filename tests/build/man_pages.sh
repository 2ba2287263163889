#!/usr/bin/env bash
# The man pages the build made from docs/*.md (docs/md2man.py):
#  - each renders without a single groff/tbl warning, both as man(1) shows it on a terminal and
#    paged (-rcR=0), and as lintian checks it (man --warnings -E UTF-8 -Tutf8 -Z, 120 columns);
#  - man -l shows the sections a reader looks for, and no roff leaks into the text;
#  - whatis/apropos can read the NAME line (lexgrog);
#  - the pages keep up with the code: every cause code (common/model/report.c), every
#    configuration key (daemon/daemon_config.c) in its section, every long option of both
#    programs, and every key of the JSON the CLI prints for the whole public corpus is
#    documented.
set -uo pipefail
: "${OOMLENS_BUILD:?}" "${OOMLENS_SRC:?}"
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }
command -v groff >/dev/null && command -v man >/dev/null || { echo "SKIP: groff/man-db not installed"; exit 77; }
grep -q '^OOMLENS_MAN:BOOL=OFF' "$OOMLENS_BUILD/CMakeCache.txt" && { echo "SKIP: configured with -DOOMLENS_MAN=OFF"; exit 77; }

MAN=$OOMLENS_BUILD/docs/man
TMP=$(mktemp -d /tmp/oomlens-man.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

declare -A SECTIONS=(
        [oomlens.1]="NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS EXIT.STATUS CAUSE.CODES FILES EXAMPLES SEE.ALSO"
        [oomlensd.8]="NAME SYNOPSIS DESCRIPTION OPTIONS CONFIGURATION ACCESS JOURNAL.FIELDS EXIT.STATUS FILES SEE.ALSO"
        [oomlensd.conf.5]="NAME SYNOPSIS DESCRIPTION FILES SEE.ALSO"
        [oomlens-report.5]="NAME DESCRIPTION FIELDS SEE.ALSO"
)
for page in "${!SECTIONS[@]}"; do
        f=$MAN/$page
        [ -s "$f" ] && [ -s "$f.gz" ] || fail "$f(.gz) was not built"
        cmp -s <(gzip -dc "$f.gz") "$f" || fail "$f.gz is not $f compressed"

        for mode in "-rcR=1" "-rcR=0"; do
                out=$(groff -t -man -Tutf8 -ww -z "$mode" "$f" 2>&1)
                [ -z "$out" ] || { echo "$out"; fail "groff $mode warns about $page"; }
        done
        out=$(cd "$TMP" && env -i PATH="$PATH" LC_ALL=C.UTF-8 MANROFFSEQ= MANWIDTH=120 \
                man --warnings -E UTF-8 -l -Tutf8 -Z "$f" 2>&1 >/dev/null)
        [ -z "$out" ] || { echo "$out"; fail "man --warnings (as lintian runs it) warns about $page"; }

        MANWIDTH=80 LC_ALL=C.UTF-8 man -l "$f.gz" 2>"$TMP/err" | col -bx >"$TMP/$page.txt"
        [ -s "$TMP/$page.txt" ] && [ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "man -l $page.gz"; }
        for s in ${SECTIONS[$page]}; do
                grep -qE "^${s//./ }\$" "$TMP/$page.txt" || fail "$page has no ${s//./ } section"
        done
        # Roff that leaked through as text: font escapes, table or block markers.
        if grep -nE '\\f[BIRP(]|^\s*T[{}]\s*$|^\s*\.(TS|TE|PP|TP|IP|SH|SS|nf|fi|RS|RE)\b' "$TMP/$page.txt"; then
                fail "$page shows roff source as text"
        fi
        name=${page%.*}
        whatis=$(lexgrog "$f" 2>&1) || fail "lexgrog cannot parse $page's NAME: $whatis"
        grep -qF "\"$name - " <<<"$whatis" || fail "lexgrog reads $page as: $whatis"
done
ok "4 pages: no groff/tbl warning (terminal, paged, lintian's way), sections present, whatis entries: $(lexgrog "$MAN/oomlens.1" | cut -d'"' -f2)"

# Cause codes: the table of stable codes in common/model/report.c.
codes=$(sed -n 's/^[[:space:]]*\[CAUSE_[A-Z_]*\] = "\([a-z_]*\)",/\1/p' "$OOMLENS_SRC/common/model/report.c")
[ "$(wc -w <<<"$codes")" -ge 10 ] || fail "could not read the cause codes from report.c"
for c in $codes; do
        grep -qE "^ +$c +[a-z0-9]" "$TMP/oomlens.1.txt" || fail "oomlens(1) CAUSE CODES does not explain $c"
done
ok "oomlens(1) explains all $(wc -w <<<"$codes") cause codes"

# Configuration keys: { "Section", "Key", ... } in daemon_config.c's table, each under its
# [SECTION] SECTION heading of oomlensd.conf(5).
keys=$(sed -n 's/^[[:space:]]*{ "\([A-Za-z]*\)", "\([A-Za-z]*\)", V_.*/\1 \2/p' "$OOMLENS_SRC/daemon/daemon_config.c")
[ "$(wc -l <<<"$keys")" -ge 10 ] || fail "could not read the configuration keys from daemon_config.c"
while read -r section key; do
        upper=$(tr '[:lower:]' '[:upper:]' <<<"$section")
        awk -v h="[$upper] SECTION" -v k="$key=" '
                /^[^ ]/ { in_s = ($0 == h) }
                in_s && index($0, k) { found = 1 }
                END { exit !found }' "$TMP/oomlensd.conf.5.txt" ||
                fail "oomlensd.conf(5) does not document $key= under [$upper] SECTION"
done <<<"$keys"
ok "oomlensd.conf(5) documents all $(wc -l <<<"$keys") keys, each in its section"

# Long options of both programs.
check_options() { # check_options SOURCE PAGE
        local opts o
        opts=$(sed -n 's/^[[:space:]]*{ "\([a-z0-9-]*\)", \(no\|required\|optional\)_argument.*/\1/p' "$1" | sort -u)
        [ -n "$opts" ] || fail "no options read from $1"
        for o in $opts; do
                grep -qE -- "--$o\b" "$TMP/$2.txt" || fail "$2 does not document --$o ($1)"
        done
        echo "$(wc -w <<<"$opts")"
}
n1=$(check_options "$OOMLENS_SRC/cli/oomlens.c" oomlens.1) || { echo "$n1"; exit 1; }
n8=$(check_options "$OOMLENS_SRC/daemon/oomlensd.c" oomlensd.8) || { echo "$n8"; exit 1; }
ok "oomlens(1) documents its $n1 long options, oomlensd(8) its $n8"

# JSON keys: every key in the objects oomlens analyze --json prints for the public corpus,
# except the contents of the maps whose keys the kernel names (memory.stat, meminfo, zone fields).
corpus=$OOMLENS_SRC/../shared/corpus/public
if [ -n "${OOMLENS:-}" ] && [ -x "$OOMLENS" ] && compgen -G "$corpus/*.log" >/dev/null; then
        cat "$corpus"/*.log | "$OOMLENS" analyze --json - >"$TMP/all.jsonl" || true
        [ -s "$TMP/all.jsonl" ] || fail "oomlens analyze --json printed nothing for the corpus"
        python3 - "$TMP/all.jsonl" "$TMP/oomlens-report.5.txt" <<'EOF' || exit 1
import json, re, sys
words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", open(sys.argv[2]).read()))
dynamic = {("memcg", "stats"), ("printed", "meminfo_pages"), ("printed", "node_kb"),
           ("printed", "unreclaimable_slab_kb"), ("zones", "fields_kb")}
missing, n_keys, n_reports = {}, set(), 0
def walk(o, path):
    if isinstance(o, dict):
        for k, v in o.items():
            n_keys.add(k)
            if k not in words:
                missing.setdefault(k, ".".join(path) or "(top level)")
            if not (path and (path[-1], k) in dynamic):
                walk(v, path + [k])
    elif isinstance(o, list):
        for x in o:
            walk(x, path)
for line in open(sys.argv[1]):
    walk(json.loads(line), [])
    n_reports += 1
if missing:
    print("FAIL: oomlens-report(5) does not document: " +
          ", ".join(f"{p}.{k}" for k, p in sorted(missing.items())))
    sys.exit(1)
print(f"ok: oomlens-report(5) documents all {len(n_keys)} keys of {n_reports} corpus reports")
EOF
else
        echo "note: no corpus or no OOMLENS binary: JSON keys not checked"
fi
echo PASS
