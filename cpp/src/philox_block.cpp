// Philox4x32-10 for a block of 32 counters with the multiplies written by
// hand (docs/performance.md, "Philox by hand"). The compiler's own version
// widens every 32-bit word to 64 bits for vpmuludq and packs the halves back
// each round; here the even words are multiplied in place and the odd ones
// after a 64-bit shift, and the high and low halves are put back with blends.
// The first call picks the widest version the processor runs.
#include "philox_block.hpp"

#if defined(WAGER_HAVE_SIMD_CLONES)
#include <immintrin.h>
#endif

namespace wager::random {

namespace {
using Constants = detail::PhiloxConstants<std::uint32_t>;
constexpr std::size_t L = philox_block_lanes;
}  // namespace

#if defined(WAGER_HAVE_SIMD_CLONES)

// GCC 12's AVX-512 headers start some intrinsics from an uninitialised
// register (_mm512_undefined), which -Wuninitialized reports once inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
__attribute__((target("avx512f"))) void philox4x32_block_avx512(Philox4x32Lanes<L>& c, Philox4x32Key key) {
  constexpr std::size_t V = 16, n = L / V;
  const __m512i m0 = _mm512_set1_epi64(Constants::m0), m1 = _mm512_set1_epi64(Constants::m1);
  constexpr __mmask16 odd = 0xAAAA;
  __m512i w0[n], w1[n], w2[n], w3[n];
  for (std::size_t h = 0; h < n; ++h) {
    w0[h] = _mm512_loadu_si512(c.w0.data() + V * h);
    w1[h] = _mm512_loadu_si512(c.w1.data() + V * h);
    w2[h] = _mm512_loadu_si512(c.w2.data() + V * h);
    w3[h] = _mm512_loadu_si512(c.w3.data() + V * h);
  }
  std::uint32_t k0 = key[0], k1 = key[1];
  for (int r = 0; r < 10; ++r) {
    const __m512i key0 = _mm512_set1_epi32(static_cast<int>(k0));
    const __m512i key1 = _mm512_set1_epi32(static_cast<int>(k1));
    for (std::size_t h = 0; h < n; ++h) {
      const __m512i p0e = _mm512_mul_epu32(w0[h], m0), p0o = _mm512_mul_epu32(_mm512_srli_epi64(w0[h], 32), m0);
      const __m512i p1e = _mm512_mul_epu32(w2[h], m1), p1o = _mm512_mul_epu32(_mm512_srli_epi64(w2[h], 32), m1);
      const __m512i hi0 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(p0e, 32), p0o);
      const __m512i hi1 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(p1e, 32), p1o);
      w0[h] = _mm512_ternarylogic_epi32(hi1, w1[h], key0, 0x96);  // 0x96: a ^ b ^ c
      w2[h] = _mm512_ternarylogic_epi32(hi0, w3[h], key1, 0x96);
      w1[h] = _mm512_mask_blend_epi32(odd, p1e, _mm512_slli_epi64(p1o, 32));
      w3[h] = _mm512_mask_blend_epi32(odd, p0e, _mm512_slli_epi64(p0o, 32));
    }
    k0 += Constants::w0;
    k1 += Constants::w1;
  }
  for (std::size_t h = 0; h < n; ++h) {
    _mm512_storeu_si512(c.w0.data() + V * h, w0[h]);
    _mm512_storeu_si512(c.w1.data() + V * h, w1[h]);
    _mm512_storeu_si512(c.w2.data() + V * h, w2[h]);
    _mm512_storeu_si512(c.w3.data() + V * h, w3[h]);
  }
}

#pragma GCC diagnostic pop

__attribute__((target("avx2"))) void philox4x32_block_avx2(Philox4x32Lanes<L>& c, Philox4x32Key key) {
  constexpr std::size_t V = 8, n = L / V;
  const __m256i m0 = _mm256_set1_epi64x(Constants::m0), m1 = _mm256_set1_epi64x(Constants::m1);
  constexpr int odd = 0xAA;
  __m256i w0[n], w1[n], w2[n], w3[n];
  for (std::size_t h = 0; h < n; ++h) {
    w0[h] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c.w0.data() + V * h));
    w1[h] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c.w1.data() + V * h));
    w2[h] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c.w2.data() + V * h));
    w3[h] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c.w3.data() + V * h));
  }
  std::uint32_t k0 = key[0], k1 = key[1];
  for (int r = 0; r < 10; ++r) {
    const __m256i key0 = _mm256_set1_epi32(static_cast<int>(k0));
    const __m256i key1 = _mm256_set1_epi32(static_cast<int>(k1));
    for (std::size_t h = 0; h < n; ++h) {
      const __m256i p0e = _mm256_mul_epu32(w0[h], m0), p0o = _mm256_mul_epu32(_mm256_srli_epi64(w0[h], 32), m0);
      const __m256i p1e = _mm256_mul_epu32(w2[h], m1), p1o = _mm256_mul_epu32(_mm256_srli_epi64(w2[h], 32), m1);
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(p0e, 32), p0o, odd);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(p1e, 32), p1o, odd);
      w0[h] = _mm256_xor_si256(_mm256_xor_si256(hi1, w1[h]), key0);
      w2[h] = _mm256_xor_si256(_mm256_xor_si256(hi0, w3[h]), key1);
      w1[h] = _mm256_blend_epi32(p1e, _mm256_slli_epi64(p1o, 32), odd);
      w3[h] = _mm256_blend_epi32(p0e, _mm256_slli_epi64(p0o, 32), odd);
    }
    k0 += Constants::w0;
    k1 += Constants::w1;
  }
  for (std::size_t h = 0; h < n; ++h) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c.w0.data() + V * h), w0[h]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c.w1.data() + V * h), w1[h]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c.w2.data() + V * h), w2[h]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c.w3.data() + V * h), w3[h]);
  }
}

#endif

void philox4x32_block_portable(Philox4x32Lanes<L>& c, Philox4x32Key key) { philox4x32_lanes(c, key); }

PhiloxBlockFunction philox4x32_block_best() {
#if defined(WAGER_HAVE_SIMD_CLONES)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return philox4x32_block_avx512;
  if (__builtin_cpu_supports("avx2")) return philox4x32_block_avx2;
#endif
  return philox4x32_block_portable;
}

void philox4x32_block(Philox4x32Lanes<L>& c, Philox4x32Key key) {
  static const PhiloxBlockFunction best = philox4x32_block_best();  // chosen once, then read only
  best(c, key);
}

}  // namespace wager::random
