#!/usr/bin/env bash
# Session 24: re-measures what the arrays' tie fix (commit a1a58fc: integer codes summed per component, then the kernel's
# FMA chain) can change: the ideal-array lookups of `mbi energy` and `mbi cosim` on the pooled tables of session 23, beside
# `mbi infer` on the same table, tree and images. Same commands as session 23 (../learned-gate/pool/energy.sh,
# ../passes/session23/run.sh and README); outputs here.
set -uo pipefail
export MBI_MNIST=${MBI_MNIST:-/work/shared/mnist}
cd "$(dirname "$0")/../../.."
here=${OUT:-docs/mbi/tie-fix}
runs=${RUNS:-/work/runs23/pool-gate}
mbi=${MBI:-./mbi}
lut=$runs/pool-s1-tuned.lut
arr="--lut $lut --model models/ram-mbi-pool.ram --coding thermometer --branching 8 --distance-budget 224 --vote 5"
run() { local name=$1; shift; echo "$(date -u +%T) $name"; "$@" --json > $here/$name.json.tmp 2> $here/$name.err && mv $here/$name.json.tmp $here/$name.json; }
if [ -z "${COSIM_ONLY:-}" ]; then
  # one pass, all 10,000 test images: the accountant's ideal arrays against infer (session 23: 89.36 % against 89.60 %)
  run energy-one-pass $mbi energy $arr --test-images 10000
  run infer-one-pass $mbi infer --lut $lut --metric manhattan --branching 8 --distance-budget 224 --vote 5 --seed 1
  # the mixed pipeline's energy (session 23: 311.33 nJ)
  run energy-mixed $mbi energy $arr --gate learned --gate-check linear --check-weight-bits 8
  # pure MBI in passes: M = 9 (session 23: 2.775 uJ) and stopped at margin 0.35 (0.759 uJ, 10,000 images; 0.779 uJ, 1,000)
  run energy-passes-9 $mbi energy $arr --passes 9
  run energy-passes-9-margin0.35 $mbi energy $arr --passes 9 --stop-margin 0.35 --test-images 10000
  run energy-passes-9-margin0.35-1000 $mbi energy $arr --passes 9 --stop-margin 0.35
  run infer-passes-9-margin0.35 $mbi infer --lut $lut --metric manhattan --branching 8 --distance-budget 224 --vote 5 --seed 1 --passes 9 --stop-margin 0.35
fi
if [ -z "${ENERGY_ONLY:-}" ]; then
  # 60 mV, 8 compact-model dies, first 1,000 test images (session 23: ideal 91.4 %, dies 91.1-91.7 %, winner changed 1.3 %)
  run cosim-60mV-9-margin0.35-vote5-s1 $mbi cosim --lut $lut --model models/ram-mbi-pool.ram --codings thermometer --branching 8 \
    --distance-budget 224 --dies 8 --test-images 1000 --seed 1 --passes 9 --vote 5 --stop-margin 0.35 --sigma-vth 60mV
fi
date -u +%T
