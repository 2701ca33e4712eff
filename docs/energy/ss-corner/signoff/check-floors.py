#!/usr/bin/env python3
"""Session 15: every component's band in an `mbi energy --json` file: C V^2 floor <= min <= typical <= max.
Usage: check-floors.py energy.json [...]; prints one line per component, exits 1 if any check fails."""
import json, sys

bad = 0
for path in sys.argv[1:]:
    bands = json.load(open(path))["bands"]
    rows = [("per comparison", r) for r in bands["per_comparison"] + [bands["per_comparison_total"]]]
    rows += [("per inference", r) for r in bands["per_inference"] + [bands[k] for k in
             ("per_inference_dynamic", "per_inference_leakage", "per_inference_total")]]
    print(f"== {path}")
    for scope, r in rows:
        lo, typ, hi, floor = r["min_joules"], r["typical_joules"], r["max_joules"], r["floor_joules"]
        ok = floor <= lo * (1 + 1e-12) and lo <= typ * (1 + 1e-12) and typ <= hi * (1 + 1e-12)
        bad += not ok
        ratio = f"{lo / floor:5.2f}x" if floor > 0 else "  (no floor)"
        print(f"{'ok ' if ok else 'BAD'} {scope:14} {r['name']:28} floor {floor * 1e15:10.2f} fJ  min {lo * 1e15:12.2f}  "
              f"typ {typ * 1e15:12.2f}  max {hi * 1e15:12.2f} fJ  min/floor {ratio}")
print("all bands: floor <= min <= typical <= max" if bad == 0 else f"{bad} band(s) FAIL")
sys.exit(1 if bad else 0)
