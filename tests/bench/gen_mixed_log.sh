#!/usr/bin/env bash
# Generate a large mixed kernel log: a share of the lines belong to OOM reports (a real 6.1
# report, tests/bench/oom-template.txt, with fresh timestamps and pids), the rest is ordinary
# kernel chatter.
# Usage: gen_mixed_log.sh SIZE_MB OUT [FORMAT] [REPORT_LINES_PER_10000]
#   FORMAT  dmesg       "[ 1234.567890] text" (default)
#           syslog      kern.log as rsyslog writes it: "Nov 25 19:08:54 host kernel: [ 1234.567890] text"
#           syslog-iso  the same with an RFC 3339 time (Debian 12's rsyslog default)
#           journal     journalctl -k (-o short): "Nov 25 19:08:54 host kernel: text"
#           kmsg        raw /dev/kmsg records "6,1234,5678901,-;text" with dictionary lines
#   REPORT_LINES_PER_10000  100 (1%, default) or e.g. 1 (0.01%, a realistic kern.log)
set -euo pipefail
size_mb=${1:-100}
out=${2:-/tmp/oomlens-bench.log}
format=${3:-dmesg}
rate=${4:-100}
tmpl="$(dirname "$0")/oom-template.txt"
case $format in dmesg | syslog | syslog-iso | journal | kmsg) ;; *)
        echo "gen_mixed_log.sh: unknown format '$format'" >&2
        exit 2
        ;;
esac
awk -v target=$((size_mb * 1024 * 1024)) -v tmpl="$tmpl" -v fmt="$format" -v rate="$rate" '
function prefix(lvl,   s, d, h, m, sec) {
  if (fmt == "dmesg")
    return sprintf("[%12.6f] ", ts)
  if (fmt == "kmsg") {
    seq++
    return sprintf("%d,%d,%d,-;", lvl, seq, int(ts * 1000000))
  }
  s = int(ts) + 19 * 3600 + 8 * 60
  d = 25 + int(s / 86400); s %= 86400
  h = int(s / 3600); m = int(s % 3600 / 60); sec = s % 60
  if (fmt == "syslog-iso")
    return sprintf("2025-11-%02dT%02d:%02d:%02d.%06d+01:00 myhost kernel: [%12.6f] ", d, h, m, sec, (ts - int(ts)) * 1000000, ts)
  if (fmt == "syslog")
    return sprintf("Nov %2d %02d:%02d:%02d myhost kernel: [%12.6f] ", d, h, m, sec, ts)
  return sprintf("Nov %2d %02d:%02d:%02d myhost kernel: ", d, h, m, sec)
}
function emit(lvl, text,   s) {
  s = prefix(lvl) text "\n"
  printf "%s", s
  bytes += length(s)
}
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
  nc = 10; ts = 1.0; bytes = 0; n = 0; pid = 1000; seq = 0
  # one report of nt lines per (10000 / rate - 1) * nt chatter lines: rate / 10000 of all lines
  every = int((10000 / rate - 1) * nt)
  while (bytes < target) {
    if (n % every == int(every / 2)) {
      pid++
      for (i = 0; i < nt; i++) {
        line = t[i]; gsub(/process 90 /, "process " pid " ", line); gsub(/pid=90,/, "pid=" pid ",", line)
        emit(4, line); ts += 0.000011
      }
    }
    emit(6, sprintf(c[n % nc], n, n))
    # raw kmsg: device messages carry a dictionary (3.5+), as `cat /dev/kmsg` shows them
    if (fmt == "kmsg" && n % nc == 0) { printf " SUBSYSTEM=usb\n DEVICE=c189:1\n"; bytes += 33 }
    ts += 0.000731; n++
  }
}' > "$out"
echo "$out: $format, $(du -m "$out" | cut -f1) MB, $(wc -l < "$out") lines, $(grep -c 'invoked oom-killer' "$out") OOM reports" >&2
