#!/usr/bin/env bash
# Generate a large mixed kernel log in dmesg format: about 1% of the lines belong to OOM reports
# (a real 6.1 report, tests/bench/oom-template.txt, with fresh timestamps and pids), the rest is
# ordinary kernel chatter. Usage: gen_mixed_log.sh SIZE_MB OUT
set -euo pipefail
size_mb=${1:-100}
out=${2:-/tmp/oomlens-bench.log}
tmpl="$(dirname "$0")/oom-template.txt"
awk -v target=$((size_mb * 1024 * 1024)) -v tmpl="$tmpl" '
BEGIN {
  while ((getline l < tmpl) > 0) t[nt++] = l
  c[0] = "usb 1-1: new high-speed USB device number %d using xhci_hcd"
  c[1] = "EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none."
  c[2] = "audit: type=1400 audit(1700000000.%d:42): apparmor=\"STATUS\" operation=\"profile_load\" profile=\"unconfined\" name=\"snap.lxd\" pid=%d comm=\"apparmor_parser\""
  c[3] = "IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready"
  c[4] = "e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx"
  c[5] = "systemd[1]: Started Session %d of User root."
  c[6] = "TCP: request_sock_TCP: Possible SYN flooding on port 80. Sending cookies.  Check SNMP counters."
  c[7] = "nf_conntrack: nf_conntrack: table full, dropping packet"
  c[8] = "blk_update_request: I/O error, dev sda, sector %d op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 0"
  c[9] = "perf: interrupt took too long (2502 > 2500), lowering kernel.perf_event_max_sample_rate to 79750"
  nc = 10; ts = 1.0; bytes = 0; n = 0; pid = 1000
  while (bytes < target) {
    # One report per ~100*nt chatter lines keeps report lines at about 1% of all lines.
    if (n % (99 * nt) == 0 && n > 0) {
      pid++
      for (i = 0; i < nt; i++) {
        line = t[i]; gsub(/process 90 /, "process " pid " ", line); gsub(/pid=90,/, "pid=" pid ",", line)
        s = sprintf("[%12.6f] %s\n", ts, line); printf "%s", s; bytes += length(s); ts += 0.000011
      }
    }
    s = sprintf("[%12.6f] " c[n % nc] "\n", ts, n, n); printf "%s", s
    bytes += length(s); ts += 0.000731; n++
  }
}' > "$out"
echo "$out: $(du -m "$out" | cut -f1) MB, $(wc -l < "$out") lines, $(grep -c 'invoked oom-killer' "$out") OOM reports" >&2
