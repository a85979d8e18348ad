// Splitting elementwise work into tasks for the thread pool.
#pragma once

#include <cstdint>

#include "../../runtime/thread_pool.h"

namespace tg {

// Runs body(begin, end) over [0, n) in chunks of `grain` elements, on the pool. The chunks depend
// on n alone, never on the thread count, so results are the same for any number of threads; work
// of one chunk or less runs on the calling thread.
template <typename Body>
void for_chunks(int64_t n, int64_t grain, Body body) {
  if (n <= 0) return;
  const int64_t tasks = (n + grain - 1) / grain;
  parallel_for(tasks, [&](int64_t t) {
    const int64_t begin = t * grain;
    body(begin, n - begin < grain ? n : begin + grain);
  });
}

}  // namespace tg
