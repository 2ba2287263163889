#!/usr/bin/env bash
# `cmake --install` honours the prefix and DESTDIR and needs no root. As an unprivileged user
# (a uid of its own with no passwd entry, when this runs as root):
#  1. configure, build and install into a scratch prefix: every file lands below it (install
#     manifest, expected layout, ExecStart= and the compiled-in config path point into it), and
#     the user wrote no file anywhere else;
#  2. reconfigure the same tree for /usr and install with DESTDIR: the distribution's layout
#     below DESTDIR (units where systemd.pc says, /etc/oomlens, /usr/...), nothing outside it;
#  3. `cmake --install --prefix OTHER` on the /usr build refuses, naming the fix, and writes
#     nothing.
set -uo pipefail
: "${OOMLENS_SRC:?}"
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }

TMP=$(mktemp -d /tmp/oomlens-install.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
chmod 755 "$TMP"
if [ "$(id -u)" = 0 ]; then
        command -v setpriv >/dev/null || { echo "SKIP: setpriv (util-linux) not installed"; exit 77; }
        # A uid of its own, in no passwd entry and used by nothing else: "nobody" is also what
        # other tests run as, in parallel, and their files in /tmp would count as strays here.
        user=$((61000 + $$ % 4000))
        while getent passwd "$user" >/dev/null || getent group "$user" >/dev/null; do user=$((user + 1)); done
        chown "$user" "$TMP"
        as_user() { setpriv --reuid="$user" --regid="$user" --clear-groups env HOME="$TMP" USER=oomlens-test "$@"; }
else
        as_user() { env HOME="$TMP" "$@"; }
        user=$(id -un)
fi
# The user builds its own copy of the sources: the checkout may sit where it cannot read
# (/root), and nothing is ever written into the checkout.
SRC=$TMP/src
mkdir "$SRC"
if git -C "$OOMLENS_SRC" rev-parse --git-dir >/dev/null 2>&1; then
        git -C "$OOMLENS_SRC" ls-files -z --cached --others --exclude-standard |
                while IFS= read -r -d '' f; do [ -e "$OOMLENS_SRC/$f" ] && printf '%s\0' "$f"; done |
                tar -C "$OOMLENS_SRC" --null -T - -cf - | tar -C "$SRC" -xf - || fail "copying the sources"
else
        tar -C "$OOMLENS_SRC" --exclude='./build*' -cf - . | tar -C "$SRC" -xf - || fail "copying the sources"
fi
[ -f "$SRC/CMakeLists.txt" ] || fail "no sources copied"
[ "$(id -u)" = 0 ] && chown -R "$user" "$SRC"

# Files the user owns outside $TMP, in the places it could write to.
stray_files() {
        find /tmp /var/tmp /dev/shm -xdev -path "$TMP" -prune -o -user "$user" -newer "$TMP/stamp" -print 2>/dev/null
}
# The installed files relative to ROOT, from the install manifest (which names them without
# DESTDIR): each must lie below PREFIX, exist below ROOT, and be all that is there.
check_manifest() { # check_manifest ROOT PREFIX
        local m=$TMP/build/install_manifest.txt rel
        [ -s "$m" ] || fail "no install manifest"
        if grep -v "^$2/" "$m"; then fail "files installed outside $2 (above)"; fi
        rel=$(sed "s|^${1%/}/||; s|^/||" "$m" | sort)
        [ "$rel" = "$(cd "$1" && find . -type f | sed 's|^\./||' | sort)" ] ||
                fail "the files below $1 are not the manifest's: $(cd "$1" && find . -type f)"
        echo "$rel"
}
expect() { # expect LISTFILE PATH...
        local f=$1 p
        shift
        for p in "$@"; do grep -qxF "$p" "$f" || { cat "$f"; fail "not installed: $p"; }; done
}

touch "$TMP/stamp"
P=$TMP/prefix
as_user cmake -S "$SRC" -B "$TMP/build" -DCMAKE_INSTALL_PREFIX="$P" -DBUILD_TESTING=OFF \
        >"$TMP/log" 2>&1 || { cat "$TMP/log"; fail "configure as $user"; }
as_user nice cmake --build "$TMP/build" -j2 >"$TMP/log" 2>&1 || { tail -30 "$TMP/log"; fail "build as $user"; }
as_user cmake --install "$TMP/build" >"$TMP/log" 2>&1 || { cat "$TMP/log"; fail "cmake --install into $P as $user"; }
check_manifest "$P" "$P" >"$TMP/files" || { cat "$TMP/files"; exit 1; }
expect "$TMP/files" bin/oomlens sbin/oomlensd etc/oomlens/oomlensd.conf \
        lib/systemd/system/oomlensd.service lib/sysusers.d/oomlens.conf lib/tmpfiles.d/oomlens.conf \
        lib/systemd/catalog/oomlens.catalog share/man/man1/oomlens.1.gz share/man/man8/oomlensd.8.gz \
        share/man/man5/oomlensd.conf.5.gz share/man/man5/oomlens-report.5.gz share/doc/oomlens/copyright
[ -d "$P/etc/oomlens/oomlensd.conf.d" ] || fail "no $P/etc/oomlens/oomlensd.conf.d"
if compgen -G "$SRC/cli/*bash*" >/dev/null || compgen -G "$SRC/cli/completion*" >/dev/null; then
        expect "$TMP/files" share/bash-completion/completions/oomlens
fi
grep -qxF "ExecStart=$P/sbin/oomlensd" "$P/lib/systemd/system/oomlensd.service" ||
        fail "ExecStart= of the installed unit: $(grep ExecStart "$P/lib/systemd/system/oomlensd.service")"
"$P/sbin/oomlensd" --help | grep -qF "$P/etc/oomlens/oomlensd.conf" || fail "oomlensd's default config is not below $P"
"$P/bin/oomlens" --version >/dev/null || fail "the installed oomlens does not run"
stray=$(stray_files)
[ -z "$stray" ] || { echo "$stray"; fail "$user wrote files outside $TMP"; }
ok "as $user into $P: $(wc -l <"$TMP/files") files, all below the prefix, nothing written elsewhere"

# 2. The distribution's layout with DESTDIR.
D=$TMP/dest
as_user cmake -S "$SRC" -B "$TMP/build" -DCMAKE_INSTALL_PREFIX=/usr >"$TMP/log" 2>&1 ||
        { cat "$TMP/log"; fail "reconfigure for /usr"; }
as_user nice cmake --build "$TMP/build" -j2 >"$TMP/log" 2>&1 || { tail -30 "$TMP/log"; fail "rebuild for /usr"; }
as_user env DESTDIR="$D" cmake --install "$TMP/build" >"$TMP/log" 2>&1 ||
        { cat "$TMP/log"; fail "DESTDIR=$D cmake --install as $user"; }
check_manifest "$D" "" >"$TMP/files" || { cat "$TMP/files"; exit 1; }
pc() { pkg-config --variable="$1" systemd 2>/dev/null | sed 's|^/||'; }
unitdir=$(pc systemdsystemunitdir)
unitdir=${unitdir:-usr/lib/systemd/system}
expect "$TMP/files" usr/bin/oomlens usr/sbin/oomlensd etc/oomlens/oomlensd.conf "$unitdir/oomlensd.service" \
        "$(pc sysusersdir)/oomlens.conf" "$(pc tmpfilesdir)/oomlens.conf" "$(pc catalogdir)/oomlens.catalog" \
        usr/share/man/man1/oomlens.1.gz usr/share/man/man5/oomlens-report.5.gz usr/share/doc/oomlens/copyright
if grep -E '^usr/local/|^usr/etc/' "$TMP/files"; then fail "prefix /usr put files in /usr/local or /usr/etc"; fi
grep -qxF "ExecStart=/usr/sbin/oomlensd" "$D/$unitdir/oomlensd.service" || fail "ExecStart= for /usr"
"$D/usr/sbin/oomlensd" --help | grep -qF " /etc/oomlens/oomlensd.conf" || fail "oomlensd's default config for /usr is not /etc/oomlens/oomlensd.conf"
stray=$(stray_files)
[ -z "$stray" ] || { echo "$stray"; fail "$user wrote files outside $TMP"; }
ok "DESTDIR=$D, prefix /usr: units in /$unitdir, config in /etc/oomlens, $(wc -l <"$TMP/files") files, all below DESTDIR"

# 3. --prefix at install time would not move the compiled-in paths.
if as_user cmake --install "$TMP/build" --prefix "$TMP/other" >"$TMP/log" 2>&1; then
        cat "$TMP/log"
        fail "cmake --install --prefix OTHER on a /usr build succeeded"
fi
grep -q 'configured for the prefix /usr' "$TMP/log" || { cat "$TMP/log"; fail "no explanation why --prefix was refused"; }
[ ! -e "$TMP/other" ] || fail "the refused install still wrote $(find "$TMP/other" | head -3)"
ok "cmake --install --prefix OTHER on a /usr build is refused before writing anything"
echo PASS
