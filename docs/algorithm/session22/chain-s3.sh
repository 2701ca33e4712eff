#!/bin/bash
set -e
cd /work/main
export MBI_MNIST=/work/shared/mnist
B="dotnet /work/b22/s/mbi.dll train --preset mbi --seed 3 --split-seed 1"
$B --patch-pool 2 --epochs 120 --lr 0.002 --lr-decay 0.975 --augment-shift 2 --glimpse-hidden 256 --glimpse-features 512 --head-hidden 256 --head-input pre-activation --out /work/runs22/p2s3c-wide.ram > /work/runs22/p2s3c-wide.log 2>&1
$B --init /work/runs22/p2s3c-wide.ram --epochs 60 --lr 0.0006 --lr-decay 0.97 --augment-shift 2 --out /work/runs22/p2s3c-cont.ram > /work/runs22/p2s3c-cont.log 2>&1
$B --init /work/runs22/p2s3c-cont.ram --epochs 30 --lr 0.0003 --lr-decay 0.95 --augment-shift 2 --reinforce-weight 0.25 --out /work/runs22/p2s3c-rw.ram > /work/runs22/p2s3c-rw.log 2>&1
