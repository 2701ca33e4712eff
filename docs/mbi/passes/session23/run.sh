#!/usr/bin/env bash
# Session 23: session 17's pure-MBI passes protocol on the pooled network's tuned tables (../../learned-gate/pool/run.sh):
# validation accuracy at M = 1..13 passes for each table, then (SCORE_TEST=M) test once per table at the chosen M.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=docs/mbi/passes/session23
runs=${RUNS:-/work/runs23/pool-gate}
mbi=${MBI:-./mbi}
opts="--metric manhattan --branching 8 --distance-budget 224 --vote 5 --mnist /work/shared/mnist"
if [ -n "${STOP:-}" ]; then
  echo "seed,margin,validation_accuracy,passes_per_image" > $here/stop-validation.csv.tmp
  for S in 1 2 3; do for m in 0.30 0.32 0.35 0.38 0.40 0.42 0.45 0.50 0.60 0.80 1.00; do
    $mbi infer --lut $runs/pool-s$S-tuned.lut $opts --seed $S --on validation --split-seed 1 --passes 9 --stop-margin $m --json 2>/dev/null \
      | python3 -c "import json,sys; d=json.load(sys.stdin); print('$S,$m,%s,%s' % (d['accuracy'], d['passes_per_image']))" >> $here/stop-validation.csv.tmp
  done; done
  mv $here/stop-validation.csv.tmp $here/stop-validation.csv
elif [ -n "${STOP_TEST:-}" ]; then
  for S in 1 2 3; do
    $mbi infer --lut $runs/pool-s$S-tuned.lut $opts --seed $S --passes 9 --stop-margin $STOP_TEST --json \
      > $here/pure-test-9-margin$STOP_TEST-s$S.json 2> $here/pure-test-9-margin$STOP_TEST-s$S.err
  done
elif [ -z "${SCORE_TEST:-}" ]; then
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
# Early stop (session 18's --stop-margin) at M = 9, validation grid then test at the chosen m (STOP_TEST=m):
#   STOP=1 bash run.sh   /   STOP_TEST=0.38 bash run.sh
#   ./mbi energy --lut /work/runs23/pool-gate/pool-s1-tuned.lut --model models/ram-mbi-pool.ram --coding thermometer \
#       --branching 8 --distance-budget 224 --vote 5 --passes 9 --stop-margin 0.35 --test-images 10000 --json \
#       > docs/mbi/passes/session23/energy-passes-9-margin0.35-s1.json
