/* SPDX-License-Identifier: MIT */
/* oomlensd's restart state (daemon/kmsg_state) on arbitrary bytes: the file it reads back from
 * /var/lib/oomlens after a restart, which a crash, a full disk or an admin may have damaged.
 * The input is written as the state file of a private directory and read with
 * kmsg_state_load(), and parsed from memory with kmsg_state_parse(). Oracles: both agree; a
 * rejected file leaves the result untouched; an accepted state formats and parses back to
 * itself, and its bookkeeping calls keep their promises. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "kmsg_state.h"
#include "macro.h"

static int dirfd_ = -1; /* fuzz_dir(), opened once */

static void make_dir(void) {
        if (dirfd_ >= 0)
                return;
        dirfd_ = open(fuzz_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        FUZZ_CHECK(dirfd_ >= 0);
}

static bool state_equal(const struct kmsg_state *a, const struct kmsg_state *b) {
        if (strcmp(a->boot_id, b->boot_id) != 0 || a->next_seq != b->next_seq || a->n_journaled != b->n_journaled)
                return false;
        for (size_t i = 0; i < a->n_journaled; i++)
                if (strcmp(a->journaled[i], b->journaled[i]) != 0)
                        return false;
        return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *buf = (const char *)data;
        struct kmsg_state parsed, loaded, again;
        int kp, kl;

        make_dir();
        memset(&parsed, FUZZ_PATTERN, sizeof parsed);
        kp = kmsg_state_parse(buf, size, &parsed);
        FUZZ_CHECK(kp == 0 || kp == -EBADMSG);
        if (kp < 0)
                FUZZ_CHECK(fuzz_untouched(&parsed, sizeof parsed));

        {
                _cleanup_close_ int fd =
                        openat(dirfd_, ".#input", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                FUZZ_CHECK(fd >= 0);
                FUZZ_CHECK(write(fd, buf, size) == (ssize_t)size);
                FUZZ_CHECK(renameat(dirfd_, ".#input", dirfd_, KMSG_STATE_FILE) == 0);
        }
        memset(&loaded, FUZZ_PATTERN, sizeof loaded);
        kl = kmsg_state_load(dirfd_, &loaded);
        /* The file reader refuses what is too big for a state file (-EFBIG) before parsing. */
        FUZZ_CHECK(kl == kp || kl == -EFBIG);
        if (kl < 0)
                FUZZ_CHECK(fuzz_untouched(&loaded, sizeof loaded));
        else
                FUZZ_CHECK(state_equal(&loaded, &parsed));
        if (kp < 0)
                return 0;

        FUZZ_CHECK(strnlen(parsed.boot_id, sizeof parsed.boot_id) < sizeof parsed.boot_id);
        FUZZ_CHECK(parsed.n_journaled <= KMSG_STATE_MAX_JOURNALED);
        for (size_t i = 0; i < parsed.n_journaled; i++) {
                FUZZ_CHECK(strnlen(parsed.journaled[i], KMSG_STATE_NAME_MAX) < KMSG_STATE_NAME_MAX);
                FUZZ_CHECK(kmsg_state_is_journaled(&parsed, parsed.journaled[i]));
        }

        /* What the daemon writes back must read back as the same state. */
        char out[KMSG_STATE_MAX_JOURNALED * (KMSG_STATE_NAME_MAX + 16) + 256];
        size_t out_len = 0;
        FUZZ_CHECK(kmsg_state_format(&parsed, out, sizeof out, &out_len) == 0);
        FUZZ_CHECK(out_len < sizeof out && strlen(out) == out_len);
        FUZZ_CHECK(kmsg_state_parse(out, out_len, &again) == 0);
        FUZZ_CHECK(state_equal(&again, &parsed));

        /* Saving it through the real writer and loading it back gives the same state too. */
        FUZZ_CHECK(kmsg_state_save_visible(dirfd_, &parsed) == 0);
        FUZZ_CHECK(kmsg_state_load(dirfd_, &loaded) == 0);
        FUZZ_CHECK(state_equal(&loaded, &parsed));

        /* Bookkeeping: remove what is there (in input order), add it back. */
        if (parsed.n_journaled > 0) {
                char name[KMSG_STATE_NAME_MAX];
                size_t n = parsed.n_journaled;
                snprintf(name, sizeof name, "%s", parsed.journaled[data[0] % n]);
                FUZZ_CHECK(kmsg_state_remove_journaled(&parsed, name));
                /* names may repeat in a file; the first copy went */
                FUZZ_CHECK(parsed.n_journaled == n - 1);
                FUZZ_CHECK(kmsg_state_add_journaled(&parsed, name) == 0);
                FUZZ_CHECK(kmsg_state_is_journaled(&parsed, name));
        }
        return 0;
}
