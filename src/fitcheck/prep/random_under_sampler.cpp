#include "fitcheck/prep/random_under_sampler.hpp"

#include "fitcheck/core/rng.hpp"
#include "fitcheck/prep/resample_support.hpp"

namespace fitcheck::prep {

Resampled RandomUnderSampler::fit_resample(const core::Tensor& x, const std::vector<std::int64_t>& y) const {
  detail::check_resample_input(x, y, class_name());
  const auto counts = class_counts(y);
  const auto targets = sampling_targets(counts, options_.sampling_strategy, false);
  Resampled out;
  core::Rng rng(options_.random_state);
  for (const auto& [cls, count] : counts) {
    std::vector<std::int64_t> members;
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (y[i] == cls) members.push_back(static_cast<std::int64_t>(i));
    }
    std::vector<std::int64_t> chosen;
    const auto it = targets.find(cls);
    if (it == targets.end()) {
      chosen = members;  // untouched classes are kept whole, in their order
    } else if (options_.replacement) {
      for (std::int64_t k = 0; k < it->second; ++k) chosen.push_back(members[static_cast<std::size_t>(rng.randint(0, count))]);
    } else {
      const auto perm = rng.permutation(count);  // rs.choice(range(count), n, replace=False)
      for (std::int64_t k = 0; k < it->second; ++k) chosen.push_back(members[static_cast<std::size_t>(perm[static_cast<std::size_t>(k)])]);
    }
    for (auto r : chosen) {
      out.sample_indices.push_back(r);
      out.y.push_back(cls);
    }
  }
  out.x = detail::gather_rows(x, out.sample_indices);
  return out;
}

}  // namespace fitcheck::prep
