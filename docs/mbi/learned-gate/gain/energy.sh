#!/usr/bin/env bash
# Session 26: the energy of seed 1 of the mixed pipeline on the coarse-gain network (run.sh: gain-s1-tuned.lut), with
# ../pool/energy.sh's options.
HERE=docs/mbi/learned-gate/gain V=gain MODEL=${MODEL:-models/ram-mbi-gain.ram} RUNS=${RUNS:-/work/runs26/gain-gate} \
  exec bash "$(dirname "$0")/../pool/energy.sh"
