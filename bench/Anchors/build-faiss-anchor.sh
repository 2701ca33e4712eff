#!/usr/bin/env bash
# Builds the FAISS anchors into $1 (apt-get install -y libfaiss-dev g++):
#   libmbifaiss.so          faiss_anchor.cpp: IndexBinaryFlat from Debian's static libfaiss.a, as Debian built it
#                           (baseline x86-64: its Hamming loops call libgcc's software __popcountdi2, no POPCNT);
#   libmbifaisshamming.so   faiss_hamming_native.cpp: FAISS's header-only HammingComputer32 in a k=1 scan, compiled
#                           here with -O3 -march=native (hardware POPCNT, as a pip or conda FAISS build runs).
# $2 (optional) builds only one of them: binary-flat or hamming-native.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?output folder}"
which="${2:-all}"
lib=/usr/lib/x86_64-linux-gnu/libfaiss.a
header=/usr/include/faiss/utils/hamming.h
mkdir -p "$out"
if [ "$which" = all ] || [ "$which" = binary-flat ]; then
  [ -f "$lib" ] || { echo "build-faiss-anchor: $lib not found; install it with: apt-get install -y libfaiss-dev" >&2; exit 1; }
  g++ -O2 -shared -fPIC -o "$out/libmbifaiss.so.tmp" "$here/faiss_anchor.cpp" \
    -Wl,--whole-archive "$lib" -Wl,--no-whole-archive -fopenmp -lblas -llapack
  mv "$out/libmbifaiss.so.tmp" "$out/libmbifaiss.so"
fi
if [ "$which" = all ] || [ "$which" = hamming-native ]; then
  [ -f "$header" ] || { echo "build-faiss-anchor: $header not found; install it with: apt-get install -y libfaiss-dev" >&2; exit 1; }
  g++ -O3 -march=native -shared -fPIC -o "$out/libmbifaisshamming.so.tmp" "$here/faiss_hamming_native.cpp"
  mv "$out/libmbifaisshamming.so.tmp" "$out/libmbifaisshamming.so"
fi
