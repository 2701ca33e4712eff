#!/usr/bin/env python3
"""Two checks on an `mbi sweep` point's die journal (decoded by journal-levels.py's reader).

1. The 2-bit staircase's weights: the nominal die's mean step per MSB flip (levels 0..32 in pairs) against per LSB flip
   (levels 32..48, MSBs all flipped), and each die's level-0 offset on SLP and SLN in both modes (level 0 discharges no
   column, so an offset there is not an unfinished discharge).
2. Whether the nominal die's share phase has settled when the sum lines are read: V_SLP + V_SLN of the nominal transient
   at 1000/500/200/100/50/0 ps before each read (CycleTiming.For, one warm-up cycle first).

usage: nominal-checks.py JOURNAL EVAL_WINDOW_SECONDS [SHARE_SECONDS, default 1e-9]  (the design's other timing: 1 ns
precharge, 20 ps edges, 50 ps gaps; 32 columns)
"""
import bisect
import importlib.util
import os
import sys

spec = importlib.util.spec_from_file_location('jl', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'journal-levels.py'))
jl = importlib.util.module_from_spec(spec)
spec.loader.exec_module(jl)

path, window = sys.argv[1], float(sys.argv[2])
share = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-9
nominal, dies = None, {}
for line in open(path, encoding='utf-8'):
    f = line.rstrip('\n').split('\t')[:-1]
    if f and f[0] == 'nominal':
        t, slp, sln, sslp, ssln = [jl.doubles(x) for x in f[1:6]]
        nominal = True
    elif len(f) == 4 and f[1] == 'ok':
        dies[int(f[0])] = (jl.doubles(f[2]), jl.doubles(f[3]))
if nominal is None:
    sys.exit(f'nominal-checks: error: {path} holds no nominal die yet; run the sweep first')
two = 34  # first 2-bit cycle: 33 1-bit levels, one settling cycle
s = [sslp[two + l] + ssln[two + l] for l in range(49)]
msb, lsb = (s[0] - s[32]) / 16, (s[32] - s[48]) / 16
print(f'{os.path.basename(path)}: 2-bit nominal step per MSB flip {msb*1e3:.3f} mV, per LSB flip {lsb*1e3:.3f} mV, '
      f'ratio {msb/lsb:.4f} (2 for weights 2:1)')
for d, (p, n) in sorted(dies.items()):
    print(f'  die {d}: level-0 offset 1-bit SLP {(p[0]-sslp[0])*1e3:+.2f} SLN {(n[0]-ssln[0])*1e3:+.2f} mV; '
          f'2-bit SLP {(p[two]-sslp[two])*1e3:+.2f} SLN {(n[two]-ssln[two])*1e3:+.2f} mV')
cycle = 1e-9 + window + share + 3 * (20e-12 + 50e-12) + 3 * 20e-12


def at(w, x):
    i = bisect.bisect_left(t, x)
    a = (x - t[i - 1]) / (t[i] - t[i - 1])
    return w[i - 1] + a * (w[i] - w[i - 1])


for c, name in ((0, '1-bit level 0'), (16, '1-bit level 16'), (32, '1-bit level 32'), (two, '2-bit level 0'),
                (two + 24, '2-bit level 24'), (two + 48, '2-bit level 48')):
    settle = (c + 1) * cycle + 20e-12 + 1e-9 + 20e-12 + 50e-12 + 20e-12 + window + 20e-12 + 50e-12 + 20e-12 + share
    vals = [(at(slp, settle - d) + at(sln, settle - d)) * 1e3 for d in (1.0e-9, 0.5e-9, 0.2e-9, 0.1e-9, 0.05e-9, 0)]
    print(f'  {name}: read {(sslp[c]+ssln[c])*1e3:.3f} mV; nominal V_SLP + V_SLN 1000/500/200/100/50/0 ps before the read: '
          + ' '.join(f'{v:.2f}' for v in vals))
