#!/usr/bin/env bash
# Session 26: session 23's pipeline (../pool/run.sh) with nothing changed but the network: the coarse-gain model that
# replaced models/ram-mbi-pool.ram as the shipped one-pass model by session 26's rule (docs/algorithm/session26/rule.txt).  187,000-row tables, thermometer
# coding (Manhattan), the 8-way tree under 224 distances, the vote of 5, the reference as fallback, the learned gate with
# the int8 image check and the int8 regression, T cross-fitted on validation; test scored once per seed.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=docs/mbi/learned-gate/gain
runs=${RUNS:-/work/runs26/gain-gate}
luts=${LUTS:-/work/runs26/luts}
mkdir -p "$runs" "$luts"
mbi=${MBI:-./mbi}
model=${MODEL:-models/ram-mbi-gain.ram}
fallback=models/ram-reference-2s.ram
V=gain
for S in 1 2 3; do
  [ -f $luts/gain-187k-s$S.lut ] || $mbi distill --model $model --rows 187000 --seed $S --split-seed 1 --mnist /work/shared/mnist --out $luts/gain-187k-s$S.lut \
    > $here/distill-$V-s$S.out 2> $here/distill-$V-s$S.err
  $mbi tune-mixed --lut $luts/gain-187k-s$S.lut --model $model --fallback-model $fallback --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --target 0.975 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist \
    --out $runs/$V-s$S --out-lut $runs/$V-s$S-tuned.lut --gate learned --gate-check linear --check-weight-bits 8 --gate-bits 8 \
    --gate-threshold cross-fitted --out-gate $runs/$V-s$S-gate.json --json \
    > $here/tune-mixed-$V-s$S.json 2> $here/tune-mixed-$V-s$S.err
  T=$(python3 -c "import json,sys; print(repr(json.load(open('$here/tune-mixed-$V-s$S.json'))['learned_gate']['threshold']))")
  $mbi infer --lut $runs/$V-s$S-tuned.lut --model $model --fallback-model $fallback --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --seed $S --mnist /work/shared/mnist --gate $runs/$V-s$S-gate.json --threshold $T --json \
    > $here/infer-$V-s$S.json 2> $here/infer-$V-s$S.err
done
