#include "fitcheck/nn/kernels/thread_pool.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace fitcheck::nn::kernels {
namespace {

class Pool {
 public:
  explicit Pool(int workers) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this, i] { loop(i + 1); });
  }
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
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
      pending_ = parts - 1;
      ++generation_;
    }
    wake_.notify_all();
    fn(0, parts);
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    fn_ = nullptr;
  }

 private:
  void loop(int id) {
    std::uint64_t seen = 0;
    for (;;) {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (id >= parts_) continue;
      const auto* fn = fn_;
      const int parts = parts_;
      lock.unlock();
      (*fn)(id, parts);
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex run_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int, int)>* fn_ = nullptr;
  int parts_ = 0;
  int pending_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
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
