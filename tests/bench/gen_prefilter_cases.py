#!/usr/bin/env python3
"""Generate adversarial mixed logs for tests/golden/prefilter_equivalence.sh: ordinary kernel
chatter around OOM reports (the bench template and any report files given), written as dmesg,
raw /dev/kmsg (with 'c'/'+' fragments, dictionary lines, seq gaps, user-space facilities,
"\\x0a" escapes), syslog (BSD with and without the kernel's time, RFC 3339, RFC 5424, rsyslog
"#012" escapes, other daemons' lines), journalctl -k (short, short-monotonic, short-iso, json),
hard-wrapped paste, CRLF, caller ids, BBCode, NUL and "#012" bytes, and padded so that report
lines straddle the CLI's read chunks.

Usage: gen_prefilter_cases.py SEED OUTDIR TEMPLATE [REPORT_FILE...]"""
import json
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


def wall(ts):
    s = int(ts) + 19 * 3600
    return (s // 3600) % 24, (s // 60) % 60, s % 60


def syslog(rng, items, variant):
    """Kernel lines as rsyslog and journalctl write them; now and then a daemon's line, and
    (rsyslog) a control character escaped as "#ooo"."""
    ts, out = 1.0, []
    for kind, text, dt in items:
        ts = max(0.0, ts + dt)
        h, m, s = wall(ts)
        if variant in ("bsd", "iso") and rng.random() < 0.01:
            text = text.replace(" ", "#012", 1) if rng.random() < 0.5 else text + "#011tab"
        if rng.random() < 0.01:
            out.append("Nov 25 %02d:%02d:%02d myhost systemd[1]: Started Session %d of User root." % (h, m, s, len(out)))
        if variant == "bsd":
            out.append("Nov 25 %02d:%02d:%02d myhost kernel: [%12.6f] %s" % (h, m, s, ts, text))
        elif variant == "bsd-nots":
            out.append("Nov %2d %02d:%02d:%02d myhost kernel: %s" % (25, h, m, s, text))
        elif variant == "iso":
            out.append("2025-11-25T%02d:%02d:%02d.%06d+01:00 myhost kernel: [%12.6f] %s" % (h, m, s, int(ts % 1 * 1e6), ts, text))
        elif variant == "rfc5424":
            out.append("<4>1 2025-11-25T%02d:%02d:%02d.%06dZ myhost kernel - - - [%12.6f] %s" % (h, m, s, int(ts % 1 * 1e6), ts, text))
        elif variant == "short-monotonic":
            out.append("[%12.6f] myhost kernel: %s" % (ts, text))
        elif variant == "short-iso":
            out.append("2025-11-25T%02d:%02d:%02d+0100 myhost kernel: %s" % (h, m, s, text))
        elif variant == "json":
            out.append(json.dumps({"__MONOTONIC_TIMESTAMP": str(int(ts * 1e6)), "_TRANSPORT": "kernel",
                                   "PRIORITY": "6", "MESSAGE": text}))
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
        "syslog-bsd": syslog(rng, kitems, "bsd"),
        "syslog-bsd-nots": syslog(rng, kitems, "bsd-nots"),
        "syslog-iso": syslog(rng, kitems, "iso"),
        "syslog-rfc5424": syslog(rng, kitems, "rfc5424"),
        "journal-short-monotonic": syslog(rng, kitems, "short-monotonic"),
        "journal-short-iso": syslog(rng, kitems, "short-iso"),
        "journal-json": syslog(rng, kitems, "json"),
    }
    cases["chunk-header"] = pad_to_chunk(cases["dmesg"], "invoked oom-killer")
    cases["chunk-kmsg"] = pad_to_chunk(cases["kmsg"], "invoked oom-killer")
    cases["chunk-reaper"] = pad_to_chunk(cases["dmesg"], "oom_reaper:")
    cases["chunk-syslog"] = pad_to_chunk(cases["syslog-bsd"], "invoked oom-killer")
    for name, data in cases.items():
        with open(os.path.join(outdir, "gen-%d-%s.log" % (seed, name)), "wb") as fh:
            fh.write(data.encode("latin-1"))


if __name__ == "__main__":
    main()
