#pragma once
// RandomUnderSampler (imbalanced-learn 0.10): keeps a random subset of each targeted class. The
// output is grouped by class in sorted order, as imbalanced-learn returns it.

#include <cstdint>

#include "fitcheck/prep/resampler.hpp"
#include "fitcheck/prep/sampling_strategy.hpp"

namespace fitcheck::prep {

struct RandomUnderSamplerOptions {
  SamplingStrategy sampling_strategy;
  std::uint32_t random_state = 0;
  bool replacement = false;
};

class RandomUnderSampler : public Resampler {
 public:
  explicit RandomUnderSampler(RandomUnderSamplerOptions options = {}) : options_(std::move(options)) {}
  std::string_view class_name() const override { return "RandomUnderSampler"; }
  Resampled fit_resample(const core::Tensor& x, const std::vector<std::int64_t>& y) const override;

 private:
  RandomUnderSamplerOptions options_;
};

}  // namespace fitcheck::prep
