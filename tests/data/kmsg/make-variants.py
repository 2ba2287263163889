#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Derive test streams from memcg-6.18.kmsg, a real /dev/kmsg capture of a memcg OOM kill
(kernel 6.18, cgroup v1, recorded with tests/integration/lib/memcg-oom.sh on the project's
test machine). Records are renumbered so every stream has consistent sequence numbers.

  make-variants.py            regenerate the committed variants in this directory
  make-variants.py flood N R  print a stream of N ordinary records with R reports inside
  make-variants.py report K   print the report as report K (1, 2, ...) of a stream: report K
                              follows report K-1 without a seq gap, 10 s later, victim 9000 + K
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NOISE = [
    (6, "e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx"),
    (6, "IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready"),
    (4, "usb 1-1: device descriptor read/64, error -71"),
    (6, "audit: type=1400 audit(1700000000.123:42): apparmor=\"STATUS\" operation=\"profile_load\""),
    (5, "EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none."),
    (3, "nvme nvme0: I/O 123 QID 4 timeout, aborting"),
    (6, "TCP: request_sock_TCP: Possible SYN flooding on port 80. Sending cookies."),
    (7, "random: crng reseeded"),
]


def load_report():
    recs = []
    with open(os.path.join(HERE, "memcg-6.18.kmsg"), "rb") as f:
        for raw in f:
            raw = raw.rstrip(b"\n").decode("latin-1")
            if not raw or raw.startswith(" "):
                continue
            head, text = raw.split(";", 1)
            prio, _seq, ts, flag = head.split(",")[:4]
            recs.append([int(prio), int(ts), flag, text])
    base = recs[0][1]
    return [(p, ts - base, fl, t) for p, ts, fl, t in recs]


class Stream:
    def __init__(self, seq=1000, ts=5_000_000):
        self.seq, self.ts, self.out = seq, ts, []

    def rec(self, prio, text, flag="-", caller=None, dts=37):
        self.ts += dts
        extra = f",caller={caller}" if caller else ""
        self.out.append(f"{prio},{self.seq},{self.ts},{flag}{extra};{text}")
        self.seq += 1

    def noise(self, n, caller=None, dts=1000):
        for i in range(n):
            p, t = NOISE[(self.seq + i) % len(NOISE)]
            self.rec(p, t, caller=caller, dts=dts)

    def report(self, recs, pid="8012", newpid=None, caller=None, prio_or=0):
        for p, _ts, fl, t in recs:
            if newpid:
                t = t.replace(pid, newpid)
            self.rec(p | prio_or, t, fl, caller=caller, dts=20)

    def skip(self, n):
        self.seq += n

    def text(self):
        return "\n".join(self.out) + "\n"


def variants():
    R = load_report()
    v = {}

    # A gap inside report A, another between reports, on a kernel with printk caller ids (5.1+
    # CONFIG_PRINTK_CALLER): A's lines on both sides of its hole carry its printer's id, so A goes
    # on across it (marked spans_gap, incomplete). Without caller ids A would be cut in two at
    # the hole (tests/integration/daemon_overrun.sh, test_report_assembler's seq gap test).
    s = Stream()
    s.noise(50, caller="T1")
    s.report(R[:30], caller="T8101")
    s.skip(10)
    s.report(R[40:], newpid="8101", caller="T8101")
    s.noise(50, caller="T1")
    s.skip(100)
    s.noise(5, caller="T1")
    s.report(R, newpid="8102", caller="T8102")
    s.noise(20, caller="T1")
    v["gap.kmsg"] = s.text()

    s = Stream()  # 3.5-4.9 style continuation fragments: 'c' then '+' records of one line
    s.noise(10)
    for p, ts, fl, t in R:
        if "Killed process" in t:
            cut = t.index(" total-vm:")
            s.rec(p, t[:cut], "c")
            s.rec(p, t[cut:cut + 40], "+")
            s.rec(p, t[cut + 40:], "+")
        else:
            s.rec(p, t, fl)
    s.noise(10)
    v["fragments.kmsg"] = s.text()

    s = Stream()  # two OOM dumps from two tasks interleaved record by record (5.1+ caller ids)
    s.noise(10, caller="T1")
    a = [(p, ts, fl, t) for p, ts, fl, t in R]
    b = [(p, ts, fl, t.replace("8012", "9013")) for p, ts, fl, t in R]
    for i in range(max(len(a), len(b))):
        if i < len(a):
            s.rec(a[i][0], a[i][3], a[i][2], caller="T8012", dts=10)
        if i < len(b):
            s.rec(b[i][0], b[i][3], b[i][2], caller="T9013", dts=10)
        if i % 7 == 0:
            s.rec(6, "eth0: link up", caller="C2", dts=5)
    s.noise(10, caller="T1")
    v["interleave.kmsg"] = s.text()

    s = Stream()  # a report cut before its kill line, a whole one, and one cut by the end of input
    s.noise(10)
    s.report(R[:45], newpid="8201")
    s.noise(5, dts=15_000_000)  # 75 s of quiet on the stream's own clock
    s.report(R, newpid="8202")
    s.noise(10)
    s.report(R[:12], newpid="8203")
    v["partial.kmsg"] = s.text()

    s = Stream()  # a complete report written by userspace: facility user (prio 8 + level)
    s.noise(10)
    s.report(R, prio_or=8)
    s.noise(10)
    v["forged.kmsg"] = s.text()
    return v


def flood(n, reports):
    R = load_report()
    s = Stream()
    at = {int(n * (i + 1) / (reports + 1)) for i in range(reports)}
    done = 0
    for i in range(n):
        if i in at:
            s.report(R, newpid=str(20000 + done))
            done += 1
        s.noise(1, dts=50)
        if len(s.out) >= 4096:
            sys.stdout.write("\n".join(s.out) + "\n")
            s.out = []
    sys.stdout.write(s.text() if s.out else "")


def report_k(k):
    recs = [l.rstrip("\n") for l in open(os.path.join(HERE, "memcg-6.18.kmsg"), encoding="latin-1")
            if l.strip() and not l.startswith(" ")]
    first = int(recs[0].split(",")[1])
    for line in recs:
        head, text = line.split(";", 1)
        f = head.split(",")
        f[1] = str(int(f[1]) - first + 1000 + len(recs) * (k - 1))
        f[2] = str(int(f[2]) + 10000000 * k)
        print(",".join(f) + ";" + text.replace("8012", str(9000 + k)))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "flood":
        flood(int(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) >= 2 and sys.argv[1] == "report":
        report_k(int(sys.argv[2]))
    else:
        for name, text in variants().items():
            with open(os.path.join(HERE, name), "w") as f:
                f.write(text)
