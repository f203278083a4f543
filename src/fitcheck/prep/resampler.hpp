#pragma once
// Resamplers change the training rows only, so they take a TrainingSet (x of a TrainingData that
// went through the pipeline) and never a held-out split. Output: the original rows first, then
// the new ones per class in sorted class order (imbalanced-learn's layout).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/tensor.hpp"

namespace fitcheck::prep {

struct Resampled {
  core::Tensor x;                           // (rows, features) float32
  std::vector<std::int64_t> y;              // class codes
  std::vector<std::int64_t> sample_indices; // source row of each output row; -1 for synthetic rows
};

class Resampler {
 public:
  virtual ~Resampler() = default;
  virtual std::string_view class_name() const = 0;
  // `x` is (rows, features); `y` one class code per row.
  virtual Resampled fit_resample(const core::Tensor& x, const std::vector<std::int64_t>& y) const = 0;
};

// The run file's {"resample": {"smote": {...}}} / {"random_over": {...}} / {"random_under": {...}}.
std::unique_ptr<Resampler> make_resampler(const nlohmann::json& spec, const std::string& where);

}  // namespace fitcheck::prep
