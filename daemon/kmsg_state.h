/* SPDX-License-Identifier: MIT */
/* What oomlensd has already handled, persisted across restarts: the boot it belongs to and the
 * first kmsg sequence number not yet fully handled (everything before it has been emitted or
 * belongs to no report), plus the reports whose journal entry was sent but whose spool file
 * is still pending (disk full), so a restart writes the file without a second journal entry.
 * Like journald's per-boot seqnum file: a different boot_id means start from the beginning. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KMSG_STATE_FILE "kmsg-state"
#define KMSG_STATE_BOOT_ID_MAX 64
#define KMSG_STATE_MAX_JOURNALED 64
#define KMSG_STATE_NAME_MAX 128

struct kmsg_state {
        char boot_id[KMSG_STATE_BOOT_ID_MAX];
        uint64_t next_seq;
        char journaled[KMSG_STATE_MAX_JOURNALED][KMSG_STATE_NAME_MAX];
        size_t n_journaled;
};

void kmsg_state_init(struct kmsg_state *s, const char *boot_id);
/* Text form "KEY=value\n" lines. Pure; parse rejects anything malformed with -EBADMSG. */
int kmsg_state_format(const struct kmsg_state *s, char *buf, size_t size, size_t *ret_len);
int kmsg_state_parse(const char *buf, size_t len, struct kmsg_state *ret);
/* Load from / save atomically (temp, fsync, rename, fsync dir) into the state directory fd.
 * load: -ENOENT if there is no state yet. */
int kmsg_state_load(int dirfd, struct kmsg_state *ret);
int kmsg_state_save(int dirfd, const struct kmsg_state *s);
/* kmsg_state_save() in two halves, for a caller that must act between "the new state is
 * written" and "the new state is what a restart reads": prepare writes the temp file, with sync
 * also fsyncs it (nothing visible changes; on failure no temp is left); commit renames it into
 * place, the commit point for a process killed with kill -9, and with sync_dir fsyncs the
 * directory (with a synced temp: the commit point for a machine crash); abort removes the
 * temp. Without the syncs a machine crash may leave the old state or, on file systems that do
 * not order a rename after the data it replaces with, an unreadable one (read as corrupt: kmsg
 * is read again from the start, files already written are recognised). */
int kmsg_state_prepare(int dirfd, const struct kmsg_state *s, bool sync);
/* prepare (synced) + commit without the directory fsync: what a process restarted after
 * kill -9 reads, at once. */
int kmsg_state_save_visible(int dirfd, const struct kmsg_state *s);
int kmsg_state_commit(int dirfd, bool sync_dir);
void kmsg_state_abort(int dirfd);

/* Journaled-but-not-filed bookkeeping. add: -E2BIG when full (the caller drops the oldest). */
bool kmsg_state_is_journaled(const struct kmsg_state *s, const char *name);
int kmsg_state_add_journaled(struct kmsg_state *s, const char *name);
bool kmsg_state_remove_journaled(struct kmsg_state *s, const char *name);

/* This boot's id (/proc/sys/kernel/random/boot_id, dashes removed). */
int kmsg_state_read_boot_id(char ret[KMSG_STATE_BOOT_ID_MAX]);
/* For a recorded stream: "stream-" + FNV-1a-64 of the path as given, so the same file/FIFO
 * path restarts where it left off and a different recording starts afresh. */
void kmsg_state_boot_id_for_stream(const char *path, char ret[KMSG_STATE_BOOT_ID_MAX]);
