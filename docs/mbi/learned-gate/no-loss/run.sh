#!/usr/bin/env bash
# Session 13: the learned gate's target. The protocol of docs/mbi/learned-gate/fallback-reference/run.sh (the same
# untuned tables, distilled again here with the documented command and the same bytes; --model, search, vote, target,
# budget, seeds, split; the full-precision reference as fallback) with each --gate-target: lookup-right (session 12's,
# reproduced) and no-loss (the lookups' class is right or the fallback's is wrong). Every choice on validation; tune-mixed
# prints a test score for each run, read only for the target chosen on validation. Large files go to $runs.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=docs/mbi/learned-gate/no-loss
runs=${RUNS:-/work/runs13/gate}
luts=${LUTS:-/work/runs13/i3}
mkdir -p "$runs" "$luts"
mbi=${MBI:-./mbi}
fallback=models/ram-reference-2s.ram
for S in 1 2 3; do
  [ -f $luts/rw-188k-s$S.lut ] || $mbi distill --model models/ram-mbi-wide-rw.ram --rows 188000 --seed $S --split-seed 1 --mnist /work/shared/mnist --out $luts/rw-188k-s$S.lut
done
for G in ${TARGETS:-lookup-right no-loss}; do
  for S in 1 2 3; do
    $mbi tune-mixed --lut $luts/rw-188k-s$S.lut --model models/ram-mbi-wide-rw.ram --fallback-model $fallback --metric manhattan \
      --branching 8 --distance-budget 224 --vote 5 --target 0.975 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist \
      --out $runs/$G-s$S --out-lut $runs/$G-s$S-tuned.lut --gate learned --gate-target $G --out-gate $here/$G-s$S-gate.json --json \
      > $here/tune-mixed-$G-s$S.json 2> $here/tune-mixed-$G-s$S.err
  done
done
