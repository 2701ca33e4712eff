cd /work/wt-kd
for net in "wc models/ram-mbi-wide-cont.ram" "rw /work/runs10/rw025.ram"; do
  set -- $net
  for S in 1 2 3; do
    name=$1-188k-v5-gate-s$S
    [ -f /work/runs11/gate/$name.json ] && continue
    ./mbi tune-mixed --lut /work/runs10/i3/$1-188k-s$S.lut --model $2 --metric manhattan --branching 8 --distance-budget 224 --vote 5 --target 0.975 --budget 40 --seed $S --split-seed 1 --mnist /work/shared/mnist --out /work/runs11/gate/$name --out-lut /work/runs11/gate/$name.lut --json > /work/runs11/gate/$name.json 2> /work/runs11/gate/$name.err
    echo "$name $(date +%T)"
  done
done
