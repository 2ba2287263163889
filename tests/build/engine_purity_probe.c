/* SPDX-License-Identifier: MIT */
/* Compiled with common/'s include settings by tests/build/engine_purity.sh, which expects the
 * build to fail: the engine may not include systemd headers. */
#include <systemd/sd-journal.h>

int engine_purity_probe(void);
int engine_purity_probe(void) {
        return sd_journal_print(6, "must not build");
}
