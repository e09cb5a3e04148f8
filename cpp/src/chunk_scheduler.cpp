// The chunk scheduler: dynamic scheduling of chunks over the threads asked
// for (num_threads clause only); an exception never escapes the parallel region.
#include "chunk_scheduler.hpp"

#include <algorithm>
#include <exception>

#ifdef WAGER_HAVE_OPENMP
#include <omp.h>
#endif

namespace wager::detail {

void for_each_chunk(int n_threads, std::int64_t begin, std::int64_t end, std::int64_t chunk,
                    const std::function<void(int, std::int64_t, std::int64_t)>& run) {
  const std::int64_t n_chunks = (end - begin + chunk - 1) / chunk;
  std::exception_ptr error;
#ifdef WAGER_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(n_threads) default(none) \
    shared(begin, end, chunk, n_chunks, error, run)
#else
  (void)n_threads;
#endif
  for (std::int64_t k = 0; k < n_chunks; ++k) {
#ifdef WAGER_HAVE_OPENMP
    const int thread = omp_get_thread_num();
#else
    const int thread = 0;
#endif
    // An exception must not escape the parallel region: keep the first one.
    try {
      const std::int64_t lo = begin + k * chunk;
      run(thread, lo, std::min(end, lo + chunk));
    } catch (...) {
#ifdef WAGER_HAVE_OPENMP
#pragma omp critical(wager_simulation_error)
#endif
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace wager::detail
