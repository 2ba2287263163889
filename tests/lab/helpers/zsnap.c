/* SPDX-License-Identifier: MIT */
/* zsnap [INTERVAL_MS]: the guest's own /proc/zoneinfo as it was just before each OOM kill.
 *
 * Polls /proc/zoneinfo and the oom_kill counter of /proc/vmstat. Each round reads zoneinfo
 * first and oom_kill second; when oom_kill has grown since the previous round, the snapshot of
 * the previous round was certainly taken before that kill, and is printed between
 * "=== OOMLAB zoneinfo before-kill N (age ~T ms)" and "=== OOMLAB end".
 *
 * It must not disturb the OOM it watches: oom_score_adj -1000, everything mlocked, both files
 * opened once and re-read with lseek(0) so the seq_file buffer is reused (no allocation, so it
 * never becomes the task that invokes the OOM killer). SIGTERM ends it. */
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include "common.h"

#define SNAP_MAX (256 * 1024)

static char snap[2][SNAP_MAX];
static volatile sig_atomic_t stop;

static void on_term(int sig) {
        (void) sig;
        stop = 1;
}

static ssize_t reread(int fd, char *buf, size_t size) {
        size_t len = 0;
        if (lseek(fd, 0, SEEK_SET) < 0)
                return -1;
        while (len < size - 1) {
                ssize_t n = read(fd, buf + len, size - 1 - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                len += (size_t) n;
        }
        buf[len] = 0;
        return (ssize_t) len;
}

static long oom_kills(int fd) {
        static char vm[16384];
        if (reread(fd, vm, sizeof(vm)) <= 0)
                return -1;
        char *p = strstr(vm, "\noom_kill ");
        return p ? atol(p + 10) : -1;
}

static void emit(const char *what, long n, long age_ms, const char *s) {
        printf("=== OOMLAB zoneinfo %s %ld (age ~%ld ms)\n%s=== OOMLAB end\n", what, n, age_ms, s);
}

int main(int argc, char **argv) {
        long interval = argc > 1 ? atol(argv[1]) : 20;
        struct timespec ts = { 0, (interval > 0 && interval < 1000 ? interval : 20) * 1000000L };
        int cur = 0, have_prev = 0;

        setvbuf(stdout, NULL, _IOFBF, 1 << 16);
        set_oom_score_adj("-1000");
        signal(SIGTERM, on_term);
        int zfd = open("/proc/zoneinfo", O_RDONLY | O_CLOEXEC);
        int vfd = open("/proc/vmstat", O_RDONLY | O_CLOEXEC);
        if (zfd < 0 || vfd < 0) {
                perror("zsnap: open");
                return 1;
        }
        /* Grow the seq_file buffers now, while memory is plentiful, then lock everything. */
        reread(zfd, snap[0], SNAP_MAX);
        long last = oom_kills(vfd);
        memset(snap[1], 0, SNAP_MAX);
        if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
                perror("zsnap: mlockall");
        while (!stop) {
                reread(zfd, snap[cur], SNAP_MAX);
                long k = oom_kills(vfd);
                if (k > last && have_prev) {
                        emit("before-kill", k, 2 * ts.tv_nsec / 1000000, snap[!cur]);
                        fflush(stdout);
                }
                if (k >= 0)
                        last = k;
                have_prev = 1;
                cur = !cur;
                nanosleep(&ts, NULL);
        }
        return 0;
}
