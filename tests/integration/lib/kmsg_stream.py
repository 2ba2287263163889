#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A recorded /dev/kmsg stream for the metrics and fleet tests, made of real reports:

  * tests/data/kmsg/memcg-6.18.kmsg: a memcg OOM kill captured on this project's test machine
    (6.18, cgroup v1), twice, its cgroup path replaced by a systemd service and by a Kubernetes
    container (kubelet systemd driver, containerd), so the workload fields have something to name;
  * tests/data/lab/amd64-anon-hog.log: a global OOM kill a Debian 6.1 kernel printed in the lab;
  * tests/data/lab/amd64-alloc-failure.log: an order-4 page allocation failure (no kill), same lab;
  * a hole of GAP sequence numbers between two reports (records overwritten before read);
  * the memcg report once more with facility user, as `echo ... >/dev/kmsg` from userspace would
    write it: never a report;
  * the global OOM's first 30 lines at the very end: a report cut by the end of input.

  kmsg_stream.py OUT   write the stream to OUT, print what it holds as JSON on stdout
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("OOMLENS_DATA") or os.path.join(HERE, "..", "..", "data")
CAPTURE_PATH = "/process_api/c76722b33f8252e548653af95445d0af/oomlensd-capture"
GAP = 50

# The cgroup paths the two memcg kills are moved to (see tests/unit/test_workload.c for the shapes).
UNIT_PATH = "/system.slice/nginx.service"
POD_UID = "e03401ab-1ff2-44e3-8260-3d175888e4a7"
CONTAINER_ID = "9687bac58d5c4d1606aa46af33d1a21c1d1652e0ac9fb3fc0fc86e3495f42869"
POD_PATH = ("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod%s.slice/cri-containerd-%s.scope"
            % (POD_UID.replace("-", "_"), CONTAINER_ID))


def kmsg_report():
    """(level, text) of the captured memcg report; one record per line as read from /dev/kmsg."""
    recs = []
    with open(os.path.join(DATA, "kmsg", "memcg-6.18.kmsg"), "rb") as f:
        for raw in f:
            raw = raw.rstrip(b"\n").decode("latin-1")
            if not raw or raw.startswith(" "):
                continue
            head, text = raw.split(";", 1)
            recs.append((int(head.split(",")[0]) & 7, text))
    return recs


def lab_report(name, first, last):
    """The kernel lines of a lab capture from the one matching `first` to the one matching
    `last`; lines dmesg split from one record (same timestamp, leading space) are joined back
    with the \\x0a escape /dev/kmsg uses."""
    out, on = [], False
    line_re = re.compile(r"^\[\s*(\d+\.\d+)\] (.*)$")
    prev_ts = None
    with open(os.path.join(DATA, "lab", name), encoding="latin-1") as f:
        for line in f:
            m = line_re.match(line.rstrip("\r\n"))
            if not m:
                continue
            ts, text = m.group(1), m.group(2)
            if not on and re.search(first, text):
                on = True
            if not on:
                continue
            if ts == prev_ts and text.startswith(" ") and out:
                out[-1] = (out[-1][0], out[-1][1] + "\\x0a" + text)
            else:
                out.append((4, text))
            prev_ts = ts
            if re.search(last, text):
                break
    if not out:
        sys.exit("%s: no report between /%s/ and /%s/" % (name, first, last))
    return out


class Stream:
    def __init__(self):
        self.seq, self.ts, self.lines, self.userspace = 1000, 5_000_000, [], 0

    def rec(self, level, text, facility=0):
        self.ts += 20
        self.lines.append("%d,%d,%d,-;%s" % (facility * 8 + level, self.seq, self.ts, text))
        self.seq += 1
        if facility:
            self.userspace += 1

    def noise(self, n):
        for i in range(n):
            self.ts += 1000
            self.rec(6, "e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx %d" % i)

    def report(self, recs, facility=0, replace=None):
        for level, text in recs:
            if replace:
                text = text.replace(*replace)
            self.rec(level, text, facility)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    memcg = kmsg_report()
    hog = lab_report("amd64-anon-hog.log", r"invoked oom-killer", r"Killed process")
    frag = lab_report("amd64-alloc-failure.log", r"page allocation failure", r"pages hwpoisoned")

    s = Stream()
    s.noise(20)
    s.report(memcg, replace=(CAPTURE_PATH, UNIT_PATH))
    s.noise(10)
    first_part = len(s.lines)  # lines up to here hold exactly one report
    s.report(hog)
    s.noise(5)
    lost_from = s.seq
    s.seq += GAP
    s.noise(5)
    s.report(memcg, replace=(CAPTURE_PATH, POD_PATH))
    s.noise(10)
    s.report(memcg, facility=1)  # forged by userspace
    s.noise(10)
    s.report(frag)
    s.noise(20)
    s.report(hog[:30])  # cut: emitted at the end of input, incomplete
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(s.lines) + "\n")
    json.dump({
        "records": len(s.lines),
        "first_part_lines": first_part,
        "reports": 5,
        "incomplete": 1,
        "gaps": 1,
        "gap_first": lost_from,
        "records_lost": GAP,
        "userspace_records": s.userspace,
        "unit_path": UNIT_PATH,
        "pod_path": POD_PATH,
        "pod_uid": POD_UID,
        "container_id": CONTAINER_ID,
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
