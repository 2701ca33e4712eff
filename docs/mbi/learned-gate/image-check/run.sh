#!/usr/bin/env bash
# Session 13: the learned gate with an image check (tune-mixed --gate-check linear). The protocol of
# docs/mbi/learned-gate/fallback-reference/run.sh (188,000-row tables distilled with the documented command, --model,
# the 8-way tree under 224 distances, vote 5, target 97.5 %, 40 BO evaluations, seeds, split 1, the 2-scale reference as
# fallback), plus --gate-check linear. tune-mixed chooses weights, the gate and T on validation and scores test once per
# seed; infer with the gate file and the printed T must reproduce each test point. Large files go to $runs.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=docs/mbi/learned-gate/image-check
runs=${RUNS:-/work/runs13/check}
luts=${LUTS:-/work/runs13/i3}
mkdir -p "$runs" "$luts"
mbi=${MBI:-./mbi}
fallback=models/ram-reference-2s.ram
for S in 1 2 3; do
  [ -f $luts/rw-188k-s$S.lut ] || $mbi distill --model models/ram-mbi-wide-rw.ram --rows 188000 --seed $S --split-seed 1 --mnist /work/shared/mnist --out $luts/rw-188k-s$S.lut
  $mbi tune-mixed --lut $luts/rw-188k-s$S.lut --model models/ram-mbi-wide-rw.ram --fallback-model $fallback --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --target 0.975 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist \
    --out $runs/s$S --out-lut $runs/s$S-tuned.lut --gate learned --gate-check linear --out-gate $runs/s$S-gate.json --json \
    > $here/tune-mixed-s$S.json 2> $here/tune-mixed-s$S.err
  T=$(python3 -c "import json,sys; print(repr(json.load(open('$here/tune-mixed-s$S.json'))['learned_gate']['threshold']))")
  $mbi infer --lut $runs/s$S-tuned.lut --model models/ram-mbi-wide-rw.ram --fallback-model $fallback --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --seed $S --mnist /work/shared/mnist --gate $runs/s$S-gate.json --threshold $T --json \
    > $here/infer-s$S.json 2> $here/infer-s$S.err
done
