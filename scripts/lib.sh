# Shared by scripts/demo and scripts/test: install what the build needs, then build.
# Sourced, not run.

OOMLENS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${OOMLENS_BUILD_DIR:-$OOMLENS_ROOT/build}

# Debian packages the build and the tests need. Checked one by one so a machine that has them
# does not touch apt at all.
OOMLENS_PACKAGES=(build-essential cmake pkg-config libsystemd-dev libjson-c-dev libcmocka-dev
                  jq systemd util-linux coreutils python3)
OOMLENS_TEST_PACKAGES=(clang libclang-rt-14-dev valgrind time)
# The metrics test parses oomlens.prom with prometheus_client; the fleet test ships journal
# entries with systemd-journal-upload to systemd-journal-remote over loopback.
OOMLENS_TEST_PACKAGES+=(python3-prometheus-client systemd-journal-remote)
# Man pages, the .deb and its checks (tests/build/man_pages.sh, package_deb.sh; mmdebstrap for
# the opt-in tests/integration/deb_chroot.sh), the bash-completion directory.
OOMLENS_TEST_PACKAGES+=(man-db groff-base dpkg-dev lintian mmdebstrap bash-completion)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

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
