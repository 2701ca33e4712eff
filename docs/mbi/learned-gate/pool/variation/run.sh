#!/usr/bin/env bash
# Session 24: the pooled mixed pipeline under sigma(Vth) = 60 mV, `mbi cosim --gate`, one seed's table, gate and T per run
# (T from ../tune-mixed-pool-sS.json), 8 compact-model dies, first 1,000 test images; then `mbi infer --gate` on the same
# images for the ideal arrays to be checked against. Usage: bash run.sh S
set -uo pipefail
export MBI_MNIST=${MBI_MNIST:-/work/shared/mnist}
cd "$(dirname "$0")/../../../../.."
S=${1:?seed}
here=docs/mbi/learned-gate/pool/variation
runs=${RUNS:-/work/runs23/pool-gate}
mbi=${MBI:-./mbi}
T=$(python3 -c "import json; print(repr(json.load(open('docs/mbi/learned-gate/pool/tune-mixed-pool-s$S.json'))['learned_gate']['threshold']))")
common="--lut $runs/pool-s$S-tuned.lut --branching 8 --distance-budget 224 --vote 5 --gate $runs/pool-s$S-gate.json --threshold $T --seed $S"
date -u +%T
name=cosim-gate-s$S${SIGMA:+-$SIGMA}
$mbi cosim $common --model models/ram-mbi-pool.ram --fallback-model models/ram-reference-2s.ram --codings thermometer \
  --dies 8 --test-images 1000 --sigma-vth ${SIGMA:-60mV} --json > $here/$name.json.tmp 2> $here/$name.err && mv $here/$name.json.tmp $here/$name.json
[ -n "${SIGMA:-}" ] && exit 0
date -u +%T
$mbi infer $common --model models/ram-mbi-pool.ram --fallback-model models/ram-reference-2s.ram --metric manhattan --images 1000 \
  --json > $here/infer-gate-s$S-1000.json.tmp 2> $here/infer-gate-s$S-1000.err && mv $here/infer-gate-s$S-1000.json.tmp $here/infer-gate-s$S-1000.json
date -u +%T
# Stress points (seed 1 only; added in session 24 after the 60 mV runs): SIGMA=90mV or 120mV bash run.sh 1 writes
# cosim-gate-s1-<sigma>.json with the same dies' seed, table, gate and T.
