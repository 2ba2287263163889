/* SPDX-License-Identifier: MIT */
/* ASCII character classes for the scanners of the input stage (no locale: log text is bytes). */
#pragma once

#include <stdbool.h>

static inline bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
static inline bool ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
static inline bool ascii_alpha(char c) { return ascii_upper(c) || ascii_lower(c); }
static inline bool ascii_alnum(char c) { return ascii_alpha(c) || ascii_digit(c); }
static inline bool ascii_blank(char c) { return c == ' ' || c == '\t'; }
