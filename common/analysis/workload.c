/* SPDX-License-Identifier: MIT */
#include "workload.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "macro.h"

/* ---------------------------------------------------------------------------------------
 * Containers and pods: one row per path-segment shape. A segment is prefix + <id> + suffix;
 * the first row that matches (and whose context an earlier segment set) names what it names.
 * Rows that name a container or a pod overwrite earlier ones: the innermost wins (a container
 * in a container, a pod of a nested kubelet). */

enum id_shape {
        ID_NONE,      /* the segment is exactly prefix + suffix */
        ID_CONTAINER, /* 12..64 lower-case hex digits: docker, containerd, CRI-O, podman ids */
        ID_POD_UID,   /* hex and '-' (cgroupfs driver) or '_' (systemd driver), up to 64 */
        ID_NAME,      /* a name: letters, digits, '.', '_', '-' (lxc containers) */
};

enum { /* context bits: what earlier segments said */
        CTX_KUBEPODS = 1u << 0,   /* below the kubelet's pod root */
        CTX_POD = 1u << 1,        /* below a pod's cgroup */
        CTX_DOCKER = 1u << 2,     /* below dockerd's cgroupfs parent "/docker" */
        CTX_CONTAINERD = 1u << 3, /* below "/containerd" */
        CTX_LXC = 1u << 4,        /* below "/lxc" */
};

enum segment_names { NAMES_NOTHING, NAMES_CONTAINER, NAMES_POD };

struct segment_rule {
        const char *prefix;
        enum id_shape id;
        const char *suffix;
        bool after_dash;       /* the prefix may also start after a '-' (kubelet --cgroup-root) */
        unsigned need, set;    /* context bits required / set */
        enum segment_names names;
        const char *runtime;   /* NAMES_CONTAINER */
        const char *qos;       /* the QoS class this segment says */
        bool qos_default;      /* ...only when no segment said one (cgroupfs Guaranteed pods) */
};

#define QOS_GUARANTEED "guaranteed"
#define QOS_BURSTABLE "burstable"
#define QOS_BESTEFFORT "besteffort"

static const struct segment_rule segment_rules[] = {
        /* Kubernetes, systemd driver: kubelet's CgroupName.ToSystemd() turns {"kubepods",
         * "burstable", "pod<uid>"} into /kubepods.slice/kubepods-burstable.slice/
         * kubepods-burstable-pod<uid, '-' -> '_'>.slice (pkg/kubelet/cm/cgroup_manager_linux.go);
         * Guaranteed pods sit directly below kubepods.slice. With --cgroup-root=/kubelet the
         * names gain a "kubelet-" prefix (kind, k3s in docker). */
        { "kubepods-burstable-pod", ID_POD_UID, ".slice", true, 0, CTX_KUBEPODS | CTX_POD, NAMES_POD, NULL, QOS_BURSTABLE, false },
        { "kubepods-besteffort-pod", ID_POD_UID, ".slice", true, 0, CTX_KUBEPODS | CTX_POD, NAMES_POD, NULL, QOS_BESTEFFORT, false },
        { "kubepods-pod", ID_POD_UID, ".slice", true, 0, CTX_KUBEPODS | CTX_POD, NAMES_POD, NULL, QOS_GUARANTEED, false },
        { "kubepods-burstable", ID_NONE, ".slice", true, 0, CTX_KUBEPODS, NAMES_NOTHING, NULL, QOS_BURSTABLE, false },
        { "kubepods-besteffort", ID_NONE, ".slice", true, 0, CTX_KUBEPODS, NAMES_NOTHING, NULL, QOS_BESTEFFORT, false },
        { "kubepods", ID_NONE, ".slice", true, 0, CTX_KUBEPODS, NAMES_NOTHING, NULL, NULL, false },
        /* Kubernetes, cgroupfs driver: ROOT/kubepods/{burstable,besteffort}/pod<uid>/<container>,
         * Guaranteed pods as ROOT/kubepods/pod<uid> (design proposal "pod-resource-management",
         * kubernetes/community). */
        { "kubepods", ID_NONE, "", false, 0, CTX_KUBEPODS, NAMES_NOTHING, NULL, NULL, false },
        { "burstable", ID_NONE, "", false, CTX_KUBEPODS, 0, NAMES_NOTHING, NULL, QOS_BURSTABLE, false },
        { "besteffort", ID_NONE, "", false, CTX_KUBEPODS, 0, NAMES_NOTHING, NULL, QOS_BESTEFFORT, false },
        { "pod", ID_POD_UID, "", false, CTX_KUBEPODS, CTX_POD, NAMES_POD, NULL, QOS_GUARANTEED, true },
        /* Containers under the systemd cgroup driver: runc/crun put a container in the scope
         * "<ScopePrefix>-<id>.scope"; kubelet's prefixes are "cri-containerd" and "crio",
         * docker's "docker", podman's "libpod". Their "-conmon-<id>.scope" siblings hold the
         * monitor process, not the container (the hex id test leaves them out). */
        { "docker-", ID_CONTAINER, ".scope", false, 0, 0, NAMES_CONTAINER, "docker", NULL, false },
        { "cri-containerd-", ID_CONTAINER, ".scope", false, 0, 0, NAMES_CONTAINER, "containerd", NULL, false },
        { "crio-", ID_CONTAINER, ".scope", false, 0, 0, NAMES_CONTAINER, "cri-o", NULL, false },
        { "libpod-", ID_CONTAINER, ".scope", false, 0, 0, NAMES_CONTAINER, "podman", NULL, false },
        /* cgroupfs shapes: CRI-O "crio-<id>" below the pod, podman --cgroups=split (quadlet's
         * default) "<unit>/libpod-payload-<id>", podman --cgroup-manager=cgroupfs
         * "/libpod_parent/libpod-<id>". */
        { "crio-", ID_CONTAINER, "", false, 0, 0, NAMES_CONTAINER, "cri-o", NULL, false },
        { "libpod-payload-", ID_CONTAINER, "", false, 0, 0, NAMES_CONTAINER, "podman", NULL, false },
        { "libpod-", ID_CONTAINER, "", false, 0, 0, NAMES_CONTAINER, "podman", NULL, false },
        /* dockerd with the cgroupfs driver: --cgroup-parent defaults to "/docker", then the id. */
        { "docker", ID_NONE, "", false, 0, CTX_DOCKER, NAMES_NOTHING, NULL, NULL, false },
        { "", ID_CONTAINER, "", false, CTX_DOCKER, 0, NAMES_CONTAINER, "docker", NULL, false },
        /* containerd clients with the cgroupfs driver: "/containerd/<id>". */
        { "containerd", ID_NONE, "", false, 0, CTX_CONTAINERD, NAMES_NOTHING, NULL, NULL, false },
        { "", ID_CONTAINER, "", false, CTX_CONTAINERD, 0, NAMES_CONTAINER, "containerd", NULL, false },
        /* A bare id below a cgroupfs pod: the CRI runtime (containerd, cri-dockerd) is not in
         * the path. */
        { "", ID_CONTAINER, "", false, CTX_POD, 0, NAMES_CONTAINER, NULL, NULL, false },
        /* LXC 4.0+ (and Incus/LXD): "/lxc.payload.<name>"; older LXC and Proxmox: "/lxc/<name>". */
        { "lxc.payload.", ID_NAME, "", false, 0, 0, NAMES_CONTAINER, "lxc", NULL, false },
        { "lxc", ID_NONE, "", false, 0, CTX_LXC, NAMES_NOTHING, NULL, NULL, false },
        { "", ID_NAME, "", false, CTX_LXC, 0, NAMES_CONTAINER, "lxc", NULL, false },
};

static bool id_valid(enum id_shape shape, const char *s, size_t n) {
        switch (shape) {
        case ID_NONE:
                return n == 0;
        case ID_CONTAINER:
                if (n < 12 || n > 64)
                        return false;
                for (size_t i = 0; i < n; i++)
                        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                                return false;
                return true;
        case ID_POD_UID:
                /* 8-4-4-4-12 UUIDs, or 32 hex digits for static pods (a hash of the manifest). */
                if (n < 8 || n > 64)
                        return false;
                for (size_t i = 0; i < n; i++)
                        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
                              (s[i] >= 'A' && s[i] <= 'F') || s[i] == '-' || s[i] == '_'))
                                return false;
                return true;
        case ID_NAME:
                if (n < 1 || n > 64)
                        return false;
                for (size_t i = 0; i < n; i++)
                        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
                              (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
                                return false;
                return true;
        }
        return false;
}

/* Does seg[0..n) start, at `at`, with prefix, then an id of the row's shape, then the suffix? */
static bool rule_matches_at(const struct segment_rule *rule, const char *seg, size_t n, size_t at,
                            const char **ret_id, size_t *ret_id_len) {
        size_t pl = strlen(rule->prefix), sl = strlen(rule->suffix);

        if (n - at < pl + sl || memcmp(seg + at, rule->prefix, pl) != 0 ||
            memcmp(seg + n - sl, rule->suffix, sl) != 0)
                return false;
        if (!id_valid(rule->id, seg + at + pl, n - at - pl - sl))
                return false;
        *ret_id = seg + at + pl;
        *ret_id_len = n - at - pl - sl;
        return true;
}

static bool rule_matches(const struct segment_rule *rule, const char *seg, size_t n, const char **ret_id,
                         size_t *ret_id_len) {
        if (rule_matches_at(rule, seg, n, 0, ret_id, ret_id_len))
                return true;
        if (!rule->after_dash)
                return false;
        for (size_t i = 0; i + 1 < n; i++)
                if (seg[i] == '-' && rule_matches_at(rule, seg, n, i + 1, ret_id, ret_id_len))
                        return true;
        return false;
}

static void copy_id(char *dst, size_t size, const char *src, size_t n, bool underscore_to_dash) {
        size_t l = MIN(n, size - 1);
        for (size_t i = 0; i < l; i++) {
                dst[i] = src[i];
                if (underscore_to_dash && src[i] == '_')
                        dst[i] = '-';
        }
        dst[l] = '\0';
}

static bool apply_rules(const char *seg, size_t n, unsigned *ctx, struct oom_workload *w) {
        for (size_t i = 0; i < ELEMENTSOF(segment_rules); i++) {
                const struct segment_rule *rule = &segment_rules[i];
                const char *id;
                size_t id_len;

                if ((*ctx & rule->need) != rule->need || !rule_matches(rule, seg, n, &id, &id_len))
                        continue;
                *ctx |= rule->set;
                if (rule->qos && (!rule->qos_default || !w->qos))
                        w->qos = rule->qos;
                if (rule->names == NAMES_CONTAINER) {
                        copy_id(w->container_id, sizeof w->container_id, id, id_len, false);
                        w->runtime = rule->runtime;
                } else if (rule->names == NAMES_POD)
                        /* The systemd driver's '_' stands for the UID's '-' (kubelet never uses '_'
                         * in cgroup names, so the mapping reverses). */
                        copy_id(w->pod_uid, sizeof w->pod_uid, id, id_len, true);
                return rule->names != NAMES_NOTHING || rule->qos;
        }
        return false;
}

/* ---------------------------------------------------------------------------------------
 * systemd units: the unit types that own processes, hence cgroups. */

static const char *const unit_types[] = { "service", "scope", "slice", "socket", "mount", "swap" };

/* "name.type" with a known type and systemd's unit-name characters; ret_slice: type is slice. */
static bool unit_name_valid(const char *s, size_t n, bool *ret_slice) {
        const char *dot = NULL;

        if (n == 0 || n >= OOM_UNIT_NAME_MAX)
                return false;
        for (size_t i = 0; i < n; i++) {
                char c = s[i];
                if (c == '.')
                        dot = s + i;
                else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           c == ':' || c == '-' || c == '_' || c == '\\' || c == '@'))
                        return false;
        }
        if (!dot || dot == s)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(unit_types); i++) {
                size_t tl = strlen(unit_types[i]);
                if ((size_t)(s + n - dot - 1) == tl && memcmp(dot + 1, unit_types[i], tl) == 0) {
                        *ret_slice = strcmp(unit_types[i], "slice") == 0;
                        return true;
                }
        }
        return false;
}

/* user@UID.service: the per-user service manager; its sub-tree has units of its own. */
static bool is_user_manager(const char *s, size_t n) {
        static const char pre[] = "user@", suf[] = ".service";
        size_t pl = sizeof pre - 1, sl = sizeof suf - 1;

        if (n <= pl + sl || memcmp(s, pre, pl) != 0 || memcmp(s + n - sl, suf, sl) != 0)
                return false;
        for (size_t i = pl; i < n - sl; i++)
                if (s[i] < '0' || s[i] > '9')
                        return false;
        return true;
}

struct unit_walk {
        unsigned level;    /* 0: the system manager's tree; 1: below user@UID.service */
        bool done;         /* the level's unit was seen: later segments are the unit's own */
        size_t segments;
};

static void copy_seg(char *dst, size_t size, const char *s, size_t n) {
        copy_id(dst, size, s, n, false);
}

/* systemd's reading (cg_path_get_unit/_slice/_user_unit): leading slices, then the unit; below
 * user@UID.service the same again for the user's own units. */
static bool walk_unit(struct unit_walk *u, const char *seg, size_t n, struct oom_workload *w) {
        char *const slices[] = { w->slice, w->user_slice }, *const units[] = { w->unit, w->user_unit };
        bool slice = false, valid, first = u->segments++ == 0;

        if (u->done)
                return false;
        valid = unit_name_valid(seg, n, &slice);
        if (valid && slice) {
                copy_seg(slices[u->level], OOM_UNIT_NAME_MAX, seg, n);
                return true;
        }
        u->done = true;
        if (!valid)
                return false;
        copy_seg(units[u->level], OOM_UNIT_NAME_MAX, seg, n);
        if (u->level == 0 && first) /* a unit right below the root cgroup, like init.scope */
                snprintf(w->slice, sizeof w->slice, "-.slice");
        if (u->level == 0 && is_user_manager(seg, n)) {
                u->level = 1;
                u->done = false;
        }
        return true;
}

int workload_from_cgroup(const char *path, struct oom_workload *ret) {
        struct unit_walk u = {};
        unsigned ctx = 0;
        bool named = false;
        const char *p;

        if (!path || !ret)
                return -EINVAL;
        *ret = (struct oom_workload){};
        copy_seg(ret->cgroup, sizeof ret->cgroup, path, strnlen(path, sizeof ret->cgroup - 1));

        for (p = ret->cgroup; *p;) {
                const char *seg;
                size_t n;

                while (*p == '/')
                        p++;
                seg = p;
                while (*p && *p != '/')
                        p++;
                n = (size_t)(p - seg);
                if (n == 0)
                        break;
                named |= walk_unit(&u, seg, n, ret);
                named |= apply_rules(seg, n, &ctx, ret);
        }
        return named ? 1 : 0;
}

int workload_identify(struct oom_report *r) {
        if (!r)
                return -EINVAL;

        const struct {
                const char *path, *source;
        } candidates[] = {
                /* The victim's own cgroup first: it names the victim's workload. */
                { r->constraint.task_memcg, "task_memcg" },
                { r->memcg.task_path, "task_memcg" },
                /* The cgroup whose limit was hit: an ancestor of the task's, so it names less. */
                { r->constraint.memcg, "oom_memcg" },
                { r->memcg.path, "oom_memcg" },
        };

        for (size_t i = 0; i < ELEMENTSOF(candidates); i++) {
                int k;

                if (!candidates[i].path[0])
                        continue;
                k = workload_from_cgroup(candidates[i].path, &r->workload);
                if (k < 0)
                        return k;
                r->workload.source = candidates[i].source;
                return k;
        }
        r->workload = (struct oom_workload){};
        return 0;
}

size_t workload_describe(const struct oom_workload *w, char *buf, size_t size) {
        const char *unit;
        size_t len = 0;
        int k;

#define APPEND(...)                                                                            \
        do {                                                                                   \
                k = snprintf(buf + MIN(len, size - 1), size - MIN(len, size - 1), __VA_ARGS__); \
                if (k > 0)                                                                     \
                        len += (size_t)k;                                                      \
        } while (0)

        if (!buf || size == 0)
                return 0;
        buf[0] = '\0';
        if (!w)
                return 0;
        if (w->pod_uid[0])
                APPEND("pod %s%s%s%s", w->pod_uid, w->qos ? " (" : "", w->qos ? w->qos : "", w->qos ? ")" : "");
        if (w->container_id[0])
                /* 12 hex digits, as docker ps and crictl ps show ids. */
                APPEND("%scontainer %.12s%s%s%s", len ? ", " : "", w->container_id, w->runtime ? " (" : "",
                       w->runtime ? w->runtime : "", w->runtime ? ")" : "");
        /* A container's own scope ("docker-<id>.scope") says nothing the id did not. */
        unit = w->user_unit[0] ? w->user_unit : w->unit;
        if (unit[0] && !(w->container_id[0] && strstr(unit, w->container_id))) {
                if (w->user_unit[0])
                        APPEND("%s%s (%s)", len ? ", " : "", w->user_unit, w->unit);
                else
                        APPEND("%s%s", len ? ", " : "", w->unit);
        } else if (!len && w->slice[0] && strcmp(w->slice, "-.slice") != 0)
                APPEND("%s", w->slice);
#undef APPEND
        return len;
}
