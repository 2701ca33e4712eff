#!/usr/bin/env bash
# Session 14: energy-check.json's options on seed 1's int8 pipeline (run-187k-int8.sh's int8-s1-tuned.lut, --check-weight-bits 8),
# then the float32 check as it is held (--check-weight-bits 32, the default) on session 13's cf187k-s1 table; the second run reuses
# the first's ngspice points (cache). Copied here afterwards as energy-int8.json and energy-float32-187k.json.
set -uo pipefail
export MBI_MNIST=${MBI_MNIST:-/work/shared/mnist}
cd "$(dirname "$0")/../../../.."
runs=${RUNS:-/work/runs14/int8}
floatRuns=${FLOAT_RUNS:-/work/runs13/check}
mbi=${MBI:-./mbi}
date
$mbi energy --lut $runs/int8-s1-tuned.lut --model models/ram-mbi-wide-rw.ram --coding thermometer --branching 8 --distance-budget 224 --vote 5 \
  --gate learned --gate-check linear --check-weight-bits 8 --json > $runs/energy-int8.json.tmp 2> $runs/energy-int8.err && mv $runs/energy-int8.json.tmp $runs/energy-int8.json
echo "int8 rc=$?"; date
$mbi energy --lut $floatRuns/cf187k-s1-tuned.lut --model models/ram-mbi-wide-rw.ram --coding thermometer --branching 8 --distance-budget 224 --vote 5 \
  --gate learned --gate-check linear --json > $runs/energy-float32.json.tmp 2> $runs/energy-float32.err && mv $runs/energy-float32.json.tmp $runs/energy-float32.json
echo "float32 rc=$?"; date
