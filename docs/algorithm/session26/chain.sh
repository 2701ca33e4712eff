#!/bin/bash
# chain.sh SEED NAME: session 22's pooled chain (docs/algorithm/session22/chain.sh) with --coarse-gain 2 on its first stage.
set -e
S=$1; N=$2
cd /work/main
export MBI_MNIST=/work/shared/mnist
B="dotnet /work/b26/g/mbi.dll train --preset mbi --seed $S --split-seed 1"
$B --patch-pool 2 --coarse-gain 2 --epochs 120 --lr 0.002 --lr-decay 0.975 --augment-shift 2 --glimpse-hidden 256 --glimpse-features 512 --head-hidden 256 --head-input pre-activation --out /work/runs26/$N-wide.ram > /work/runs26/$N-wide.log 2>&1
$B --init /work/runs26/$N-wide.ram --epochs 60 --lr 0.0006 --lr-decay 0.97 --augment-shift 2 --out /work/runs26/$N-cont.ram > /work/runs26/$N-cont.log 2>&1
$B --init /work/runs26/$N-cont.ram --epochs 30 --lr 0.0003 --lr-decay 0.95 --augment-shift 2 --reinforce-weight 0.25 --out /work/runs26/$N-rw.ram > /work/runs26/$N-rw.log 2>&1
