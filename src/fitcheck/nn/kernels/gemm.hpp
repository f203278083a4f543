#pragma once
// Row-major single-precision matrix product on Eigen, split over cores when the product is
// large enough to pay for it.

#include <cstdint>

namespace fitcheck::nn::kernels {

// C (m×n) = op(A)·op(B) (+ C when accumulate). op(A) is m×k: A is stored k×m when trans_a.
// op(B) is k×n: B is stored n×k when trans_b. All buffers row-major and contiguous.
void gemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k, const float* a,
          const float* b, float* c, bool accumulate = false);

// Products with fewer multiply-adds than this run on one thread (measured in bench/nn_gemm).
inline constexpr std::int64_t kParallelGemmWork = std::int64_t{1} << 21;

}  // namespace fitcheck::nn::kernels
