#!/usr/bin/env bash
# Session 15: session 14's int8 pipeline (run-187k-int8.sh in ../image-check: 187,000-row tables, the image check in fixed
# point) with the learned gate's regression in fixed point too (--gate-bits 8). Nothing else changes: the same options,
# seeds and tables; T cross-fitted on validation on fixed-point scores; test scored once per seed.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=docs/mbi/learned-gate/fixed-point
runs=${RUNS:-/work/runs15/gatefx-runs}
luts=${LUTS:-/work/runs13/i3}
mkdir -p "$runs" "$luts"
mbi=${MBI:-./mbi}
fallback=models/ram-reference-2s.ram
V=gatefx
for S in 1 2 3; do
  [ -f $luts/rw-187k-s$S.lut ] || $mbi distill --model models/ram-mbi-wide-rw.ram --rows 187000 --seed $S --split-seed 1 --mnist /work/shared/mnist --out $luts/rw-187k-s$S.lut
  $mbi tune-mixed --lut $luts/rw-187k-s$S.lut --model models/ram-mbi-wide-rw.ram --fallback-model $fallback --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --target 0.975 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist \
    --out $runs/$V-s$S --out-lut $runs/$V-s$S-tuned.lut --gate learned --gate-check linear --check-weight-bits 8 --gate-bits 8 \
    --gate-threshold cross-fitted --out-gate $runs/$V-s$S-gate.json --json \
    > $here/tune-mixed-$V-s$S.json 2> $here/tune-mixed-$V-s$S.err
  T=$(python3 -c "import json,sys; print(repr(json.load(open('$here/tune-mixed-$V-s$S.json'))['learned_gate']['threshold']))")
  $mbi infer --lut $runs/$V-s$S-tuned.lut --model models/ram-mbi-wide-rw.ram --fallback-model $fallback --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --seed $S --mnist /work/shared/mnist --gate $runs/$V-s$S-gate.json --threshold $T --json \
    > $here/infer-$V-s$S.json 2> $here/infer-$V-s$S.err
done
