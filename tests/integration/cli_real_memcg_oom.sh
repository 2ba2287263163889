#!/usr/bin/env bash
# A real memory-cgroup OOM on this machine, read back three ways a user would: raw /dev/kmsg
# records, `dmesg` text, and `dmesg -r`. Each must analyse to kind memcg, cause memcg_limit, the
# victim the kernel killed, and usage equal to the limit.
set -euo pipefail
: "${OOMLENS:?}" "${OOMLENS_SRC:?}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to create a memory cgroup"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

set +e
"$OOMLENS_SRC/scripts/provoke-memcg-oom" --limit-mb 24 --name "oomlens-test-$$" --capture "$tmp/kmsg"
rc=$?
set -e
[ $rc -eq 77 ] && { echo "SKIP: no memory cgroup controller usable here"; exit 77; }
[ $rc -eq 0 ] || { echo "FAIL: could not provoke a memcg OOM (rc $rc)"; exit 1; }

pid=$(grep -aoE 'Killed process [0-9]+' "$tmp/kmsg" | tail -n1 | awk '{print $3}')
[ -n "$pid" ] || { echo "FAIL: no kill line in the capture"; exit 1; }
seq_first=$(head -n1 "$tmp/kmsg" | cut -d, -f2)

check() { # check NAME FILE
  local json
  json=$("$OOMLENS" analyze --json "$2" | jq -s "[.[] | select(.victim.pid == $pid)]")
  jq -e 'length == 1' <<<"$json" >/dev/null || { echo "FAIL($1): no single report for victim $pid"; exit 1; }
  jq -e '.[0].kind == "memcg" and .[0].complete' <<<"$json" >/dev/null || { echo "FAIL($1): kind/complete: $(jq -c '.[0] | {kind, complete}' <<<"$json")"; exit 1; }
  jq -e '[.[0].analysis.causes[] | select(.primary)][0].code == "memcg_limit"' <<<"$json" >/dev/null || { echo "FAIL($1): primary cause $(jq -c '.[0].analysis.causes' <<<"$json")"; exit 1; }
  jq -e '.[0].memcg.usage_kb == .[0].memcg.limit_kb and .[0].memcg.limit_kb == 24576' <<<"$json" >/dev/null || { echo "FAIL($1): memcg $(jq -c '.[0].memcg' <<<"$json")"; exit 1; }
  echo "ok: $1: victim $pid, memcg limit 24576 kB reached"
}
check kmsg "$tmp/kmsg"
dmesg > "$tmp/dmesg.txt"; check dmesg "$tmp/dmesg.txt"
dmesg -r > "$tmp/dmesg-r.txt"; check "dmesg -r" "$tmp/dmesg-r.txt"
# The same through standard input.
"$OOMLENS" analyze --json - < "$tmp/dmesg.txt" | jq -e "select(.victim.pid == $pid) | .kind == \"memcg\"" >/dev/null \
  || { echo "FAIL: stdin"; exit 1; }
echo "ok: stdin"
