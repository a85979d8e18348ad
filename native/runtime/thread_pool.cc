#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define TG_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define TG_PAUSE() asm volatile("yield")
#else
#define TG_PAUSE() ((void)0)
#endif

namespace tg {
namespace {

// Workers spin this long before sleeping: a training loop calls kernels back to back with some
// JavaScript (and a turn of the event loop) between them, and waking a sleeping thread costs tens
// of microseconds, more than many of the kernels it would run. OpenMP runtimes spin for longer.
constexpr auto kSpinTime = std::chrono::microseconds(300);

// Calls done() until it is true or kSpinTime has passed; true when done.
template <typename Done>
bool spin(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + kSpinTime;
  for (;;) {
    for (int r = 0; r < 64; ++r) {
      if (done()) return true;
      TG_PAUSE();
    }
    if (std::chrono::steady_clock::now() > deadline) return false;
  }
}

class Pool {
 public:
  Pool() { resize(default_num_threads()); }

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  void resize(int n) {
    std::lock_guard<std::mutex> drive(drive_mu_);
    n = std::clamp(n, 1, 1024);
    stop_workers();
    for (int i = 1; i < n; ++i) workers_.emplace_back([this] { worker_loop(); });
  }

  void run(int64_t n_tasks, TaskRef task) {
    if (n_tasks <= 0) return;
    // tls_in_pool_ first: a task that calls parallel_for must not try_lock a mutex its own
    // thread may hold.
    if (tls_in_pool_ || n_tasks == 1) return run_serial(n_tasks, task);
    std::unique_lock<std::mutex> drive(drive_mu_, std::try_to_lock);
    if (!drive.owns_lock() || workers_.empty()) return run_serial(n_tasks, task);
    tls_in_pool_ = true;
    {
      std::lock_guard<std::mutex> lk(mu_);
      task_ = &task;
      n_tasks_ = n_tasks;
      next_.store(0, std::memory_order_relaxed);
      pending_.store(n_tasks, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    cv_work_.notify_all();
    drain(task, n_tasks);
    // No worker may still hold `task` when it goes out of scope. The spin waits for the workers
    // to leave the loop too: a worker that ran the last task is still on its way out when
    // pending_ reaches 0, and sleeping on cv_done_ for it cost a futex round trip per loop
    // (a 40x64x500 product ran slower on two threads than on one).
    spin_until([this] {
      return pending_.load(std::memory_order_acquire) == 0 && active_.load(std::memory_order_acquire) == 0;
    });
    {
      std::unique_lock<std::mutex> lk(mu_);
      task_ = nullptr;
      cv_done_.wait(lk, [this] { return active_.load(std::memory_order_acquire) == 0; });
    }
    tls_in_pool_ = false;
  }

 private:
  static void run_serial(int64_t n_tasks, const TaskRef& task) {
    for (int64_t i = 0; i < n_tasks; ++i) task(i);
  }

  void drain(const TaskRef& task, int64_t n_tasks) {
    for (;;) {
      int64_t i = next_.fetch_add(1, std::memory_order_relaxed);
      if (i >= n_tasks) return;
      task(i);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lk(mu_);
        cv_done_.notify_all();
      }
    }
  }

  template <typename Pred>
  void spin_until(Pred done) {
    if (spin(done)) return;
    std::unique_lock<std::mutex> lk(mu_);
    cv_done_.wait(lk, done);
  }

  void worker_loop() {
    tls_in_pool_ = true;
    uint64_t seen = 0;
    for (;;) {
      if (!wait_for_generation(seen)) return;
      const TaskRef* task;
      int64_t n;
      {
        std::lock_guard<std::mutex> lk(mu_);
        seen = generation_.load(std::memory_order_acquire);
        task = task_;
        n = n_tasks_;
        if (task) active_.fetch_add(1, std::memory_order_relaxed);
      }
      if (!task) continue;
      drain(*task, n);
      std::lock_guard<std::mutex> lk(mu_);
      if (active_.fetch_sub(1, std::memory_order_acq_rel) == 1) cv_done_.notify_all();
    }
  }

  // False when the pool is stopping.
  bool wait_for_generation(uint64_t seen) {
    if (spin([&] { return stop_.load(std::memory_order_relaxed) || generation_.load(std::memory_order_acquire) != seen; })) {
      return !stop_.load();
    }
    std::unique_lock<std::mutex> lk(mu_);
    cv_work_.wait(lk, [&] { return stop_.load() || generation_.load() != seen; });
    return !stop_.load();
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_.store(true);
    }
    cv_work_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    stop_.store(false);
  }

  std::mutex drive_mu_;  // held by the one thread driving a loop, and by resize
  std::mutex mu_;        // guards task_, n_tasks_ and changes of active_; pairs with the cvs
  std::condition_variable cv_work_, cv_done_;
  std::vector<std::thread> workers_;
  const TaskRef* task_ = nullptr;
  int64_t n_tasks_ = 0;
  std::atomic<int> active_{0};  // workers inside the current loop
  std::atomic<int64_t> next_{0}, pending_{0};
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
  static thread_local bool tls_in_pool_;
};

thread_local bool Pool::tls_in_pool_ = false;

// Never destroyed: Node may exit while a worker thread still holds the pool, and joining
// threads from a static destructor at exit could hang.
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

int cores_available() {
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
#endif
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

int default_num_threads() {
  if (const char* env = std::getenv("TENSORGRAD_NUM_THREADS")) {
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && v > 0) return static_cast<int>(std::min(v, 1024L));
  }
  return cores_available();
}

int num_threads() { return pool().size(); }
void set_num_threads(int n) { pool().resize(n); }
void parallel_for(int64_t n_tasks, TaskRef task) { pool().run(n_tasks, task); }

}  // namespace tg
