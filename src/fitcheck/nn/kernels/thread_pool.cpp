#include "fitcheck/nn/kernels/thread_pool.hpp"

#include "fitcheck/nn/detail/flush_denormals.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace fitcheck::nn::kernels {
namespace {

// Workers wait for a parallel region by spinning briefly, then blocking: a training step runs
// several small GEMMs back to back, and a futex wake-up per region (tens of microseconds) would
// cost more than the region itself. The main thread waits for the workers the same way.
constexpr auto kSpin = std::chrono::microseconds(50);

// Spins until `ready()` or kSpin has passed; true when ready.
template <typename Ready>
bool spin_until(Ready ready) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (int i = 0;; ++i) {
    if (ready()) return true;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if ((i & 63) == 63 && std::chrono::steady_clock::now() >= until) return false;
  }
}

class Pool {
 public:
  explicit Pool(int workers) {
    for (int i = 0; i < workers; ++i) {
      threads_.emplace_back([this, i] {
        detail::flush_denormals_on_this_thread();  // the workers run training kernels only
        loop(i + 1);
      });
    }
  }
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

  void run(int parts, const std::function<void(int, int)>& fn) {
    std::unique_lock run_lock(run_mutex_);  // one parallel region at a time
    {
      std::lock_guard lock(mutex_);
      fn_ = &fn;
      parts_ = parts;
      pending_.store(parts - 1, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    fn(0, parts);
    if (!spin_until([this] { return pending_.load(std::memory_order_acquire) == 0; })) {
      std::unique_lock lock(mutex_);
      done_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
    }
    std::lock_guard lock(mutex_);
    fn_ = nullptr;
  }

 private:
  void loop(int id) {
    std::uint64_t seen = 0;
    for (;;) {
      spin_until([&] { return generation_.load(std::memory_order_acquire) != seen; });
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load(std::memory_order_relaxed) != seen; });
      if (stop_) return;
      seen = generation_.load(std::memory_order_relaxed);
      if (id >= parts_) continue;
      const auto* fn = fn_;
      const int parts = parts_;
      lock.unlock();
      (*fn)(id, parts);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        // Taking the lock orders this after a main thread that checked pending_ and is going to
        // sleep, so the notification cannot be lost.
        { std::lock_guard done_lock(mutex_); }
        done_.notify_one();
      }
    }
  }

  std::vector<std::thread> threads_;
  std::mutex run_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int, int)>* fn_ = nullptr;  // guarded by mutex_
  int parts_ = 0;                                       // guarded by mutex_
  std::atomic<int> pending_{0};
  std::atomic<std::uint64_t> generation_{0};  // written under mutex_, read by spinning workers
  bool stop_ = false;                         // guarded by mutex_
};

Pool& pool() {
  static Pool p(max_threads() - 1);
  return p;
}

}  // namespace

int max_threads() {
  static const int n = [] {
    if (const char* env = std::getenv("FITCHECK_NUM_THREADS")) {
      const int v = std::atoi(env);
      if (v >= 1) return v;
    }
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }();
  return n;
}

void parallel_run(int parts, const std::function<void(int, int)>& fn) {
  parts = std::clamp(parts, 1, max_threads());
  if (parts == 1) {
    fn(0, 1);
    return;
  }
  pool().run(parts, fn);
}

}  // namespace fitcheck::nn::kernels
