// The chunk scheduler: the OpenMP loop that hands chunks of paths to
// threads, catching any exception inside the region and rethrowing it after.
#pragma once

#include <cstdint>
#include <functional>

namespace wager::detail {

/// Calls run(thread, lo, hi) for consecutive chunks [lo, hi) of `chunk`
/// paths covering [begin, end), on `n_threads` threads (thread = the
/// caller's index into its per-thread scratch). Rethrows the first exception
/// once every thread has finished.
void for_each_chunk(int n_threads, std::int64_t begin, std::int64_t end, std::int64_t chunk,
                    const std::function<void(int, std::int64_t, std::int64_t)>& run);

}  // namespace wager::detail
