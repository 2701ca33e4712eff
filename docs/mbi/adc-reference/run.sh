#!/usr/bin/env bash
# Session 25: re-measures what the co-simulation ADC's calibration (a61b945: two-point, like mbi mc) can change, with the
# commands of the figures it replaces (docs/tail.md session 6; reproduce --quick; ../tie-fix/run.sh's cosim;
# ../learned-gate/pool/variation/run.sh). Outputs here. STEPS selects (default: all): tail quick passes gate60 gate90
set -uo pipefail
export MBI_MNIST=${MBI_MNIST:-/work/shared/mnist}
cd "$(dirname "$0")/../../.."
here=docs/mbi/adc-reference
runs=${RUNS:-/work/runs23/pool-gate}
mbi=${MBI:-./mbi}
steps=${STEPS:-tail quick passes gate60 gate90}
run() { local name=$1; shift; echo "$(date -u +%T) $name"; /usr/bin/time -f "%e s wall" "$@" --json > $here/$name.json.tmp 2> $here/$name.err && mv $here/$name.json.tmp $here/$name.json; tail -1 $here/$name.err; }
for step in $steps; do case $step in
  tail)
    run tail-60mV $mbi tail --levels 1,8,16,24,31 --sigma-vth 60mV
    run tail-30mV $mbi tail --levels 1,8,16 --sigma-vth 30mV ;;
  quick)
    run reproduce-quick $mbi reproduce --quick --out ${QUICK_OUT:-/work/runs25/quick} ;;
  passes)
    run cosim-passes-60mV-s1 $mbi cosim --lut $runs/pool-s1-tuned.lut --model models/ram-mbi-pool.ram --codings thermometer --branching 8 \
      --distance-budget 224 --dies 8 --test-images 1000 --seed 1 --passes 9 --vote 5 --stop-margin 0.35 --sigma-vth 60mV ;;
  gate60|gate90)
    sigma=${step#gate}mV
    for S in 1 2 3; do
      T=$(python3 -c "import json; print(repr(json.load(open('docs/mbi/learned-gate/pool/tune-mixed-pool-s$S.json'))['learned_gate']['threshold']))")
      run cosim-gate-s$S-$sigma $mbi cosim --lut $runs/pool-s$S-tuned.lut --branching 8 --distance-budget 224 --vote 5 \
        --gate $runs/pool-s$S-gate.json --threshold $T --seed $S --model models/ram-mbi-pool.ram \
        --fallback-model models/ram-reference-2s.ram --codings thermometer --dies 8 --test-images 1000 --sigma-vth $sigma
    done ;;
esac; done
date -u +%T
# Rule item 4 (started 11:37 beside the 90 mV runs): seed 1's mixed pipeline at 60 mV on all 10,000 test images,
# 4 dies (time): STEPS=full10k
if [[ " $steps " == *" full10k "* ]]; then
  T=$(python3 -c "import json; print(repr(json.load(open('docs/mbi/learned-gate/pool/tune-mixed-pool-s1.json'))['learned_gate']['threshold']))")
  run cosim-gate-s1-60mV-10000 $mbi cosim --lut $runs/pool-s1-tuned.lut --branching 8 --distance-budget 224 --vote 5 \
    --gate $runs/pool-s1-gate.json --threshold $T --seed 1 --model models/ram-mbi-pool.ram \
    --fallback-model models/ram-reference-2s.ram --codings thermometer --dies 4 --test-images 10000 --sigma-vth 60mV
fi
# Addendum 11:46: all 10,000 images, 8 dies, seeds 1-3 at 60 mV, then seed 1 at 90 mV: STEPS=full10k8
# (addendum 12:48: JOBS="2:90mV 3:90mV" STEPS=full10k8 for seeds 2 and 3 at 90 mV)
if [[ " $steps " == *" full10k8 "* ]]; then
  for job in ${JOBS:-1:60mV 2:60mV 3:60mV 1:90mV}; do
    S=${job%%:*}; sigma=${job#*:}
    T=$(python3 -c "import json; print(repr(json.load(open('docs/mbi/learned-gate/pool/tune-mixed-pool-s$S.json'))['learned_gate']['threshold']))")
    run cosim-gate-s$S-$sigma-10000-8dies $mbi cosim --lut $runs/pool-s$S-tuned.lut --branching 8 --distance-budget 224 --vote 5 \
      --gate $runs/pool-s$S-gate.json --threshold $T --seed $S --model models/ram-mbi-pool.ram \
      --fallback-model models/ram-reference-2s.ram --codings thermometer --dies 8 --test-images 10000 --sigma-vth $sigma
  done
fi
