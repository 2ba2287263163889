# Helpers for tests/data/lab/*.expect (jq). Each expectation is evaluated with . =
#   {reports: [oomlens analyze --json objects of the console capture],
#    kreports: [the same for the kernel-log-only extract of the capture],
#    guest: tests/lab/guest-json of the capture (the guest's own /proc numbers)}
# Only this file knows where the report schema (docs/report-schema.md) keeps things.

def causes: [(.analysis.causes // [])[] | .code];
def primary: [(.analysis.causes // [])[] | select(.primary) | .code][0];
def cause($c): [(.analysis.causes // [])[] | select(.code == $c)][0];
def kind: .kind;
def victim: (.victim.comm // null);  # "victim" is null when nothing was killed
def trigger: (.trigger.comm // null);
def order: (.trigger.order // null);
def zones: (.zones // []);
# A zone of the report by name ("DMA", "Normal", ...; the lab guests have one node).
def rzone($n): [zones[] | select(.name == $n)][0];
def unaccounted_kb: .memory.unaccounted_kb;
def global_free_kb: .memory.free_kb;
def page_kb: (.kernel.page_kb // 4);
# Migratetypes an unmovable/movable request may take a block of, without ALLOC_CMA/HARDER:
# free_area lists < MIGRATE_PCPTYPES (6.1 __zone_watermark_ok: U, M, E).
def usable_blocks_from($o): [(.buddy // [])[] | select(.order >= $o and .count > 0 and ((.types // "") | test("[UME]")))];

# Every zone the report prints must agree with the guest's own /proc/zoneinfo from before the
# scenario: the static min watermark (min - boost: both files print min with the boost added),
# present, managed, and lowmem_reserve[] (zoneinfo's "protection:"). Returns the mismatches.
def guest_mismatches($g):
        . as $r
        | [zones[] | . as $z | $g.zoneinfo.before[$z.name] as $gz
           | if $gz == null then "\($z.name): not in guest zoneinfo"
             else
               (if ($z.min_kb - $z.boost_kb) != ($gz.min - $gz.boost) * ($r | page_kb)
                then "\($z.name): static min \($z.min_kb - $z.boost_kb) kB != guest \(($gz.min - $gz.boost) * ($r | page_kb)) kB" else empty end),
               (if $z.managed_kb != $gz.managed * ($r | page_kb)
                then "\($z.name): managed \($z.managed_kb) kB != guest \($gz.managed * ($r | page_kb)) kB" else empty end),
               (if $z.present_kb != $gz.present * ($r | page_kb)
                then "\($z.name): present \($z.present_kb) kB != guest \($gz.present * ($r | page_kb)) kB" else empty end),
               (($z.lowmem_reserve_pages // []) as $lr
                | if ($lr | length) > 0 and $lr != $gz.protection[0:($lr | length)]
                  then "\($z.name): lowmem_reserve \($lr) != guest protection \($gz.protection)" else empty end)
             end];

# The allocation's highest zone as the engine names it must be the guest's zone of that index
# (x86_64 and arm64 have no HighMem: __GFP_HIGHMEM means Normal there). Returns mismatches.
def highest_zone_mismatches($g):
        if .trigger.highest_zone_idx == null or .kind == "memcg" then []
        else (.trigger.highest_zone_idx) as $i
             | ([$g.zoneinfo.before | to_entries[] | select(.value.idx == $i) | .key][0]) as $gname
             | if $gname == .trigger.highest_zone then []
               else ["highest zone \(.trigger.highest_zone) (index \($i)), but the guest's zone \($i) is \($gname)"] end
        end;
