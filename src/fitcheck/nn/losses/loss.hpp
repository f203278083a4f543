#pragma once
// Losses with Keras' per-sample formulas and its reductions, by default "sum_over_batch_size":
//   loss = Σ_i L_i·sw_i / (number of per-sample values), L_i reduced over the last axis
// ("sum": no division; "mean_with_sample_weight": divided by Σ sw).
// Probability inputs are clipped to [1e-7, 1 − 1e-7] as Keras clips them; with from_logits the
// stable logit formulas are used. When a model ends in sigmoid (BCE) or softmax (CE) and
// from_logits is false, Keras computes the loss from the pre-activation logits; uses_logits_of()
// lets Sequential do the same.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/tensor.hpp"

namespace fitcheck::nn {

inline constexpr double kKerasEpsilon = 1e-7;

class Loss {
 public:
  virtual ~Loss() = default;
  // Keras function name: "binary_crossentropy", "mean_squared_error", ...
  virtual std::string name() const = 0;
  // Keras 3's config: name, reduction and the loss's options().
  nlohmann::json get_config() const;

  // Keras' reduction of the weighted per-sample values (tf.keras 2's "auto" and Keras' "mean" are
  // sum_over_batch_size).
  enum class Reduction { SumOverBatchSize, Sum, MeanWithSampleWeight };
  void set_reduction(Reduction r) { reduction_ = r; }
  Reduction reduction() const { return reduction_; }

  // Batch loss. `sample_weight` (nullable) has one value per sample (first axis of y_pred).
  // `grad` (nullable) is resized to y_pred's shape and assigned d loss / d y_pred.
  double compute(const core::Tensor& y_true, const core::Tensor& y_pred, const float* sample_weight,
                 core::Tensor* grad) const;
  // True when this loss, given probabilities from `activation`, should be computed on the logits.
  virtual bool uses_logits_of(const std::string& /*activation*/) const { return false; }
  // Same reduction as compute(), on the pre-activation logits; grad = d loss / d logits.
  double compute_from_logits(const core::Tensor& y_true, const core::Tensor& logits, const float* sample_weight,
                             core::Tensor* grad) const;
  // Sparse losses take one integer label per sample instead of a vector.
  virtual bool sparse_labels() const { return false; }

  // The values one per-sample loss value is computed over: the last axis (Keras' axis=-1, the
  // default), every axis of a sample (axis=[1, ..., rank-1]), or the whole batch (axis=None, one
  // value for the batch, weighted by the mean sample weight as Keras broadcasts a scalar loss).
  enum class Grouping { LastAxis, Sample, Batch };
  virtual Grouping grouping(std::int64_t /*pred_rank*/) const { return Grouping::LastAxis; }

 protected:
  // The loss's own config keys ({"delta": 1.0}, {"from_logits": false, ...}).
  virtual nlohmann::json options() const { return nlohmann::json::object(); }
  // Per-sample loss over `cols` values; writes dL/dp for those values into g when non-null.
  virtual double sample(const float* t, const float* p, std::int64_t cols, float* g) const = 0;
  virtual double sample_logits(const float* t, const float* z, std::int64_t cols, float* g) const;
  // The labels as the formula reads them, when the loss rewrites them for the whole batch first
  // (hinge: 0/1 labels become −1/1 only when every label of the batch is 0 or 1). Returns
  // `y_true` itself, or `storage` after filling it.
  virtual const core::Tensor& prepared_labels(const core::Tensor& y_true, core::Tensor& /*storage*/) const {
    return y_true;
  }

 private:
  Reduction reduction_ = Reduction::SumOverBatchSize;
  double reduce(const core::Tensor& y_true, const core::Tensor& y_pred, const float* sample_weight,
                core::Tensor* grad, bool logits) const;
};

// A Keras loss identifier: a name or alias ("mse", "mean_squared_error", "MeanSquaredError"), a
// serialised object {"class_name": "BinaryCrossentropy", "config": {"from_logits": true, ...}}
// (tf.keras 2 and Keras 3 forms), or Keras 3's function reference {"class_name": "function",
// "config": "log_cosh"}. Throws ConfigError naming `where` with a suggestion for unknown names.
std::unique_ptr<Loss> make_loss(const nlohmann::json& spec, const std::string& where = "loss");
std::vector<std::string> loss_names();

}  // namespace fitcheck::nn
