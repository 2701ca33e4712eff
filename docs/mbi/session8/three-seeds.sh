#!/usr/bin/env bash
# Issue #13 items 3-4 (session 8): three distillation/tree seeds, T chosen on validation, test scored once.
# usage: docs/mbi/session8/three-seeds.sh MODEL TAG [seeds...]  -- distill at 6.20 MB per seed, choose T on validation (target 0.975 and 0.95), score test once
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
M=$1; TAG=$2; shift 2; SEEDS=${@:-1 2 3}
O=runs/mbi-s8/$TAG; mkdir -p $O
TREE="--metric hamming --branching 8 --distance-budget 224"
for s in $SEEDS; do
  [ -f $O/s$s.lut ] || ./mbi distill --model $M --rows 234000 --seed $s --split-seed 1 --out $O/s$s.lut --json > $O/distill-s$s.json 2>$O/distill-s$s.err
  ./mbi sweep-threshold --lut $O/s$s.lut --model $M --split validation --split-seed 1 --seed $s --target 0.975 $TREE --from 0 --to 20 --step 0.1 --out $O/val-s$s --json > $O/val-s$s.json 2>$O/val-s$s.err
  ./mbi sweep-threshold --lut $O/s$s.lut --model $M --split validation --split-seed 1 --seed $s --target 0.975 --metric hamming --search brute --from 0 --to 20 --step 0.1 --out $O/val-brute-s$s --json > $O/val-brute-s$s.json 2>$O/val-brute-s$s.err
  T=$(python3 -c "import json;d=json.load(open('$O/val-s$s.json'));print(d['operating_point']['threshold'])")
  ./mbi infer --lut $O/s$s.lut --model $M --threshold $T $TREE --seed $s --json > $O/test-s$s.json 2>$O/test-s$s.err
  echo "seed $s T=$T done"
done
