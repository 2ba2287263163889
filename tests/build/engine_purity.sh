#!/usr/bin/env bash
# The engine (common/) never touches systemd, and the build enforces it:
#  - a file that includes <systemd/...> compiled like common/ is a compile error;
#  - liboomlens-common.a references no sd_* symbol;
#  - no source under common/ includes a systemd header.
set -euo pipefail
: "${OOMLENS_BUILD:?}" "${OOMLENS_SRC:?}"

out=$(cmake --build "$OOMLENS_BUILD" --target engine_purity_probe 2>&1) && {
        echo "FAIL: a systemd include compiled with common/'s settings"; exit 1; }
grep -q 'common/ is the engine and must not use systemd' <<<"$out" || {
        echo "FAIL: the probe failed, but not on the engine guard:"; echo "$out" | tail -20; exit 1; }
echo "ok: <systemd/sd-journal.h> in common/ is a build error"

lib=$(find "$OOMLENS_BUILD" -maxdepth 2 -name 'liboomlens-common.a' | head -1)
[ -n "$lib" ] || { echo "FAIL: liboomlens-common.a not found in $OOMLENS_BUILD"; exit 1; }
if nm "$lib" 2>/dev/null | grep -E ' U sd_' ; then
        echo "FAIL: the engine library references libsystemd"; exit 1
fi
echo "ok: $(basename "$lib") references no sd_* symbol"

if grep -rlE '#[[:space:]]*include[[:space:]]*[<"]systemd/' "$OOMLENS_SRC/common"; then
        echo "FAIL: common/ includes systemd headers"; exit 1
fi
echo "ok: no systemd include under common/"
