# shellcheck shell=bash
# Provoke one contained memcg OOM kill in a child of our own memory cgroup (v1 or v2).
# Never a global OOM: the limit is tiny and the hog is bounded. Source this file, then:
#   memcg_oom_supported || skip "..."     # sets MEMCG_PARENT, MEMCG_VERSION
#   memcg_oom_provoke NAME [LIMIT]         # prints nothing, returns 0 when the hog was killed
#   memcg_oom_cleanup                      # removes the child cgroups created
MEMCG_CHILDREN=()

memcg_oom_supported() {
        [ "$(id -u)" = 0 ] || { MEMCG_WHY="needs root"; return 1; }
        local line rel
        line=$(grep -E '^[0-9]+:memory:' /proc/self/cgroup || true)
        if [ -n "$line" ] && [ -d /sys/fs/cgroup/memory ]; then
                rel=${line#*:memory:}
                MEMCG_PARENT=/sys/fs/cgroup/memory${rel%/}
                MEMCG_VERSION=1
        else
                line=$(grep -E '^0::' /proc/self/cgroup || true)
                rel=${line#0::}
                MEMCG_PARENT=/sys/fs/cgroup${rel%/}
                MEMCG_VERSION=2
                if ! grep -qw memory "$MEMCG_PARENT/cgroup.controllers" 2>/dev/null; then
                        MEMCG_WHY="no memory controller in $MEMCG_PARENT"
                        return 1
                fi
        fi
        [ -w "$MEMCG_PARENT" ] || { MEMCG_WHY="$MEMCG_PARENT is not writable"; return 1; }
        return 0
}

memcg_oom_provoke() {
        local name=$1 limit=${2:-32M} cg=$MEMCG_PARENT/$1
        mkdir -p "$cg" || return 1
        MEMCG_CHILDREN+=("$cg")
        if [ "$MEMCG_VERSION" = 1 ]; then
                echo "$limit" >"$cg/memory.limit_in_bytes" || return 1
                # Without a memsw limit, v1 would push the hog to swap instead of killing it.
                [ -e "$cg/memory.memsw.limit_in_bytes" ] && echo "$limit" >"$cg/memory.memsw.limit_in_bytes" 2>/dev/null
        else
                echo "$limit" >"$cg/memory.max" || return 1
                [ -e "$cg/memory.swap.max" ] && echo 0 >"$cg/memory.swap.max"
        fi
        # The hog allocates 200 MiB at most: far below any global pressure.
        local rc
        # A subshell so the parent shell's "Killed" job message does not clutter the output.
        rc=$( (bash -c "echo \$\$ >'$cg/cgroup.procs' && exec python3 -c 'b=bytearray(200<<20)'" >/dev/null 2>&1); echo $?)
        [ $rc -ge 128 ] # killed by a signal (SIGKILL from the OOM killer)
}

memcg_oom_cleanup() {
        local cg
        for cg in "${MEMCG_CHILDREN[@]}"; do
                [ -d "$cg" ] || continue
                # Wait for the killed task to leave before removing the group.
                for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$cg" 2>/dev/null && break; sleep 0.2; done
        done
        MEMCG_CHILDREN=()
}
