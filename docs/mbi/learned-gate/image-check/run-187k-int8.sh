#!/usr/bin/env bash
# Session 14: run-187k.sh's budget-true pipeline (187,000-row tables) with the image check in fixed point
# (--check-weight-bits 8: int8 weights with per-class scales, byte pixels, exact int32 sums; 7,920 bytes instead of 31,400).
# Nothing else changes: the same options, seeds and tables as run-187k.sh's cf187k runs; T chosen on validation, test scored once.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=docs/mbi/learned-gate/image-check
runs=${RUNS:-/work/runs14/int8}
luts=${LUTS:-/work/runs13/i3}
mkdir -p "$runs" "$luts"
mbi=${MBI:-./mbi}
fallback=models/ram-reference-2s.ram
for V in int8; do
  check="--gate-check linear --check-weight-bits 8"
  for S in 1 2 3; do
    [ -f $luts/rw-187k-s$S.lut ] || $mbi distill --model models/ram-mbi-wide-rw.ram --rows 187000 --seed $S --split-seed 1 --mnist /work/shared/mnist --out $luts/rw-187k-s$S.lut
    $mbi tune-mixed --lut $luts/rw-187k-s$S.lut --model models/ram-mbi-wide-rw.ram --fallback-model $fallback --metric manhattan \
      --branching 8 --distance-budget 224 --vote 5 --target 0.975 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist \
      --out $runs/$V-s$S --out-lut $runs/$V-s$S-tuned.lut --gate learned $check --gate-threshold cross-fitted --out-gate $runs/$V-s$S-gate.json --json \
      > $here/tune-mixed-$V-s$S.json 2> $here/tune-mixed-$V-s$S.err
    T=$(python3 -c "import json,sys; print(repr(json.load(open('$here/tune-mixed-$V-s$S.json'))['learned_gate']['threshold']))")
    $mbi infer --lut $runs/$V-s$S-tuned.lut --model models/ram-mbi-wide-rw.ram --fallback-model $fallback --metric manhattan \
      --branching 8 --distance-budget 224 --vote 5 --seed $S --mnist /work/shared/mnist --gate $runs/$V-s$S-gate.json --threshold $T --json \
      > $here/infer-$V-s$S.json 2> $here/infer-$V-s$S.err
  done
done
