#!/usr/bin/env bash
# Session 26: session 23's pipeline (../pool/run.sh) with nothing changed but the network: models/ram-mbi-gain.ram, the
# coarse-gain model that replaced models/ram-mbi-pool.ram as the shipped one-pass model by session 26's rule
# (docs/algorithm/session26/rule.txt). Outputs here, named gain-*.
HERE=docs/mbi/learned-gate/gain V=gain MODEL=${MODEL:-models/ram-mbi-gain.ram} RUNS=${RUNS:-/work/runs26/gain-gate} \
  LUTS=${LUTS:-/work/runs26/luts} exec bash "$(dirname "$0")/../pool/run.sh"
