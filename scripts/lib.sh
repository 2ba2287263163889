# Shared by scripts/demo and scripts/test: install what the build needs, then build.
# Sourced, not run.

OOMLENS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${OOMLENS_BUILD_DIR:-$OOMLENS_ROOT/build}

# Debian packages the build and the tests need. Checked one by one so a machine that has them
# does not touch apt at all.
OOMLENS_PACKAGES=(build-essential cmake pkg-config libsystemd-dev libjson-c-dev libcmocka-dev
                  jq systemd util-linux coreutils python3)
OOMLENS_TEST_PACKAGES=(clang libclang-rt-14-dev valgrind time cppcheck clang-tidy)
# The metrics test parses oomlens.prom with prometheus_client; the fleet test ships journal
# entries with systemd-journal-upload to systemd-journal-remote over loopback.
OOMLENS_TEST_PACKAGES+=(python3-prometheus-client systemd-journal-remote)
# Man pages, the .deb and its checks (tests/build/man_pages.sh, package_deb.sh; mmdebstrap for
# the opt-in tests/integration/deb_chroot.sh), the bash-completion directory.
OOMLENS_TEST_PACKAGES+=(man-db groff-base dpkg-dev lintian mmdebstrap bash-completion)

say() { printf '\033[1m==> [%ss] %s\033[0m\n' "$SECONDS" "$*" >&2; } # seconds since the script started

ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "missing packages: ${missing[*]} (run as root, or install them)" >&2
    return 1
  fi
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() { # build [DIR [cmake args...]]
  local dir=${1:-$BUILD_DIR}; shift || true
  say "building in $dir"
  cmake -S "$OOMLENS_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)" -- --no-print-directory >/dev/null
}

# valgrind_summary DIR: the logs the daemon tests leave under OOMLENS_VALGRIND=1
# (tests/integration/lib/common.sh): how many processes, errors and leaked bytes; fails on any.
# A process the test killed with SIGKILL (crash-consistency tests) has no summary.
valgrind_summary() {
  local dir=$1 logs=0 done=0 errors=0 leaked=0 f e l
  for f in "$dir"/*.log; do
    [ -e "$f" ] || continue
    logs=$((logs + 1))
    e=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$f" | tr -d ,)
    [ -n "$e" ] || continue
    done=$((done + 1))
    errors=$((errors + e))
    for l in $(sed -n 's/.*\(definitely\|indirectly\|possibly\) lost: \([0-9,]*\) bytes.*/\2/p' "$f" | tr -d ,); do
      leaked=$((leaked + l))
    done
    if [ "$e" != 0 ]; then cat "$f"; fi
  done
  echo "valgrind: $logs oomlensd processes, $done ran to exit (the rest were killed by their test):" \
       "$errors errors, $leaked bytes definitely/indirectly/possibly lost"
  [ "$logs" -gt 0 ] || { echo "valgrind: no logs in $dir (did the daemon tests run?)" >&2; return 1; }
  [ "$errors" = 0 ] && [ "$leaked" = 0 ]
}
