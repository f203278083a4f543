#include "fitcheck/nn/kernels/gemm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "fitcheck/core/rng.hpp"

namespace fitcheck::nn::kernels {
namespace {

std::vector<float> random_values(std::size_t n, std::uint32_t seed) {
  core::Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(rng.uniform(-1, 1));
  return v;
}

// Naive reference in double.
std::vector<double> reference(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, const std::vector<float>& a,
                              const std::vector<float>& b) {
  std::vector<double> c(static_cast<std::size_t>(m * n));
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::int64_t p = 0; p < k; ++p) {
        const double av = ta ? a[static_cast<std::size_t>(p * m + i)] : a[static_cast<std::size_t>(i * k + p)];
        const double bv = tb ? b[static_cast<std::size_t>(j * k + p)] : b[static_cast<std::size_t>(p * n + j)];
        s += av * bv;
      }
      c[static_cast<std::size_t>(i * n + j)] = s;
    }
  }
  return c;
}

struct GemmCase {
  std::int64_t m, n, k;
};

class Gemm : public ::testing::TestWithParam<GemmCase> {};

TEST_P(Gemm, MatchesTheNaiveProductForEveryTransposeAndAccumulate) {
  const auto [m, n, k] = GetParam();
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      for (bool acc : {false, true}) {
        const auto a = random_values(static_cast<std::size_t>(m * k), 1);
        const auto b = random_values(static_cast<std::size_t>(k * n), 2);
        auto c = random_values(static_cast<std::size_t>(m * n), 3);
        const auto c0 = c;
        gemm(ta, tb, m, n, k, a.data(), b.data(), c.data(), acc);
        const auto r = reference(ta, tb, m, n, k, a, b);
        for (std::size_t i = 0; i < c.size(); ++i) {
          const double expected = r[i] + (acc ? c0[i] : 0.0);
          ASSERT_NEAR(c[i], expected, 1e-4 * std::sqrt(static_cast<double>(k)) + 1e-5)
              << "ta=" << ta << " tb=" << tb << " acc=" << acc << " at " << i;
        }
      }
    }
  }
}

// The large cases exceed kParallelGemmWork and take the multi-threaded path with uneven row blocks.
INSTANTIATE_TEST_SUITE_P(Sizes, Gemm,
                         ::testing::Values(GemmCase{1, 1, 1}, GemmCase{7, 5, 3}, GemmCase{32, 128, 30},
                                           GemmCase{301, 97, 128}, GemmCase{257, 64, 129}, GemmCase{5, 0, 4},
                                           GemmCase{4, 3, 0}));

TEST(Gemm, LargeCasesReallyTakeTheParallelPath) {
  EXPECT_GE(std::int64_t{301} * 97 * 128, kParallelGemmWork);
  EXPECT_GE(std::int64_t{257} * 64 * 129, kParallelGemmWork);
}

}  // namespace
}  // namespace fitcheck::nn::kernels
