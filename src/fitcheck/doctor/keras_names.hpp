#pragma once
// What a run file's Keras names mean, as far as the static checks need it: the canonical loss
// (every alias Keras accepts, a serialised loss object, from_logits), the optimizer and its
// learning rate (with Keras' defaults), and the activation a layer applies.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "fitcheck/io/keras_model.hpp"

namespace fitcheck::doctor {

// The task a loss trains for: what the probe compares the model with and how it reads predictions.
enum class LossTask { Regression, Binary, Multiclass, Other };

// The labels a loss's formula can take (keras/src/losses/losses.py); the label checks hold the
// data to it.
enum class LabelContract {
  Real,            // any real values (mse, mae, huber, log_cosh, mape, cosine_similarity)
  Probability,     // targets in [0, 1] (binary_crossentropy, binary_focal_crossentropy)
  ClassIds,        // one integer id per sample (sparse_categorical_crossentropy, ..._generalized_cross_entropy)
  OneHot,          // one-hot rows (categorical_crossentropy, categorical_focal_crossentropy, categorical_hinge)
  Distribution,    // rows of probabilities (kl_divergence)
  SignedBinary,    // −1/1, or 0/1 which Keras converts (hinge, squared_hinge)
  NonNegative,     // counts or rates y ≥ 0: y·log(p) (poisson)
  LogNonNegative,  // y ≥ 0: log(max(y, ε) + 1) reads every negative label as 0 (msle)
  Mask,            // segmentation masks in [0, 1] (dice, tversky)
  Other,           // sequences, embeddings (ctc, circle)
};

struct LossInfo {
  std::string name;          // canonical snake_case Keras name, "binary_crossentropy"
  bool from_logits = false;
  bool known = false;        // false when the name is not a Keras loss
  LossTask task = LossTask::Other;
  LabelContract labels = LabelContract::Other;
  bool probabilistic() const;  // a cross-entropy / KL loss that expects probabilities or logits
  bool hinge() const { return labels == LabelContract::SignedBinary || name == "categorical_hinge"; }  // margins: the sign of the output decides
};
LossInfo resolve_loss(const nlohmann::json& loss);

struct OptimizerInfo {
  std::string name;            // canonical lower-case Keras name: "adam", "sgd", "rmsprop", ...
  std::string display;         // as the user wrote it: "Adam"
  bool known = false;
  bool adaptive = false;       // steps normalised per parameter (Adam family, RMSprop, Adagrad)
  double default_learning_rate = 1e-3;  // Keras 3's default for this optimizer
  std::optional<double> learning_rate;  // as configured (the initial rate of a schedule)
  bool schedule = false;       // learning_rate is a schedule object
};
OptimizerInfo resolve_optimizer(const nlohmann::json& optimizer);

// The activation a layer applies to its output ("linear" when none), and whether the layer has
// an activation at all (Dense, Conv, Activation, RNN) as opposed to passing values through.
std::optional<std::string> layer_activation(const io::LayerSpec& layer);

// The activation the model's output goes through: the last layer that sets one, looking back
// over layers that do not change values (Dropout, Flatten, Reshape). "linear" for a bare Dense.
std::string output_activation(const io::ModelSpec& model);
// Units of the output layer (the last Dense), if known.
std::optional<std::int64_t> output_units(const io::ModelSpec& model);

// "MeanSquaredError" → "mean_squared_error".
std::string snake_case(const std::string& name);

}  // namespace fitcheck::doctor
