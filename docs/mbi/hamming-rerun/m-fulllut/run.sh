#!/usr/bin/env bash
# M1, M2 (docs/mbi.md): infer on out/mbi/full.lut (= /work/runs25/ham/full/full.lut, `mbi distill --model models/ram-mbi.ram`,
# seed 1, 262,853 rows) with --metric hamming; the same commands as the page, HEAD build (362bab3, contains e851d0f).
# With BUILD=/work/b25/pre (e851d0f^ = b2ee88d, before the fix) the same commands serve as a control: they should give the old figures.
set -euo pipefail
cd /work/wt-ham
export MBI_MNIST=/work/shared/mnist
B=${BUILD:-/work/b25/ham}; TAG=${TAG:-head}
MBI="nice -n 15 dotnet $B/mbi.dll"
L=/work/runs25/ham/full/full.lut; O=/work/runs25/ham/fulllut; mkdir -p $O
# M1: results-table row "pure MBI, array's bit-weighted Hamming, tree, a = b = c" (32-way single descent)
[ "$TAG" = chosen ] || $MBI infer --lut $L --metric hamming > $O/m1-$TAG.txt 2> $O/m1-$TAG.err
[ "$TAG" = chosen ] || $MBI infer --lut $L --metric hamming --json > $O/m1-$TAG.json 2>> $O/m1-$TAG.err
# M2: the CLI block (the session-13 chosen tree: 8-way, leaves of 16 + 2 spilled neighbours, overlap 0.1 x 3, gap best first under 224)
[ "$TAG" = head ] && $MBI infer --lut $L --metric hamming --branching 8 --leaf-size 16 --spill-neighbours 2 \
    --overlap 0.1 --overlap-levels 3 --distance-budget 224 > $O/m2-$TAG.txt 2> $O/m2-$TAG.err
echo done
# M2b (added after R1's pick, 11:11 UTC): the same CLI line on the tree R1 re-chose on validation (8-way, leaves of 8 + 4 spilled
# neighbours, overlap 0.05 x 3, gap best first under 224); run with TAG=chosen. Lookup-only accuracy on test of the already
# chosen configuration; not used for any choice.
if [ "$TAG" = chosen ]; then
  $MBI infer --lut $L --metric hamming --branching 8 --leaf-size 8 --spill-neighbours 4 \
    --overlap 0.05 --overlap-levels 3 --distance-budget 224 > $O/m2b-chosen.txt 2> $O/m2b-chosen.err
  $MBI infer --lut $L --metric hamming --branching 8 --leaf-size 8 --spill-neighbours 4 \
    --overlap 0.05 --overlap-levels 3 --distance-budget 224 --json > $O/m2b-chosen.json 2>> $O/m2b-chosen.err
fi
