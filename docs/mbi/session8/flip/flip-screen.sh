#!/usr/bin/env bash
# Session 8 record (absolute paths of the machine it ran on): two 15-epoch screens with --hidden-flip, each distilled at 234,000 rows and scored on validation by docs/mbi/session8/diagnose-harness.cs.txt, beside the session-7 baseline h1.
set -uo pipefail
cd /work/main
R=/work/runs/ram-s8; O=/work/runs/mbi-s8/flip; mkdir -p $O
for p in 0.05 0.15; do
  tag=f${p#0.}
  [ -f $R/$tag.ram ] || ./mbi train --preset mbi --epochs 15 --lr 0.002 --lr-decay 0.85 --head-hidden 256 --head-input pre-activation --hidden-flip $p --seed 1 --out $R/$tag.ram > $R/$tag.log 2>&1
done
for m in /work/runs/ram-s7/h1-pre256-15.ram $R/f05.ram $R/f15.ram; do
  tag=$(basename $m .ram)
  [ -f $O/$tag.lut ] || ./mbi distill --model $m --rows 234000 --seed 1 --out $O/$tag.lut --json > $O/$tag.distill.json 2>/dev/null
  for s in tree brute; do
    dotnet /work/h8/bin/Release/net10.0/Mbi.Bench.dll $O/$tag.lut $m $s > $O/$tag.$s.txt 2>&1
  done
  echo "$tag done"
done
