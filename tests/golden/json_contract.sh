#!/usr/bin/env bash
# The JSON contract of issue #2 (and issue #8's workload{}): every field it names exists, with its type, in every report of
# every input (null allowed only where the schema says "unknown"). Users' scripts rely on these
# names; this fails if one is renamed or dropped.
. "$(dirname "$0")/golden-lib.bash"
inputs=("$OOMLENS_DATA"/golden/*.txt "$OOMLENS_DATA"/golden/*.log "$OOMLENS_DATA"/golden/*.kmsg "$OOMLENS_DATA"/lab/*.log)
# The shared corpus too, when it is beside the checkout: the contract holds for every era.
[ -d "${OOMLENS_SHARED:-/nonexistent}/corpus/public" ] && inputs+=("$OOMLENS_SHARED"/corpus/public/*.log)
# path : allowed types (jq type names, "|"-separated)
contract='
schema:string id:string kind:string complete:boolean unparsed_lines:number lines:array
kernel:object kernel.version:string|null
trigger:object trigger.comm:string|null trigger.pid:number|null trigger.gfp_mask:string|null
trigger.gfp_flags:array trigger.order:number|null trigger.migratetype:string|null
trigger.highest_zone:string|null trigger.may_use_cma:boolean|null
constraint:object constraint.type:string|null constraint.nodemask:string|null
constraint.cpuset:string|null constraint.memcg:string|null constraint.task_memcg:string|null
victim:object|null memcg:object|null memory:object zones:array tasks:array
analysis:object analysis.summary:string analysis.causes:array
workload:object workload.unit:string|null workload.slice:string|null
workload.container_id:string|null workload.pod_uid:string|null workload.qos:string|null
workload.user_unit:string|null workload.user_slice:string|null workload.runtime:string|null
workload.cgroup:string|null workload.source:string|null
'
victim_fields='pid:number|null comm:string|null uid:number|null score:number|null total_vm_kb:number|null anon_rss_kb:number|null file_rss_kb:number|null shmem_rss_kb:number|null in_task_table:boolean'
memcg_fields='path:string|null usage_kb:number|null limit_kb:number|null failcnt:number|null'
zone_fields='node:number|null name:string free_kb:number|null min_kb:number|null low_kb:number|null high_kb:number|null free_cma_kb:number|null present_kb:number|null managed_kb:number|null lowmem_reserve_pages:array|null buddy:array|null check:object|null'
check_fields='eligible:boolean usable_free_kb:number|null cma_excluded_kb:number|null reserve_kb:number|null threshold_kb:number|null ok:boolean margin_kb:number|null'
cause_fields='code:string primary:boolean explanation:string'
qos_classes='guaranteed burstable besteffort'
sources='task_memcg oom_memcg'
codes='cma_unusable lowmem_reserve fragmentation memcg_limit cpuset_constraint mempolicy_constraint lowmem_exhausted kernel_memory userspace_memory shmem manual unknown highatomic_reserve'
kinds='global memcg cpuset mempolicy manual alloc_failure'

# One jq program that returns the list of violations for one report.
prog='def t(v; allowed): (v | type) as $ty | (allowed | split("|") | index($ty)) != null;
def fields($obj; $spec; $where):
  [$spec | split(" ")[] | select(length > 0) | split(":") as [$k, $a]
   | select((($obj | has($k)) | not) or (t($obj[$k]; $a) | not)) | $where + "." + $k] ;
. as $r |
([$contract | split("\n")[] | split(" ")[] | select(length > 0) | split(":") as [$p, $a]
  | ($p | split(".")) as $path
  | select(($r | getpath($path)) as $v | t($v; $a) | not) | $p]
 + (if $r.victim then fields($r.victim; $victim; "victim") else [] end)
 + (if $r.memcg then fields($r.memcg; $memcg; "memcg") else [] end)
 + ([$r.zones[] | fields(.; $zone; "zones[]") + (if .check then fields(.check; $check; "zones[].check") else [] end)] | add // [])
 + ([$r.analysis.causes[] | fields(.; $cause; "causes[]")] | add // [])
 + (if ($kinds | split(" ") | index($r.kind)) == null then ["kind=" + $r.kind] else [] end)
 + ([$r.analysis.causes[].code | select(. as $c | $codes | split(" ") | index($c) == null) | "code=" + .])
 + (if ([$r.analysis.causes[] | select(.primary)] | length) != 1 then ["not exactly one primary cause"] else [] end)
 + (if ($r.analysis.causes | length) > 0 and ($r.analysis.causes[0].primary | not) then ["causes[0] is not the primary"] else [] end)
 + (if $r.schema != "oomlens.report/1" then ["schema"] else [] end)
 + (if $r.workload.qos != null and ($qos | split(" ") | index($r.workload.qos)) == null then ["workload.qos=" + $r.workload.qos] else [] end)
 + (if $r.workload.source != null and ($sources | split(" ") | index($r.workload.source)) == null then ["workload.source=" + $r.workload.source] else [] end)
 + (if ($r.workload.source == null) != ($r.workload.cgroup == null) then ["workload.source and workload.cgroup disagree"] else [] end)
 + ([$r.workload.pod_uid | select(. != null) | select(test("^[0-9a-fA-F-]+$") | not) | "workload.pod_uid=" + .])
 + ([$r.trigger.gfp_mask | select(. != null) | select(test("^0x[0-9a-f]+$") | not) | "gfp_mask=" + .]))
| .[]'
n=0
for f in "${inputs[@]}"; do
  [ -e "$f" ] || continue
  set +e; out=$("$OOMLENS" analyze --json "$f"); rc=$?; set -e
  [ $rc -le 1 ] || fail "$f: exit $rc"
  [ -n "$out" ] || continue
  bad=$(printf '%s\n' "$out" | jq -r --arg contract "$contract" --arg victim "$victim_fields" \
        --arg memcg "$memcg_fields" --arg zone "$zone_fields" --arg check "$check_fields" \
        --arg cause "$cause_fields" --arg codes "$codes" --arg kinds "$kinds" \
        --arg qos "$qos_classes" --arg sources "$sources" "$prog") \
    || fail "$f: jq failed"
  [ -z "$bad" ] || fail "${f##*/}: contract violations: $(echo "$bad" | sort -u | head -10 | tr '\n' ' ')"
  n=$((n + $(printf '%s\n' "$out" | wc -l)))
done
[ $n -gt 20 ] || fail "only $n reports checked"
echo "$n reports honour the JSON contract"
