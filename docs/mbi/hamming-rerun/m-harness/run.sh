#!/usr/bin/env bash
# docs/mbi.md diagnostics measured with research harnesses on the array's metric before e851d0f, re-run with the committed
# harness sources unchanged (only measure-harness-hamming's LUT / query-cache paths), compiled against the worktree's
# src/Algorithm (HEAD 362bab3) as /work/b25/ham-{harness,diagnose,vote,dagger}/Mbi.Bench.dll.
set -euo pipefail
cd /work/wt-ham
O=/work/runs25/ham/harness-out; mkdir -p $O
N="nice -n 15 dotnet"
# M4: where the misses come from (tree-search section): first-descent divergence depth (8-way, leaves 32, tree seed 1) and
#     the (hidden, location) context statistics, validation lookups of full.lut (cached by r1-tree/run.sh record)
$N /work/b25/ham-harness/Mbi.Bench.dll val diverge hamming 8 32 > $O/m4-diverge.txt 2> $O/m4-diverge.err
$N /work/b25/ham-harness/Mbi.Bench.dll val context hamming > $O/m4-context.txt 2> $O/m4-context.err
# M6: session 8, seed-1 table of models/ram-mbi-wide.ram (r2-session8/run.sh): teacher-forced / free-running divergence
#     (exact search) and the three confidence rules (tree: 8-way, leaves 32, gap best first under 224, seed 1)
L=/work/runs25/ham/s8/wide/s1.lut
$N /work/b25/ham-diagnose/Mbi.Bench.dll $L models/ram-mbi-wide.ram brute diag > $O/m6-diag-brute.txt 2> $O/m6-diag-brute.err
$N /work/b25/ham-diagnose/Mbi.Bench.dll $L models/ram-mbi-wide.ram tree > $O/m6-rules-tree.txt 2> $O/m6-rules-tree.err
# M8: session 10 vote harness, bit-weighted Hamming rows (models/ram-mbi-wide-cont.ram, 234,000 rows, 5,000 validation images)
V="$N /work/b25/ham-vote/Mbi.Bench.dll models/ram-mbi-wide-cont.ram 234000"
$V 1,3,5,9,17,33 5000 all > $O/m8-vote-all.txt 2> $O/m8-vote-all.err
$V 1,3,5,9,17,33 5000 weighted > $O/m8-vote-weighted.txt 2> $O/m8-vote-weighted.err
$V 3,5,9,17,33 5000 last > $O/m8-vote-last.txt 2> $O/m8-vote-last.err
$V 1 5000 delta > $O/m8-vote-delta.txt 2> $O/m8-vote-delta.err
STATS=1 $V 1 1000 weighted > $O/m8-vote-stats.txt 2> $O/m8-vote-stats.err
# M7: session 9 DAgger harness on models/ram-mbi-wide-cont.ram (takeover = oracle mode; own-image and two-fold rounds;
#     ORIGINAL_SHARE 0.5 for the two-fold table is read from docs/mbi.md "half network keys, half keys the chain visits", not recorded)
D="$N /work/b25/ham-dagger/Mbi.Bench.dll models/ram-mbi-wide-cont.ram 234000"
$D 0 oracle > $O/m7-takeover.txt 2> $O/m7-takeover.err
$D 1 brute > $O/m7-dagger-own.txt 2> $O/m7-dagger-own.err
$D 1 fold 0.5 > $O/m7-dagger-fold.txt 2> $O/m7-dagger-fold.err
echo done
