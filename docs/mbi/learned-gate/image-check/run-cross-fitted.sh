#!/usr/bin/env bash
# Session 13, after run.sh: the same protocol with --gate-threshold cross-fitted (T from gates fitted on each half of the
# validation images scoring the other half), with the image check (cf-*) and, for comparison, without it (cf-nocheck-*).
# Run after run.sh's test points had been printed (97.48 / 97.48 / 97.34 %): see README.md for why the rule changed.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=docs/mbi/learned-gate/image-check
runs=${RUNS:-/work/runs13/check}
luts=${LUTS:-/work/runs13/i3}
mkdir -p "$runs" "$luts"
mbi=${MBI:-./mbi}
fallback=models/ram-reference-2s.ram
for V in cf cf-nocheck; do
  check=$([ $V = cf ] && echo "--gate-check linear" || echo "")
  for S in 1 2 3; do
    [ -f $luts/rw-188k-s$S.lut ] || $mbi distill --model models/ram-mbi-wide-rw.ram --rows 188000 --seed $S --split-seed 1 --mnist /work/shared/mnist --out $luts/rw-188k-s$S.lut
    $mbi tune-mixed --lut $luts/rw-188k-s$S.lut --model models/ram-mbi-wide-rw.ram --fallback-model $fallback --metric manhattan \
      --branching 8 --distance-budget 224 --vote 5 --target 0.975 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist \
      --out $runs/$V-s$S --out-lut $runs/$V-s$S-tuned.lut --gate learned $check --gate-threshold cross-fitted --out-gate $runs/$V-s$S-gate.json --json \
      > $here/tune-mixed-$V-s$S.json 2> $here/tune-mixed-$V-s$S.err
    T=$(python3 -c "import json,sys; print(repr(json.load(open('$here/tune-mixed-$V-s$S.json'))['learned_gate']['threshold']))")
    $mbi infer --lut $runs/$V-s$S-tuned.lut --model models/ram-mbi-wide-rw.ram --fallback-model $fallback --metric manhattan \
      --branching 8 --distance-budget 224 --vote 5 --seed $S --mnist /work/shared/mnist --gate $runs/$V-s$S-gate.json --threshold $T --json \
      > $here/infer-$V-s$S.json 2> $here/infer-$V-s$S.err
  done
done
