/* SPDX-License-Identifier: MIT */
#include "manager.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>

#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "analysis.h"
#include "journal_sink.h"
#include "kmsg_record.h"
#include "kmsg_state.h"
#include "log_line.h"
#include "metrics.h"
#include "report.h"
#include "report_assembler.h"
#include "report_json.h"
#include "spool_writer.h"
#include "token_bucket.h"

/* Larger than any record: 3.5-6.1 format into an 8192-byte buffer (CONSOLE_EXT_LOG_MAX), and a
 * buffer that is too small makes the kernel skip the record for this reader (EINVAL). */
#define KMSG_READ_BUF ((size_t)8192 * 2)
/* A recorded stream: a line longer than this is not a kmsg record; it is skipped, not held. */
#define STREAM_LINE_MAX ((size_t)64 * 1024)
#define STREAM_READ_CHUNK ((size_t)64 * 1024)
/* Timers run only while there is work, so an idle daemon sleeps in epoll_wait() and wakes for
 * nothing but the watchdog. The tick fires when the report in progress is due (the assembler
 * says when: report_assembler_next_deadline()); housekeeping (save the position, refresh
 * STATUS=) runs once, this long after records were read, coalescing a flood into one fsync;
 * retry, summary and gap timers run while files are pending, reports suppressed, gaps
 * unreported. */
#define HOUSEKEEPING_USEC (5ULL * 1000 * 1000)
/* The kmsg clock (local_clock(), what record timestamps count) and CLOCK_MONOTONIC drift apart
 * (9 ms after 9 h of uptime on the test machine: NTP slews one, not the other), and the
 * assembler's time-outs run on the kmsg clock. A record is read no earlier than it was stored,
 * so (read time - timestamp) is the offset plus the read delay, never less: the smallest value
 * of the current and the previous window is the offset to within the wake-up latency, and
 * follows a drift either way. Too large an estimate only makes time-outs later, never early. */
#define KMSG_CLOCK_WINDOW_USEC (60ULL * 1000 * 1000)
#define GAP_REPORT_USEC (1000ULL * 1000)

struct pending_file {
        char name[SPOOL_NAME_MAX];
        char *data;
        size_t len;
        int64_t first_seq;
};

struct manager {
        sd_event *event;
        sd_event_source *kmsg_source, *defer_source, *tick_timer, *retry_timer, *housekeeping_timer;
        sd_event_source *summary_timer, *gap_timer;
        sd_event_source *sig_term, *sig_int, *sig_hup;

        struct manager_options opts;
        struct daemon_config cfg;

        int kmsg_fd;
        bool kmsg_device; /* the real /dev/kmsg: one record per read() */
        bool kmsg_eof;
        char *buf;        /* read buffer; for streams it also holds the partial line */
        size_t buf_len;
        bool skipping_long_line;

        struct log_reader *reader;
        struct report_assembler *assembler;

        int spool_fd, state_fd;
        bool spool_broken;          /* the last (re)open of the spool failed: logged once */
        bool state_broken;          /* the last state save failed: logged once */
        int64_t *spool_seqs;        /* spool_index_load() */
        size_t n_spool_seqs;
        char boot_tag[16];
        struct kmsg_state state;
        bool state_dirty;
        uint64_t skip_before;       /* records below this were handled before (re)start */
        bool have_expected;
        uint64_t expected_seq;
        int64_t last_delivered_seq; /* last line handed to the assembler */
        uint64_t handled_seq;       /* next_seq as far as the assembler is concerned */
        uint64_t last_ts_usec;      /* newest record's timestamp */
        uint64_t last_record_mono;  /* CLOCK_MONOTONIC when it was read */
        int64_t clock_off_cur, clock_off_prev; /* CLOCK_MONOTONIC - kmsg clock, see above */
        bool clock_have_cur, clock_have_prev;
        uint64_t clock_window_start;
        bool drained;               /* the last read found nothing more */

        struct pending_file *pending;
        size_t n_pending;

        uint64_t gap_first, gap_last, gap_records, gap_events; /* not yet reported */
        const char *gap_why;

        struct token_bucket bucket;
        struct manager_counters c;
        int exit_code;

        struct metrics_writer *metrics; /* [Metrics]: daemon/metrics.h */
};

static _printf_(3, 4) void mlog(struct manager *m, int prio, const char *fmt, ...) {
        va_list ap;
        if (!m->opts.log)
                return;
        va_start(ap, fmt);
        m->opts.log(m->opts.log_userdata, prio, fmt, ap);
        va_end(ap);
}

static void arm_housekeeping(struct manager *m);

static uint64_t now_usec(clockid_t clock) {
        struct timespec ts;
        clock_gettime(clock, &ts);
        return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

void manager_apply_overrides(const struct manager_overrides *o, struct daemon_config *cfg) {
        if (o->kmsg_path)
                snprintf(cfg->kmsg_path, sizeof cfg->kmsg_path, "%s", o->kmsg_path);
        if (o->spool_dir)
                snprintf(cfg->spool_dir, sizeof cfg->spool_dir, "%s", o->spool_dir);
        if (o->state_dir)
                snprintf(cfg->state_dir, sizeof cfg->state_dir, "%s", o->state_dir);
        if (o->boot_id)
                snprintf(cfg->boot_id, sizeof cfg->boot_id, "%s", o->boot_id);
        if (o->journal >= 0)
                cfg->journal = o->journal > 0;
}

static void pending_free_all(struct manager *m) {
        for (size_t i = 0; i < m->n_pending; i++)
                free(m->pending[i].data);
        free(m->pending);
        m->pending = NULL;
        m->n_pending = 0;
}

void manager_free(struct manager *m) {
        if (!m)
                return;
        metrics_writer_free(m->metrics);
        sd_event_source_disable_unref(m->kmsg_source);
        sd_event_source_disable_unref(m->defer_source);
        sd_event_source_disable_unref(m->tick_timer);
        sd_event_source_disable_unref(m->retry_timer);
        sd_event_source_disable_unref(m->housekeeping_timer);
        sd_event_source_disable_unref(m->summary_timer);
        sd_event_source_disable_unref(m->gap_timer);
        sd_event_source_disable_unref(m->sig_term);
        sd_event_source_disable_unref(m->sig_int);
        sd_event_source_disable_unref(m->sig_hup);
        sd_event_unref(m->event);
        log_reader_free(m->reader);
        report_assembler_free(m->assembler);
        if (m->kmsg_fd >= 0)
                close(m->kmsg_fd);
        if (m->spool_fd >= 0)
                close(m->spool_fd);
        if (m->state_fd >= 0)
                close(m->state_fd);
        pending_free_all(m);
        free(m->spool_seqs);
        free(m->buf);
        free(m);
}

static void assembler_config(const struct daemon_config *cfg, struct report_assembler_config *ac) {
        report_assembler_config_default(ac);
        ac->reaper_wait_usec = (int64_t)cfg->reaper_wait_usec;
        ac->quiet_timeout_usec = (int64_t)cfg->quiet_timeout_usec;
        ac->max_lines = cfg->max_lines_per_report;
        ac->kernel_only = true;
}

int manager_new(const struct manager_options *opts, const struct daemon_config *cfg, struct manager **ret) {
        _cleanup_(manager_freep) struct manager *m = NULL;
        struct report_assembler_config ac;
        int k;

        m = calloc(1, sizeof *m);
        if (!m)
                return -ENOMEM;
        m->kmsg_fd = m->spool_fd = m->state_fd = -1;
        m->opts = *opts;
        m->cfg = *cfg;
        m->last_delivered_seq = NUM_UNSET;
        m->buf = malloc(MAX(KMSG_READ_BUF, STREAM_LINE_MAX + STREAM_READ_CHUNK) + 1);
        if (!m->buf)
                return -ENOMEM;
        k = sd_event_default(&m->event);
        if (k < 0)
                return k;
        k = log_reader_new(LOG_FORMAT_KMSG, &m->reader);
        if (k < 0)
                return k;
        assembler_config(cfg, &ac);
        k = report_assembler_new(&ac, &m->assembler);
        if (k < 0)
                return k;
        token_bucket_init(&m->bucket, cfg->rate_burst, cfg->rate_interval_usec, now_usec(CLOCK_MONOTONIC));

        k = metrics_writer_new(m->event, m, cfg->metrics_dir, opts->log, opts->log_userdata, &m->metrics);
        if (k < 0)
                return k;
        *ret = TAKE_PTR(m);
        return 0;
}

void manager_get_counters(const struct manager *m, struct manager_counters *ret) {
        *ret = m->c;
}

/* ---------------------------------------------------------------------------------------
 * Directories */

/* Like mkdir -p for the parents of path (0755); the last component is left to the caller. */
static int mkdir_parents(const char *path) {
        char buf[DAEMON_CONFIG_PATH_MAX];
        snprintf(buf, sizeof buf, "%s", path);
        for (char *p = buf + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdir(buf, 0755) < 0 && errno != EEXIST)
                        return -errno;
                *p = '/';
        }
        return 0;
}

/* fd is the directory at path: not removed (a removed directory has no links left, and
 * nothing can be created in it) and not replaced (renamed away, a symlink put in its place). */
static bool dir_fd_current(int fd, const char *path) {
        struct stat fst, pst;
        return fd >= 0 && fstat(fd, &fst) == 0 && fst.st_nlink > 0 && lstat(path, &pst) == 0 &&
               S_ISDIR(pst.st_mode) && pst.st_dev == fst.st_dev && pst.st_ino == fst.st_ino;
}

/* The state directory, likewise recreated when removed under us (never through a symlink). */
static int state_ensure(struct manager *m) {
        int fd;

        if (dir_fd_current(m->state_fd, m->cfg.state_dir))
                return 0;
        (void)mkdir_parents(m->cfg.state_dir);
        if (mkdir(m->cfg.state_dir, 0755) < 0 && errno != EEXIST)
                return -errno;
        fd = open(m->cfg.state_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (m->state_fd >= 0) {
                close(m->state_fd);
                mlog(m, LOG_WARNING, "%s: the state directory was removed or replaced; created it again",
                     m->cfg.state_dir);
        }
        m->state_fd = fd;
        m->state_dirty = true;
        return 0;
}

static int cmp_int64(const void *a, const void *b) {
        int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
        return (x > y) - (x < y);
}

/* The seqs of this boot's reports already in the spool, listed once when the spool is opened:
 * within one run every report is seen once (seqs only grow), so only reports handled before
 * a restart can be found again, and listing the spool for each report (1000 stat calls at the
 * default MaxReports=) is not needed. Freed once kmsg has gone past the last of them. */
static void spool_index_load(struct manager *m) {
        _cleanup_free_ struct spool_entry *v = NULL;
        size_t n = 0, w = 0;
        int64_t *seqs;

        free(m->spool_seqs);
        m->spool_seqs = NULL;
        m->n_spool_seqs = 0;
        if (spool_list(m->spool_fd, &v, &n) < 0 || n == 0)
                return;
        seqs = calloc(n, sizeof *seqs);
        if (!seqs)
                return; /* the spool's renameat2(RENAME_NOREPLACE) still refuses a second file */
        for (size_t i = 0; i < n; i++) {
                char tag[SPOOL_BOOT_TAG_MAX + 1];
                int64_t seq;
                if (spool_name_key(v[i].name, tag, &seq) == 0 && strcmp(tag, m->boot_tag) == 0)
                        seqs[w++] = seq;
        }
        if (w == 0) {
                free(seqs);
                return;
        }
        qsort(seqs, w, sizeof *seqs, cmp_int64);
        m->spool_seqs = seqs;
        m->n_spool_seqs = w;
}

/* The spool fd still names the directory at the configured path: not removed (a removed
 * directory has no links, and nothing can be created in it) and not replaced. Otherwise it
 * is (re)created and reopened, never through a symlink; while that fails, reports wait in
 * the pending list (journal entries still go out) and the retry timer tries again. */
static int spool_ensure(struct manager *m) {
        int fd = -1, k;

        if (dir_fd_current(m->spool_fd, m->cfg.spool_dir))
                return 0;
        if (m->spool_fd >= 0)
                mlog(m, LOG_WARNING, "%s: the spool directory was removed or replaced; creating it again",
                     m->cfg.spool_dir);
        (void)mkdir_parents(m->cfg.spool_dir);
        k = spool_writer_open(m->cfg.spool_dir, &fd);
        if (k < 0) {
                if (!m->spool_broken)
                        mlog(m, LOG_ERR, "%s: cannot use the spool directory: %s%s; report files wait in memory "
                             "(journal entries are still written), retrying every %.1fs",
                             m->cfg.spool_dir, strerror(-k), k == -ELOOP ? " (a symlink: not followed)" : "",
                             (double)m->cfg.retry_usec / 1e6);
                m->spool_broken = true;
                if (m->spool_fd >= 0)
                        close(m->spool_fd);
                m->spool_fd = -1;
                return k;
        }
        if (m->spool_fd >= 0)
                close(m->spool_fd);
        m->spool_fd = fd;
        if (m->spool_broken)
                mlog(m, LOG_NOTICE, "%s: the spool directory is usable again", m->cfg.spool_dir);
        m->spool_broken = false;
        k = spool_remove_stale_temp(m->spool_fd);
        if (k > 0)
                mlog(m, LOG_INFO, "%s: removed %d partial file(s) left by a crash", m->cfg.spool_dir, k);
        spool_index_load(m);
        return 0;
}

/* ---------------------------------------------------------------------------------------
 * Status and persisted state */

static void update_status(struct manager *m) {
        sd_notifyf(false,
                   "STATUS=%" PRIu64 " records, %" PRIu64 " reports (%" PRIu64 " files, %" PRIu64
                   " pending, %" PRIu64 " suppressed), %" PRIu64 " gaps (%" PRIu64 " records lost), %" PRIu64
                   " non-kernel records ignored",
                   m->c.records, m->c.reports, m->c.files_written, (uint64_t)m->n_pending,
                   m->c.reports_suppressed, m->c.gaps, m->c.records_lost, m->c.records_ignored_facility);
}

static uint64_t pending_min_seq(const struct manager *m) {
        uint64_t min = UINT64_MAX;
        for (size_t i = 0; i < m->n_pending; i++)
                if (m->pending[i].first_seq >= 0 && (uint64_t)m->pending[i].first_seq < min)
                        min = (uint64_t)m->pending[i].first_seq;
        return min;
}

/* next_seq = everything before it is handled: the assembler's idle point, held back to the
 * first report whose file is still pending, so a restart re-assembles it. */
static void recompute_next_seq(struct manager *m) {
        uint64_t next = MIN(m->handled_seq, pending_min_seq(m));
        if (next > m->state.next_seq) {
                m->state.next_seq = next;
                m->state_dirty = true;
        }
}

static void state_save_failed(struct manager *m, int k) {
        /* Once per outage, not per attempt: a read-only or full /var must not flood the log. */
        if (!m->state_broken)
                mlog(m, LOG_WARNING, "%s/%s: could not save the kmsg position: %s; retrying (a restart meanwhile "
                     "re-reads from the last saved position: files already written are recognised)",
                     m->cfg.state_dir, KMSG_STATE_FILE, strerror(-k));
        m->state_broken = true;
        m->state_dirty = true;
        arm_housekeeping(m);
}

static void state_save_ok(struct manager *m) {
        if (m->state_broken)
                mlog(m, LOG_NOTICE, "%s/%s: the kmsg position is saved again", m->cfg.state_dir, KMSG_STATE_FILE);
        m->state_broken = false;
}

static int save_state(struct manager *m) {
        int k;

        recompute_next_seq(m);
        if (!m->state_dirty)
                return 0;
        k = state_ensure(m);
        if (k >= 0)
                k = kmsg_state_save(m->state_fd, &m->state);
        if (k < 0) {
                state_save_failed(m, k);
                return k;
        }
        state_save_ok(m);
        m->state_dirty = false;
        return 0;
}

/* ---------------------------------------------------------------------------------------
 * Journal */

static void send_entry(struct manager *m, struct journal_entry *e) {
        int k;

        if (!m->cfg.journal) {
                journal_entry_done(e);
                return;
        }
        k = journal_entry_send(e);
        if (k < 0) {
                m->c.journal_errors++;
                mlog(m, LOG_WARNING, "journal: could not send \"%s\": %s", journal_entry_get(e, "MESSAGE"),
                     strerror(-k));
        } else
                m->c.journal_entries++;
        journal_entry_done(e);
}

/* Holes are coalesced: the first one arms a timer, and one entry per GAP_REPORT_USEC sums up
 * all of them, so a reader overrun storm (EPIPE on every few reads) cannot flood the journal. */
static void flush_gaps(struct manager *m) {
        struct journal_entry e = {};

        if (m->gap_events == 0)
                return;
        mlog(m, LOG_WARNING, "kmsg: %" PRIu64 " records lost in %" PRIu64 " gap(s) between seq %" PRIu64 " and %" PRIu64 ": %s",
             m->gap_records, m->gap_events, m->gap_first, m->gap_last, m->gap_why);
        if (journal_entry_gap(m->gap_first, m->gap_last, m->gap_records, m->gap_events, m->gap_why, &e) == 0)
                send_entry(m, &e);
        m->gap_events = m->gap_records = 0;
}

static void emit_gap(struct manager *m, uint64_t first, uint64_t n, const char *why) {
        m->c.gaps++;
        m->c.records_lost += n;
        report_assembler_note_gap(m->assembler, n);
        if (m->gap_events == 0) {
                m->gap_first = first;
                m->gap_why = why;
                sd_event_source_set_time(m->gap_timer, now_usec(CLOCK_MONOTONIC) + GAP_REPORT_USEC);
                sd_event_source_set_enabled(m->gap_timer, SD_EVENT_ONESHOT);
        }
        m->gap_events++;
        m->gap_records += n;
        m->gap_last = first + n - 1;
}

static int on_gap_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        flush_gaps(userdata);
        return 0;
}

/* ---------------------------------------------------------------------------------------
 * Spool */

static void spool_limits_from(const struct daemon_config *cfg, struct spool_limits *l) {
        *l = (struct spool_limits){
                .max_files = cfg->max_reports,
                .max_use_bytes = cfg->max_use_bytes,
                .keep_free_bytes = cfg->keep_free_bytes,
        };
}

static void vacuum(struct manager *m, const char *keep) {
        struct spool_limits l;
        struct spool_vacuum_result res = {};
        int k;

        if (m->spool_fd < 0)
                return;
        spool_limits_from(&m->cfg, &l);
        k = spool_vacuum(m->spool_fd, &l, keep, &res);
        if (k < 0)
                mlog(m, LOG_WARNING, "%s: retention failed: %s", m->cfg.spool_dir, strerror(-k));
        else if (res.removed > 0) {
                m->c.files_vacuumed += res.removed;
                mlog(m, LOG_INFO, "%s: removed %zu old report(s), %" PRIu64 " bytes", m->cfg.spool_dir,
                     res.removed, res.freed_bytes);
        }
}

/* "-<boot tag>-<seq>.json": the part of a spool name fixed by the kernel record itself. The
 * time prefix is derived from the clocks at the moment of writing, so duplicates after a
 * restart are recognised by this key alone. */
static void report_key(const struct manager *m, int64_t seq, char *buf, size_t size) {
        snprintf(buf, size, "-%s-%012" PRId64 SPOOL_SUFFIX, m->boot_tag, seq);
}

static bool name_has_key(const char *name, const char *key) {
        size_t nl = strlen(name), kl = strlen(key);
        return nl >= kl && strcmp(name + nl - kl, key) == 0;
}

/* Is the report with this first seq filed already (1), or pending (2)? */
static int find_in_spool(struct manager *m, int64_t seq, const char *key) {
        for (size_t i = 0; i < m->n_pending; i++)
                if (name_has_key(m->pending[i].name, key))
                        return 2;
        if (m->n_spool_seqs == 0)
                return 0;
        if (seq > m->spool_seqs[m->n_spool_seqs - 1]) {
                free(m->spool_seqs);
                m->spool_seqs = NULL;
                m->n_spool_seqs = 0;
                return 0;
        }
        return bsearch(&seq, m->spool_seqs, m->n_spool_seqs, sizeof seq, cmp_int64) ? 1 : 0;
}

/* The report's spool name; variant > 0 when the plain one is taken (spool_format_name). */
static int make_name(struct manager *m, const struct raw_report *raw, unsigned variant, char *buf, size_t size) {
        int64_t seq = num_set(raw->first_seq) ? raw->first_seq : 0;
        int64_t ts = num_set(raw->first_ts_usec) ? raw->first_ts_usec : 0;
        /* Wall time of the record: realtime now minus its age on the monotonic clock (the kmsg
         * clock). For a recorded stream this is a stand-in that still sorts in stream order. */
        int64_t wall, offset = (int64_t)now_usec(CLOCK_REALTIME) - (int64_t)now_usec(CLOCK_MONOTONIC);

        /* A stream's timestamp is whatever it says (up to INT64_MAX): saturate */
        if (__builtin_add_overflow(offset, ts, &wall))
                wall = ts > 0 ? INT64_MAX : INT64_MIN;
        return spool_format_name(wall / 1000000, variant, m->boot_tag, seq, buf, size);
}

/* A name in the spool taken by something that is no report file (a symlink, a directory): it is
 * never followed, replaced or removed; the report goes under the next variant of its name. */
static bool name_taken(struct manager *m, const char *name) {
        struct stat st;
        return m->spool_fd >= 0 && fstatat(m->spool_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode);
}

static int next_free_variant(struct manager *m, char *name, size_t size) {
        char buf[SPOOL_NAME_MAX];

        for (unsigned v = 1; v < SPOOL_NAME_VARIANTS; v++) {
                if (spool_name_variant(name, v, buf, sizeof buf) < 0)
                        return -EINVAL;
                if (!name_taken(m, buf)) {
                        mlog(m, LOG_WARNING, "%s/%s: taken by something that is not a report file; not touching it, "
                             "writing %s instead", m->cfg.spool_dir, name, buf);
                        snprintf(name, size, "%s", buf);
                        return 0;
                }
        }
        return -EBUSY;
}

static int pending_add(struct manager *m, const char *name, char *data, size_t len, int64_t first_seq) {
        struct pending_file *p;

        if (m->n_pending >= m->cfg.max_pending) {
                /* Bounded memory beats keeping everything: the oldest pending file is given up
                 * (its journal entry was written). */
                mlog(m, LOG_ERR, "%s: giving up on pending report %s (more than %" PRIu32 " pending)",
                     m->cfg.spool_dir, m->pending[0].name, m->cfg.max_pending);
                kmsg_state_remove_journaled(&m->state, m->pending[0].name);
                free(m->pending[0].data);
                memmove(m->pending, m->pending + 1, (m->n_pending - 1) * sizeof *m->pending);
                m->n_pending--;
                m->c.files_dropped++;
                m->state_dirty = true;
        }
        p = reallocarray(m->pending, m->n_pending + 1, sizeof *m->pending);
        if (!p)
                return -ENOMEM;
        m->pending = p;
        p = &m->pending[m->n_pending++];
        snprintf(p->name, sizeof p->name, "%s", name);
        p->data = data;
        p->len = len;
        p->first_seq = first_seq;
        m->c.files_pending = m->n_pending;
        return 0;
}

static void arm_retry(struct manager *m) {
        uint64_t now = now_usec(CLOCK_MONOTONIC);
        sd_event_source_set_time(m->retry_timer, now + m->cfg.retry_usec);
        sd_event_source_set_enabled(m->retry_timer, SD_EVENT_ONESHOT);
}

/* Try the pending files in order; stop at the first failure (the disk is still full). */
static void retry_pending(struct manager *m) {
        if (m->n_pending > 0 && spool_ensure(m) < 0) {
                m->c.file_errors++;
                arm_retry(m);
                return;
        }
        while (m->n_pending > 0) {
                struct pending_file *p = &m->pending[0];
                int k = spool_publish(m->spool_fd, p->name, p->data, p->len);
                if (k == -EBUSY && next_free_variant(m, p->name, sizeof p->name) == 0)
                        k = spool_publish(m->spool_fd, p->name, p->data, p->len);
                if (k < 0 && k != -EEXIST) {
                        m->c.file_errors++;
                        break;
                }
                if (k == 0) {
                        m->c.files_written++;
                        mlog(m, LOG_INFO, "%s/%s: written (was pending)", m->cfg.spool_dir, p->name);
                        vacuum(m, p->name);
                }
                kmsg_state_remove_journaled(&m->state, p->name);
                m->state_dirty = true;
                free(p->data);
                memmove(m->pending, m->pending + 1, (m->n_pending - 1) * sizeof *m->pending);
                m->n_pending--;
        }
        m->c.files_pending = m->n_pending;
        save_state(m);
        if (m->n_pending > 0)
                arm_retry(m);
}

/* ---------------------------------------------------------------------------------------
 * Reports */

static void arm_summary(struct manager *m) {
        uint64_t now = now_usec(CLOCK_MONOTONIC);
        uint64_t when = token_bucket_next_token_usec(&m->bucket, now);
        int enabled = SD_EVENT_OFF;

        sd_event_source_get_enabled(m->summary_timer, &enabled);
        if (enabled != SD_EVENT_OFF)
                return;
        sd_event_source_set_time(m->summary_timer, MAX(when, now + 1000000));
        sd_event_source_set_enabled(m->summary_timer, SD_EVENT_ONESHOT);
}

static void emit_summary(struct manager *m) {
        struct journal_entry e = {};
        uint64_t n = token_bucket_reset_suppressed(&m->bucket);

        if (n == 0)
                return;
        mlog(m, LOG_WARNING, "OOM storm: %" PRIu64 " report(s) suppressed (no journal entry, no file)", n);
        if (journal_entry_suppressed(n, m->bucket.suppressed_total, m->c.reports, &e) == 0)
                send_entry(m, &e);
}

static int on_raw_report(const struct raw_report *raw, void *userdata) {
        struct manager *m = userdata;
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;
        _cleanup_free_ char *json = NULL;
        struct journal_entry e = {};
        char name[SPOOL_NAME_MAX], key[64], path[DAEMON_CONFIG_PATH_MAX + SPOOL_NAME_MAX + 2];
        char id[SPOOL_NAME_MAX];
        bool journaled_before = false, written = false;
        int64_t seq = num_set(raw->first_seq) ? raw->first_seq : 0;
        int k;

        /* Defence in depth behind the assembler's kernel_only: no line of a report may come
         * from userspace. */
        for (size_t i = 0; i < raw->n_lines; i++)
                if (raw->lines[i].facility > 0) {
                        mlog(m, LOG_WARNING, "dropping a report at kmsg seq %" PRId64 " with non-kernel lines",
                             num_set(raw->first_seq) ? raw->first_seq : -1);
                        return 0;
                }
        m->c.reports++;
        if (!raw->complete)
                m->c.reports_incomplete++;

        report_key(m, seq, key, sizeof key);
        k = find_in_spool(m, seq, key);
        if (k > 0) {
                /* Re-read after a restart: the file (or its pending copy) is there already. */
                m->c.reports_duplicate++;
                return 0;
        }
        k = make_name(m, raw, 0, name, sizeof name);
        if (k < 0) {
                mlog(m, LOG_ERR, "report at kmsg seq %" PRId64 ": no spool name for boot tag \"%s\": %s", seq,
                     m->boot_tag, strerror(-k));
                return 0;
        }
        if (name_taken(m, name))
                (void)next_free_variant(m, name, sizeof name);
        snprintf(id, sizeof id, "%.*s", (int)(strlen(name) - strlen(SPOOL_SUFFIX)), name);
        snprintf(path, sizeof path, "%s/%s", m->cfg.spool_dir, name);
        for (size_t i = 0; i < m->state.n_journaled; i++)
                if (name_has_key(m->state.journaled[i], key)) {
                        journaled_before = true;
                        snprintf(name, sizeof name, "%s", m->state.journaled[i]);
                        snprintf(id, sizeof id, "%.*s", (int)(strlen(name) - strlen(SPOOL_SUFFIX)), name);
                        snprintf(path, sizeof path, "%s/%s", m->cfg.spool_dir, name);
                }

        if (!journaled_before && !token_bucket_take(&m->bucket, now_usec(CLOCK_MONOTONIC))) {
                m->c.reports_suppressed++;
                arm_summary(m);
                return 0;
        }

        k = report_build(raw, &r);
        if (k < 0) {
                m->c.reports_unanalysable++;
                mlog(m, LOG_WARNING, "report at kmsg seq %" PRId64 " (%zu lines) could not be analysed: %s", seq,
                     raw->n_lines, strerror(-k));
                if (!journaled_before && journal_entry_from_raw(raw, id, k, &e) == 0)
                        send_entry(m, &e);
                return 0;
        }
        /* The spool id is the report id: the file name says when and which kernel record. */
        snprintf(r->id, sizeof r->id, "%.*s", (int)sizeof r->id - 1, id);

        if (!journaled_before) /* counted once, not again after a restart */
                metrics_note_report(m->metrics, r);

        k = report_to_json_string(r, &json);
        if (k < 0) {
                m->c.reports_unanalysable++;
                mlog(m, LOG_WARNING, "report %s: JSON output failed: %s", id, strerror(-k));
                if (!journaled_before && journal_entry_from_raw(raw, id, k, &e) == 0)
                        send_entry(m, &e);
                return 0;
        }
        size_t len = strlen(json);
        char *data = realloc(json, len + 2);
        if (!data)
                return -ENOMEM;
        json = data;
        json[len++] = '\n';
        json[len] = '\0';

        /* Exactly once for the file, at least once for the journal entry, whenever we are
         * killed:
         *   1. the file's data goes to a temp file and is fsync'ed (a full disk shows here);
         *   2. the state with the report recorded as journaled goes to its temp file;
         *   3. the journal entry is sent;
         *   4. the state's temp is renamed into place (the mark);
         *   5. the file's temp is renamed into place, the spool directory fsync'ed.
         * After a restart the report is re-read: a spool file with its key means all is done;
         * its key in the state means only the file is missing; neither means all is redone.
         * The mark is committed after the send because a kill that lands while a syscall runs
         * takes effect when it returns: a rename still in progress when the kill came (ext4
         * can block it for milliseconds) completes, and a mark committed before the send would
         * then stand for an entry never sent. This way a kill can only cost a duplicate entry,
         * in the microseconds between the entry being queued and the rename being entered.
         * Only the file's own fsync comes before it is visible: the mark needs none against
         * kill -9 (the page cache survives it), and against a power cut the journal entry itself
         * is no safer (journald syncs error-level entries on its own schedule); the state is
         * saved durably by the housekeeping timer seconds later. */
        char tmp[SPOOL_TEMP_NAME_MAX];
        int prep = spool_ensure(m);
        if (prep == 0)
                prep = spool_prepare(m->spool_fd, name, json, len, tmp);
        if (prep == -EEXIST)
                written = true;
        bool have_entry = false;
        if (!journaled_before) {
                char msg[1024];
                if (journal_format_message(r, msg, sizeof msg) == 0)
                        mlog(m, LOG_NOTICE, "%s (%s%s)", msg, prep < 0 && !written ? "pending " : "", path);
                k = journal_entry_from_report(r, id, path, &e);
                if (k == 0) {
                        if (prep < 0 && !written)
                                (void)journal_entry_add(&e, "OOM_SPOOL_PENDING", "1");
                        (void)journal_entry_add(&e, "OOM_KERNEL_SEQNUM_LAST", "%" PRId64,
                                                num_set(raw->last_seq) ? raw->last_seq : seq);
                        have_entry = true;
                }
        }
        bool mark_prepared = false;
        if (!journaled_before && m->cfg.journal && kmsg_state_add_journaled(&m->state, name) == 0) {
                recompute_next_seq(m);
                k = state_ensure(m);
                if (k >= 0)
                        k = kmsg_state_prepare(m->state_fd, &m->state, false);
                if (k < 0)
                        state_save_failed(m, k);
                mark_prepared = k == 0;
        }
        if (have_entry)
                send_entry(m, &e);
        if (mark_prepared) {
                k = kmsg_state_commit(m->state_fd, false);
                if (k < 0)
                        state_save_failed(m, k);
                else
                        state_save_ok(m);
                /* state_dirty stays: housekeeping saves it durably */
                m->state_dirty = true;
                arm_housekeeping(m);
        }
        if (prep == 0) {
                k = spool_commit(m->spool_fd, tmp, name);
                if (k == 0 || k == -EEXIST)
                        written = true;
                if (k == 0)
                        m->c.files_written++;
                prep = k;
        }
        if (written) {
                vacuum(m, name);
                /* Lazily saved: a restart before that finds the file and skips the report. */
                if (kmsg_state_remove_journaled(&m->state, name))
                        m->state_dirty = true;
        } else {
                m->c.file_errors++;
                mlog(m, LOG_WARNING, "%s: could not write, will retry in %.1fs: %s", path,
                     (double)m->cfg.retry_usec / 1e6, strerror(-prep));
                k = pending_add(m, name, json, len, seq);
                if (k < 0)
                        return k;
                json = NULL;
                arm_retry(m);
                /* The file is pending: its kmsg records must be re-read after a restart (next_seq
                 * is held back), and its journal entry must not be sent again. */
                if (kmsg_state_add_journaled(&m->state, name) == 0)
                        m->state_dirty = true;
                save_state(m);
        }
        update_status(m);
        return 0;
}

/* ---------------------------------------------------------------------------------------
 * Records */

static int on_line(const struct log_line *line, void *userdata) {
        struct manager *m = userdata;
        int k = report_assembler_feed(m->assembler, line, on_raw_report, m);
        if (num_set(line->seq))
                m->last_delivered_seq = line->seq;
        return k;
}

/* The assembler holds nothing: everything delivered is handled. */
static void note_idle_point(struct manager *m) {
        if (report_assembler_busy(m->assembler) || !num_set(m->last_delivered_seq))
                return;
        if ((uint64_t)m->last_delivered_seq + 1 > m->handled_seq) {
                m->handled_seq = (uint64_t)m->last_delivered_seq + 1;
                recompute_next_seq(m);
        }
}

static void note_kmsg_clock(struct manager *m, uint64_t ts) {
        int64_t sample = (int64_t)m->last_record_mono - (int64_t)ts;

        if (m->last_record_mono - m->clock_window_start > KMSG_CLOCK_WINDOW_USEC) {
                m->clock_off_prev = m->clock_off_cur;
                m->clock_have_prev = m->clock_have_cur;
                m->clock_have_cur = false;
                m->clock_window_start = m->last_record_mono;
        }
        if (!m->clock_have_cur || sample < m->clock_off_cur) {
                m->clock_off_cur = sample;
                m->clock_have_cur = true;
        }
}

/* CLOCK_MONOTONIC - kmsg clock (device), 0 before the first record. */
static int64_t kmsg_clock_offset(const struct manager *m) {
        if (m->clock_have_cur && m->clock_have_prev)
                return MIN(m->clock_off_cur, m->clock_off_prev);
        return m->clock_have_cur ? m->clock_off_cur : m->clock_have_prev ? m->clock_off_prev : 0;
}

/* Now on the clock the assembler runs on. Device: the kmsg clock. Stream: its own clock,
 * advanced by the time since its last record. */
static int64_t assembler_now(const struct manager *m) {
        uint64_t now = now_usec(CLOCK_MONOTONIC);
        if (m->kmsg_device)
                return (int64_t)now - kmsg_clock_offset(m);
        return (int64_t)MIN(m->last_ts_usec + (now - m->last_record_mono), (uint64_t)INT64_MAX);
}

/* A time on the assembler's clock, on CLOCK_MONOTONIC. */
static uint64_t assembler_to_mono(const struct manager *m, int64_t t) {
        int64_t r;
        if (__builtin_add_overflow(t, m->kmsg_device ? kmsg_clock_offset(m)
                                                     : (int64_t)m->last_record_mono - (int64_t)m->last_ts_usec,
                                   &r))
                r = INT64_MAX;
        return r < 0 ? 0 : (uint64_t)r;
}

static int handle_record(struct manager *m, const char *p, size_t len) {
        struct kmsg_record rec;
        int k;

        k = kmsg_record_parse(p, len, &rec);
        if (k == -ENOMEM)
                return k;
        /* A kernel's seq never comes near 2^63 (one record per ns for 292 years); refusing such
         * records keeps every seq + 1 downstream (int64 in the engine) from overflowing. */
        if (k >= 0 && rec.seq >= (uint64_t)INT64_MAX - 1) {
                kmsg_record_done(&rec);
                k = -ERANGE;
        }
        if (k < 0) {
                m->c.records_unparsable++;
                return 0;
        }
        m->c.records++;
        m->last_record_mono = now_usec(CLOCK_MONOTONIC);
        if (m->kmsg_device)
                note_kmsg_clock(m, rec.ts_usec);

        if (!m->have_expected) {
                /* First record since start: anything between the saved position and the oldest
                 * record still in the ring buffer was overwritten while we were not running. */
                if (m->state.next_seq > 0 && rec.seq > m->state.next_seq)
                        emit_gap(m, m->state.next_seq, rec.seq - m->state.next_seq,
                                 "overwritten while oomlensd was not running");
                m->have_expected = true;
        } else if (rec.seq > m->expected_seq) {
                /* The reader holds the last line back (a '+' fragment may continue it): it was
                 * printed before the hole, so it goes to the assembler before the hole is noted,
                 * or a report whose kill line it is would look cut by the hole. */
                k = log_reader_flush(m->reader, on_line, m);
                if (k < 0) {
                        kmsg_record_done(&rec);
                        return k;
                }
                emit_gap(m, m->expected_seq, rec.seq - m->expected_seq,
                         m->kmsg_device ? "reader overrun (EPIPE)" : "sequence gap in the stream");
        }
        if (!m->have_expected || rec.seq + 1 > m->expected_seq)
                m->expected_seq = rec.seq + 1;

        if (rec.seq < m->skip_before) {
                m->c.records_skipped_seen++;
                goto done;
        }
        /* Only the kernel can produce facility 0; userspace writes to /dev/kmsg get user (1) or
         * more. A forged report must never become a kill record. Such records still go through
         * the reader (the assembler is kernel_only and drops them) so that the sequence numbers
         * it sees stay contiguous: a hole would mark the report in progress as spanning a gap. */
        if (rec.facility != 0)
                m->c.records_ignored_facility++;
        m->last_ts_usec = MIN(rec.ts_usec, (uint64_t)INT64_MAX); /* the engine's clock is int64 */
        k = log_reader_feed_kmsg(m->reader, &rec, on_line, m);
        if (k < 0) {
                kmsg_record_done(&rec);
                return k;
        }
        note_idle_point(m);
done:
        kmsg_record_done(&rec);
        return 0;
}

/* The reader has nothing more right now: hand on the line held back for joining, then let
 * time-outs run on the kmsg clock. */
static int settle(struct manager *m, bool at_end) {
        int k;

        k = log_reader_flush(m->reader, on_line, m);
        if (k < 0)
                return k;
        if (at_end) {
                k = report_assembler_flush(m->assembler, on_raw_report, m);
                if (k < 0)
                        return k;
        } else {
                k = report_assembler_tick(m->assembler, assembler_now(m), on_raw_report, m);
                if (k < 0)
                        return k;
        }
        note_idle_point(m);
        return 0;
}

static int read_device(struct manager *m, bool *ret_more) {
        for (uint32_t i = 0; i < m->cfg.max_records_per_dispatch; i++) {
                ssize_t n = read(m->kmsg_fd, m->buf, KMSG_READ_BUF);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN) {
                                *ret_more = false;
                                return 0;
                        }
                        if (errno == EPIPE)
                                continue; /* overrun: the next record's seq shows the gap */
                        if (errno == EINVAL) {
                                m->c.records_unparsable++; /* record larger than our buffer: skipped by the kernel */
                                continue;
                        }
                        return -errno;
                }
                if (n == 0) {
                        *ret_more = false;
                        return 0;
                }
                int k = handle_record(m, m->buf, (size_t)n);
                if (k < 0)
                        return k;
        }
        *ret_more = true;
        return 0;
}

/* Process complete lines in the buffer, at most *budget. */
static int stream_lines(struct manager *m, uint32_t *budget) {
        size_t start = 0;
        int k = 0;

        while (*budget > 0 && start < m->buf_len) {
                char *nl = memchr(m->buf + start, '\n', m->buf_len - start);
                if (!nl)
                        break;
                size_t l = (size_t)(nl - (m->buf + start));
                if (m->skipping_long_line)
                        m->skipping_long_line = false;
                else if (l > 0 && m->buf[start] != ' ') { /* " KEY=value": dictionary of the previous record */
                        k = handle_record(m, m->buf + start, l + 1);
                        if (k < 0)
                                break;
                        (*budget)--;
                }
                start += l + 1;
        }
        memmove(m->buf, m->buf + start, m->buf_len - start);
        m->buf_len -= start;
        if (m->buf_len >= STREAM_LINE_MAX && !memchr(m->buf, '\n', m->buf_len)) {
                m->c.records_unparsable++;
                m->skipping_long_line = true;
                m->buf_len = 0;
        }
        return k;
}

static int read_stream(struct manager *m, bool *ret_more) {
        uint32_t budget = m->cfg.max_records_per_dispatch;
        int k;

        for (;;) {
                k = stream_lines(m, &budget);
                if (k < 0)
                        return k;
                if (budget == 0) {
                        *ret_more = true;
                        return 0;
                }
                ssize_t n = read(m->kmsg_fd, m->buf + m->buf_len, STREAM_READ_CHUNK);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN) {
                                *ret_more = false;
                                return 0;
                        }
                        return -errno;
                }
                if (n == 0) {
                        /* A last line without '\n' is still a record. */
                        if (m->buf_len > 0 && !m->skipping_long_line) {
                                k = handle_record(m, m->buf, m->buf_len);
                                if (k < 0)
                                        return k;
                        }
                        m->buf_len = 0;
                        m->kmsg_eof = true;
                        *ret_more = false;
                        return 0;
                }
                m->buf_len += (size_t)n;
        }
}

static void finish(struct manager *m, int code);
static void arm_tick(struct manager *m);

static int pump(struct manager *m) {
        bool more = false;
        int k;

        k = m->kmsg_device ? read_device(m, &more) : read_stream(m, &more);
        if (k < 0) {
                mlog(m, LOG_ERR, "%s: read failed: %s", m->cfg.kmsg_path, strerror(-k));
                finish(m, MANAGER_EXIT_FAILURE);
                return k;
        }
        m->drained = !more;
        /* More data is waiting: come back through the loop (watchdog, signals, timers first). */
        sd_event_source_set_enabled(m->defer_source, more ? SD_EVENT_ONESHOT : SD_EVENT_OFF);
        if (!more) {
                /* --oneshot: a stream ends at EOF; the device at "nothing more to read". */
                bool at_end = m->kmsg_eof || (m->opts.oneshot && m->kmsg_device);
                k = settle(m, at_end);
                if (k < 0) {
                        mlog(m, LOG_ERR, "report handling failed: %s", strerror(-k));
                        finish(m, MANAGER_EXIT_FAILURE);
                        return k;
                }
                if (at_end) {
                        sd_event_source_set_enabled(m->kmsg_source, SD_EVENT_OFF);
                        if (m->opts.oneshot)
                                finish(m, MANAGER_EXIT_OK);
                        else
                                mlog(m, LOG_INFO, "%s: end of input; still running (retries, signals)",
                                     m->cfg.kmsg_path);
                }
        }
        /* The position and STATUS= are refreshed by the housekeeping timer and after each
         * report, not per batch: a flood must not turn into a stream of fsyncs. */
        arm_housekeeping(m);
        arm_tick(m);
        return 0;
}

static int on_kmsg_io(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        struct manager *m = userdata;
        (void)pump(m);
        return 0;
}

static int on_defer(sd_event_source *s, void *userdata) {
        struct manager *m = userdata;
        (void)pump(m);
        return 0;
}

/* The tick timer at the moment the report in progress is due, off when none is. */
static void arm_tick(struct manager *m) {
        int64_t due = report_assembler_next_deadline(m->assembler);

        if (!num_set(due) || m->kmsg_eof) {
                sd_event_source_set_enabled(m->tick_timer, SD_EVENT_OFF);
                return;
        }
        sd_event_source_set_time(m->tick_timer, MAX(assembler_to_mono(m, due), now_usec(CLOCK_MONOTONIC)));
        sd_event_source_set_enabled(m->tick_timer, SD_EVENT_ONESHOT);
}

static int on_tick(sd_event_source *s, uint64_t usec, void *userdata) {
        struct manager *m = userdata;
        int k;

        /* Records still waiting: pump() reads them first (they may belong to the report) and
         * settles and re-arms when it has read everything. */
        if (!m->drained || m->kmsg_eof)
                return 0;
        k = settle(m, false);
        if (k < 0) {
                mlog(m, LOG_ERR, "report handling failed: %s", strerror(-k));
                finish(m, MANAGER_EXIT_FAILURE);
                return 0;
        }
        arm_housekeeping(m);
        arm_tick(m);
        return 0;
}

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata) {
        retry_pending(userdata);
        return 0;
}

static int on_summary(sd_event_source *s, uint64_t usec, void *userdata) {
        emit_summary(userdata);
        return 0;
}

static void arm_housekeeping(struct manager *m) {
        int enabled = SD_EVENT_OFF;

        sd_event_source_get_enabled(m->housekeeping_timer, &enabled);
        if (enabled != SD_EVENT_OFF)
                return;
        sd_event_source_set_time(m->housekeeping_timer, now_usec(CLOCK_MONOTONIC) + HOUSEKEEPING_USEC);
        sd_event_source_set_enabled(m->housekeeping_timer, SD_EVENT_ONESHOT);
}

static int on_housekeeping(sd_event_source *s, uint64_t usec, void *userdata) {
        struct manager *m = userdata;
        save_state(m);
        update_status(m);
        /* The work is done for now: hand back the heap a report's analysis and JSON left
         * fragmented (a few hundred KiB after a burst; the daemon may then idle for months). */
        (void)malloc_trim(0);
        /* A failed save (read-only or full /var) is tried again; otherwise nothing until the
         * next records. */
        if (m->state_dirty)
                arm_housekeeping(m);
        return 0;
}

/* SIGTERM: hand on everything held (a report in progress is emitted as incomplete), try the
 * pending files once more, save the position, exit 0. */
static void finish(struct manager *m, int code) {
        int k;

        if (code == MANAGER_EXIT_OK) {
                k = settle(m, true);
                if (k < 0)
                        mlog(m, LOG_WARNING, "flushing reports failed: %s", strerror(-k));
                emit_summary(m);
                flush_gaps(m);
                if (m->n_pending > 0) {
                        retry_pending(m);
                        if (m->n_pending > 0)
                                mlog(m, LOG_WARNING, "%zu report file(s) still pending at exit; they will be re-read from kmsg on restart",
                                     m->n_pending);
                }
        }
        save_state(m);
        mlog(m, LOG_INFO,
             "counters: records=%" PRIu64 " ignored_facility=%" PRIu64 " unparsable=%" PRIu64 " skipped_seen=%" PRIu64
             " gaps=%" PRIu64 " lost=%" PRIu64 " reports=%" PRIu64 " incomplete=%" PRIu64 " unanalysable=%" PRIu64
             " duplicate=%" PRIu64 " suppressed=%" PRIu64 " files=%" PRIu64 " pending=%zu file_errors=%" PRIu64
             " journal=%" PRIu64 " journal_errors=%" PRIu64,
             m->c.records, m->c.records_ignored_facility, m->c.records_unparsable, m->c.records_skipped_seen,
             m->c.gaps, m->c.records_lost, m->c.reports, m->c.reports_incomplete, m->c.reports_unanalysable,
             m->c.reports_duplicate, m->c.reports_suppressed, m->c.files_written, m->n_pending, m->c.file_errors,
             m->c.journal_entries, m->c.journal_errors);

        (void)metrics_writer_flush(m->metrics);
        m->exit_code = code;
        sd_notify(false, "STOPPING=1");
        sd_event_exit(m->event, code);
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        struct manager *m = userdata;
        mlog(m, LOG_INFO, "received %s, flushing and exiting", strsignal((int)si->ssi_signo));
        finish(m, MANAGER_EXIT_OK);
        return 0;
}

static int on_sighup(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        struct manager *m = userdata;
        struct daemon_config cfg;
        struct config_error err;
        struct report_assembler_config ac;
        struct report_assembler *a = NULL;
        int k;

        sd_notify(false, "RELOADING=1");
        k = daemon_config_load(m->opts.config_path, m->opts.config_must_exist, &cfg, &err);
        if (k < 0) {
                if (err.line > 0)
                        mlog(m, LOG_ERR, "%s:%u: %s (configuration not reloaded)", err.file, err.line, err.reason);
                else
                        mlog(m, LOG_ERR, "%s: %s (configuration not reloaded)", err.file, err.reason);
                sd_notify(false, "READY=1");
                return 0;
        }
        manager_apply_overrides(&m->opts.overrides, &cfg);
        /* Where we read from and write to is fixed for the process lifetime: changing the spool
         * or state directory under a running daemon would split its bookkeeping. */
        if (strcmp(cfg.kmsg_path, m->cfg.kmsg_path) != 0 || strcmp(cfg.spool_dir, m->cfg.spool_dir) != 0 ||
            strcmp(cfg.state_dir, m->cfg.state_dir) != 0 || strcmp(cfg.boot_id, m->cfg.boot_id) != 0)
                mlog(m, LOG_WARNING, "Path=, Directory= and BootId= changes take effect on restart");
        snprintf(cfg.kmsg_path, sizeof cfg.kmsg_path, "%s", m->cfg.kmsg_path);
        snprintf(cfg.spool_dir, sizeof cfg.spool_dir, "%s", m->cfg.spool_dir);
        snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", m->cfg.state_dir);
        snprintf(cfg.boot_id, sizeof cfg.boot_id, "%s", m->cfg.boot_id);
        /* The assembler keeps a report in progress: only swap it when idle. */
        if (!report_assembler_busy(m->assembler)) {
                assembler_config(&cfg, &ac);
                if (report_assembler_new(&ac, &a) == 0) {
                        report_assembler_free(m->assembler);
                        m->assembler = a;
                }
        }
        token_bucket_reconfigure(&m->bucket, cfg.rate_burst, cfg.rate_interval_usec);
        m->cfg = cfg;

        (void)metrics_writer_set_directory(m->metrics, cfg.metrics_dir);
        vacuum(m, NULL);
        mlog(m, LOG_NOTICE, "configuration reloaded from %s", m->opts.config_path);
        sd_notify(false, "READY=1");
        update_status(m);
        return 0;
}

/* ---------------------------------------------------------------------------------------
 * Start-up */

static int open_kmsg(struct manager *m) {
        struct stat st;
        int fd, k;

        if (stat(m->cfg.kmsg_path, &st) < 0)
                return -errno;
        if (S_ISFIFO(st.st_mode)) {
                /* A FIFO opened O_NONBLOCK without a writer reads as EOF at once: wait for the
                 * writer here, then switch to non-blocking. */
                fd = open(m->cfg.kmsg_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
                if (fd < 0)
                        return -errno;
                k = fcntl(fd, F_GETFL);
                if (k < 0 || fcntl(fd, F_SETFL, k | O_NONBLOCK) < 0) {
                        k = -errno;
                        close(fd);
                        return k;
                }
        } else {
                fd = open(m->cfg.kmsg_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
                if (fd < 0)
                        return -errno;
        }
        m->kmsg_fd = fd;
        /* The record-per-read() device is a character device; anything else is a saved stream.
         * The start of the ring buffer is where a fresh open already is (SEEK_SET = oldest). */
        m->kmsg_device = S_ISCHR(st.st_mode);
        return 0;
}

static int load_state(struct manager *m) {
        char boot_id[KMSG_STATE_BOOT_ID_MAX];
        struct kmsg_state s;
        int k;

        if (m->cfg.boot_id[0])
                snprintf(boot_id, sizeof boot_id, "%s", m->cfg.boot_id);
        else if (m->kmsg_device) {
                k = kmsg_state_read_boot_id(boot_id);
                if (k < 0)
                        return k;
        } else {
                /* The canonical path, so "x.kmsg" and "./x.kmsg" resume the same position. */
                _cleanup_free_ char *canon = realpath(m->cfg.kmsg_path, NULL);
                kmsg_state_boot_id_for_stream(canon ? canon : m->cfg.kmsg_path, boot_id);
        }
        {
                const char *b = strncmp(boot_id, "stream-", 7) == 0 ? boot_id + 7 : boot_id;
                snprintf(m->boot_tag, sizeof m->boot_tag, "%.8s", b);
        }

        k = kmsg_state_load(m->state_fd, &s);
        if (k == 0 && strcmp(s.boot_id, boot_id) == 0) {
                m->state = s;
                m->skip_before = s.next_seq;
                m->handled_seq = s.next_seq;
                mlog(m, LOG_INFO, "resuming boot %s at kmsg seq %" PRIu64, boot_id, s.next_seq);
                return 0;
        }
        if (k == 0)
                mlog(m, LOG_INFO, "new boot %s (state was for %s): reading kmsg from its start", boot_id, s.boot_id);
        else if (k == -EBADMSG)
                mlog(m, LOG_WARNING, "%s/%s: not a valid state file (corrupt or truncated): reading kmsg from its "
                     "start; reports already in the spool are recognised, not written again", m->cfg.state_dir,
                     KMSG_STATE_FILE);
        else if (k != -ENOENT)
                mlog(m, LOG_WARNING, "%s/%s: unreadable (%s): reading kmsg from its start; reports already in the "
                     "spool are recognised, not written again", m->cfg.state_dir, KMSG_STATE_FILE, strerror(-k));
        kmsg_state_init(&m->state, boot_id);
        m->state_dirty = true;
        return 0;
}

static int add_timer(struct manager *m, sd_event_source **ret, uint64_t usec, sd_event_time_handler_t cb, int enabled) {
        sd_event_source *s = NULL;
        int k = sd_event_add_time(m->event, &s, CLOCK_MONOTONIC, usec, 100ULL * 1000, cb, m);
        if (k < 0)
                return k;
        sd_event_source_set_enabled(s, enabled);
        *ret = s;
        return 0;
}

int manager_start(struct manager *m, int *ret_exit_code) {
        sigset_t mask;
        uint64_t now = now_usec(CLOCK_MONOTONIC);
        int k;

        k = open_kmsg(m);
        if (k < 0) {
                mlog(m, LOG_ERR, "%s: cannot open: %s", m->cfg.kmsg_path, strerror(-k));
                *ret_exit_code = MANAGER_EXIT_KMSG;
                return k;
        }

        *ret_exit_code = MANAGER_EXIT_DIRECTORY;
        (void)mkdir_parents(m->cfg.state_dir);
        (void)mkdir_parents(m->cfg.spool_dir);
        if (mkdir(m->cfg.state_dir, 0755) < 0 && errno != EEXIST) {
                k = -errno;
                mlog(m, LOG_ERR, "%s: cannot create the state directory: %s", m->cfg.state_dir, strerror(-k));
                return k;
        }
        m->state_fd = open(m->cfg.state_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (m->state_fd < 0) {
                k = -errno;
                mlog(m, LOG_ERR, "%s: cannot open the state directory: %s", m->cfg.state_dir, strerror(-k));
                return k;
        }
        k = load_state(m);
        if (k < 0) {
                mlog(m, LOG_ERR, "cannot determine the boot id: %s", strerror(-k));
                return k;
        }
        /* Not fatal: exiting would only have systemd restart us into the same failure. */
        (void)spool_ensure(m);
        vacuum(m, NULL);

        *ret_exit_code = MANAGER_EXIT_FAILURE;
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
                return -errno;
        k = sd_event_add_signal(m->event, &m->sig_term, SIGTERM, on_signal, m);
        if (k >= 0)
                k = sd_event_add_signal(m->event, &m->sig_int, SIGINT, on_signal, m);
        if (k >= 0)
                k = sd_event_add_signal(m->event, &m->sig_hup, SIGHUP, on_sighup, m);
        if (k < 0)
                return k;

        k = sd_event_add_defer(m->event, &m->defer_source, on_defer, m);
        if (k < 0)
                return k;
        /* Regular files cannot be polled (epoll says EPERM): they are read through the defer
         * source alone, which pump() keeps enabled while there is more. */
        struct stat st;
        if (fstat(m->kmsg_fd, &st) < 0)
                return -errno;
        if (S_ISREG(st.st_mode))
                sd_event_source_set_enabled(m->defer_source, SD_EVENT_ONESHOT);
        else {
                sd_event_source_set_enabled(m->defer_source, SD_EVENT_OFF);
                k = sd_event_add_io(m->event, &m->kmsg_source, m->kmsg_fd, EPOLLIN, on_kmsg_io, m);
                if (k < 0)
                        return k;
                /* Let reports and ticks go before a flood of new records. */
                sd_event_source_set_priority(m->kmsg_source, SD_EVENT_PRIORITY_NORMAL + 10);
        }
        sd_event_source_set_priority(m->defer_source, SD_EVENT_PRIORITY_NORMAL + 10);
        k = add_timer(m, &m->tick_timer, now, on_tick, SD_EVENT_OFF);
        if (k >= 0) /* a report is due to the microsecond, not within the default 100 ms slack */
                k = sd_event_source_set_time_accuracy(m->tick_timer, 1);
        if (k >= 0)
                k = add_timer(m, &m->retry_timer, now + m->cfg.retry_usec, on_retry, SD_EVENT_OFF);
        if (k >= 0)
                k = add_timer(m, &m->summary_timer, now, on_summary, SD_EVENT_OFF);
        if (k >= 0)
                k = add_timer(m, &m->gap_timer, now, on_gap_timer, SD_EVENT_OFF);
        if (k >= 0)
                k = add_timer(m, &m->housekeeping_timer, now + HOUSEKEEPING_USEC, on_housekeeping, SD_EVENT_OFF);
        if (k < 0)
                return k;
        /* WATCHDOG_USEC from systemd: sd-event pings at half the interval while the loop runs. */
        (void)sd_event_set_watchdog(m->event, true);

        k = save_state(m);
        if (k < 0) {
                *ret_exit_code = MANAGER_EXIT_DIRECTORY;
                return k;
        }
        mlog(m, LOG_INFO, "reading %s (%s), spool %s, state %s%s", m->cfg.kmsg_path,
             m->kmsg_device ? "kmsg device" : "recorded stream", m->cfg.spool_dir, m->cfg.state_dir,
             m->cfg.journal ? "" : ", journal off");
        sd_notify(false, "READY=1");
        update_status(m);
        *ret_exit_code = MANAGER_EXIT_OK;
        return 0;
}

int manager_run(struct manager *m) {
        int k = sd_event_loop(m->event);
        if (k < 0) {
                mlog(m, LOG_ERR, "event loop failed: %s", strerror(-k));
                return MANAGER_EXIT_FAILURE;
        }
        return m->exit_code;
}
