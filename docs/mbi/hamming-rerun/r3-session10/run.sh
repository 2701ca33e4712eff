#!/usr/bin/env bash
# R3: session 10's pipeline rows "bit-weighted Hamming (binary), 234,000", vote 1 and vote 5, seeds 1-3.
# The session-10 command was not committed; reconstructed from docs/mbi/session10/pipeline/hamming-234k-v*-s*.json
# (234,000 rows, 6,201,000 bytes, beam 1, BO budget 40, seed = split seed 1 ...) and the documented Manhattan command
# in docs/mbi.md (tune-mixed ... --branching 8 --distance-budget 224 --vote 5 --target 0.975 --budget 40 --seed 1 --split-seed 1).
# --agreement-weight 0: session 10 had no agreement term (added in session 11; absent, tune-mixed now picks L on validation).
# usage: run.sh VOTE [seeds...]
set -euo pipefail
cd /work/wt-ham
export MBI_MNIST=/work/shared/mnist
MBI="nice -n 15 dotnet /work/b25/ham/mbi.dll"
M=models/ram-mbi-wide-cont.ram
V=$1; shift; SEEDS=${@:-1 2 3}
O=/work/runs25/ham/s10; mkdir -p $O
for s in $SEEDS; do
  [ -f $O/wc-234k-s$s.lut ] || $MBI distill --model $M --rows 234000 --seed $s --split-seed 1 --out $O/wc-234k-s$s.lut --json > $O/distill-s$s.json 2>$O/distill-s$s.err
  $MBI tune-mixed --lut $O/wc-234k-s$s.lut --model $M --metric hamming --branching 8 --distance-budget 224 --vote $V \
      --agreement-weight 0 --target 0.975 --budget 40 --seed $s --split-seed 1 --out $O/hamming-234k-v$V-s$s \
      --json > $O/hamming-234k-v$V-s$s.json 2>$O/hamming-234k-v$V-s$s.err
  echo "vote $V seed $s done $(date -u)"
done
