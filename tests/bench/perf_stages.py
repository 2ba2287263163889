#!/usr/bin/env python3
"""CPU samples of `perf record` grouped by stage of the analyze pipeline (docs/performance.md).

Usage: perf record -e cpu-clock -F 10000 -o out.data BINARY analyze --json LOG > /dev/null
       perf_stages.py out.data BINARY

Resolves the binary's samples with addr2line (the perf 6.1 of Debian 12 cannot read the ELF of
our builds: "symsrc__init: cannot get elf header") and groups them by source file, inlined
helpers counted in their outermost caller."""
import re, subprocess, sys, collections
data, binary = sys.argv[1], sys.argv[2]
out = subprocess.run(['perf', 'script', '-i', data, '--show-mmap-events', '-F', 'ip,sym,dso'],
                     capture_output=True, text=True).stdout
maps, rows = [], []
for line in out.split('\n'):
    line = line.strip()
    if not line:
        continue
    if 'PERF_RECORD_MMAP' in line:
        m = re.search(r'\[(0x[0-9a-f]+)\((0x[0-9a-f]+)\) @ (0x[0-9a-f]+)', line)
        if m and line.endswith(binary):
            maps.append((int(m.group(1), 16), int(m.group(2), 16), int(m.group(3), 16)))
        continue
    parts = line.split(None, 1)
    ip, rest = parts[0], parts[1] if len(parts) > 1 else ''
    dso = rest[rest.rfind('(') + 1:-1] if '(' in rest else '?'
    sym = rest[:rest.rfind('(')].strip() if '(' in rest else rest
    rows.append((int(ip, 16), sym, dso))
addrs = sorted({a for a, s, d in rows if d == binary})
off = {}
for a in addrs:
    for st, ln, o in maps:
        if st <= a < st + ln:
            off[a] = a - st + o
res = subprocess.run(['addr2line', '-a', '-f', '-i', '-e', binary] + [hex(off[a]) for a in addrs if a in off],
                     capture_output=True, text=True).stdout.split('\n')
where, cur, chain = {}, None, []
for l in res + ['0x0']:
    if l.startswith('0x'):
        if cur is not None and chain:
            where[cur] = chain[-1]  # outermost (function, file)
        cur, chain, expect = int(l, 16), [], 'fn'
        continue
    if expect == 'fn':
        fn = l
        expect = 'file'
    else:
        chain.append((fn, l.split(':')[0]))
        expect = 'fn'
HEAD = ('report_line_may_open', 'span_', 'skip_inline_prefix', 'has_open_prefix', 'zone_like_shape', 'prefix_ci',
        'has_anywhere_key', 'keys_at16')
def category(a, sym, dso):
    if 'kernel' in dso:
        return 'kernel: read() copy from the page cache'
    if dso != binary:
        return 'libc, json-c'
    fn, f = where.get(off.get(a), ('?', '?'))
    if 'common/input/' in f:
        return 'input: scan, prefixes, fast path'
    if 'report_line.c' in f:
        return 'head test (report_line_may_open_head)' if fn.startswith(HEAD) else 'reports: classify, parse, analyse, JSON'
    if 'report_assembler.c' in f:
        return 'assembler, per line'
    return 'reports: classify, parse, analyse, JSON'
c = collections.Counter(category(a, s, d) for a, s, d in rows)
tot = sum(c.values())
for k, v in c.most_common():
    print('%5.1f%%  %s' % (100.0 * v / tot, k))
print('(%d samples)' % tot)
