#!/usr/bin/env python3
"""Time commands back to back, best of N: wall clock (monotonic, ns) and CPU (user + sys of
the child, from wait4()). The commands of one round run one right after the other, so a busy
moment on a shared machine hits all of them alike; the best of N rounds is what each costs
when left alone. Output goes to a file (GNU grep stops at the first match when its output is
/dev/null).

Usage: best_of.py N OUTFILE -- CMD1 ARGS... -- CMD2 ARGS... [-- ...]
Prints one line per command: "<best wall s> <best cpu s>"."""
import os
import sys
import time


def run(argv, out):
    t0 = time.perf_counter_ns()
    pid = os.fork()
    if pid == 0:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter_ns()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # grep -c and oomlens: 1 = nothing found
        sys.exit("best_of.py: %s exited %d" % (argv[0], code))
    return (t1 - t0) / 1e9, ru.ru_utime + ru.ru_stime


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rest = sys.argv[3:]
    cmds, cur = [], None
    for a in rest:
        if a == "--":
            cur = []
            cmds.append(cur)
        else:
            cur.append(a)
    best = [[float("inf"), float("inf")] for _ in cmds]
    for _ in range(n):
        for i, c in enumerate(cmds):
            w, cpu = run(c, out)
            best[i][0] = min(best[i][0], w)
            best[i][1] = min(best[i][1], cpu)
    for w, cpu in best:
        print("%.4f %.4f" % (w, cpu))


if __name__ == "__main__":
    main()
