#!/bin/bash
# Every committed OOM-lab capture (tests/data/lab/*.log: serial consoles of real qemu guests,
# made by tests/lab/run) must still get the verdict its scenario was designed to produce
# (tests/data/lab/*.expect), with the numbers agreeing with the guest's own /proc/zoneinfo.
# No qemu needed. Exit 77 (skip) when jq is missing.
set -uo pipefail
src=${OOMLENS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
data=${OOMLENS_DATA:-$src/tests/data}/lab
: "${OOMLENS:?OOMLENS must name the oomlens binary}"
export OOMLENS
command -v jq >/dev/null || { echo "lab_verdicts: skipped: jq is not installed"; exit 77; }
shopt -s nullglob
logs=("$data"/*.log)
[[ ${#logs[@]} -gt 0 ]] || { echo "lab_verdicts: no captures in $data"; exit 1; }
pass=0 fail=0 failed=()
for log in "${logs[@]}"; do
        expect=${log%.log}.expect
        if bash "$src/tests/lab/check" "$log" "$expect"; then
                pass=$((pass + 1))
        else
                fail=$((fail + 1))
                failed+=("$(basename "$log" .log)")
        fi
done
for expect in "$data"/*.expect; do
        [[ -e ${expect%.expect}.log ]] && continue
        echo "$(basename "$expect"): expectation without a capture"
        fail=$((fail + 1))
done
[[ $fail -eq 0 ]] || echo "lab_verdicts: failed: ${failed[*]:-}"
echo "lab_verdicts: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
