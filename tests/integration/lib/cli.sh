# shellcheck shell=bash
# Helpers for the tests of the oomlens query commands (list, show, follow, journal, stats).
# Source after lib/common.sh.

# The lab's serial-console captures (tests/data/lab), one per kind of report, in an order
# that gives two kinds and five causes: memcg_limit, fragmentation (global and an allocation
# failure), kernel_memory, userspace_memory (a panic), cma_unusable.
MIXED_LAB_LOGS=(amd64-memcg amd64-fragmentation amd64-alloc-failure amd64-kernel-unaccounted
                amd64-panic-on-oom arm64-cma-trap)

# mixed_stream OUT: those captures as one /dev/kmsg record stream ("4,SEQ,USEC,-;text"),
# sequence numbers and timestamps increasing across them, for oomlensd --kmsg.
mixed_stream() {
        local out=$1 files=() f
        for f in "${MIXED_LAB_LOGS[@]}"; do files+=("$OOMLENS_DATA/lab/$f.log"); done
        python3 - "${files[@]}" >"$out" <<'PY'
import re, sys
seq, base = 1, 1000000
for path in sys.argv[1:]:
    last = base
    for raw in open(path, "rb"):
        m = re.match(r"^\[\s*(\d+)\.(\d+)\] (.*)$", raw.decode("utf-8", "replace").rstrip("\r\n"))
        if not m:
            continue  # firmware and boot-loader output of the serial console
        ts = base + int(m.group(1)) * 1000000 + int(m.group(2).ljust(6, "0")[:6])
        print("4,%d,%d,-;%s" % (seq, ts, m.group(3).replace("\\", "\\x5c")))
        seq, last = seq + 1, ts
    base = last + 1000000
PY
}

# list_ids: the ID column of `oomlens list --no-legend` (the last field).
list_ids() { awk '{print $NF}'; }
