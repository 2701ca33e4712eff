// The fair outside anchor for Mbi's exact-search speed: FAISS's own header-only Hamming computer
// (faiss/utils/hamming-inl.h, HammingComputer32 for 32-byte codes) in a one-thread exhaustive k=1 scan, the loop
// FAISS's hammings_knn_hc runs for IndexBinaryFlat with a one-element heap (a strictly smaller distance replaces the
// best, so ties keep the lowest index). Built by build-faiss-anchor.sh with -O3 -march=native, so popcount64 is the
// hardware POPCNT instruction as in a pip or conda FAISS build; Debian's libfaiss.a (built for baseline x86-64)
// calls libgcc's software __popcountdi2 instead. Needs only the libfaiss-dev headers, not the library.
#include <faiss/utils/hamming.h> // includes hamming-inl.h (HammingComputer32)
#include <cstdint>
#include <cstring>
#include <limits>

namespace {
struct Scan {
    int64_t rows;
    uint8_t* codes;
};
}

extern "C" {
void* mbi_hamming_native_new(int64_t rows, const uint8_t* codes)
{
    auto* s = new Scan{rows, new uint8_t[rows * 32]};
    std::memcpy(s->codes, codes, rows * 32);
    return s;
}

// Nearest of the stored 256-bit codes to one 256-bit query: writes its Hamming distance and row.
void mbi_hamming_native_search(void* scan, const uint8_t* query, int32_t* distance, int64_t* label)
{
    const auto* s = static_cast<const Scan*>(scan);
    faiss::HammingComputer32 hc(query, 32);
    int best = std::numeric_limits<int>::max();
    int64_t bestRow = -1;
    const uint8_t* b = s->codes;
    for (int64_t j = 0; j < s->rows; j++, b += 32) {
        int d = hc.hamming(b);
        if (d < best) { best = d; bestRow = j; }
    }
    *distance = best;
    *label = bestRow;
}

void mbi_hamming_native_free(void* scan)
{
    auto* s = static_cast<Scan*>(scan);
    delete[] s->codes;
    delete s;
}
}
