#!/usr/bin/env bash
# Session 23: the energy of seed 1 of the mixed pipeline on the pooled network (run.sh: pool-s1-tuned.lut; int8 image check, the gate's
# regression in fixed point), priced with its 24-bit gate accumulator. Same options as ../fixed-point/energy.sh.
set -uo pipefail
export MBI_MNIST=${MBI_MNIST:-/work/shared/mnist}
cd "$(dirname "$0")/../../../.."
here=${HERE:-docs/mbi/learned-gate/pool}
V=${V:-pool}
model=${MODEL:-models/ram-mbi-pool.ram}
runs=${RUNS:-/work/runs23/pool-gate}
mbi=${MBI:-./mbi}
date
$mbi energy --lut $runs/$V-s1-tuned.lut --model $model --coding thermometer --branching 8 --distance-budget 224 --vote 5 \
  --gate learned --gate-check linear --check-weight-bits 8 --json > $here/energy-$V.json.tmp 2> $here/energy-$V.err && mv $here/energy-$V.json.tmp $here/energy-$V.json
echo "rc=$?"; date
