#!/usr/bin/env bash
# `cpack -G DEB` (packaging/build-deb) makes a .deb that
#  - holds the binaries, the unit (where Debian's systemd.pc puts units), sysusers.d,
#    tmpfiles.d, the journal catalog, the four man pages, copyright and changelog.Debian.gz,
#    and nothing in /usr/local;
#  - marks /etc/oomlens/oomlensd.conf as a conffile;
#  - has maintainer scripts that do what debhelper's would: sysusers, tmpfiles, the catalog,
#    deb-systemd-helper/deb-systemd-invoke, stop on remove, spool and state removed on purge;
#  - declares Section admin, a maintainer, a description, and Depends on the shared libraries
#    the binaries really link (dpkg-shlibdeps);
#  - gets no error from lintian (warnings are printed).
# The package is left in $OOMLENS_BUILD/deb-build/packages for tests/integration/deb_chroot.sh.
set -uo pipefail
: "${OOMLENS_BUILD:?}" "${OOMLENS_SRC:?}"
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }
for t in dpkg-deb dpkg-shlibdeps cpack; do
        command -v "$t" >/dev/null || { echo "SKIP: $t not installed (apt-get install dpkg-dev cmake)"; exit 77; }
done

TMP=$(mktemp -d /tmp/oomlens-deb.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
OOMLENS_JOBS=2 nice "$OOMLENS_SRC/packaging/build-deb" "$OOMLENS_BUILD/deb-build" >"$TMP/out" 2>&1 ||
        { cat "$TMP/out"; fail "packaging/build-deb"; }
deb=$(tail -1 "$TMP/out")
[ -f "$deb" ] || { cat "$TMP/out"; fail "no .deb"; }
echo "package: $deb ($(stat -c %s "$deb") bytes)"

# Contents.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|; s|/$||' | sort >"$TMP/contents"
unitdir=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /lib/systemd/system)
for f in /usr/bin/oomlens /usr/sbin/oomlensd "$unitdir/oomlensd.service" /usr/lib/sysusers.d/oomlens.conf \
        /usr/lib/tmpfiles.d/oomlens.conf /usr/lib/systemd/catalog/oomlens.catalog /etc/oomlens/oomlensd.conf \
        /etc/oomlens/oomlensd.conf.d /usr/share/man/man1/oomlens.1.gz /usr/share/man/man8/oomlensd.8.gz \
        /usr/share/man/man5/oomlensd.conf.5.gz /usr/share/man/man5/oomlens-report.5.gz \
        /usr/share/doc/oomlens/copyright /usr/share/doc/oomlens/changelog.Debian.gz; do
        grep -qxF "$f" "$TMP/contents" || { cat "$TMP/contents"; fail "the .deb lacks $f"; }
done
if grep -E '^/usr/local|^/(home|tmp|var)/' "$TMP/contents"; then fail "files in places a package must not use"; fi
dpkg-deb -c "$deb" | awk '$2 != "root/root" {print; bad=1} END {exit bad}' || fail "files not owned by root"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ."$unitdir/oomlensd.service" | grep -qxF 'ExecStart=/usr/sbin/oomlensd' ||
        fail "the packaged unit does not start /usr/sbin/oomlensd"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/tmpfiles.d/oomlens.conf |
        grep -qE '^d /var/spool/oomlens 2?750 oomlens oomlens' || fail "tmpfiles.d: spool not 750 oomlens:oomlens"
ok "contents: $(grep -c . "$TMP/contents") entries, unit in $unitdir, nothing in /usr/local"

# Control fields.
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = oomlens ] || fail "Package: $(field Package)"
[ "$(field Section)" = admin ] || fail "Section: $(field Section)"
[ "$(field Priority)" = optional ] || fail "Priority: $(field Priority)"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture: $(field Architecture)"
grep -qE '^[^<]+ <[^@ ]+@[^> ]+>$' <<<"$(field Maintainer)" || fail "Maintainer: $(field Maintainer)"
[ "$(dpkg-deb -f "$deb" Description | wc -l)" -ge 4 ] || fail "no extended description"
depends=$(field Depends)
dpkg-deb -x "$deb" "$TMP/root"
for lib in $(objdump -p "$TMP/root/usr/sbin/oomlensd" "$TMP/root/usr/bin/oomlens" | awk '/NEEDED/ {print $2}' | sort -u); do
        pkg=$(dpkg -S "*/$lib" 2>/dev/null | head -1 | cut -d: -f1)
        [ -n "$pkg" ] || fail "no package ships $lib"
        grep -qE "(^|, )$pkg( |,|$)" <<<"$depends" || fail "Depends: lacks $pkg (for $lib): $depends"
done
grep -q 'systemd' <<<"$depends" || fail "Depends: lacks systemd (sysusers/tmpfiles in the maintainer scripts)"
ok "control: Section admin, Maintainer $(field Maintainer), Depends: $depends"

# Control archive: conffiles and maintainer scripts.
dpkg-deb -e "$deb" "$TMP/control"
grep -qxF /etc/oomlens/oomlensd.conf "$TMP/control/conffiles" || fail "oomlensd.conf is not a conffile"
for s in postinst prerm postrm; do
        [ -x "$TMP/control/$s" ] || fail "no executable $s"
        sh -n "$TMP/control/$s" || fail "$s: syntax error"
        grep -q '^set -e' "$TMP/control/$s" || fail "$s does not set -e"
done
for want in 'systemd-sysusers .*oomlens.conf' 'systemd-tmpfiles .*--create oomlens.conf' \
        'journalctl .*--update-catalog' 'deb-systemd-helper enable oomlensd.service' \
        'deb-systemd-invoke \$action oomlensd.service' 'systemctl --system daemon-reload'; do
        grep -qE "$want" "$TMP/control/postinst" || fail "postinst does not run: $want"
done
grep -qE 'deb-systemd-invoke stop oomlensd.service' "$TMP/control/prerm" || fail "prerm does not stop the service"
grep -qE 'deb-systemd-helper purge oomlensd.service' "$TMP/control/postrm" || fail "postrm does not purge the unit state"
grep -qE 'rm -rf .*/var/spool/oomlens.*/var/lib/oomlens' "$TMP/control/postrm" || fail "postrm purge keeps the spool"
ok "conffiles, postinst/prerm/postrm present, executable, set -e, doing what debhelper's would"

# The maintainer scripts run in a scratch root (DPKG_ROOT, as dpkg does for --root installs):
# sysusers makes the user and group, tmpfiles the spool 2750 oomlens:oomlens.
R=$TMP/root
mkdir -p "$R/etc" "$R/var"
echo "root:x:0:0:root:/root:/bin/sh" >"$R/etc/passwd"
echo "root:x:0:" >"$R/etc/group"
if [ "$(id -u)" = 0 ]; then
        (cd "$R" && DPKG_ROOT=$R PATH=/usr/sbin:/usr/bin:/sbin:/bin \
                sh -c 'systemd-sysusers --root="$DPKG_ROOT" "$DPKG_ROOT/usr/lib/sysusers.d/oomlens.conf" &&
                       systemd-tmpfiles --root="$DPKG_ROOT" --create "$DPKG_ROOT/usr/lib/tmpfiles.d/oomlens.conf"' >/dev/null 2>&1) ||
                fail "sysusers/tmpfiles rejected the packaged files"
        gid=$(awk -F: '$1 == "oomlens" {print $3}' "$R/etc/group")
        [ -n "$gid" ] && grep -q "^oomlens:x:[0-9]*:$gid:" "$R/etc/passwd" || fail "no oomlens user and group"
        [ "$(stat -c '%a %g' "$R/var/spool/oomlens")" = "2750 $gid" ] ||
                fail "spool: $(stat -c '%a %U:%G' "$R/var/spool/oomlens")"
        # deb-systemd-helper knows no alternate root: a stand-in records what postrm asks of it,
        # so the host's unit state is never touched.
        mkdir "$TMP/bin"
        printf '#!/bin/sh\necho "$*" >>"%s"\n' "$TMP/dsh.log" >"$TMP/bin/deb-systemd-helper"
        chmod +x "$TMP/bin/deb-systemd-helper"
        DPKG_ROOT=$R PATH="$TMP/bin:/usr/sbin:/usr/bin:/sbin:/bin" sh "$TMP/control/postrm" purge || fail "postrm purge"
        [ ! -e "$R/var/spool/oomlens" ] && [ ! -e "$R/var/lib/oomlens" ] || fail "postrm purge left the spool or state"
        grep -qx 'purge oomlensd.service' "$TMP/dsh.log" || fail "postrm purge did not purge the unit's state"
        ok "in a scratch root: user and group oomlens, spool 2750 oomlens:oomlens; postrm purge removes spool and state"
fi

# lintian: errors fail, warnings are shown.
if ! command -v lintian >/dev/null; then
        echo "SKIP: lintian not installed (apt-get install lintian); everything else passed"
        exit 77
fi
lintian --pedantic --display-info "$deb" >"$TMP/lintian" 2>&1
grep -v 'running with root privileges is not recommended' "$TMP/lintian" | sed 's/^/lintian: /'
errors=$(grep -c '^E:' "$TMP/lintian")
warnings=$(grep -c '^W:' "$TMP/lintian")
[ "$errors" = 0 ] || fail "lintian reports $errors error(s)"
ok "lintian --pedantic: 0 errors, $warnings warning(s), $(grep -c '^[IP]:' "$TMP/lintian") info/pedantic"
echo PASS
