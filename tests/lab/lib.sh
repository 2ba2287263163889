# shellcheck shell=bash
# Shared settings of the OOM lab (sourced by fetch, mkinitrd, run). See tests/lab/README.md.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_SRC=$(cd "$LAB_DIR/../.." && pwd)
# Downloads and build products live outside the tree: kernels are ~70 MB each.
LAB_CACHE=${OOMLENS_LAB_CACHE:-/var/cache/oomlens-lab}
LAB_DATA=${OOMLENS_LAB_DATA:-$LAB_SRC/tests/data/lab}

# Debian 12's stock kernels. The amd64 kernel has no CONFIG_CMA (so CMA runs on arm64), the
# 686-pae kernel is the only one with HighMem. Override a version with OOMLENS_LAB_KVER_<arch>;
# when unset, fetch picks what linux-image-<flavour> depends on in that arch's package list.
declare -A LAB_FLAVOUR=([amd64]=amd64 [arm64]=arm64 [i386]=686-pae)
declare -A LAB_CC=([amd64]=gcc [arm64]=aarch64-linux-gnu-gcc [i386]=i686-linux-gnu-gcc)
declare -A LAB_QEMU=([amd64]=qemu-system-x86_64 [arm64]=qemu-system-aarch64 [i386]=qemu-system-i386)

lab_die() { echo "lab: $*" >&2; exit 1; }
lab_log() { echo "lab: $*" >&2; }

# apt-get with a private list directory for a foreign architecture: the host's apt
# configuration (its architectures, its lists) stays untouched.
# lab_apt ARCH apt-get|apt-cache ARGS...
lab_apt() {
        local arch=$1 tool=$2; shift 2
        if [[ $arch == "$(dpkg --print-architecture)" ]]; then
                "$tool" -q "$@"
        else
                "$tool" -q -oAPT::Architecture="$arch" -oAPT::Architectures="$arch" \
                        -oDir::State::Lists="$LAB_CACHE/apt-lists-$arch" \
                        -oDir::Cache="$LAB_CACHE/apt-cache-$arch" "$@"
        fi
}
