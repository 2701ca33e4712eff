#!/usr/bin/env bash
# Session 12: the value-store read (and the whole energy account) at the FF and SS corners, 27 C, paper configuration.
cd /work/main
mbi="dotnet /work/runs12/grid-bin/mbi.dll"
for c in SS FF; do
  /usr/bin/time -f "%e s" $mbi energy --corner $c --mnist /work/shared/mnist --cache /work/runs12/corners/cache --json \
    > /work/runs12/corners/energy-$c.json 2> /work/runs12/corners/energy-$c.err
  echo "$c rc=$? $(date +%T)"
done
