#!/usr/bin/env bash
# Sweep every file of ../shared/corpus (public + lab): no crash, valid JSON, every report
# header in the file becomes a report, every "Killed process N" becomes a victim with pid N (and
# no other victims), and no unparsed line in a complete report unless listed as known in
# corpus-known-unparsed.txt. The facts are read from the files with grep, not from the engine.
. "$(dirname "$0")/golden-lib.bash"
corpus="${OOMLENS_SHARED:-}/corpus"
if [ ! -d "$corpus/public" ]; then
  echo "SKIP: $corpus/public not found (the shared corpus is not beside this checkout)"
  exit 77
fi
known="$(dirname "$0")/corpus-known-unparsed.txt"
files=("$corpus"/public/*.log "$corpus"/lab/*.log)
nfiles=0 nreports=0 failures=0
bad() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

for f in "${files[@]}"; do
  [ -e "$f" ] || continue
  base=${f##*/}
  set +e
  out=$(timeout 60 "$OOMLENS" analyze --json "$f" 2>/tmp/oomlens-sweep.err)
  rc=$?
  set -e
  if [ $rc -ge 2 ]; then bad "$base: exit $rc: $(head -c 300 /tmp/oomlens-sweep.err)"; continue; fi
  json=$(printf '%s\n' "$out" | jq -s .) || { bad "$base: invalid JSON"; continue; }
  nfiles=$((nfiles + 1))
  n=$(jq length <<<"$json"); nreports=$((nreports + n))

  # Headers in the file vs reports that start with a header.
  want_h=$(grep -aEc 'invoked oom-killer|page allocation failure[:.] order|page allocation stalls for' "$f" || true)
  got_h=$(jq '[.[] | select(.report_type == "oom" or .report_type == "alloc_failure")] | length' <<<"$json")
  [ "$want_h" = "$got_h" ] || bad "$base: $want_h report headers in the file, $got_h reports with a header"

  # Victims: the set of killed pids in the file equals the set of victim pids reported.
  want_v=$({ tr '\n' ' ' < "$f" | grep -aoE 'Killed process [0-9]+' || true; } | awk '{print $3}' | sort -un | tr '\n' ' ')
  got_v=$(jq -r '[.[] | .victim.pid // empty] | unique | .[]' <<<"$json" | sort -un | tr '\n' ' ')
  [ "$want_v" = "$got_v" ] || bad "$base: killed pids in file [$want_v], victims reported [$got_v]"

  # Unparsed lines inside complete reports.
  allowed=$(awk -v b="$base" '$1 == b {print $2; exit}' "$known" 2>/dev/null || true)
  unparsed=$(jq '[.[] | select(.complete) | .unparsed_lines] | add // 0' <<<"$json")
  if [ "$unparsed" -gt "${allowed:-0}" ]; then
    bad "$base: $unparsed unparsed lines in complete reports (known: ${allowed:-0})"
    jq -r '.[] | select(.complete and .unparsed_lines > 0) | .unparsed[]? // empty' <<<"$json" | head -5 >&2
  fi
  printf 'ok: %-80s %2d reports\n' "$base" "$n"
done
echo "swept $nfiles files, $nreports reports, $failures failures"
[ $nfiles -ge 40 ] || fail "only $nfiles corpus files were analysed"
[ $failures -eq 0 ]
