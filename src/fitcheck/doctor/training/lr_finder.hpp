#pragma once
// The learning-rate range test: train the run's model from its initial weights while the rate
// grows exponentially from 1e-6 to 10, one step per rate, and watch the smoothed loss. The loss
// falls once the rate is large enough to matter and blows up once it is too large; a rate a
// tenth of the one where the loss was lowest sits safely on the falling side. The proposal is
// kept within [default / 30, default x 30] of the optimizer, the range the static learning-rate
// check accepts without a warning.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/io/run_file.hpp"

namespace fitcheck::doctor {

struct LrFinderOptions {
  double min_lr = 1e-6;
  double max_lr = 10.0;
  int steps = 100;
};

struct LrFinderResult {
  std::vector<double> learning_rates;  // one per step
  std::vector<double> losses;          // the batch loss, smoothed (bias-corrected EMA, beta 0.9)
  std::optional<double> lowest_at;     // the rate where the smoothed loss was lowest
  std::optional<double> proposed;
  std::string note;                    // why there is no proposal, when there is none
  nlohmann::json to_json() const;
};

// Throws core::Error when the run cannot train at all.
LrFinderResult find_learning_rate(const io::RunSpec& run, const LrFinderOptions& options = {});

}  // namespace fitcheck::doctor
