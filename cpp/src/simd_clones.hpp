// Function multiversioning for the hot loops: each marked function is
// compiled for AVX-512, AVX2 and the baseline, and the loader picks the best
// the machine has. The loops are written so that every version computes the
// same bits (no fused multiply-add: -ffp-contract=off; only correctly
// rounded operations), so the choice changes the speed, never the result.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(WAGER_NO_SIMD_CLONES)
#define WAGER_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#define WAGER_HAVE_SIMD_CLONES 1
#else
#define WAGER_SIMD_CLONES
#endif
