#!/usr/bin/env bash
# The learned gate with the full-precision reference RAM as mixed MBI's fallback: the issue-13 protocol of
# docs/mbi/learned-gate/product/run.sh (same untuned tables, --model, search, vote, target, budget, seeds, split) plus
# --fallback-model models/ram-reference-2s.ram. tune-mixed chooses weights, L, the learned gate and every T on validation
# (the fallback's classes stand for the images not served) and scores test once per seed; infer with the gate file and the
# printed T must reproduce each test point. Tuned LUTs go to $runs; JSON, stderr logs and gate files here.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=docs/mbi/learned-gate/fallback-reference
runs=/work/runs12/fallback
mkdir -p "$runs"
mbi=${MBI:-./mbi}   # MBI="dotnet /path/to/mbi.dll" runs a fixed build
fallback=models/ram-reference-2s.ram
for S in 1 2 3; do
  $mbi tune-mixed --lut /work/runs10/i3/rw-188k-s$S.lut --model models/ram-mbi-wide-rw.ram --fallback-model $fallback --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --target 0.975 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist \
    --out $runs/rw-s$S --out-lut $runs/rw-s$S-tuned.lut --gate learned --out-gate $here/rw-s$S-gate.json --json \
    > $here/tune-mixed-s$S.json 2> $here/tune-mixed-s$S.err
  T=$(python3 -c "import json,sys; print(repr(json.load(open('$here/tune-mixed-s$S.json'))['learned_gate']['threshold']))")
  $mbi infer --lut $runs/rw-s$S-tuned.lut --model models/ram-mbi-wide-rw.ram --fallback-model $fallback --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --seed $S --mnist /work/shared/mnist --gate $here/rw-s$S-gate.json --threshold $T --json \
    > $here/infer-s$S.json 2> $here/infer-s$S.err
done
