#!/usr/bin/env bash
# Session 26: the energy of seed 1 of the mixed pipeline on the coarse-gain network (run.sh: gain-s1-tuned.lut), as ../pool/energy.sh.
# Same options as ../pool/energy.sh.
set -uo pipefail
export MBI_MNIST=${MBI_MNIST:-/work/shared/mnist}
cd "$(dirname "$0")/../../../.."
here=docs/mbi/learned-gate/gain
runs=${RUNS:-/work/runs26/gain-gate}
mbi=${MBI:-./mbi}
date
$mbi energy --lut $runs/gain-s1-tuned.lut --model models/ram-mbi-gain.ram --coding thermometer --branching 8 --distance-budget 224 --vote 5 \
  --gate learned --gate-check linear --check-weight-bits 8 --json > $here/energy-gain.json.tmp 2> $here/energy-gain.err && mv $here/energy-gain.json.tmp $here/energy-gain.json
echo "rc=$?"; date
