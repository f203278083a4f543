#include "support/tensor_compare.hpp"

#include <algorithm>
#include <cmath>

#include "fitcheck/core/rng.hpp"

namespace fitcheck::test {

::testing::AssertionResult all_close(const core::Tensor& actual, const core::Tensor& expected, double rtol, double atol,
                                     const std::string& peer, bool same_shape) {
  if (actual.size() != expected.size() || (same_shape && actual.shape() != expected.shape())) {
    return ::testing::AssertionFailure() << "shape " << actual.shape().str() << " vs " << peer << " "
                                         << expected.shape().str();
  }
  std::int64_t bad = 0, worst_at = -1;
  double worst = 0;
  for (std::int64_t i = 0; i < actual.size(); ++i) {
    const double a = actual[i], e = expected[i];
    const double excess = std::fabs(a - e) - (atol + rtol * std::fabs(e));
    if (excess > 0 || std::isnan(a) != std::isnan(e)) {
      ++bad;
      if (worst_at < 0 || excess > worst) {
        worst_at = i;
        worst = excess;
      }
    }
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << bad << " of " << actual.size() << " elements differ; worst at " << worst_at
                                       << ": " << actual[worst_at] << " vs " << peer << " " << expected[worst_at];
}

double max_abs_diff(const core::Tensor& a, const core::Tensor& b) {
  double m = 0;
  for (std::int64_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(static_cast<double>(a[i]) - b[i]));
  return m;
}

core::Tensor uniform_tensor(const core::Shape& shape, std::uint32_t seed, double lo, double hi) {
  core::Rng rng(seed);
  core::Tensor t(shape);
  for (auto& v : t.values()) v = static_cast<float>(rng.uniform(lo, hi));
  return t;
}

}  // namespace fitcheck::test
