// The versions of random::philox4x32_block, each callable on its own so that
// the tests can check every one the processor runs against the reference.
#pragma once

#include "simd_clones.hpp"
#include "wager/random/philox_lanes.hpp"

namespace wager::random {

using PhiloxBlockFunction = void (*)(Philox4x32Lanes<philox_block_lanes>&, Philox4x32Key);

#if defined(WAGER_HAVE_SIMD_CLONES)
/// AVX-512F intrinsics (16 words a register); only on a processor with AVX-512F.
void philox4x32_block_avx512(Philox4x32Lanes<philox_block_lanes>& c, Philox4x32Key key);
/// AVX2 intrinsics (8 words a register); only on a processor with AVX2.
void philox4x32_block_avx2(Philox4x32Lanes<philox_block_lanes>& c, Philox4x32Key key);
#endif
/// philox4x32_lanes: any processor.
void philox4x32_block_portable(Philox4x32Lanes<philox_block_lanes>& c, Philox4x32Key key);

/// The widest version this processor runs.
PhiloxBlockFunction philox4x32_block_best();

}  // namespace wager::random
