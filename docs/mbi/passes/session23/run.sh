#!/usr/bin/env bash
# Session 23: session 17's pure-MBI passes protocol on the pooled network's tuned tables (../../learned-gate/pool/run.sh):
# validation accuracy at M = 1..13 passes for each table, then (SCORE_TEST=M) test once per table at the chosen M.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=docs/mbi/passes/session23
runs=${RUNS:-/work/runs23/pool-gate}
mbi=${MBI:-./mbi}
opts="--metric manhattan --branching 8 --distance-budget 224 --vote 5 --mnist /work/shared/mnist"
if [ -z "${SCORE_TEST:-}" ]; then
  echo "seed,passes,validation_accuracy" > $here/pure-validation.csv.tmp
  for S in 1 2 3; do for M in $(seq 1 13); do
    a=$($mbi infer --lut $runs/pool-s$S-tuned.lut $opts --seed $S --on validation --split-seed 1 --passes $M --json 2>/dev/null \
      | python3 -c "import json,sys; print(json.load(sys.stdin)['accuracy'])")
    echo "$S,$M,$a" >> $here/pure-validation.csv.tmp
  done; done
  mv $here/pure-validation.csv.tmp $here/pure-validation.csv
else
  for S in 1 2 3; do
    $mbi infer --lut $runs/pool-s$S-tuned.lut $opts --seed $S --passes $SCORE_TEST --json \
      > $here/pure-test-$SCORE_TEST-s$S.json 2> $here/pure-test-$SCORE_TEST-s$S.err
  done
fi
# Energy of the chosen M on seed 1's table (session 17's command with the pooled table and M = 9):
#   ./mbi energy --lut /work/runs23/pool-gate/pool-s1-tuned.lut --model models/ram-mbi-pool.ram --coding thermometer \
#       --branching 8 --distance-budget 224 --vote 5 --passes 9 --json > docs/mbi/passes/session23/energy-passes-9-s1.json
