// The outside anchor for Mbi's exact-search speed: FAISS IndexBinaryFlat (Debian libfaiss-dev 1.7.3, a static
// library) behind four C functions, so BenchmarkDotNet can time it beside Mbi in one run.
// Built by build-faiss-anchor.sh into .build/anchors/libmbifaiss.so; nothing in Mbi links it.
#include <faiss/IndexBinaryFlat.h>
#include <omp.h>
#include <cstdint>

extern "C" {
void* mbi_faiss_binary_flat_new(int bits) { omp_set_num_threads(1); return new faiss::IndexBinaryFlat(bits); }
void mbi_faiss_binary_flat_add(void* index, int64_t n, const uint8_t* codes) { static_cast<faiss::IndexBinaryFlat*>(index)->add(n, codes); }
void mbi_faiss_binary_flat_search(void* index, int64_t nq, const uint8_t* queries, int32_t* distances, int64_t* labels)
{
    static_cast<faiss::IndexBinaryFlat*>(index)->search(nq, queries, 1, distances, labels);
}
void mbi_faiss_free(void* index) { delete static_cast<faiss::IndexBinaryFlat*>(index); }
}
