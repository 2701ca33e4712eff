#!/usr/bin/env bash
# Session 23: session 15's mixed pipeline (../fixed-point/run.sh), nothing changed but the network: the pooled one-pass
# model models/ram-mbi-pool.ram (session 22) instead of models/ram-mbi-wide-rw.ram. 187,000-row tables, thermometer
# coding (Manhattan), the 8-way tree under 224 distances, the vote of 5, the reference as fallback, the learned gate with
# the int8 image check and the int8 regression, T cross-fitted on validation; test scored once per seed.
# HERE, V (the output names' prefix), MODEL, RUNS, LUTS and MBI may be given (gain/run.sh does); the defaults are session 23's run.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=${HERE:-docs/mbi/learned-gate/pool}
runs=${RUNS:-/work/runs23/pool-gate}
luts=${LUTS:-/work/runs23/luts}
mkdir -p "$runs" "$luts"
mbi=${MBI:-./mbi}
model=${MODEL:-models/ram-mbi-pool.ram}
fallback=models/ram-reference-2s.ram
V=${V:-pool}
for S in 1 2 3; do
  [ -f $luts/$V-187k-s$S.lut ] || $mbi distill --model $model --rows 187000 --seed $S --split-seed 1 --mnist /work/shared/mnist --out $luts/$V-187k-s$S.lut \
    > $here/distill-$V-s$S.out 2> $here/distill-$V-s$S.err
  $mbi tune-mixed --lut $luts/$V-187k-s$S.lut --model $model --fallback-model $fallback --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --target 0.975 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist \
    --out $runs/$V-s$S --out-lut $runs/$V-s$S-tuned.lut --gate learned --gate-check linear --check-weight-bits 8 --gate-bits 8 \
    --gate-threshold cross-fitted --out-gate $runs/$V-s$S-gate.json --json \
    > $here/tune-mixed-$V-s$S.json 2> $here/tune-mixed-$V-s$S.err
  T=$(python3 -c "import json,sys; print(repr(json.load(open('$here/tune-mixed-$V-s$S.json'))['learned_gate']['threshold']))")
  $mbi infer --lut $runs/$V-s$S-tuned.lut --model $model --fallback-model $fallback --metric manhattan \
    --branching 8 --distance-budget 224 --vote 5 --seed $S --mnist /work/shared/mnist --gate $runs/$V-s$S-gate.json --threshold $T --json \
    > $here/infer-$V-s$S.json 2> $here/infer-$V-s$S.err
done
