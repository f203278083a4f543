#include "fitcheck/prep/smote.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <thread>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/rng.hpp"
#include "fitcheck/prep/nearest_neighbors.hpp"
#include "fitcheck/prep/resample_support.hpp"

namespace fitcheck::prep {

Resampled Smote::fit_resample(const core::Tensor& x, const std::vector<std::int64_t>& y) const {
  detail::check_resample_input(x, y, class_name());
  const std::int64_t n = x.dim(0), d = x.dim(1);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) {
      throw core::InputError({.where = fmt::format("SMOTE: row {}, feature {}", i / d, i % d),
                              .what = "SMOTE needs finite features", .got = fmt::format("{}", x[i]),
                              .hint = "Impute missing values (an impute step) before resampling."});
    }
  }
  const auto targets = sampling_targets(class_counts(y), options_.sampling_strategy, true);
  const std::int64_t k = options_.k_neighbors;
  const int threads = options_.threads > 0 ? options_.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  std::int64_t total_new = 0;
  for (const auto& [cls, n_new] : targets) total_new += n_new;
  Resampled out;
  out.x = core::Tensor(core::Shape({n + total_new, d}));
  std::copy_n(x.data(), x.size(), out.x.data());
  out.y = y;
  out.sample_indices.resize(static_cast<std::size_t>(n));
  std::iota(out.sample_indices.begin(), out.sample_indices.end(), 0);
  float* dst = out.x.data() + x.size();

  for (const auto& [cls, n_new] : targets) {
    if (n_new == 0) continue;
    std::vector<std::int64_t> members;
    for (std::int64_t i = 0; i < n; ++i) {
      if (y[static_cast<std::size_t>(i)] == cls) members.push_back(i);
    }
    const auto n_c = static_cast<std::int64_t>(members.size());
    if (n_c < k + 1) {
      throw core::ConfigError({.where = fmt::format("SMOTE: class {}", cls),
                               .what = "the class has fewer samples than k_neighbors + 1",
                               .expected = fmt::format("at least {} samples", k + 1), .got = fmt::format("{}", n_c),
                               .hint = fmt::format("Set k_neighbors to at most {}, or use random_over.", n_c - 1)});
    }
    const core::Tensor xc = detail::gather_rows(x, members);
    // k+1 neighbours including the row itself; the first column (itself) is dropped.
    const auto nn = k_nearest_rows(xc.data(), n_c, d, k + 1, threads);
    core::Rng rng(options_.random_state);  // an int seed restarts the stream for every class
    std::vector<std::int64_t> picks(static_cast<std::size_t>(n_new));
    for (auto& p : picks) p = rng.randint(0, n_c * k);
    std::vector<double> steps(static_cast<std::size_t>(n_new));
    for (auto& s : steps) s = rng.random_sample();
    for (std::int64_t s = 0; s < n_new; ++s) {
      const auto pick = picks[static_cast<std::size_t>(s)];
      const std::int64_t row = pick / k, col = pick % k;
      const std::int64_t nb = nn[static_cast<std::size_t>(row * (k + 1) + col + 1)];
      const float* a = xc.data() + row * d;
      const float* b = xc.data() + nb * d;
      const double u = steps[static_cast<std::size_t>(s)];
      for (std::int64_t j = 0; j < d; ++j) {
        const float diff = b[j] - a[j];  // in the data's dtype, as numpy
        dst[j] = static_cast<float>(static_cast<double>(a[j]) + u * static_cast<double>(diff));
      }
      dst += d;
      out.y.push_back(cls);
      out.sample_indices.push_back(-1);
    }
  }
  return out;
}

}  // namespace fitcheck::prep
