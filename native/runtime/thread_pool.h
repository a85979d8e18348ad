// Process-wide worker pool shared by every Node context (main thread and worker_threads).
#pragma once

#include <cstdint>

namespace tg {

// A borrowed reference to a callable, so that a parallel loop costs no allocation.
class TaskRef {
 public:
  template <typename F>
  TaskRef(const F& f)  // NOLINT(google-explicit-constructor): used like std::function
      : obj_(&f), call_([](const void* o, int64_t i) { (*static_cast<const F*>(o))(i); }) {}
  void operator()(int64_t i) const { call_(obj_, i); }

 private:
  const void* obj_;
  void (*call_)(const void*, int64_t);
};

// Threads taking part in parallel loops, the calling thread included.
int num_threads();

// Clamped to [1, 1024]. Waits for a loop in flight to finish first.
void set_num_threads(int n);

// The default: TENSORGRAD_NUM_THREADS when set to a positive integer, else the cores this process may use.
int default_num_threads();

// Runs task(i) for every i in [0, n_tasks), in any order, on the pool and the calling thread,
// and returns when all are done. The caller decides n_tasks from the problem size alone, so a
// result never depends on the thread count. When another thread already drives the pool (a
// second Node context, or a nested call), the loop runs serially on the calling thread.
void parallel_for(int64_t n_tasks, TaskRef task);

}  // namespace tg
