#pragma once
// Running numbered tasks on a few threads (internal). The exception of the lowest-numbered failing
// task is rethrown, so errors are reported in file order whatever the scheduling was.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace fitcheck::io::detail {

// Calls task(i, worker) for i in [0, count) on `workers` threads (the caller being worker 0).
// After a failure no new task starts; tasks already running finish.
template <typename Task>
void run_tasks(std::size_t count, int workers, Task&& task) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::size_t failed_index = count;
  std::exception_ptr error;
  auto loop = [&](int worker) {
    for (;;) {
      if (failed.load(std::memory_order_relaxed)) return;
      const std::size_t i = next.fetch_add(1);
      if (i >= count) return;
      try {
        task(i, worker);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (i < failed_index) {
          failed_index = i;
          error = std::current_exception();
        }
        failed.store(true);
      }
    }
  };
  const int extra = static_cast<int>(std::min<std::size_t>(count, static_cast<std::size_t>(workers))) - 1;
  std::vector<std::thread> threads;
  for (int w = 1; w <= extra; ++w) threads.emplace_back(loop, w);
  loop(0);
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace fitcheck::io::detail
