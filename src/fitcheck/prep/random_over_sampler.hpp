#pragma once
// RandomOverSampler (imbalanced-learn 0.10): repeats randomly drawn rows of each class that
// needs more samples. One RandomState for the whole call, classes in sorted order.

#include <cstdint>

#include "fitcheck/prep/resampler.hpp"
#include "fitcheck/prep/sampling_strategy.hpp"

namespace fitcheck::prep {

struct RandomOverSamplerOptions {
  SamplingStrategy sampling_strategy;
  std::uint32_t random_state = 0;
};

class RandomOverSampler : public Resampler {
 public:
  explicit RandomOverSampler(RandomOverSamplerOptions options = {}) : options_(std::move(options)) {}
  std::string_view class_name() const override { return "RandomOverSampler"; }
  Resampled fit_resample(const core::Tensor& x, const std::vector<std::int64_t>& y) const override;

 private:
  RandomOverSamplerOptions options_;
};

}  // namespace fitcheck::prep
