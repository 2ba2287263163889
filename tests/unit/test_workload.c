/* SPDX-License-Identifier: MIT */
/* Naming the workload from memcg paths. Every path below is a real shape, with where it comes
 * from: the public corpus (../shared/corpus/public, INDEX.md), or the naming rule of the tool
 * that creates it (systemd, kubelet, runc's systemd driver, docker, CRI-O, podman, LXC). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "workload.h"

#define CID_AKS "25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca"
#define UID_AKS "5931aa75-4603-4e65-b552-7c71cf55cfb5"
#define UID_AKS_US "5931aa75_4603_4e65_b552_7c71cf55cfb5"
#define CID_A "2e088fe462e25e60be1dafafe2c05c47bda1a97978648d10ad2b7484fc0b8f50"
#define CID_B "9687bac58d5c4d1606aa46af33d1a21c1d1652e0ac9fb3fc0fc86e3495f42869"
#define UID_B "e03401ab-1ff2-44e3-8260-3d175888e4a7"
#define UID_B_US "e03401ab_1ff2_44e3_8260_3d175888e4a7"

struct shape {
        const char *why;  /* where the shape comes from */
        const char *path;
        int named;
        const char *unit, *slice, *user_unit, *user_slice, *container_id, *runtime, *pod_uid, *qos;
};

static const struct shape shapes[] = {
        /* --- the corpus --- */
        { "corpus 013 (AKS, 5.15, cgroup v2, containerd + kubelet systemd driver): task_memcg",
          "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_AKS_US ".slice/cri-containerd-" CID_AKS ".scope",
          1, "cri-containerd-" CID_AKS ".scope", "kubepods-burstable-pod" UID_AKS_US ".slice", NULL, NULL, CID_AKS,
          "containerd", UID_AKS, "burstable" },
        { "corpus 013: oom_memcg, the pod's slice (the pod-level limit was hit)",
          "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_AKS_US ".slice", 1, NULL,
          "kubepods-burstable-pod" UID_AKS_US ".slice", NULL, NULL, NULL, NULL, UID_AKS, "burstable" },
        { "corpus 034 (cadvisor, 4.8, cgroup v1, dockerd cgroupfs driver): Task in /docker/<id>",
          "/docker/" CID_A, 1, NULL, NULL, NULL, NULL, CID_A, "docker", NULL, NULL },
        { "corpus 017 (CentOS 8): task_memcg of a system service", "/system.slice/jenkins.service", 1,
          "jenkins.service", "system.slice", NULL, NULL, NULL, NULL, NULL, NULL },
        { "corpus 041 (Ubuntu 21.10, sysrq)", "/system.slice/unattended-upgrades.service", 1,
          "unattended-upgrades.service", "system.slice", NULL, NULL, NULL, NULL, NULL, NULL },
        { "corpus 008: a login session's scope", "/user.slice/user-0.slice/session-3.scope", 1, "session-3.scope",
          "user-0.slice", NULL, NULL, NULL, NULL, NULL, NULL },
        { "corpus 032: the user's service manager itself", "/user.slice/user-10383.slice/user@10383.service", 1,
          "user@10383.service", "user-10383.slice", NULL, NULL, NULL, NULL, NULL, NULL },
        { "corpus 011 (Michal Hocko's leaker, 5.2, v1): a hand-made cgroup names nothing", "/leaker", 0, NULL, NULL,
          NULL, NULL, NULL, NULL, NULL, NULL },
        { "corpus 046 (Android GKI 5.10): Android's own hierarchy", "/apps/in_active_bg", 0, NULL, NULL, NULL, NULL,
          NULL, NULL, NULL, NULL },
        { "corpus 017: task_memcg=/ in a global OOM (the root cgroup)", "/", 0, NULL, NULL, NULL, NULL, NULL, NULL,
          NULL, NULL },
        { "tests/data/kmsg/memcg-6.18.kmsg (this machine, v1): a 32-hex segment outside any runtime is no container",
          "/process_api/c76722b33f8252e548653af95445d0af/oomlensd-capture", 0, NULL, NULL, NULL, NULL, NULL, NULL,
          NULL, NULL },
        /* --- systemd (systemd.special(7), systemd.slice(5), systemd-run(1), user@.service(5)) --- */
        { "systemd: a system service", "/system.slice/nginx.service", 1, "nginx.service", "system.slice", NULL, NULL,
          NULL, NULL, NULL, NULL },
        { "systemd: a template instance in a nested slice", "/system.slice/system-getty.slice/getty@tty1.service", 1,
          "getty@tty1.service", "system-getty.slice", NULL, NULL, NULL, NULL, NULL, NULL },
        { "systemd-run --scope: a transient scope", "/system.slice/run-u12.scope", 1, "run-u12.scope", "system.slice",
          NULL, NULL, NULL, NULL, NULL, NULL },
        { "systemd-run: a transient service", "/system.slice/run-r0123456789abcdef.service", 1,
          "run-r0123456789abcdef.service", "system.slice", NULL, NULL, NULL, NULL, NULL, NULL },
        { "PID 1's own scope, right below the root slice", "/init.scope", 1, "init.scope", "-.slice", NULL, NULL,
          NULL, NULL, NULL, NULL },
        { "a user service (systemd's desktop-environments doc: app.slice)",
          "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service", 1, "user@1000.service",
          "user-1000.slice", "foo.service", "app.slice", NULL, NULL, NULL, NULL },
        { "a unit's own sub-cgroup (Delegate=yes) still names the unit", "/system.slice/foo.service/worker", 1,
          "foo.service", "system.slice", NULL, NULL, NULL, NULL, NULL, NULL },
        { "a slice alone (an oom_memcg with a MemoryMax= on the slice)", "/system.slice", 1, NULL, "system.slice",
          NULL, NULL, NULL, NULL, NULL, NULL },
        /* --- containers under the systemd driver (runc: "<ScopePrefix>-<id>.scope") --- */
        { "docker with native.cgroupdriver=systemd", "/system.slice/docker-" CID_A ".scope", 1,
          "docker-" CID_A ".scope", "system.slice", NULL, NULL, CID_A, "docker", NULL, NULL },
        { "podman (rootful): machine.slice/libpod-<id>.scope", "/machine.slice/libpod-" CID_B ".scope", 1,
          "libpod-" CID_B ".scope", "machine.slice", NULL, NULL, CID_B, "podman", NULL, NULL },
        { "podman's monitor (conmon) is not the container", "/machine.slice/libpod-conmon-" CID_B ".scope", 1,
          "libpod-conmon-" CID_B ".scope", "machine.slice", NULL, NULL, NULL, NULL, NULL, NULL },
        { "podman rootless: the user manager's user.slice",
          "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" CID_B ".scope", 1, "user@1000.service",
          "user-1000.slice", "libpod-" CID_B ".scope", "user.slice", CID_B, "podman", NULL, NULL },
        { "podman quadlet (--cgroups=split, its default) as a user service: systemctl --user status shows "
          "<unit>/libpod-payload-<id>",
          "/user.slice/user-1000.slice/user@1000.service/app.slice/redis.service/libpod-payload-" CID_B, 1,
          "user@1000.service", "user-1000.slice", "redis.service", "app.slice", CID_B, "podman", NULL, NULL },
        { "podman quadlet as a system service", "/system.slice/nginx.service/libpod-payload-" CID_B, 1,
          "nginx.service", "system.slice", NULL, NULL, CID_B, "podman", NULL, NULL },
        { "podman --cgroup-manager=cgroupfs", "/libpod_parent/libpod-" CID_B, 1, NULL, NULL, NULL, NULL, CID_B,
          "podman", NULL, NULL },
        /* --- Kubernetes, systemd driver (kubelet CgroupName.ToSystemd, '-' -> '_') --- */
        { "kubelet systemd driver, BestEffort, CRI-O",
          "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_B_US ".slice/crio-" CID_B ".scope",
          1, "crio-" CID_B ".scope", "kubepods-besteffort-pod" UID_B_US ".slice", NULL, NULL, CID_B, "cri-o", UID_B,
          "besteffort" },
        { "CRI-O's conmon scope: the pod, not a container",
          "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_B_US ".slice/crio-conmon-" CID_B ".scope",
          1, "crio-conmon-" CID_B ".scope", "kubepods-besteffort-pod" UID_B_US ".slice", NULL, NULL, NULL, NULL, UID_B,
          "besteffort" },
        { "kubelet systemd driver, Guaranteed: the pod slice right below kubepods.slice",
          "/kubepods.slice/kubepods-pod" UID_B_US ".slice/cri-containerd-" CID_B ".scope", 1,
          "cri-containerd-" CID_B ".scope", "kubepods-pod" UID_B_US ".slice", NULL, NULL, CID_B, "containerd", UID_B,
          "guaranteed" },
        { "kubelet systemd driver, dockershim (docker-<id>.scope in the pod slice)",
          "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_B_US ".slice/docker-" CID_A ".scope",
          1, "docker-" CID_A ".scope", "kubepods-burstable-pod" UID_B_US ".slice", NULL, NULL, CID_A, "docker", UID_B,
          "burstable" },
        { "kubelet --cgroup-root=/kubelet (kind, k3s in docker): every slice gains a kubelet- prefix",
          "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod" UID_B_US
          ".slice/cri-containerd-" CID_B ".scope",
          1, "cri-containerd-" CID_B ".scope", "kubelet-kubepods-besteffort-pod" UID_B_US ".slice", NULL, NULL, CID_B,
          "containerd", UID_B, "besteffort" },
        /* --- Kubernetes, cgroupfs driver (design proposal pod-resource-management: ROOT/kubepods/...) --- */
        { "kubelet cgroupfs driver, Burstable, containerd (bare id)", "/kubepods/burstable/pod" UID_B "/" CID_B, 1,
          NULL, NULL, NULL, NULL, CID_B, NULL, UID_B, "burstable" },
        { "kubelet cgroupfs driver, Guaranteed: pods directly below kubepods", "/kubepods/pod" UID_B "/" CID_B, 1,
          NULL, NULL, NULL, NULL, CID_B, NULL, UID_B, "guaranteed" },
        { "kubelet cgroupfs driver, BestEffort, CRI-O", "/kubepods/besteffort/pod" UID_B "/crio-" CID_B, 1, NULL,
          NULL, NULL, NULL, CID_B, "cri-o", UID_B, "besteffort" },
        { "a static pod: its UID is a 32-hex hash of the manifest",
          "/kubepods/burstable/podd3f1b2c4e5a6978812345678abcdef01/" CID_A, 1, NULL, NULL, NULL, NULL, CID_A, NULL,
          "d3f1b2c4e5a6978812345678abcdef01", "burstable" },
        { "the pod's own cgroup as oom_memcg (cgroupfs)", "/kubepods/burstable/pod" UID_B, 1, NULL, NULL, NULL, NULL,
          NULL, NULL, UID_B, "burstable" },
        { "node allocatable limit: /kubepods names no pod", "/kubepods", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
          NULL },
        /* --- other runtimes --- */
        { "containerd clients with the cgroupfs driver", "/containerd/" CID_B, 1, NULL, NULL, NULL, NULL, CID_B,
          "containerd", NULL, NULL },
        { "docker in docker: the innermost container wins", "/docker/" CID_A "/docker/" CID_B, 1, NULL, NULL, NULL,
          NULL, CID_B, "docker", NULL, NULL },
        { "LXC 4.0+ / Incus", "/lxc.payload.web01", 1, NULL, NULL, NULL, NULL, "web01", "lxc", NULL, NULL },
        { "LXC < 4 / Proxmox CT 101", "/lxc/101", 1, NULL, NULL, NULL, NULL, "101", "lxc", NULL, NULL },
        /* --- what must not be taken for a name --- */
        { "upper-case hex is no docker id", "/docker/2E088FE462E25E60BE1DAFAFE2C05C47BDA1A97978648D10AD2B7484FC0B8F50", 0,
          NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
        { "a short hex name is no container id", "/docker/abc123", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
        { "a pod directory outside kubepods is not a pod", "/pod" UID_B "/" CID_B, 0, NULL, NULL, NULL, NULL, NULL,
          NULL, NULL, NULL },
        { "not a unit type", "/foo.service.bak/bar.timer", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
        { "repeated and trailing slashes", "//system.slice//nginx.service/", 1, "nginx.service", "system.slice", NULL,
          NULL, NULL, NULL, NULL, NULL },
        { "empty", "", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static void check_str(const char *why, const char *field, const char *want, const char *got) {
        const char *g = got ? got : "";
        if (strcmp(want ? want : "", g) != 0) {
                print_error("%s: %s: want \"%s\", got \"%s\"\n", why, field, want ? want : "", g);
                fail();
        }
}

static void test_shapes(void **state) {
        (void)state;
        for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
                const struct shape *s = &shapes[i];
                struct oom_workload w;

                assert_int_equal(workload_from_cgroup(s->path, &w), s->named);
                check_str(s->why, "cgroup", s->path, w.cgroup);
                check_str(s->why, "unit", s->unit, w.unit);
                check_str(s->why, "slice", s->slice, w.slice);
                check_str(s->why, "user_unit", s->user_unit, w.user_unit);
                check_str(s->why, "user_slice", s->user_slice, w.user_slice);
                check_str(s->why, "container_id", s->container_id, w.container_id);
                check_str(s->why, "runtime", s->runtime, w.runtime);
                check_str(s->why, "pod_uid", s->pod_uid, w.pod_uid);
                check_str(s->why, "qos", s->qos, w.qos);
                assert_null(w.source);
        }
}

static void test_invalid(void **state) {
        struct oom_workload w;
        (void)state;
        assert_int_equal(workload_from_cgroup(NULL, &w), -EINVAL);
        assert_int_equal(workload_from_cgroup("/", NULL), -EINVAL);
        assert_int_equal(workload_identify(NULL), -EINVAL);
}

/* Any bytes, any length: bounded, NUL-terminated, never past the buffers. */
static void test_hostile(void **state) {
        char big[4096];
        struct oom_workload w;
        (void)state;

        memset(big, '/', sizeof big);
        big[sizeof big - 1] = '\0';
        assert_int_equal(workload_from_cgroup(big, &w), 0);

        /* A unit name longer than systemd allows, then a long "container id". */
        memset(big, 'a', sizeof big);
        memcpy(big, "/system.slice/", 14);
        memcpy(big + 3000, ".service", 9);
        assert_true(workload_from_cgroup(big, &w) >= 0);
        assert_int_equal(strlen(w.cgroup), OOM_PATH_MAX - 1);
        assert_string_equal(w.unit, "");
        assert_string_equal(w.slice, "system.slice");

        /* Bytes that are not text. */
        assert_int_equal(workload_from_cgroup("/\xff\xfe/docker/\x01\x02", &w), 0);
        assert_int_equal(workload_from_cgroup("/system.slice/\xc3\xa9.service", &w), 1);
        assert_string_equal(w.unit, "");
}

static void test_identify_prefers_the_task(void **state) {
        struct oom_report *r = NULL;
        (void)state;

        assert_int_equal(oom_report_new(&r), 0);
        /* Nothing printed: nothing named, source null. */
        assert_int_equal(workload_identify(r), 0);
        assert_null(r->workload.source);
        assert_string_equal(r->workload.cgroup, "");

        /* Only the limit's path (a <= 4.x memcg report cut before "Task in"): it stands in. */
        snprintf(r->memcg.path, sizeof r->memcg.path, "/kubepods/burstable/pod%s", UID_B);
        assert_int_equal(workload_identify(r), 1);
        assert_string_equal(r->workload.source, "oom_memcg");
        assert_string_equal(r->workload.pod_uid, UID_B);
        assert_string_equal(r->workload.container_id, "");

        /* The 5.0+ summary's task_memcg wins over both. */
        snprintf(r->constraint.memcg, sizeof r->constraint.memcg, "/kubepods/burstable/pod%s", UID_B);
        snprintf(r->constraint.task_memcg, sizeof r->constraint.task_memcg, "/kubepods/burstable/pod%s/%s", UID_B,
                 CID_B);
        assert_int_equal(workload_identify(r), 1);
        assert_string_equal(r->workload.source, "task_memcg");
        assert_string_equal(r->workload.container_id, CID_B);
        assert_string_equal(r->workload.cgroup, r->constraint.task_memcg);

        /* A task path that names nothing still wins: the victim's cgroup is what it is. */
        snprintf(r->constraint.task_memcg, sizeof r->constraint.task_memcg, "/");
        assert_int_equal(workload_identify(r), 0);
        assert_string_equal(r->workload.source, "task_memcg");
        assert_string_equal(r->workload.pod_uid, "");
        oom_report_free(r);
}

/* report_analyze() names the workload (corpus 013's two paths; the golden test runs the whole
 * report through `oomlens analyze`). */
static void test_analyze_names_it(void **state) {
        struct oom_report *r = NULL;
        (void)state;
        assert_int_equal(oom_report_new(&r), 0);
        snprintf(r->constraint.type, sizeof r->constraint.type, "memcg");
        snprintf(r->constraint.memcg, sizeof r->constraint.memcg,
                 "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod%s.slice", UID_AKS_US);
        snprintf(r->constraint.task_memcg, sizeof r->constraint.task_memcg,
                 "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod%s.slice/cri-containerd-%s.scope",
                 UID_AKS_US, CID_AKS);
        assert_int_equal(report_analyze(r), 0);
        assert_string_equal(r->workload.source, "task_memcg");
        assert_string_equal(r->workload.pod_uid, UID_AKS);
        assert_string_equal(r->workload.qos, "burstable");
        assert_string_equal(r->workload.container_id, CID_AKS);
        assert_string_equal(r->workload.runtime, "containerd");
        oom_report_free(r);
}

static void test_describe(void **state) {
        static const struct {
                const char *path, *want;
        } cases[] = {
                { "/system.slice/nginx.service", "nginx.service" },
                { "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service", "foo.service (user@1000.service)" },
                { "/system.slice/docker-" CID_A ".scope", "container 2e088fe462e2 (docker)" },
                { "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_AKS_US ".slice/cri-containerd-" CID_AKS ".scope",
                  "pod " UID_AKS " (burstable), container 25a38b5b8d55 (containerd)" },
                { "/kubepods/pod" UID_B "/" CID_B, "pod " UID_B " (guaranteed), container 9687bac58d5c" },
                { "/system.slice/nginx.service/libpod-payload-" CID_B, "container 9687bac58d5c (podman), nginx.service" },
                { "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" CID_B ".scope",
                  "container 9687bac58d5c (podman)" },
                { "/system.slice", "system.slice" },
                { "/init.scope", "init.scope" },
                { "/leaker", "" },
        };
        char buf[256], tiny[8];
        struct oom_workload w;
        (void)state;

        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                assert_true(workload_from_cgroup(cases[i].path, &w) >= 0);
                assert_int_equal(workload_describe(&w, buf, sizeof buf), strlen(cases[i].want));
                assert_string_equal(buf, cases[i].want);
        }
        /* Cut like snprintf: the full length is returned, the buffer stays terminated. */
        assert_true(workload_from_cgroup("/system.slice/nginx.service", &w) >= 0);
        assert_int_equal(workload_describe(&w, tiny, sizeof tiny), strlen("nginx.service"));
        assert_string_equal(tiny, "nginx.s");
        assert_int_equal(workload_describe(NULL, tiny, sizeof tiny), 0);
        assert_string_equal(tiny, "");
        assert_int_equal(workload_describe(&w, NULL, 0), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_shapes),
                cmocka_unit_test(test_invalid),
                cmocka_unit_test(test_hostile),
                cmocka_unit_test(test_identify_prefers_the_task),
                cmocka_unit_test(test_analyze_names_it),
                cmocka_unit_test(test_describe),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
