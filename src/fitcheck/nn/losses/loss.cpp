#include "fitcheck/nn/losses/loss.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::nn {

nlohmann::json Loss::get_config() const {
  static const char* names[] = {"sum_over_batch_size", "sum", "mean_with_sample_weight"};
  nlohmann::json c = {{"name", name()}, {"reduction", names[static_cast<int>(reduction_)]}};
  c.update(options());
  return c;
}

double Loss::compute(const core::Tensor& y_true, const core::Tensor& y_pred, const float* sw, core::Tensor* grad) const {
  return reduce(y_true, y_pred, sw, grad, false);
}

double Loss::compute_from_logits(const core::Tensor& y_true, const core::Tensor& logits, const float* sw,
                                 core::Tensor* grad) const {
  return reduce(y_true, logits, sw, grad, true);
}

double Loss::sample_logits(const float*, const float*, std::int64_t, float*) const {
  FITCHECK_CHECK(false, "loss " + name() + " has no logits form");
  return 0.0;
}

double Loss::reduce(const core::Tensor& y_true, const core::Tensor& y_pred, const float* sw, core::Tensor* grad,
                    bool logits) const {
  const std::int64_t batch = y_pred.rank() == 0 ? 1 : y_pred.dim(0);
  const Grouping group = grouping(y_pred.rank());
  const std::int64_t cols = group == Grouping::Batch    ? y_pred.size()
                            : group == Grouping::Sample ? (batch > 0 ? y_pred.size() / batch : 0)
                            : y_pred.rank() == 0        ? 1
                                                        : y_pred.dim(y_pred.rank() - 1);
  const std::int64_t rows = cols == 0 ? 0 : y_pred.size() / cols;
  const std::int64_t true_cols = sparse_labels() ? 1 : cols;
  if (y_true.size() != rows * true_cols) {
    throw core::ShapeError(
        {.where = "loss \"" + name() + "\"",
         .what = "the labels do not match the model output",
         .expected = sparse_labels() ? fmt::format("one integer label per sample ({} values)", rows)
                                     : fmt::format("labels of the output's shape {} ({} values)", y_pred.shape().str(), rows * cols),
         .got = fmt::format("{} ({} values)", y_true.shape().str(), y_true.size()),
         .hint = sparse_labels() ? "For one-hot labels use categorical_crossentropy; for integer labels keep "
                                   "sparse_categorical_crossentropy and pass one label per sample."
               : cols > 1 && y_true.size() == rows
                   ? "The labels look like integer classes: use sparse_categorical_crossentropy, or one-hot encode them."
                   : "Give the last layer as many units as the labels have columns."});
  }
  core::Tensor storage;
  const core::Tensor& labels = prepared_labels(y_true, storage);
  if (grad != nullptr) grad->resize(y_pred.shape());
  // Σ sw over the batch; Keras' "mean_with_sample_weight" divides by it.
  double weight_sum = 0.0;
  if (sw != nullptr) {
    for (std::int64_t i = 0; i < batch; ++i) weight_sum += sw[i];
  }
  // One value for the whole batch: Keras multiplies the scalar by each sample weight, giving
  // `batch` values that sum to value·Σsw; without weights the scalar is the loss as it is.
  const bool scalar = group == Grouping::Batch;
  const double elements = scalar ? (sw != nullptr ? static_cast<double>(batch) : 1.0) : static_cast<double>(rows);
  const double divisor = reduction_ == Reduction::Sum ? 1.0
                         : reduction_ == Reduction::MeanWithSampleWeight && sw != nullptr ? weight_sum
                                                                                          : elements;
  const std::int64_t per_sample = batch > 0 ? std::max<std::int64_t>(rows / batch, 1) : 1;
  double total = 0.0;
  for (std::int64_t r = 0; r < rows; ++r) {
    const double w = sw == nullptr ? 1.0 : scalar ? weight_sum : static_cast<double>(sw[r / per_sample]);
    float* g = grad != nullptr ? grad->data() + r * cols : nullptr;
    const float* t = labels.data() + r * true_cols;
    const float* p = y_pred.data() + r * cols;
    const double value = logits ? sample_logits(t, p, cols, g) : sample(t, p, cols, g);
    total += value * w;
    if (g != nullptr) {
      const float scale = divisor == 0.0 ? 0.0f : static_cast<float>(w / divisor);
      for (std::int64_t c = 0; c < cols; ++c) g[c] *= scale;
    }
  }
  return rows > 0 && divisor != 0.0 ? total / divisor : 0.0;  // divide_no_nan
}

}  // namespace fitcheck::nn
