#!/bin/bash
# The .deb on a clean Debian 12: a minbase root made by mmdebstrap (cached as a tarball in
# /var/tmp/oomlens-chroot, the downloaded packages too), in a private mount namespace:
#  - `apt-get install ./oomlens_*.deb` resolves the dependencies and runs the maintainer
#    scripts without an error: user and group oomlens, spool 2750 oomlens:oomlens, state dir,
#    unit enabled the Debian way, catalog entries in journalctl's database, conffile registered;
#  - `oomlens analyze` in the root prints for a real report exactly what the build tree's prints;
#  - oomlensd, run as the oomlens user with the packaged configuration and default paths, writes
#    reports that `oomlens list` then shows;
#  - `apt-get remove` stops/masks and keeps the data, `dpkg --purge` removes spool, state,
#    configuration and the unit's enablement.
# The service is not started: systemd is not PID 1 in a chroot (the qemu lab does that).
# Opt-in (downloads ~60 MB the first time): OOMLENS_DEB_CHROOT=1.
set -u
. "$(dirname "$0")/lib/common.sh"
[ "${OOMLENS_DEB_CHROOT:-0}" = 1 ] ||
        skip "opt-in: OOMLENS_DEB_CHROOT=1 (builds a Debian 12 root once, cached in /var/tmp/oomlens-chroot)"
need_daemon
need_root "chroot and mounts"
command -v mmdebstrap >/dev/null || skip "mmdebstrap not installed (apt-get install mmdebstrap)"
in_private_mount_ns "$@"
make_tmp

CACHE=${OOMLENS_CHROOT_CACHE:-/var/tmp/oomlens-chroot}
mkdir -p "$CACHE/archives/partial"
BASE=$CACHE/bookworm-minbase.tar
if [ ! -s "$BASE" ]; then
        echo "making $BASE (once)"
        mmdebstrap --variant=minbase --mode=root --format=tar bookworm "$BASE.tmp" http://deb.debian.org/debian \
                >"$TMP/mmdebstrap.log" 2>&1 || { tail -20 "$TMP/mmdebstrap.log"; rm -f "$BASE.tmp"; skip "mmdebstrap failed (no network or mirror?)"; }
        mv "$BASE.tmp" "$BASE"
fi

# The package, built from this tree (incremental after tests/build/package_deb.sh).
OOMLENS_JOBS=2 nice "$OOMLENS_SRC/packaging/build-deb" "$OOMLENS_BUILD/deb-build" >"$TMP/build-deb.log" 2>&1 ||
        { cat "$TMP/build-deb.log"; fail "packaging/build-deb"; }
DEB=$(tail -1 "$TMP/build-deb.log")
[ -f "$DEB" ] || fail "no .deb"

R=$TMP/root
mkdir "$R"
tar -xf "$BASE" -C "$R" || fail "unpacking $BASE"
mount -t proc proc "$R/proc" || fail "mount /proc"
mount --bind /dev "$R/dev" || fail "bind /dev"
mount --bind "$CACHE/archives" "$R/var/cache/apt/archives" || fail "bind the package cache"
on_exit "umount -l '$R/var/cache/apt/archives' '$R/dev' '$R/proc'"
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
# Nothing is started in a chroot (invoke-rc.d, deb-systemd-invoke ask this).
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"
chmod 755 "$R/usr/sbin/policy-rc.d"
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
[ ! -e "$R/run/systemd/system" ] || fail "the root claims systemd is running"

cp "$DEB" "$R/tmp/"
in_root apt-get update -q >"$TMP/apt.log" 2>&1 || { cat "$TMP/apt.log"; skip "apt-get update in the root failed (no network?)"; }
in_root sh -c "cd /tmp && apt-get install -y --no-install-recommends ./$(basename "$DEB")" >"$TMP/install.log" 2>&1 ||
        { cat "$TMP/install.log"; fail "apt-get install ./$(basename "$DEB")"; }
# Every line the maintainer scripts printed, for the record; an error among them fails.
sed -n '/Setting up oomlens/,$p' "$TMP/install.log" | sed 's/^/  | /'
if sed -n '/Setting up oomlens/,/^Processing triggers/p' "$TMP/install.log" | grep -iE 'error|fail|warning|cannot|not found'; then
        fail "the maintainer scripts complained (above)"
fi
[ "$(in_root dpkg-query -W -f='${Status}' oomlens)" = "install ok installed" ] || fail "dpkg status: $(in_root dpkg-query -W -f='${Status}' oomlens)"
[ -z "$(in_root dpkg --audit)" ] || { in_root dpkg --audit; fail "dpkg --audit"; }
ok "apt-get install ./$(basename "$DEB") in a clean Debian $(cat "$R/etc/debian_version"): $(grep -oE '[0-9]+ newly installed' "$TMP/install.log")"

user=$(in_root getent passwd oomlens) || fail "no user oomlens"
group=$(in_root getent group oomlens) || fail "no group oomlens"
uid=$(cut -d: -f3 <<<"$user")
gid=$(cut -d: -f3 <<<"$group")
[ "$(cut -d: -f4 <<<"$user")" = "$gid" ] || fail "oomlens's primary group is not oomlens: $user"
[ "$(stat -c '%a %u %g' "$R/var/spool/oomlens")" = "2750 $uid $gid" ] || fail "spool: $(stat -c '%a %U:%G' "$R/var/spool/oomlens")"
[ "$(stat -c '%a %u %g' "$R/var/lib/oomlens")" = "750 $uid $gid" ] || fail "state: $(stat -c '%a %U:%G' "$R/var/lib/oomlens")"
[ "$(readlink "$R/etc/systemd/system/multi-user.target.wants/oomlensd.service")" = /lib/systemd/system/oomlensd.service ] ||
        fail "oomlensd.service is not enabled (multi-user.target.wants)"
in_root journalctl --list-catalog 2>/dev/null | grep -q "^$MID_REPORT " || fail "the catalog database lacks $MID_REPORT"
in_root dpkg-query -W -f='${Conffiles}\n' oomlens | grep -q '/etc/oomlens/oomlensd.conf [0-9a-f]\{32\}' ||
        fail "oomlensd.conf is not a registered conffile"
for f in /usr/share/man/man1/oomlens.1.gz /usr/share/man/man8/oomlensd.8.gz /usr/share/man/man5/oomlensd.conf.5.gz \
        /usr/share/man/man5/oomlens-report.5.gz /usr/lib/systemd/catalog/oomlens.catalog /usr/share/doc/oomlens/copyright; do
        [ -f "$R$f" ] || fail "not installed: $f"
done
ok "user $user, group $group; spool 2750 and state 750 oomlens:oomlens; enabled; catalog updated; conffile registered"

# oomlens analyze on a real report, in the root and in the build tree.
sample=$(ls "$OOMLENS_SRC"/../shared/corpus/public/*.log 2>/dev/null | head -1)
[ -n "$sample" ] || sample=$(ls "$OOMLENS_DATA"/golden/*.txt "$OOMLENS_DATA"/golden/*.log 2>/dev/null | head -1)
[ -n "$sample" ] || fail "no real report to analyse"
cp "$sample" "$R/tmp/report.log"
in_root oomlens analyze /tmp/report.log >"$TMP/in-root.txt" 2>&1 || { cat "$TMP/in-root.txt"; fail "oomlens analyze in the root"; }
"$OOMLENS" analyze "$sample" >"$TMP/build-tree.txt" 2>&1
diff -u "$TMP/build-tree.txt" "$TMP/in-root.txt" >"$TMP/diff" || { head -40 "$TMP/diff"; fail "the packaged oomlens prints something else"; }
ok "oomlens analyze $(basename "$sample") in the root: $(grep -c . "$TMP/in-root.txt") lines, identical to the build tree's"

# The packaged daemon with the packaged configuration and default paths, as the unit runs it.
cp "$KMSG_DATA/gap.kmsg" "$R/tmp/stream.kmsg"
chmod 644 "$R/tmp/stream.kmsg"
chroot --userspec="$uid:$gid" --groups="$gid" "$R" env -i PATH=/usr/sbin:/usr/bin \
        oomlensd --kmsg /tmp/stream.kmsg --journal=no --oneshot 2>"$TMP/daemon.log" ||
        { cat "$TMP/daemon.log"; fail "oomlensd as oomlens in the root"; }
n=$(spool_count "$R/var/spool/oomlens")
[ "$n" -ge 1 ] || fail "oomlensd wrote no report into /var/spool/oomlens"
[ "$(in_root oomlens list | grep -c .)" = "$n" ] || fail "oomlens list shows $(in_root oomlens list | grep -c .) of $n"
ok "oomlensd as oomlens wrote $n report(s) to /var/spool/oomlens; oomlens list shows them"

in_root apt-get remove -y oomlens >"$TMP/remove.log" 2>&1 || { cat "$TMP/remove.log"; fail "apt-get remove"; }
[ ! -e "$R/usr/sbin/oomlensd" ] || fail "remove left the binary"
[ -f "$R/etc/oomlens/oomlensd.conf" ] || fail "remove dropped the conffile"
[ "$(spool_count "$R/var/spool/oomlens")" = "$n" ] || fail "remove dropped the reports"
[ "$(readlink "$R/etc/systemd/system/oomlensd.service")" = /dev/null ] || fail "remove did not mask the unit"
in_root dpkg --purge oomlens >"$TMP/purge.log" 2>&1 || { cat "$TMP/purge.log"; fail "dpkg --purge"; }
for p in /var/spool/oomlens /var/lib/oomlens /etc/oomlens /etc/systemd/system/oomlensd.service \
        /etc/systemd/system/multi-user.target.wants/oomlensd.service; do
        [ ! -e "$R$p" ] && [ ! -L "$R$p" ] || fail "purge left $p"
done
[ -z "$(in_root dpkg --audit)" ] || fail "dpkg --audit after purge"
ok "remove keeps configuration and reports and masks the unit; purge removes spool, state, /etc/oomlens, enablement"
echo PASS
