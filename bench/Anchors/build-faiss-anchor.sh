#!/usr/bin/env bash
# Builds the FAISS anchor (faiss_anchor.cpp) into $1/libmbifaiss.so from Debian's libfaiss-dev (apt-get install libfaiss-dev g++).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?output folder}"
lib=/usr/lib/x86_64-linux-gnu/libfaiss.a
[ -f "$lib" ] || { echo "build-faiss-anchor: $lib not found; install it with: apt-get install -y libfaiss-dev" >&2; exit 1; }
mkdir -p "$out"
g++ -O2 -shared -fPIC -o "$out/libmbifaiss.so.tmp" "$here/faiss_anchor.cpp" \
  -Wl,--whole-archive "$lib" -Wl,--no-whole-archive -fopenmp -lblas -llapack
mv "$out/libmbifaiss.so.tmp" "$out/libmbifaiss.so"
