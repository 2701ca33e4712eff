#!/usr/bin/env bash
# R2 / M5: docs/mbi/session8/three-seeds.sh, the same commands; only `./mbi` -> the HEAD build (362bab3, contains e851d0f)
# under nice, and the output folder. usage: run.sh MODEL TAG [seeds...]
#   run.sh models/ram-mbi-wide.ram wide 1 2 3        (README "Earlier" figure, docs/mbi.md session-8 rows 1-4)
#   run.sh models/ram-mbi-wide-cont.ram widecont 1 2 3   (docs/mbi.md session-8 rows 5-8)
set -euo pipefail
cd /work/wt-ham                       # the worktree: models/ as committed
export MBI_MNIST=/work/shared/mnist
MBI="nice -n 15 dotnet /work/b25/ham/mbi.dll"
M=$1; TAG=$2; shift 2; SEEDS=${@:-1 2 3}
O=/work/runs25/ham/s8/$TAG; mkdir -p $O
TREE="--metric hamming --branching 8 --distance-budget 224"
for s in $SEEDS; do
  [ -f $O/s$s.lut ] || $MBI distill --model $M --rows 234000 --seed $s --split-seed 1 --out $O/s$s.lut --json > $O/distill-s$s.json 2>$O/distill-s$s.err
  $MBI sweep-threshold --lut $O/s$s.lut --model $M --split validation --split-seed 1 --seed $s --target 0.975 $TREE --from 0 --to 20 --step 0.1 --out $O/val-s$s --json > $O/val-s$s.json 2>$O/val-s$s.err
  $MBI sweep-threshold --lut $O/s$s.lut --model $M --split validation --split-seed 1 --seed $s --target 0.975 --metric hamming --search brute --from 0 --to 20 --step 0.1 --out $O/val-brute-s$s --json > $O/val-brute-s$s.json 2>$O/val-brute-s$s.err
  T=$(python3 -c "import json;d=json.load(open('$O/val-s$s.json'));print(d['operating_point']['threshold'])")
  $MBI infer --lut $O/s$s.lut --model $M --threshold $T $TREE --seed $s --json > $O/test-s$s.json 2>$O/test-s$s.err
  echo "seed $s T=$T done $(date -u)"
done
