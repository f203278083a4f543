#pragma once
// A tiny persistent pool for splitting large kernels across cores. Eigen's own matrix-product
// threading needs OpenMP, which is off; this pool is used only above a work threshold, so
// small batches never pay for waking threads.

#include <cstdint>
#include <functional>

namespace fitcheck::nn::kernels {

// Number of threads kernels may use (hardware threads, or FITCHECK_NUM_THREADS when set).
int max_threads();
// Runs fn(part, parts) for part = 0..parts-1, part 0 on the calling thread. parts ≤ max_threads().
void parallel_run(int parts, const std::function<void(int, int)>& fn);

}  // namespace fitcheck::nn::kernels
