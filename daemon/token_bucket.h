/* SPDX-License-Identifier: MIT */
/* A token bucket for storm control: at most `burst` events at once, refilled at `burst` per
 * `interval_usec`. Pure: the caller passes the time (monotonic usec), so tests drive it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct token_bucket {
        uint64_t interval_usec; /* 0 or burst 0 = unlimited */
        uint32_t burst;
        uint32_t tokens;
        uint64_t last_refill_usec;
        uint64_t suppressed;    /* taken and refused since the last token_bucket_reset_suppressed() */
        uint64_t suppressed_total;
};

void token_bucket_init(struct token_bucket *b, uint32_t burst, uint64_t interval_usec, uint64_t now_usec);
/* Change the limits (SIGHUP) keeping the counters; tokens are clamped to the new burst. */
void token_bucket_reconfigure(struct token_bucket *b, uint32_t burst, uint64_t interval_usec);
/* true: the event may pass. false: suppress it (counted). */
bool token_bucket_take(struct token_bucket *b, uint64_t now_usec);
/* Number suppressed since the last call, then reset to 0 (for the summary entry). */
uint64_t token_bucket_reset_suppressed(struct token_bucket *b);
/* When the next token becomes available (for scheduling the summary); now if one is there. */
uint64_t token_bucket_next_token_usec(const struct token_bucket *b, uint64_t now_usec);
