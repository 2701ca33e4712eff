#!/bin/bash
# ft.sh NAME SEED extra-args...
set -e
name=$1; seed=$2; shift 2
cd /work/main
export MBI_MNIST=/work/shared/mnist
nice -n 5 dotnet /work/b26/s/mbi.dll train --preset mbi --init models/ram-mbi-pool.ram --epochs 30 --lr-decay 0.95 --augment-shift 2 \
  --split-seed 1 --seed $seed "$@" --out /work/runs26/$name-s$seed.ram > /work/runs26/$name-s$seed.log 2>&1
