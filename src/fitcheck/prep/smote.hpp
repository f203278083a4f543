#pragma once
// SMOTE (imbalanced-learn 0.10): for each class that needs samples, draws (row, neighbour)
// pairs uniformly among each row's k nearest same-class neighbours and interpolates at a uniform
// step: new = x + u * (x_nn - x), rounded as numpy rounds float32 data. With an integer seed
// every class restarts the same RandomState stream (imbalanced-learn's behaviour), so outputs
// equal imbalanced-learn's bit for bit when the neighbour lists agree (no duplicate or
// equidistant points).

#include <cstdint>

#include "fitcheck/prep/resampler.hpp"
#include "fitcheck/prep/sampling_strategy.hpp"

namespace fitcheck::prep {

struct SmoteOptions {
  SamplingStrategy sampling_strategy;
  std::uint32_t random_state = 0;
  std::int64_t k_neighbors = 5;
  int threads = 0;  // neighbour search threads; 0: hardware concurrency
};

class Smote : public Resampler {
 public:
  explicit Smote(SmoteOptions options = {}) : options_(std::move(options)) {}
  std::string_view class_name() const override { return "SMOTE"; }
  Resampled fit_resample(const core::Tensor& x, const std::vector<std::int64_t>& y) const override;

 private:
  SmoteOptions options_;
};

}  // namespace fitcheck::prep
