#!/usr/bin/env bash
# Golden tests: every tests/data/golden/NAME.log is analysed with `oomlens analyze --json`; the
# reports (as a JSON array) must match NAME.expected.json: the same number of reports, and each
# expected object a subset of the actual one (fields may be added to the schema; the ones named
# in the expectation must keep their values), and every jq expression in NAME.checks true.
. "$(dirname "$0")/golden-lib.bash"
dir="$OOMLENS_DATA/golden"
n=0
for log in "$dir"/*.log "$dir"/*.txt "$dir"/*.kmsg; do
  [ -e "$log" ] || continue
  exp="${log%.*}.expected.json"
  [ -e "$exp" ] || fail "$log has no ${exp##*/}"
  set +e
  out=$("$OOMLENS" analyze --json "$log")
  rc=$?
  set -e
  [ $rc -eq 0 ] || fail "$log: oomlens exited $rc"
  actual=$(printf '%s\n' "$out" | jq -s .) || fail "$log: output is not JSON lines"
  want_n=$(jq length "$exp"); got_n=$(jq length <<<"$actual")
  [ "$want_n" = "$got_n" ] || fail "$log: $got_n reports, expected $want_n"
  ok=$(jq --slurpfile e "$exp" "$JQ_SUBSET subset(\$e[0])" <<<"$actual")
  if [ "$ok" != true ]; then
    jq -r --slurpfile e "$exp" "$JQ_SUBSET_WHY why(\$e[0]; \"\")[]" <<<"$actual" | head -20 >&2
    fail "$log: does not match ${exp##*/}"
  fi
  # NAME.checks: one jq expression per line (comments with #), each must be true on the array.
  checks="${log%.*}.checks"
  if [ -e "$checks" ]; then
    while IFS= read -r expr; do
      case "$expr" in ''|'#'*) continue ;; esac
      res=$(jq "$expr" <<<"$actual" 2>&1) || fail "$log: jq error in check: $expr: $res"
      [ "$res" = true ] || fail "$log: check failed: $expr (got $res)"
    done < "$checks"
  fi
  echo "ok: ${log##*/} ($got_n reports)"
  n=$((n + 1))
done
[ $n -gt 0 ] || fail "no golden files in $dir"
echo "$n golden files passed"
