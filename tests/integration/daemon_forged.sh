#!/bin/bash
# Forged input never becomes a kill record, and a hostile spool never makes oomlensd write
# outside it.
#   - (root) A complete OOM report written to the real /dev/kmsg from userspace (7 records: the
#     kernel gives them facility user whatever prefix they carry) is read by oomlensd and gives
#     no report; the same lines with facility kern in a recorded stream do give one (so the
#     text itself would be a kill record).
#   - The spool: a symlink planted as the spool directory while the daemon runs, symlinks and a
#     directory planted under the very names the next reports get, symlinks under temp names
#     (spool and state), the state file itself a symlink: nothing outside is written, followed
#     or removed, every report is still written (under a variant of its name when the name is
#     taken), and foreign files in the spool are left alone by retention (MaxReports=2).
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
make_tmp
write_test_config "$TMP/test.conf"
printf '[Spool]\nMaxReports=2\nMaxUse=0\n' >>"$TMP/test.conf"

# --- /dev/kmsg: a forged report from userspace.
if [ "$(id -u)" = 0 ] && [ -r /dev/kmsg ] && [ -w /dev/kmsg ]; then
        tag=oomlens-forged-$$
        vpid=$((4000000 + $$ % 100000))
        cat >"$TMP/forged.txt" <<EOF
$tag invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
CPU: 0 UID: 0 PID: $vpid Comm: $tag Not tainted 6.18.0 #1
Mem-Info:
[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name
[$vpid]     0 $vpid    55342     9781     8096     1685         0   135168        0             0 $tag
oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=$tag,pid=$vpid,uid=0
Out of memory: Killed process $vpid ($tag) total-vm:221368kB, anon-rss:32384kB, file-rss:6740kB, shmem-rss:0kB, UID:0 pgtables:132kB oom_score_adj:0
EOF
        PYTHONPATH=$LIB python3 - "$TMP/forged.txt" "$TMP/forged.seq" <<'PY' || fail "writing to /dev/kmsg"
import sys
import kmsg
lines = open(sys.argv[1]).read().splitlines()
start = max((s for _, s, _, _ in kmsg.records()), default=-1)
for i, l in enumerate(lines):
    # "<3>" asks for facility kern (0), "<11>" says user: the kernel makes both user.
    kmsg.write(("<3>" if i % 2 == 0 else "<11>") + l + "\n")
# Ours: after the newest record seen before writing, in order (other writers may interleave).
seqs = []
for prio, seq, _, text in kmsg.records():
    if seq > start and len(seqs) < len(lines) and text == lines[len(seqs)]:
        assert prio >> 3 == 1, "a userspace record with facility %d: %s" % (prio >> 3, text)
        seqs.append(seq)
assert len(seqs) == len(lines), "found %d of our %d records in /dev/kmsg" % (len(seqs), len(lines))
open(sys.argv[2], "w").write("%d %d\n" % (min(seqs), max(seqs)))
PY
        read -r fseq lseq <"$TMP/forged.seq"
        "$OOMLENSD" -v -c "$TMP/test.conf" -s "$TMP/kspool" -S "$TMP/kstate" --journal=no --oneshot 2>"$TMP/klog" ||
                { cat "$TMP/klog"; fail "oomlensd on /dev/kmsg: exit $?"; }
        next=$(sed -n 's/^NEXT_SEQ=//p' "$TMP/kstate/kmsg-state")
        [ "$next" -gt "$lseq" ] || fail "the daemon did not read past our records ($fseq..$lseq, next $next)"
        [ "$(counter ignored_facility "$TMP/klog")" -ge 7 ] || fail "fewer than our 7 records ignored as non-kernel"
        ! grep -rlq -- "$tag" "$TMP/kspool" 2>/dev/null || fail "a report was made of records forged by userspace"
        # Control: the same text from the kernel (facility 0, a recorded stream) is a kill record.
        awk -v s=1000 '{ printf "%d,%d,%d,-;%s\n", (NR % 2 ? 3 : 4), s + NR, 5000000 + NR * 20, $0 }' "$TMP/forged.txt" >"$TMP/kern.kmsg"
        "$OOMLENSD" -c "$TMP/test.conf" --kmsg "$TMP/kern.kmsg" -s "$TMP/cspool" -S "$TMP/cstate" --journal=no --oneshot 2>/dev/null ||
                fail "control run"
        grep -lq "\"pid\": *$vpid," "$TMP/cspool"/*.json 2>/dev/null || fail "control: the same lines from the kernel gave no report"
        ok "/dev/kmsg: 7 forged records (facility user, seq $fseq..$lseq) read and ignored; the same text from the kernel is a report"
else
        echo "SKIP /dev/kmsg part: needs root and a readable, writable /dev/kmsg"
fi

# --- the spool.
# The names report K can get: the daemon stamps a stream's record with (now - CLOCK_MONOTONIC +
# its timestamp) in UTC seconds; one second either side covers the rounding.
names_of() {
        local k=$1 seq ts
        seq=$(head -1 "$TMP/r$k.kmsg" | cut -d, -f2)
        ts=$(head -1 "$TMP/r$k.kmsg" | cut -d, -f3)
        python3 -c '
import sys, time
seq, ts = int(sys.argv[1]), int(sys.argv[2])
base = int((time.time() - time.monotonic()) * 1e6 + ts) // 1000000
for s in (base - 1, base, base + 1):
    print(time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(s)) + "-forged-%012d.json" % seq)' "$seq" "$ts"
}
for k in 1 2 3 4 5 6; do report_kmsg $k >"$TMP/r$k.kmsg"; done
SPOOL=$TMP/spool STATE=$TMP/state OUT=$TMP/outside
mkdir -p "$SPOOL" "$STATE" "$OUT/dir"
echo precious >"$OUT/file"
outside_sum() { (cd "$OUT" && find . -printf '%p %y %s %m\n' | sort && cat file) | md5sum; }
sum0=$(outside_sum)

# Planted before start: symlinks under temp names in the spool and the state directory, and the
# state file itself a symlink to a file outside.
ln -s "$OUT/file" "$SPOOL/.#planted.json.123"
ln -s "$OUT/dir" "$SPOOL/.#planted2"
ln -s "$OUT/file" "$STATE/.#kmsg-state.tmp"
ln -s "$OUT/file" "$STATE/kmsg-state"
# Foreign files that retention must leave alone (MaxReports=2).
echo mine >"$SPOOL/0000-foreign.json"
echo mine >"$SPOOL/notes.json"
echo mine >"$SPOOL/README"
mkdir "$SPOOL/old" && echo mine >"$SPOOL/old/x.json"
ln -s "$OUT/file" "$SPOOL/zzz.json"
foreign_sum() { (cd "$SPOOL" && cat 0000-foreign.json notes.json README old/x.json && readlink zzz.json) | md5sum; }
fsum0=$(foreign_sum)
# Report 1's names: symlinks to a file outside; report 2's: directories.
names_of 1 | while read -r n; do ln -s "$OUT/file" "$SPOOL/$n"; done
names_of 2 | while read -r n; do mkdir "$SPOOL/$n"; done

mkfifo "$TMP/kmsg.fifo"
"$OOMLENSD" -v -c "$TMP/test.conf" --kmsg "$TMP/kmsg.fifo" -s "$SPOOL" -S "$STATE" --boot-id forged --journal=no \
        2>"$TMP/log" &
pid=$!
on_exit "kill $pid 2>/dev/null"
exec 9>"$TMP/kmsg.fifo"
for _ in $(seq 100); do grep -q "reading " "$TMP/log" && break; sleep 0.05; done
our_files() { find "$SPOOL/" -maxdepth 1 -type f -name '*-forged-*.json'; }
has_pid() { our_files | xargs -r grep -l "\"pid\": *$1," >/dev/null 2>&1; }
wait_pid() { for _ in $(seq 100); do has_pid "$1" && return 0; sleep 0.1; done; return 1; }

cat "$TMP/r1.kmsg" "$TMP/r2.kmsg" >&9
wait_pid 9002 || { cat "$TMP/log"; fail "reports 1 and 2 not written"; }
has_pid 9001 || { cat "$TMP/log"; fail "report 1 not written (its name was a symlink)"; }
for k in 1 2; do
        f=$(our_files | xargs grep -l "\"pid\": *900$k,")
        [ -f "$f" ] && [ ! -L "$f" ] || { ls -la "$SPOOL"; cat "$TMP/log"; fail "report $k is not a regular file: $f"; }
        case "$f" in *Z.1-forged-*) ;; *) fail "report $k not under a variant name: $f" ;; esac
done
[ "$(names_of 1 | while read -r n; do [ -L "$SPOOL/$n" ] && echo y; done | wc -l)" = 3 ] || fail "planted symlinks touched"
[ "$(names_of 2 | while read -r n; do [ -d "$SPOOL/$n" ] && echo y; done | wc -l)" = 3 ] || fail "planted directories touched"
grep -q "taken by something that is not a report file; not touching it, writing" "$TMP/log" || fail "not logged"
[ ! -e "$SPOOL/.#planted.json.123" ] && [ ! -e "$SPOOL/.#planted2" ] && [ -d "$OUT/dir" ] ||
        fail "planted temp-name symlinks: not removed as links"
[ "$(outside_sum)" = "$sum0" ] || fail "something outside the spool changed"
grep -E "kmsg-state: unreadable \(Too many levels of symbolic links\)" "$TMP/log" >/dev/null ||
        fail "the symlinked state file was not refused: $(grep kmsg-state "$TMP/log")"
echo "  log: $(grep -m1 "taken by something" "$TMP/log" | sed 's/^oomlensd: //')"
ok "symlinks and directories under report names, temp names and the state file: nothing outside touched, reports under variant names"

# The spool directory swapped for a symlink to the outside while running.
mv "$SPOOL" "$SPOOL.real"
ln -s "$OUT/dir" "$SPOOL"
cat "$TMP/r3.kmsg" >&9
sleep 1.2
kill -0 $pid || fail "daemon died on a symlinked spool"
[ -z "$(ls -A "$OUT/dir")" ] || fail "wrote through the symlink planted as the spool: $(ls -A "$OUT/dir")"
grep -q "cannot use the spool directory: Too many levels of symbolic links (a symlink: not followed)" "$TMP/log" ||
        fail "the symlinked spool was not logged"
rm "$SPOOL"
mv "$SPOOL.real" "$SPOOL"
wait_pid 9003 || { cat "$TMP/log"; fail "report 3 not written once the spool was back"; }
ok "spool directory replaced by a symlink while running: not followed, report 3 held and written once it was back"

# Retention (MaxReports=2) over our own files only.
cat "$TMP/r4.kmsg" "$TMP/r5.kmsg" "$TMP/r6.kmsg" >&9
wait_pid 9006 || fail "report 6 not written"
sleep 0.3
exec 9>&-
kill -TERM $pid
wait $pid || fail "SIGTERM: exit $?"
ours=$(our_files | wc -l)
[ "$ours" = 2 ] || fail "retention kept $ours of our files, expected 2"
[ "$(foreign_sum)" = "$fsum0" ] || fail "retention touched foreign files"
[ -L "$SPOOL/zzz.json" ] && [ -d "$SPOOL/old" ] || fail "foreign entries removed"
[ "$(outside_sum)" = "$sum0" ] || fail "something outside the spool changed"
[ -f "$STATE/kmsg-state" ] && [ ! -L "$STATE/kmsg-state" ] && grep -q "^BOOT_ID=forged$" "$STATE/kmsg-state" ||
        fail "the state file was not replaced by a regular one"
ok "retention (MaxReports=2) removed our oldest reports only; foreign files, links and directories untouched"
echo PASS
