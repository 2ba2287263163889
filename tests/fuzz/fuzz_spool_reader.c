/* SPDX-License-Identifier: MIT */
/* What `oomlens list/show/stats/follow` and `oomlens journal` parse: a spool file's bytes (any
 * file can land in the spool, and a damaged disk returns any bytes), its name, and the fields
 * of a journal entry. Any crash, leak or UB here is a bug a foreign or corrupt file could hit.
 * Input: a file name up to the first NUL (when there is one within 128 bytes), then the file;
 * the same bytes, split at newlines, are also read as journal fields. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_summary.h"

#define MAX_FIELDS 64

static void use(const struct report_summary *s) {
        char b[CONTAINER_ID_SHORT + 1];
        json_object *o = NULL;

        /* every string must be terminated: strlen walks off the end otherwise (ASan) */
        (void)strlen(report_summary_where(s, b));
        (void)strlen(s->id);
        (void)strlen(s->kind);
        (void)strlen(s->cause);
        (void)strlen(s->comm);
        (void)strlen(s->boot);
        if (report_summary_to_json(s, &o) == 0) {
                (void)json_object_to_json_string(o);
                json_object_put(o);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *name = "20261201T093000Z-0123abcd-000000000042.json";
        const uint8_t *body = data;
        size_t body_len = size;
        char namebuf[SPOOL_NAME_MAX + 1];
        const uint8_t *nul = memchr(data, '\0', size < sizeof namebuf ? size : sizeof namebuf);
        struct journal_field fields[MAX_FIELDS];
        struct report_summary s;
        size_t n = 0, start = 0;
        char boot[REPORT_SUMMARY_BOOT_MAX];
        int64_t t, seq;

        if (nul) {
                memcpy(namebuf, data, (size_t)(nul - data) + 1);
                name = namebuf;
                body = nul + 1;
                body_len = size - (size_t)(nul - data) - 1;
                (void)spool_name_parse(name, &t, boot, &seq);
        }
        /* A heap copy of exactly the input: a read past its end is caught. */
        char *copy = malloc(body_len ? body_len : 1);
        if (!copy)
                return 0;
        memcpy(copy, body, body_len);
        if (report_summary_from_json(name, copy, body_len, &s) == 0)
                use(&s);

        for (size_t i = 0; i <= body_len && n < MAX_FIELDS; i++)
                if (i == body_len || copy[i] == '\n') {
                        fields[n++] = (struct journal_field){.data = copy + start, .len = i - start};
                        start = i + 1;
                }
        if (report_summary_from_journal(fields, n, (int64_t)size, n > 1 ? "0123abcd" : NULL, &s) == 0)
                use(&s);
        free(copy);
        return 0;
}
