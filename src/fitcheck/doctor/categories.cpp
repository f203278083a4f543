#include "fitcheck/doctor/categories.hpp"

#include <algorithm>

namespace fitcheck::doctor {

// In design.md's order: data, model and configuration, training.
const std::vector<CategoryInfo>& all_categories() {
  static const std::vector<CategoryInfo> categories = {
      {"data.shape_mismatch", "the data's rank or feature count differs from the model's input"},
      {"data.dtype", "inputs that are not float (integers, `uint8`, `float64`, booleans, strings in numeric input)"},
      {"data.missing_values", "NaN or empty fields in features"},
      {"data.non_finite", "±inf in features or labels"},
      {"data.missing_labels", "NaN or empty labels"},
      {"data.unscaled_features", "large magnitudes, or features whose scales differ by orders of magnitude"},
      {"data.unnormalized_images", "pixel data in 0–255 fed as it is"},
      {"data.categorical_unencoded", "string or nominal columns fed raw or as arbitrary integer codes"},
      {"data.high_cardinality", "a categorical column with too many levels for one-hot encoding"},
      {"data.constant_feature", "zero-variance columns"},
      {"data.duplicate_rows", "duplicated samples within the training set"},
      {"data.class_imbalance", "skewed class distribution"},
      {"data.leakage_overlap", "the same samples in training and test data"},
      {"data.leakage_target", "a feature that (almost) determines the label"},
      {"data.leakage_preprocessing", "training data scaled with statistics that include the test data"},
      {"data.too_few_samples", "fewer samples than a batch, or far fewer than the model has parameters"},
      {"data.outliers", "extreme values that will dominate the loss"},
      {"data.label_loss_mismatch", "labels that the loss cannot take (range, one-hot vs sparse, non-binary for BCE, continuous for a classification loss)"},
      {"data.label_output_mismatch", "number of classes differs from the output layer"},
      {"model.incompatible_layers", "a layer receives a tensor of the wrong rank or size (Conv2D → LSTM, Dense → Conv2D, ...)"},
      {"model.output_activation_loss", "output activation and loss do not fit (softmax + BCE on one unit, sigmoid + categorical, CE on a linear output without `from_logits`, ...)"},
      {"model.missing_activation", "consecutive linear layers that collapse into one"},
      {"model.vanishing_prone", "deep saturating stacks without normalisation or residuals"},
      {"model.memory", "estimated training memory exceeds what the machine (or a named device) has"},
      {"model.capacity", "far more parameters than samples, or too little capacity for the task"},
      {"model.invalid_config", "invalid layer arguments (units ≤ 0, dropout ≥ 1, kernel larger than input, ...)"},
      {"config.learning_rate", "a learning rate far outside the optimizer's working range"},
      {"config.batch_size", "a batch larger than the data, or an extreme size"},
      {"config.metric_mismatch", "a metric that makes no sense for the task (accuracy on regression, ...)"},
      {"train.divergence", "loss becomes NaN/inf or grows without bound; names the first layer or op that produced a non-finite value"},
      {"train.exploding_gradient", "gradient norms grow by orders of magnitude"},
      {"train.vanishing_gradient", "gradients of early layers are orders of magnitude below later ones, and they do not learn"},
      {"train.dying_relu", "most units of a ReLU layer never activate"},
      {"train.saturated_activation", "sigmoid/tanh units stuck at their limits"},
      {"train.loss_plateau", "loss does not decrease, or decreases far too slowly"},
      {"train.loss_oscillation", "loss jumps up and down without trend"},
      {"train.majority_collapse", "the model predicts (almost) only one class"},
      {"train.overfitting", "validation loss rises while training loss falls"},
      {"train.unchanged_weights", "parameters that receive no update"},
  };
  return categories;
}

bool is_known_category(std::string_view name) {
  const auto& all = all_categories();
  return std::any_of(all.begin(), all.end(), [&](const CategoryInfo& c) { return c.name == name; });
}

}  // namespace fitcheck::doctor
