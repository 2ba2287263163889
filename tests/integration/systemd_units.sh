#!/bin/bash
# The systemd integration as installed by `cmake --install`: unit, sysusers.d, tmpfiles.d,
# catalog and man pages are installed; the unit passes `systemd-analyze verify` (its
# Documentation= man page included) and scores <= 2.0 in
# `systemd-analyze security --offline=yes`; sysusers.d/tmpfiles.d/catalog files are accepted by
# their tools in an alternate root.
set -u
. "$(dirname "$0")/lib/common.sh"
need_daemon
command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed"
[ -n "${OOMLENS_BUILD:-}" ] && [ -f "$OOMLENS_BUILD/CMakeCache.txt" ] || skip "OOMLENS_BUILD not set"
make_tmp
DESTDIR=$TMP/dest cmake --install "$OOMLENS_BUILD" >"$TMP/install.log" 2>&1 || { cat "$TMP/install.log"; fail "cmake --install"; }
# Where the build put them (cmake/OomlensInstallDirs.cmake: systemd.pc's directories below the
# prefix); tests/build/install_prefix.sh checks those places.
installed() { find "$TMP/dest" -path "*/$1" -type f | head -1; }
UNIT=$(installed systemd/system/oomlensd.service)
SYSUSERS=$(installed sysusers.d/oomlens.conf)
TMPFILES=$(installed tmpfiles.d/oomlens.conf)
CATALOG=$(installed systemd/catalog/oomlens.catalog)
MAN8=$(installed man8/oomlensd.8.gz)
for f in "$UNIT" "$SYSUSERS" "$TMPFILES" "$CATALOG" "$MAN8"; do
        [ -n "$f" ] && [ -f "$f" ] || fail "not installed: unit, sysusers.d, tmpfiles.d, catalog or oomlensd(8)"
done
MANDIR=$(dirname "$(dirname "$MAN8")")
find "$TMP/dest" -name oomlensd.conf -path '*/oomlens/*' | grep -q . || fail "oomlensd.conf not installed"
ok "cmake --install: unit, sysusers.d, tmpfiles.d, catalog, oomlensd.conf in place"

# verify: with ExecStart= pointing at the binary under test, and the installed man pages on
# MANPATH, so Documentation=man:oomlensd(8) is checked to open.
mkdir "$TMP/units"
sed "s|^ExecStart=.*|ExecStart=$OOMLENSD|" "$UNIT" >"$TMP/units/oomlensd.service"
MANPATH=$MANDIR: systemd-analyze verify "$TMP/units/oomlensd.service" >"$TMP/verify.log" 2>&1 || {
        cat "$TMP/verify.log"
        fail "systemd-analyze verify"
}
[ ! -s "$TMP/verify.log" ] || { cat "$TMP/verify.log"; fail "systemd-analyze verify printed warnings"; }
ok "systemd-analyze verify: clean"

score=$(systemd-analyze security --offline=yes "$TMP/units/oomlensd.service" 2>&1 |
        sed -n 's/.*Overall exposure level for oomlensd.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || fail "no exposure level from systemd-analyze security"
ref=""
for u in /lib/systemd/system/systemd-timesyncd.service /usr/lib/systemd/system/systemd-timesyncd.service; do
        [ -f "$u" ] && ref=$(systemd-analyze security --offline=yes "$u" 2>&1 |
                sed -n 's/.*Overall exposure level for systemd-timesyncd.service: \([0-9.]*\).*/\1/p') && break
done
echo "exposure: oomlensd.service $score (systemd-timesyncd.service here: ${ref:-n/a})"
awk "BEGIN{exit !($score <= 2.0)}" || fail "exposure $score > 2.0"
grep -q '^DeviceAllow=/dev/kmsg r$' "$UNIT" && grep -q '^CapabilityBoundingSet=CAP_SYSLOG$' "$UNIT" &&
        grep -q '^Type=notify$' "$UNIT" && grep -q '^WatchdogSec=' "$UNIT" && ! grep -q '^DynamicUser=yes' "$UNIT" &&
        ! grep -q '^PrivateDevices=yes' "$UNIT" && ! grep -q '^ProtectKernelLogs=yes' "$UNIT" ||
        fail "unit lacks a required setting"
ok "exposure $score <= 2.0; CAP_SYSLOG only, DeviceAllow=/dev/kmsg r, static user"

# sysusers/tmpfiles/catalog in an alternate root.
R=$TMP/root
mkdir -p "$R/etc" "$R/usr/lib/systemd/catalog"
echo "adm:x:4:" >"$R/etc/group"
systemd-sysusers --root="$R" "$SYSUSERS" >/dev/null 2>&1 || fail "systemd-sysusers rejected $SYSUSERS"
grep -q '^oomlens:' "$R/etc/passwd" || fail "sysusers did not create the oomlens user"
systemd-tmpfiles --root="$R" --create "$TMPFILES" || fail "systemd-tmpfiles rejected $TMPFILES"
[ "$(stat -c %a "$R/var/spool/oomlens")" = 2750 ] || fail "spool mode $(stat -c %a "$R/var/spool/oomlens")"
cp "$CATALOG" "$R/usr/lib/systemd/catalog/"
journalctl --root="$R" --update-catalog || fail "journalctl --update-catalog"
n=$(journalctl --root="$R" --list-catalog | grep -c -E "^($MID_REPORT|$MID_GAP|$MID_SUPPRESSED) ")
[ "$n" = 3 ] || fail "catalog lists $n of our 3 message IDs"
ok "sysusers.d creates the user, tmpfiles.d the 2750 spool, the catalog explains the 3 MESSAGE_IDs"
echo PASS
