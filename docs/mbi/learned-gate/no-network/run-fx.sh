#!/usr/bin/env bash
# Session 15: run-int8.sh with the gate's regression in fixed point too (--gate-bits 8): no float arithmetic on the chip. Session 14: mixed MBI with no network, the check in fixed point (--check-weight-bits 8), (the image check as the only fallback), from the CLI, on the session-13 budget
# tables (187,000 rows; run-187k.sh in ../image-check). The same options as run-187k.sh's cf187k runs, but
# --fallback-check instead of --fallback-model and --target 0.93 (the paper's mixed accuracy, 93.04 %, declared before
# any run): weights, gate and T chosen on the 5,000 validation images of split seed 1; test scored once per seed.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=docs/mbi/learned-gate/no-network
runs=${RUNS:-/work/runs15/nonet-fx}
luts=${LUTS:-/work/runs13/i3}
mkdir -p "$runs" "$luts"
mbi=${MBI:-./mbi}
for S in 1 2 3; do
  [ -f $luts/rw-187k-s$S.lut ] || $mbi distill --model models/ram-mbi-wide-rw.ram --rows 187000 --seed $S --split-seed 1 --mnist /work/shared/mnist --out $luts/rw-187k-s$S.lut
  $mbi tune-mixed --lut $luts/rw-187k-s$S.lut --model models/ram-mbi-wide-rw.ram --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --target 0.93 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist \
    --out $runs/s$S --out-lut $runs/s$S-tuned.lut --gate learned --gate-check linear --gate-threshold cross-fitted --fallback-check --check-weight-bits 8 --gate-bits 8 \
    --out-gate $runs/s$S-gate.json --json > $here/tune-mixed-fx-s$S.json 2> $here/tune-mixed-fx-s$S.err
  T=$(python3 -c "import json,sys; print(repr(json.load(open('$here/tune-mixed-fx-s$S.json'))['learned_gate']['threshold']))")
  $mbi infer --lut $runs/s$S-tuned.lut --model models/ram-mbi-wide-rw.ram --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --seed $S --mnist /work/shared/mnist --gate $runs/s$S-gate.json --threshold $T --fallback-check --json \
    > $here/infer-fx-s$S.json 2> $here/infer-fx-s$S.err
done
