#!/usr/bin/env bash
# Extra (outside the brief's README/docs/mbi.md set, found while listing): docs/algorithm.md "Distilled into MBI" table, wide model row,
# column "array's metric (bit-weighted Hamming), tree: pure / mixed at T = 5" (74.32 % / 96.97 % at 23.03 %).
# Its distill line there is `mbi distill --rows 234000` (seed 1); the session-8 seed-1 table (r2-session8, --seed 1 --split-seed 1,
# 267,221 distinct keys) is taken to be the same table; BUILD=/work/b25/pre TAG=pre (e851d0f^) checks that it reproduces the old figures.
set -euo pipefail
cd /work/wt-ham
export MBI_MNIST=/work/shared/mnist
B=${BUILD:-/work/b25/ham}; TAG=${TAG:-head}
MBI="nice -n 15 dotnet $B/mbi.dll"
L=/work/runs25/ham/s8/wide/s1.lut; O=/work/runs25/ham/xalg; mkdir -p $O
$MBI infer --lut $L --model models/ram-mbi-wide.ram --metric hamming --json > $O/pure-$TAG.json 2> $O/pure-$TAG.err
$MBI infer --lut $L --model models/ram-mbi-wide.ram --metric hamming --threshold 5 --json > $O/t5-$TAG.json 2> $O/t5-$TAG.err
