#!/usr/bin/env python3
"""Generate adversarial mixed logs for tests/golden/prefilter_equivalence.sh: ordinary kernel
chatter around OOM reports (the bench template and any report files given), written as dmesg,
raw /dev/kmsg (with 'c'/'+' fragments, dictionary lines, seq gaps, user-space facilities,
"\\x0a" escapes), hard-wrapped paste, CRLF, caller ids, BBCode, NUL and "#012" bytes, and
padded so that report lines straddle the CLI's 1 MiB read chunks.

Usage: gen_prefilter_cases.py SEED OUTDIR TEMPLATE [REPORT_FILE...]"""
import os
import random
import sys

CHATTER = [
    "usb 1-1: new high-speed USB device number {n} using xhci_hcd",
    "EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.",
    "audit: type=1400 audit(1700000000.{n}:42): apparmor=\"STATUS\" operation=\"profile_load\" pid={n}",
    "IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready",
    "e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
    "systemd[1]: Started Session {n} of User root.",
    "TCP: request_sock_TCP: Possible SYN flooding on port 80. Sending cookies.  Check SNMP counters.",
    "blk_update_request: I/O error, dev sda, sector {n} op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 0",
    "perf: interrupt took too long (2502 > 2500), lowering kernel.perf_event_max_sample_rate to 79750",
    # chatter that shares words with report lines (must not confuse either path)
    "Call Trace:",
    " dump_stack+0x4d/0x63",
    "CPU: 1 PID: {n} Comm: kworker/1:2 Not tainted 6.1.0 #1",
    "Normal zone: 3840 pages used for memmap",
    "Node 0, zone   Normal: some other text",
    "memory: cleaned up",
    "kill process group? no",
    "Out of memory? maybe not",
    "x86/mm: Memory block size: 128MB",
    "Freeing unused kernel image (initmem) memory: 2664K",
    "a very long line " + "0123456789 " * 30,
    "warn_alloc: 3 callbacks suppressed",
    "sysrq: SysRq : Show Memory",
    "[ 1366]     0  1366      459      125",
]


def chatter(rng, n):
    text = rng.choice(CHATTER[:9] * 6 + CHATTER[9:]).format(n=n)
    if rng.random() < 0.2:
        # every length: line ends at every position of the bulk scan's 16-byte blocks
        text = text[:rng.randint(1, len(text))]
    return text


def reports(rng, template, files):
    """Lists of report lines: the template with fresh pids, and each report file's lines."""
    out = []
    for _ in range(3):
        pid = rng.randint(100, 99999)
        out.append([l.replace("process 90 ", "process %d " % pid).replace("pid=90,", "pid=%d," % pid) for l in template])
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read().decode("latin-1")
        out.append(data.split("\n")[:3000])
    return out


def stream(rng, template, files, n_lines):
    """(kind, text, dt) items: 'k' kernel text line, 'raw' a report file line as it is."""
    reps = reports(rng, template, files)
    items, n = [], 0
    while n < n_lines:
        if rng.random() < 0.004:
            rep = rng.choice(reps)
            raw = rep is not reps[0] and rep is not reps[1] and rep is not reps[2]
            for l in rep:
                items.append(("raw" if raw else "k", l, 0.000011))
                n += 1
            # sometimes the reaper line comes late, after a burst of chatter
            if not raw and rng.random() < 0.5:
                # while the reaper line is awaited: time well inside the wait, past its end
                # (2 s), or running backwards (> 50 ms): the bulk path's quiet window
                dt = rng.choice([0.03, 0.03, 0.1, -0.06])
                for _ in range(rng.randint(0, 40)):
                    items.append(("k", chatter(rng, n), dt))
                    n += 1
                items.append(("k", "oom_reaper: reaped process %d (hog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB" % rng.randint(100, 99999), 0.001))
        else:
            items.append(("k", chatter(rng, n), rng.choice([0.000731, 0.0001, 0.3, 3.0, 7.0, -0.2])))
        n += 1
    return items


def dmesg(rng, items, variant):
    ts, out = 1.0, []
    for kind, text, dt in items:
        ts = max(0.0, ts + dt)
        if kind == "raw":
            out.append(text)
            continue
        t = text
        if variant == "caller":
            t = "[%7s] %s" % ("T%d" % rng.randint(1, 4000), t)
        if variant == "bbcode" and rng.random() < 0.05:
            t = "[B]" + t + "[/B]"
        if variant == "escapes" and rng.random() < 0.02:
            t = t.replace(" ", rng.choice(["\\x0a", "#012", "\0", "\\x20"]), 1)
        line = "[%12.6f] %s" % (ts, t)
        if variant == "wrap" and len(line) > 80 and rng.random() < 0.5:
            while len(line) > 80:
                cut = line.rfind(" ", 0, 80)
                if cut <= 0:
                    break
                out.append(line[:cut])
                line = line[cut + 1:]
        out.append(line)
    eol = "\r\n" if variant == "crlf" else "\n"
    return eol.join(out) + eol


def kmsg(rng, items):
    seq, usec, out = 1000, 1000000, []
    for kind, text, dt in items:
        usec = max(0, usec + int(dt * 1e6))
        seq += 1 if rng.random() > 0.01 else rng.randint(2, 5)
        text = text.replace("\\", "\\x5c")
        fac = 0 if rng.random() > 0.02 else 1
        pri = (fac << 3) | 6
        caller = ",caller=T%d" % rng.randint(1, 3) if rng.random() < 0.3 else ""
        if len(text) > 20 and rng.random() < 0.05:
            cut = rng.randint(1, len(text) - 1)
            out.append("%d,%d,%d,c%s;%s" % (pri, seq, usec, caller, text[:cut]))
            seq += 1
            out.append("%d,%d,%d,+%s;%s" % (pri, seq, usec, caller, text[cut:]))
        else:
            out.append("%d,%d,%d,-%s;%s" % (pri, seq, usec, caller, text))
        if rng.random() < 0.03:
            out.append(" SUBSYSTEM=usb")
            out.append(" DEVICE=c189:1")
        if rng.random() < 0.01:
            out[-1] += "\\x0aMem-Info:"
    return "\n".join(out) + "\n"


def pad_to_chunk(data, needle):
    """Pad with chatter so that the first line containing needle straddles 1 MiB."""
    i = data.find(needle)
    if i < 0:
        return data
    want = (1 << 20) - len(needle) // 2
    pad = want - i
    if pad <= 0:
        pad += 1 << 20
    lines, total = [], 0
    while total + 200 < pad:
        l = "[    0.000001] filler line %d\n" % total
        lines.append(l)
        total += len(l)
    lines.append("[    0.000001] " + "x" * max(0, pad - total - 16) + "\n")
    return "".join(lines) + data


def main():
    seed, outdir, template = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    files = sys.argv[4:]
    rng = random.Random(seed)
    with open(template) as fh:
        tmpl = fh.read().rstrip("\n").split("\n")
    items = stream(rng, tmpl, files, 30000 + 10000 * (seed % 3))
    kitems = [it for it in items if it[0] == "k"]
    cases = {
        "dmesg": dmesg(rng, items, "plain"),
        "wrap": dmesg(rng, kitems, "wrap"),
        "crlf": dmesg(rng, kitems, "crlf"),
        "caller": dmesg(rng, kitems, "caller"),
        "bbcode": dmesg(rng, kitems, "bbcode"),
        "escapes": dmesg(rng, kitems, "escapes"),
        "kmsg": kmsg(rng, kitems),
    }
    cases["chunk-header"] = pad_to_chunk(cases["dmesg"], "invoked oom-killer")
    cases["chunk-kmsg"] = pad_to_chunk(cases["kmsg"], "invoked oom-killer")
    cases["chunk-reaper"] = pad_to_chunk(cases["dmesg"], "oom_reaper:")
    for name, data in cases.items():
        with open(os.path.join(outdir, "gen-%d-%s.log" % (seed, name)), "wb") as fh:
            fh.write(data.encode("latin-1"))


if __name__ == "__main__":
    main()
