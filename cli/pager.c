/* SPDX-License-Identifier: MIT */
#include "pager.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *pager_command(void) {
        const char *p = getenv("SYSTEMD_PAGER");
        if (!p)
                p = getenv("PAGER");
        return p;
}

static void exec_pager(const char *cmd) {
        const char *less = getenv("SYSTEMD_LESS");

        setenv("LESS", less ? less : "FRSXMK", 1);
        if (cmd) {
                execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
                _exit(EXIT_FAILURE);
        }
        execlp("less", "less", (char *)NULL);
        execlp("more", "more", (char *)NULL);
        /* no pager installed: copy through, so the output is not lost */
        execlp("cat", "cat", (char *)NULL);
        _exit(EXIT_FAILURE);
}

int pager_open(bool no_pager, struct pager *ret) {
        const char *cmd = pager_command();
        int fd[2], saved;
        pid_t pid;

        *ret = (struct pager){.saved_stdout = -1};
        if (no_pager || isatty(STDOUT_FILENO) != 1)
                return 0;
        if (cmd && (cmd[0] == '\0' || strcmp(cmd, "cat") == 0))
                return 0;
        fflush(stdout);
        if (pipe2(fd, O_CLOEXEC) < 0)
                return -errno;
        pid = fork();
        if (pid < 0) {
                int k = -errno;
                close(fd[0]);
                close(fd[1]);
                return k;
        }
        if (pid == 0) {
                /* The pager must not outlive us (systemd does the same). */
                (void)prctl(PR_SET_PDEATHSIG, SIGTERM);
                if (dup2(fd[0], STDIN_FILENO) < 0)
                        _exit(EXIT_FAILURE);
                exec_pager(cmd);
        }
        close(fd[0]);
        saved = dup(STDOUT_FILENO);
        if (saved < 0 || dup2(fd[1], STDOUT_FILENO) < 0) {
                int k = -errno;
                close(fd[1]);
                if (saved >= 0)
                        close(saved);
                kill(pid, SIGTERM);
                (void)waitpid(pid, NULL, 0);
                return k;
        }
        close(fd[1]);
        /* A user who quits the pager early ends our output with EPIPE, not with a signal. */
        signal(SIGPIPE, SIG_IGN);
        ret->pid = pid;
        ret->saved_stdout = saved;
        return 1;
}

void pager_close(struct pager *p) {
        if (p->pid <= 0)
                return;
        fflush(stdout);
        /* Closing our end of the pipe is the pager's end of input. */
        (void)dup2(p->saved_stdout, STDOUT_FILENO);
        close(p->saved_stdout);
        while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
                ;
        p->pid = 0;
        p->saved_stdout = -1;
}

bool pager_quit_early(const struct pager *p, int err) {
        return p->pid > 0 && (err == EPIPE || err == -EPIPE);
}
