/* SPDX-License-Identifier: MIT */
#include "token_bucket.h"

static bool unlimited(const struct token_bucket *b) {
        return b->burst == 0 || b->interval_usec == 0;
}

static uint64_t per_token_usec(const struct token_bucket *b) {
        uint64_t p = b->interval_usec / b->burst;
        return p > 0 ? p : 1;
}

void token_bucket_init(struct token_bucket *b, uint32_t burst, uint64_t interval_usec, uint64_t now_usec) {
        *b = (struct token_bucket){
                .interval_usec = interval_usec,
                .burst = burst,
                .tokens = burst,
                .last_refill_usec = now_usec,
        };
}

void token_bucket_reconfigure(struct token_bucket *b, uint32_t burst, uint64_t interval_usec) {
        b->burst = burst;
        b->interval_usec = interval_usec;
        if (b->tokens > burst)
                b->tokens = burst;
}

static void refill(struct token_bucket *b, uint64_t now_usec) {
        uint64_t per, n;

        /* Time going backwards (a recorded stream from another boot) must not mint tokens. */
        if (now_usec <= b->last_refill_usec)
                return;
        per = per_token_usec(b);
        n = (now_usec - b->last_refill_usec) / per;
        if (n == 0)
                return;
        if (n >= (uint64_t)(b->burst - b->tokens)) {
                b->tokens = b->burst;
                b->last_refill_usec = now_usec;
        } else {
                b->tokens += (uint32_t)n;
                b->last_refill_usec += n * per;
        }
}

bool token_bucket_take(struct token_bucket *b, uint64_t now_usec) {
        if (unlimited(b))
                return true;
        refill(b, now_usec);
        if (b->tokens > 0) {
                b->tokens--;
                return true;
        }
        b->suppressed++;
        b->suppressed_total++;
        return false;
}

uint64_t token_bucket_reset_suppressed(struct token_bucket *b) {
        uint64_t n = b->suppressed;
        b->suppressed = 0;
        return n;
}

uint64_t token_bucket_next_token_usec(const struct token_bucket *b, uint64_t now_usec) {
        if (unlimited(b) || b->tokens > 0)
                return now_usec;
        return b->last_refill_usec + per_token_usec(b);
}
