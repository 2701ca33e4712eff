#!/usr/bin/env bash
# Session 12: the learned gate in the product. tune-mixed from the untuned tables with the exact command of
# docs/mbi/agreement-gate/run.sh (BO unchanged; its --out-lut is byte-identical to /work/runs11/gate/rw-188k-v5-gate-sS.lut)
# plus --gate learned, then infer with the gate file and the T tune-mixed printed. models/ram-mbi-wide-rw.ram is
# byte-identical to /work/runs10/rw025.ram. Large outputs (tuned LUTs) go to $runs; the JSON outputs and gate files here.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=docs/mbi/learned-gate/product
runs=/work/runs12/learned-gate-product
mkdir -p "$runs"
mbi=${MBI:-./mbi}   # MBI="dotnet /path/to/mbi.dll" runs a fixed build
for S in 1 2 3; do
  $mbi tune-mixed --lut /work/runs10/i3/rw-188k-s$S.lut --model models/ram-mbi-wide-rw.ram --metric manhattan --branching 8 \
    --distance-budget 224 --vote 5 --target 0.975 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist \
    --out $runs/rw-s$S --out-lut $runs/rw-s$S-tuned.lut --gate learned --out-gate $here/rw-s$S-gate.json --json \
    > $here/tune-mixed-s$S.json 2> $here/tune-mixed-s$S.err
  T=$(python3 -c "import json,sys; print(repr(json.load(open('$here/tune-mixed-s$S.json'))['learned_gate']['threshold']))")
  $mbi infer --lut $runs/rw-s$S-tuned.lut --model models/ram-mbi-wide-rw.ram --metric manhattan --branching 8 \
    --distance-budget 224 --vote 5 --seed $S --mnist /work/shared/mnist --gate $here/rw-s$S-gate.json --threshold $T --json \
    > $here/infer-s$S.json 2> $here/infer-s$S.err
done
# The gate logic priced per operation on the issue-13 configuration (ngspice points from the shipped cache):
$mbi energy --lut /work/runs10/i3/rw-188k-s1-tuned.lut --model /work/runs10/rw025.ram --coding thermometer --branching 8 \
  --distance-budget 224 --vote 5 --gate learned --mnist /work/shared/mnist --json > $here/energy-learned.json
$mbi energy --lut /work/runs10/i3/rw-188k-s1-tuned.lut --model /work/runs10/rw025.ram --coding thermometer --branching 8 \
  --distance-budget 224 --vote 5 --agreement-weight 10 --mnist /work/shared/mnist --json > $here/energy-agreement.json
# mixed MBI vs T for seed 1's learned gate on the test set (a curve for reading, not a choice of T; T was chosen on validation):
mkdir -p $here/sweep-s1 && $mbi sweep-threshold --lut $runs/rw-s1-tuned.lut --model models/ram-mbi-wide-rw.ram --metric manhattan --branching 8 --distance-budget 224 --vote 5 --seed 1 --mnist /work/shared/mnist --gate $here/rw-s1-gate.json --from -6 --to 2 --step 0.25 --target 0.975 --out $here/sweep-s1 --json > $here/sweep-s1/sweep.json 2> $here/sweep-s1/sweep.err
