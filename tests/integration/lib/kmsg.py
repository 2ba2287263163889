# SPDX-License-Identifier: MIT
"""The real /dev/kmsg for the integration tests and benchmarks (import with
PYTHONPATH=tests/integration/lib). Few records only: other readers share the ring."""
import os


def records():
    """Every record in the ring, oldest first: (prio, seq, ts_usec, first line of the text)."""
    fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)  # a new reader starts at the oldest
    try:
        while True:
            try:
                rec = os.read(fd, 16384).decode("utf-8", "replace")
            except BlockingIOError:
                return
            except BrokenPipeError:  # overwritten while we read: go on with the oldest left
                continue
            head, _, text = rec.partition(";")
            f = head.split(",")
            yield int(f[0]), int(f[1]), int(f[2]), text.rstrip("\n").split("\n")[0]
    finally:
        os.close(fd)


def write(text):
    """One record from userspace (the kernel gives it facility user whatever its prefix says).
    A fresh open each time: /dev/kmsg lets each open file write 10 records per 5 s
    (kernel.printk_devkmsg=ratelimit)."""
    fd = os.open("/dev/kmsg", os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)
