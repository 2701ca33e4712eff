#!/usr/bin/env bash
# Session 14: the whole `mbi energy` account at SS (with the SS value-read timing), beside TT and FF, same options.
# Paper configuration, default 100,000-row table, 1,000 test images, SPICE ADC, seed 1; the worktree's .build/cache
# (TT reads the shipped models/characterisation data; SS and FF measure their band points with ngspice).
cd "$(dirname "$0")/../../.."
for run in "TT:" "SS:--corner SS --design samples/designs/ss-value-read.json" "FF:--corner FF"; do
  name=${run%%:*}; args=${run#*:}
  /usr/bin/time -f "%e s" ./mbi energy $args --mnist /work/shared/mnist --json > /tmp/energy-$name.json.tmp 2> /tmp/energy-$name.log \
    && mv /tmp/energy-$name.json.tmp docs/energy/ss-corner/energy-$name.json
done
# The headline's full table, read from the points measured above (13 s each):
for run in "TT:" "SS:--corner SS --design samples/designs/ss-value-read.json" "FF:--corner FF"; do
  name=${run%%:*}; args=${run#*:}
  ./mbi energy $args --rows 262853 --mnist /work/shared/mnist --json > /tmp/energy-$name-rows262853.json.tmp 2>/dev/null \
    && mv /tmp/energy-$name-rows262853.json.tmp docs/energy/ss-corner/energy-$name-rows262853.json
done
