#!/usr/bin/env bash
# Session 15: the energy of seed 1's fully fixed-point pipeline (run.sh's gatefx-s1-tuned.lut: int8 image check, the gate's
# regression in fixed point), priced with its 24-bit gate accumulator. Same options as ../image-check/energy-int8.sh.
set -uo pipefail
export MBI_MNIST=${MBI_MNIST:-/work/shared/mnist}
cd "$(dirname "$0")/../../../.."
here=docs/mbi/learned-gate/fixed-point
runs=${RUNS:-/work/runs15/gatefx-runs}
mbi=${MBI:-./mbi}
date
$mbi energy --lut $runs/gatefx-s1-tuned.lut --model models/ram-mbi-wide-rw.ram --coding thermometer --branching 8 --distance-budget 224 --vote 5 \
  --gate learned --gate-check linear --check-weight-bits 8 --json > $here/energy-gatefx.json.tmp 2> $here/energy-gatefx.err && mv $here/energy-gatefx.json.tmp $here/energy-gatefx.json
echo "rc=$?"; date
