#!/usr/bin/env bash
# Hostile and broken input: no crash (this test also runs in the ASan/UBSan build), the documented
# exit status, a one-line message naming the file, and valid JSON whenever JSON is printed.
. "$(dirname "$0")/golden-lib.bash"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
seed="$OOMLENS_DATA/golden/seed-3.14-arm-cma.txt"

run() { # run EXPECTED_RC ARGS... ; leaves stdout in $tmp/out, stderr in $tmp/err
  local want=$1; shift
  set +e; "$OOMLENS" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?; set -e
  [ $rc -eq "$want" ] || fail "oomlens $*: exit $rc, expected $want; stderr: $(head -c 300 "$tmp/err")"
  [ $rc -lt 128 ] || fail "oomlens $*: killed by a signal"
}
valid_json() { jq -e . "$tmp/out" >/dev/null 2>&1 || [ ! -s "$tmp/out" ] || fail "$1: invalid JSON output"; }

# Usage and I/O errors: exit 2, one line naming the file and the reason.
run 2; run 2 analyze; run 2 frobnicate; run 2 analyze --format nonsense "$seed"
run 2 analyze /nonexistent/kern.log
grep -q '/nonexistent/kern.log' "$tmp/err" || fail "message does not name the file"
[ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "expected a one-line message"
run 2 analyze "$tmp"            # a directory
grep -q "$tmp" "$tmp/err" || fail "message does not name the directory"

# No report: exit 1.
: > "$tmp/empty"; run 1 analyze --json "$tmp/empty"; [ ! -s "$tmp/out" ] || fail "output for empty input"
printf 'hello\nworld\n' > "$tmp/prose"; run 1 analyze "$tmp/prose"

# Random bytes, NUL bytes, a 10 MB line, invalid UTF-8: no crash, valid JSON.
head -c 2000000 /dev/urandom > "$tmp/random"
set +e; "$OOMLENS" analyze --json "$tmp/random" > "$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ $rc -le 1 ] || fail "random bytes: exit $rc"; valid_json random
{ head -c 10485760 /dev/zero | tr '\0' 'A'; echo; cat "$seed"; } > "$tmp/longline"
run 0 analyze --json "$tmp/longline"; valid_json longline
jq -s -e 'map(select(.victim.pid == 5575)) | length == 1' "$tmp/out" >/dev/null || fail "long line hid the report"
{ printf 'abc\0def\n'; sed 's/thread_x/thr\x00ead/' "$seed"; } > "$tmp/nul"
set +e; "$OOMLENS" analyze --json "$tmp/nul" > "$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ $rc -le 1 ] || fail "NUL bytes: exit $rc"; valid_json nul
sed 's/thread_x/thr\xff\xfe_x/g; s/systemd-journal/sys\xc3(d/g' "$seed" > "$tmp/utf8"
run 0 analyze --json "$tmp/utf8"; valid_json utf8
jq -s -e '.[0].victim.comm | test("thr.*_x")' "$tmp/out" >/dev/null || fail "comm with invalid UTF-8 lost"
iconv -f UTF-8 -t UTF-8 "$tmp/out" >/dev/null 2>&1 || fail "output is not valid UTF-8"
run 0 analyze "$tmp/utf8"    # text output too

# A truncated report: found, marked incomplete.
head -n 60 "$seed" > "$tmp/cut"
run 0 analyze --json "$tmp/cut"; valid_json cut
jq -s -e 'length == 1 and (.[0].complete == false)' "$tmp/out" >/dev/null || fail "truncated report not marked incomplete"
# Cut at every 97th byte of the seed: never a crash.
size=$(stat -c %s "$seed")
for ((off = 1; off < size; off += 97)); do
  head -c $off "$seed" > "$tmp/part"
  set +e; "$OOMLENS" analyze --json "$tmp/part" > "$tmp/out" 2>&1; rc=$?; set -e
  [ $rc -le 1 ] || fail "seed cut at byte $off: exit $rc"
done
echo "bad input handled"
