#!/usr/bin/env bash
# Session 12: mixed MBI with the reference RAM as fallback, learned gate: which table network and vote k?
# Chosen on validation (learned gate's validation served at >= 97.5 %, mean over table seeds 1-3). tune-mixed also
# prints the test point of every configuration; those are not read for the choice.
set -uo pipefail
cd /work/main
mbi="dotnet /work/runs12/grid-bin/mbi.dll"
out=/work/runs12/grid
for net in "rw models/ram-mbi-wide-rw.ram" "wc models/ram-mbi-wide-cont.ram"; do
  set -- $net
  for k in 3 5 7 9; do
    for S in 1 2 3; do
      name=$1-v$k-s$S
      [ -s $out/$name.json ] && continue
      $mbi tune-mixed --lut /work/runs10/i3/$1-188k-s$S.lut --model $2 --fallback-model models/ram-reference-2s.ram --metric manhattan \
        --branching 8 --distance-budget 224 --vote $k --target 0.975 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist \
        --out $out/$name --out-lut $out/$name-tuned.lut --gate learned --out-gate $out/$name-gate.json --json > $out/$name.json 2> $out/$name.err
      echo "$name $(date +%T) rc=$?"
    done
  done
done
