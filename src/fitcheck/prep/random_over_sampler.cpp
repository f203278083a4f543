#include "fitcheck/prep/random_over_sampler.hpp"

#include <numeric>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/prep/resample_support.hpp"

namespace fitcheck::prep {

Resampled RandomOverSampler::fit_resample(const core::Tensor& x, const std::vector<std::int64_t>& y) const {
  detail::check_resample_input(x, y, class_name());
  const auto targets = sampling_targets(class_counts(y), options_.sampling_strategy, true);
  Resampled out;
  out.sample_indices.resize(y.size());
  std::iota(out.sample_indices.begin(), out.sample_indices.end(), 0);
  out.y = y;
  core::Rng rng(options_.random_state);  // one stream for all classes
  for (const auto& [cls, n_new] : targets) {
    std::vector<std::int64_t> members;
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (y[i] == cls) members.push_back(static_cast<std::int64_t>(i));
    }
    // rs.choice(members, n_new, replace=True) = members[randint(0, len, n_new)]
    for (std::int64_t k = 0; k < n_new; ++k) {
      out.sample_indices.push_back(members[static_cast<std::size_t>(rng.randint(0, static_cast<std::int64_t>(members.size())))]);
      out.y.push_back(cls);
    }
  }
  out.x = detail::gather_rows(x, out.sample_indices);
  return out;
}

}  // namespace fitcheck::prep
