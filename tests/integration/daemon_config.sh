#!/bin/bash
# Configuration errors name the file and line and exit 3; a bad command line exits 2; an
# unopenable kmsg source exits 4; an unusable state directory exits 5, an unusable spool is
# retried (docs/oomlensd.8.md). SIGHUP with a
# bad file keeps the old configuration and the daemon running; a good one is applied.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
make_tmp

expect() { # expect CODE PATTERN -- args
        local code=$1 pat=$2 rc
        shift 3
        "$OOMLENSD" "$@" >"$TMP/out" 2>"$TMP/err"
        rc=$?
        [ $rc = "$code" ] || fail "oomlensd $*: exit $rc, expected $code ($(cat "$TMP/err"))"
        grep -q -- "$pat" "$TMP/err" || fail "oomlensd $*: stderr lacks '$pat': $(cat "$TMP/err")"
}

printf '[Spool]\nMaxReports=10\n\n# comment\nMaxUse=12Q\n' >"$TMP/bad.conf"
expect 3 "$TMP/bad.conf:5: MaxUse= expects a size like 64M, got \"12Q\"" -- -c "$TMP/bad.conf" --oneshot
printf '[Spool]\nMaxReprts=10\n' >"$TMP/typo.conf"
expect 3 "typo.conf:2: unknown key MaxReprts= in section \\[Spool\\]" -- -c "$TMP/typo.conf"
printf '[Spoool]\n' >"$TMP/sect.conf"
expect 3 "sect.conf:1: unknown section \\[Spoool\\]" -- -c "$TMP/sect.conf"
# A drop-in's error names the drop-in.
printf '[Spool]\nMaxReports=10\n' >"$TMP/good.conf"
mkdir "$TMP/good.conf.d"
printf '[RateLimit]\nBurst=-3\n' >"$TMP/good.conf.d/50-local.conf"
expect 3 "good.conf.d/50-local.conf:2: Burst= expects a non-negative integer" -- -c "$TMP/good.conf"
rm "$TMP/good.conf.d/50-local.conf"
expect 3 "$TMP/missing.conf: No such file or directory" -- -c "$TMP/missing.conf"
# The shipped file parses.
"$OOMLENSD" -c "$OOMLENS_SRC/conf/oomlensd.conf" --kmsg "$KMSG_DATA/memcg-6.18.kmsg" -s "$TMP/s0" -S "$TMP/st0" \
        --journal=no --oneshot 2>"$TMP/err" || fail "shipped conf/oomlensd.conf rejected: $(cat "$TMP/err")"
ok "configuration errors: file:line: reason, exit 3; shipped file accepted"

expect 2 "unrecognized option" -- --bogus
expect 2 "--journal= expects yes or no" -- --journal=maybe
expect 2 "unexpected argument" -- extra
expect 4 "$TMP/nope: cannot open" -- -c "$TMP/good.conf" --kmsg "$TMP/nope" --oneshot
touch "$TMP/notadir"
expect 5 "cannot open the state directory: Not a directory" -- -c "$TMP/good.conf" \
        --kmsg "$KMSG_DATA/memcg-6.18.kmsg" -s "$TMP/s1" -S "$TMP/notadir" --journal=no --oneshot
# An unusable spool is no reason to exit (systemd would only restart us into it): the report
# waits in memory, its journal entry still goes out, and the spool is retried.
expect 0 "cannot use the spool directory: Not a directory" -- -c "$TMP/good.conf" \
        --kmsg "$KMSG_DATA/memcg-6.18.kmsg" -s "$TMP/notadir" -S "$TMP/st1" --journal=no --oneshot
ln -s "$TMP/s0" "$TMP/link"
n0=$(find "$TMP/s0" | wc -l)
expect 0 "Too many levels of symbolic links (a symlink: not followed)" -- -c "$TMP/good.conf" \
        --kmsg "$KMSG_DATA/memcg-6.18.kmsg" -s "$TMP/link" -S "$TMP/st2" --journal=no --oneshot
[ "$(find "$TMP/s0" | wc -l)" = "$n0" ] || fail "wrote through the symlinked spool"
ok "exit codes: 2 usage, 4 kmsg, 5 state directory; an unusable spool is retried (a symlink never followed)"

# SIGHUP: a broken file is reported and ignored, the daemon keeps running; a fixed one applies.
mkfifo "$TMP/fifo"
"$OOMLENSD" -v -c "$TMP/good.conf" --kmsg "$TMP/fifo" -s "$TMP/s3" -S "$TMP/st3" --journal=no 2>"$TMP/hup.log" &
pid=$!
on_exit "kill $pid 2>/dev/null"
exec 9>"$TMP/fifo" # hold the writer end open: the daemon waits for records
for _ in $(seq 50); do grep -q "reading" "$TMP/hup.log" && break; sleep 0.05; done
printf '[Spool]\nMaxReports=ten\n' >"$TMP/good.conf"
kill -HUP $pid
for _ in $(seq 50); do grep -q "not reloaded" "$TMP/hup.log" && break; sleep 0.05; done
grep -q "good.conf:2: MaxReports= expects a non-negative integer, got \"ten\" (configuration not reloaded)" "$TMP/hup.log" ||
        fail "SIGHUP with a bad file: $(cat "$TMP/hup.log")"
kill -0 $pid || fail "daemon died on SIGHUP with a bad file"
printf '[Spool]\nMaxReports=1\n' >"$TMP/good.conf"
kill -HUP $pid
for _ in $(seq 50); do grep -q "configuration reloaded" "$TMP/hup.log" && break; sleep 0.05; done
grep -q "configuration reloaded" "$TMP/hup.log" || fail "SIGHUP did not reload"
# MaxReports=1 now applies: two reports, one file kept.
cat "$KMSG_DATA/gap.kmsg" >&9
exec 9>&-
for _ in $(seq 50); do grep -q "end of input" "$TMP/hup.log" && break; sleep 0.1; done
[ "$(spool_count "$TMP/s3")" = 1 ] || fail "reloaded MaxReports=1 not applied: $(spool_count "$TMP/s3") files"
kill -TERM $pid
wait $pid || fail "SIGTERM: exit $?"
ok "SIGHUP: bad file reported with file:line and ignored; good file applied; SIGTERM exits 0"
echo PASS
