#!/bin/bash
# The pooled wide chain as it ran this session, one script for the three seeds (the session ran three copies of it that
# differed only in these two values): seed 1 -> p2-*, seed 2 -> p2s2-* (shipped), seed 3 -> p2s3c-*.
#   bash chain.sh 1 p2     bash chain.sh 2 p2s2     bash chain.sh 3 p2s3c
set -e
SEED=$1; NAME=$2
cd /work/main
export MBI_MNIST=/work/shared/mnist
SPLIT=""; [ "$SEED" != 1 ] && SPLIT="--split-seed 1"
B="dotnet /work/b22/s/mbi.dll train --preset mbi --seed $SEED $SPLIT"
$B --patch-pool 2 --epochs 120 --lr 0.002 --lr-decay 0.975 --augment-shift 2 --glimpse-hidden 256 --glimpse-features 512 --head-hidden 256 --head-input pre-activation --out /work/runs22/$NAME-wide.ram > /work/runs22/$NAME-wide.log 2>&1
$B --init /work/runs22/$NAME-wide.ram --epochs 60 --lr 0.0006 --lr-decay 0.97 --augment-shift 2 --out /work/runs22/$NAME-cont.ram > /work/runs22/$NAME-cont.log 2>&1
$B --init /work/runs22/$NAME-cont.ram --epochs 30 --lr 0.0003 --lr-decay 0.95 --augment-shift 2 --reinforce-weight 0.25 --out /work/runs22/$NAME-rw.ram > /work/runs22/$NAME-rw.log 2>&1
