#!/usr/bin/env bash
# The cause documentation stays true (docs/causes.md, docs/adding-a-kernel-version.md):
#  1. every cause code of the engine (`oomlens list --cause=help`, which prints the table
#     cause_names[] in common/model/report.c) has exactly one "## `code`" section in
#     docs/causes.md, and every such section is a code the engine has;
#  2. each section has at least one marker
#       <!-- example: PATH report=N cause=CODE role=primary|secondary -->
#     and `oomlens analyze --json PATH` gives report N (1-based) that cause in that role;
#  3. every ```console block of both documents is run from the source tree (`oomlens` is the
#     binary under test) and each output line it quotes appears, in that order, in what the
#     commands print (a line "..." marks a cut);
#  4. every `path` in backticks in both documents exists in the tree, and on a line that names
#     C files in backticks, every `identifier` in backticks occurs in one of those files.
. "$(dirname "$0")/golden-lib.bash"
: "${OOMLENS_SRC:?OOMLENS_SRC (the source tree) must be set; run through ctest}"
command -v jq >/dev/null || { echo "causes_doc: skipped: jq is not installed"; exit 77; }

src=$OOMLENS_SRC
causes_doc=docs/causes.md
kernel_doc=docs/adding-a-kernel-version.md
tmp=$(mktemp -d /tmp/causes_doc.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
for d in "$causes_doc" "$kernel_doc"; do
  [ -f "$d" ] || fail "$d is missing"
done

# --- 1. codes <-> sections
"$OOMLENS" list --cause=help | sort >"$tmp/codes" || fail "oomlens list --cause=help failed"
[ -s "$tmp/codes" ] || fail "oomlens list --cause=help printed no codes"
# The source table too: the help list and the table must not drift apart.
sed -n 's/^[[:space:]]*\[CAUSE_[A-Z_]*\][[:space:]]*=[[:space:]]*"\([a-z_]*\)",.*/\1/p' \
  common/model/report.c | sort >"$tmp/codes.src"
cmp -s "$tmp/codes" "$tmp/codes.src" ||
  fail "cause_names[] in common/model/report.c and --cause=help differ: $(diff "$tmp/codes.src" "$tmp/codes" | tr '\n' ' ')"
sed -n 's/^## `\([a-z_]*\)`[[:space:]]*$/\1/p' "$causes_doc" | sort >"$tmp/sections"
dups=$(uniq -d "$tmp/sections")
[ -z "$dups" ] || fail "$causes_doc: more than one section for: $dups"
missing=$(comm -23 "$tmp/codes" "$tmp/sections")
[ -z "$missing" ] || fail "$causes_doc: no section for the cause code(s): $(echo $missing) (document every code the engine emits)"
extra=$(comm -13 "$tmp/codes" "$tmp/sections")
[ -z "$extra" ] || fail "$causes_doc: section(s) for code(s) the engine does not have: $(echo $extra)"
echo "ok: $(wc -l <"$tmp/codes") cause codes, one section each"

# --- 2. example markers: "SECTION PATH REPORT CAUSE ROLE" per marker
awk '
  /^## `[a-z_]*`[[:space:]]*$/ { s = $2; gsub(/`/, "", s); next }
  /^## / { s = ""; next }
  /^<!-- example:/ {
    line = $0
    sub(/.*<!-- example:[[:space:]]*/, "", line); sub(/[[:space:]]*-->.*/, "", line)
    n = split(line, f, /[[:space:]]+/)
    path = f[1]; rep = ""; cause = ""; role = ""
    for (i = 2; i <= n; i++) {
      if (f[i] ~ /^report=/) rep = substr(f[i], 8)
      else if (f[i] ~ /^cause=/) cause = substr(f[i], 7)
      else if (f[i] ~ /^role=/) role = substr(f[i], 6)
      else { print "BAD " NR " " f[i]; next }
    }
    print (s == "" ? "-" : s), path, rep, cause, role, NR
  }' "$causes_doc" >"$tmp/examples"
if grep -q '^BAD ' "$tmp/examples"; then
  fail "$causes_doc: unknown marker field(s): $(grep '^BAD ' "$tmp/examples" | tr '\n' ' ')"
fi
n_examples=0
while read -r section path rep cause role lineno; do
  where="$causes_doc:$lineno"
  [ "$section" != - ] || fail "$where: example marker outside a cause section"
  [ "$cause" = "$section" ] || fail "$where: marker cause=$cause in the section of $section"
  [[ "$rep" =~ ^[1-9][0-9]*$ ]] || fail "$where: report=$rep is not a report number (1 = first)"
  case "$role" in primary | secondary) ;; *) fail "$where: role=$role (primary or secondary)" ;; esac
  [ -f "$path" ] || fail "$where: $path does not exist"
  "$OOMLENS" analyze --json "$path" >"$tmp/ex.json" || fail "$where: oomlens analyze --json $path failed"
  got=$(jq -s -r --argjson i "$((rep - 1))" \
    'if length <= $i then "no report \($i + 1) (\(length) in the file)"
     else .[$i].analysis.causes as $c
       | ($c | map(select(.primary)) | map(.code) | join(",")) as $p
       | ($c | map(select(.primary | not)) | map(.code) | join(",")) as $s
       | "primary=\($p) secondary=\($s)" end' "$tmp/ex.json")
  if [ "$role" = primary ]; then
    [[ "$got" == "primary=$cause "* ]] || fail "$where: report $rep of $path: want primary $cause, got $got"
  else
    [[ ",${got#*secondary=}," == *",$cause,"* ]] || fail "$where: report $rep of $path: want secondary $cause, got $got"
  fi
  n_examples=$((n_examples + 1))
done <"$tmp/examples"
# every section needs a marker
for code in $(cat "$tmp/codes"); do
  awk -v c="$code" '$1 == c { found = 1 } END { exit !found }' "$tmp/examples" ||
    fail "$causes_doc: the section of $code has no <!-- example: ... --> marker"
done
echo "ok: $n_examples example markers give their cause"

# --- 3. console blocks: run, and every quoted output line appears in order
oomlens() { "$OOMLENS" "$@"; }
export -f oomlens
export OOMLENS
n_blocks=0
for doc in "$causes_doc" "$kernel_doc"; do
  rm -f "$tmp"/block.*
  awk -v dir="$tmp" '
    /^```console[[:space:]]*$/ { inb = 1; nb++; print NR > (dir "/block." nb ".line"); next }
    inb && /^```[[:space:]]*$/ { inb = 0; next }
    inb {
      if ($0 ~ /^\$ /) print substr($0, 3) >> (dir "/block." nb ".cmd")
      else if ($0 == "...") next
      else print $0 >> (dir "/block." nb ".want")
    }
    END { if (inb) print "unterminated" > (dir "/block.unterminated") }' "$doc"
  [ ! -e "$tmp/block.unterminated" ] || fail "$doc: a console block is not closed"
  for wantf in "$tmp"/block.*.want; do
    if [ -e "$wantf" ] && [ ! -e "${wantf%.want}.cmd" ]; then
      fail "$doc:$(cat "${wantf%.want}.line"): a console block without a \$ command"
    fi
  done
  for cmdf in "$tmp"/block.*.cmd; do
    [ -e "$cmdf" ] || continue
    b=${cmdf%.cmd}
    where="$doc:$(cat "$b.line")"
    [ -s "$b.want" ] || fail "$where: a console block that quotes no output checks nothing"
    bash -o pipefail -c "$(cat "$cmdf")" >"$b.out" 2>&1 || fail "$where: the command failed: $(head -c 300 "$b.out")"
    sed -i 's/[[:space:]]*$//' "$b.out" "$b.want"
    awk 'NR == FNR { want[++n] = $0; next }
         i < n && $0 == want[i + 1] { i++ }
         END { if (i < n) { print "line " i + 1 " of the quote not found in order: " want[i + 1]; exit 1 } }' \
      "$b.want" "$b.out" >"$b.why" || fail "$where: $(cat "$b.why")"
    n_blocks=$((n_blocks + 1))
  done
done
[ $n_blocks -gt 0 ] || fail "no console blocks found"
echo "ok: $n_blocks console blocks print what they quote"

# --- 4. backticked paths and symbols
n_paths=0 n_syms=0
for doc in "$causes_doc" "$kernel_doc"; do
  lineno=0
  while IFS= read -r line; do
    lineno=$((lineno + 1))
    [[ "$line" == *'`'* ]] || continue
    mapfile -t toks < <(grep -o '`[^`]*`' <<<"$line" | sed 's/^`//; s/`$//')
    cfiles=()
    for t in "${toks[@]}"; do
      # a path: no blanks, a slash, starts with a name we ship or ../shared
      [[ "$t" =~ ^(\.\./shared|common|daemon|cli|tests|docs|scripts|systemd|conf|packaging|cmake)/[A-Za-z0-9_./*-]*$ ]] || continue
      if [[ "$t" == *'*'* ]]; then
        compgen -G "$t" >/dev/null || fail "$doc:$lineno: no file matches \`$t\`"
      elif [ ! -e "$t" ]; then
        # a placeholder name (tests/data/lab/ID.log, NAME.expected.json): its directory must exist
        [[ "${t##*/}" =~ ^[A-Z][A-Z_]+(\.|$) ]] && [ -d "$(dirname "$t")" ] ||
          fail "$doc:$lineno: \`$t\` does not exist"
      fi
      [[ "$t" =~ \.[ch]$ ]] && cfiles+=("$t")
      n_paths=$((n_paths + 1))
    done
    [ ${#cfiles[@]} -gt 0 ] || continue
    for t in "${toks[@]}"; do
      # an identifier, maybe with () or []: a function, table, macro or enum value
      [[ "$t" =~ ^([A-Za-z_][A-Za-z0-9_]*)(\(\)|\[\])?$ ]] || continue
      sym=${BASH_REMATCH[1]}
      [[ "$sym" == *_* ]] || [ -n "${BASH_REMATCH[2]}" ] || continue
      grep -qw -- "$sym" "${cfiles[@]}" ||
        fail "$doc:$lineno: \`$t\` is not in $(echo "${cfiles[@]}")"
      n_syms=$((n_syms + 1))
    done
  done <"$doc"
done
[ $n_syms -gt 0 ] || fail "$kernel_doc names no symbol next to its file"
echo "ok: $n_paths paths exist, $n_syms symbols are where the documents say"
