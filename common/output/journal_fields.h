/* SPDX-License-Identifier: MIT */
/* The journal interface oomlensd writes (daemon/journal_sink.c) and `oomlens journal` reads:
 * the MESSAGE_IDs (explained in systemd/oomlens.catalog) and the OOM_* fields of a report's
 * entry. Constants only: the engine stays free of systemd, the daemon and the command share
 * one spelling. Part of the interface: never renamed, only added to. */
#pragma once

#define OOMLENS_MESSAGE_ID_REPORT "9fc25929c12449a6a7d84ebe27cb76df"
#define OOMLENS_MESSAGE_ID_GAP "de0e930785844cd6bbb8c02e766024e1"
#define OOMLENS_MESSAGE_ID_SUPPRESSED "bb9fa5205bc24ee38f2e33e8e921e3f2"

/* A report's entry */
#define JOURNAL_FIELD_REPORT_ID "OOM_REPORT_ID"
#define JOURNAL_FIELD_KIND "OOM_KIND"
#define JOURNAL_FIELD_CAUSE "OOM_CAUSE"
#define JOURNAL_FIELD_VICTIM_PID "OOM_VICTIM_PID"
#define JOURNAL_FIELD_VICTIM_COMM "OOM_VICTIM_COMM"
#define JOURNAL_FIELD_VICTIM_RSS_KB "OOM_VICTIM_RSS_KB"
#define JOURNAL_FIELD_TRIGGER_COMM "OOM_TRIGGER_COMM"
#define JOURNAL_FIELD_TRIGGER_PID "OOM_TRIGGER_PID"
#define JOURNAL_FIELD_MEMCG "OOM_MEMCG"           /* the cgroup whose limit was hit */
#define JOURNAL_FIELD_TASK_MEMCG "OOM_TASK_MEMCG" /* the victim's own cgroup */
#define JOURNAL_FIELD_UNIT "OOM_UNIT"
#define JOURNAL_FIELD_CONTAINER_ID "OOM_CONTAINER_ID"
#define JOURNAL_FIELD_POD_UID "OOM_POD_UID"
#define JOURNAL_FIELD_SPOOL_FILE "OOM_SPOOL_FILE"
#define JOURNAL_FIELD_KERNEL_SEQNUM "OOM_KERNEL_SEQNUM"
#define JOURNAL_FIELD_COMPLETE "OOM_COMPLETE"
#define JOURNAL_FIELD_SPANS_GAP "OOM_SPANS_GAP"
