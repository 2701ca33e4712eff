#!/usr/bin/env bash
# R1 (README tree-search row, Hamming part; docs/mbi.md "On the array's metric"): session 13's research harness
# docs/mbi/tree-search/measure-harness-hamming.cs.txt, unchanged but for its LUT / query-cache paths, compiled against
# the worktree's src/Algorithm (HEAD 362bab3, contains e851d0f) as /work/b25/ham-harness/Mbi.Bench.dll.
# Table: mbi distill --model models/ram-mbi.ram --out /work/runs25/ham/full/full.lut (seed 1; 262,853 rows).
# usage: run.sh record | lanes | seeds "CHOSEN_BUILD" | test "CHOSEN_BUILD"   (CHOSEN_BUILD in the harness's a:b:c form, seed field 1)
set -euo pipefail
H="nice -n 15 dotnet /work/b25/ham-harness/Mbi.Bench.dll"
O=/work/runs25/ham/r1; mkdir -p $O
case "$1" in
  record) # exact-search chains on validation (5,000 held-out images, split seed 1) and test: caches the queries, prints exact accuracy
    $H val $O/record-val.csv hamming > $O/record-val.log 2>&1
    $H test $O/record-test.csv hamming > $O/record-test.log 2>&1 ;;
  lanes)  # the 53 (build, search) pairs of frontier_validation_hamming.csv, 18 builds, in two parallel processes
    $H val $O/frontier-lane0.csv hamming 8:16:2:32::1:0.1:3/gap:224 8:16:2:32::2:0.05:3/descend,gap:160,gap:224,gap:320,gap:448 8:16:2:32::1:0.05:3/gap:224,gap:448 8:8:4:16/gap:224,gap:448 8:32::::1:0.05:3/descend,gap:224 8:16:2:32/descend,gap:224,gap:448 8:32::::1:0.05:1/descend,gap:224 16:16/gap:224,gap:448 8:32/descend,gap:224,gap:448,gap:224:0.5,gap:224:0.75,gap:224:1.25,gap:224:1.5,gap:224:2,beam:2,beam:4,beam:8,gap:160,gap:320,gap:696 4:32/descend,gap:224,gap:448 > $O/lane0.log 2>&1 &
    $H val $O/frontier-lane1.csv hamming 8:8:4:32::1:0.05:3/gap:224 8:16:4:32::1:0.05:3/gap:224 8:16:2:32::3:0.05:3/descend,gap:224,gap:448 8:32::::1:0.1:6/descend,gap:224 8:8:4:32/descend,gap:224,gap:448 8:16:4:32/gap:224 16:32/descend,gap:224,gap:448 32:32/descend,gap:224,gap:448 > $O/lane1.log 2>&1 &
    wait ;;
  seeds)  # tree seeds 2 and 3 of the chosen configuration and of the plain 8 / 32 tree, gap best first under 224 (seed 1 rows come from the frontier)
    c=$2
    s2=$(echo $c | awk -F: 'BEGIN{OFS=":"}{$6=2;print}'); s3=$(echo $c | awk -F: 'BEGIN{OFS=":"}{$6=3;print}')
    $H val $O/seeds-a.csv hamming $s2/gap:224 8:32::::2/gap:224 > $O/seeds-a.log 2>&1 &
    $H val $O/seeds-b.csv hamming $s3/gap:224 8:32::::3/gap:224 > $O/seeds-b.log 2>&1 &
    wait ;;
  test)   # test, scored once: the chosen configuration, tree seed 1
    $H test $O/chosen-test.csv hamming $2/gap:224 > $O/chosen-test.log 2>&1 ;;
esac
# Control (added 11:33 UTC, after the test score): the same harness compiled against e851d0f^ (b2ee88d, before the fix) as
# /work/b25/pre-harness/Mbi.Bench.dll (own query cache /work/runs25/ham/full-pre), same full.lut: does it give session 13's
# validation numbers (81.78 % for 8:16:2:32::1:0.1:3, 76.72 % for 8:32, both gap 224)?  usage: run.sh control
if [ "$1" = control ]; then
  P="nice -n 15 dotnet /work/b25/pre-harness/Mbi.Bench.dll"
  $P val $O/control-pre.csv hamming 8:16:2:32::1:0.1:3/gap:224 8:32/gap:224 > $O/control-pre.log 2>&1
fi
