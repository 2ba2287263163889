/* SPDX-License-Identifier: MIT */
/* `oomlens journal`: the report list read from the systemd journal (sd-journal, entries with
 * MESSAGE_ID=OOMLENS_MESSAGE_ID_REPORT) instead of the spool, for machines whose spool was
 * disabled or rotated away, and for journal files collected from a fleet (--directory, --file).
 * The only module of oomlens that reads the journal; the engine stays free of systemd. */
#pragma once

int cmd_journal(int argc, char **argv);
