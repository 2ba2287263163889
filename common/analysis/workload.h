/* SPDX-License-Identifier: MIT */
/* Naming the workload from a memory cgroup path: the systemd unit and slice (and the unit of a
 * user manager below user@UID.service), the container id and runtime (docker, containerd,
 * CRI-O, podman, lxc), the Kubernetes pod UID and QoS class — for cgroup v1 and v2 paths, the
 * cgroupfs and the systemd cgroup drivers alike.
 *
 * The unit and slice follow systemd's own reading of a cgroup path (cg_path_get_unit(),
 * cg_path_get_slice(), cg_path_get_user_unit()), so OOM_UNIT= means what _SYSTEMD_UNIT= means.
 * Containers and pods are a table of path-segment shapes (workload.c): a new runtime is one
 * row. Pure: no I/O, no allocation. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

/* Name the workload of one cgroup path ("/system.slice/nginx.service"). *ret is reset first and
 * ret->cgroup holds the path (cut to OOM_PATH_MAX - 1 bytes). Returns 1 if anything was named,
 * 0 if nothing was (e.g. "/" or "/leaker"), -EINVAL on NULL arguments. */
int workload_from_cgroup(const char *path, struct oom_workload *ret);

/* The victim's workload into r->workload. The task's memcg names the victim's workload
 * (task_memcg= of the 5.0+ summary, else "Task in X" of <= 4.x); only when the report printed
 * no task path does the memcg whose limit was hit (oom_memcg= / "limit of Y") stand in for it.
 * r->workload.source says which. Returns as workload_from_cgroup(), 0 when no path was printed. */
int workload_identify(struct oom_report *r);

/* One line for people: "nginx.service", "foo.service (user@1000.service)", "container
 * 25a38b5b8d55 (containerd), pod 5931aa75-… (burstable)". "" when nothing is named. Always
 * NUL-terminates (size > 0); returns the length it wanted, like snprintf. */
size_t workload_describe(const struct oom_workload *w, char *buf, size_t size);
