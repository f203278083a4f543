// The static checks, one line each, in the order they run (data, model, configuration).
#include "fitcheck/doctor/check.hpp"

namespace fitcheck::doctor {

void check_data_dtype(const CheckContext&, std::vector<Finding>&);
void check_missing_values(const CheckContext&, std::vector<Finding>&);
void check_non_finite(const CheckContext&, std::vector<Finding>&);
void check_missing_labels(const CheckContext&, std::vector<Finding>&);
void check_categorical_unencoded(const CheckContext&, std::vector<Finding>&);
void check_unnormalized_images(const CheckContext&, std::vector<Finding>&);
void check_unscaled_features(const CheckContext&, std::vector<Finding>&);
void check_class_imbalance(const CheckContext&, std::vector<Finding>&);
void check_validation_split_classes(const CheckContext&, std::vector<Finding>&);
void check_leakage_overlap(const CheckContext&, std::vector<Finding>&);
void check_label_loss_mismatch(const CheckContext&, std::vector<Finding>&);
void check_label_output_mismatch(const CheckContext&, std::vector<Finding>&);
void check_shape_mismatch(const CheckContext&, std::vector<Finding>&);
void check_model_coverage(const CheckContext&, std::vector<Finding>&);
void check_incompatible_layers(const CheckContext&, std::vector<Finding>&);
void check_output_activation_loss(const CheckContext&, std::vector<Finding>&);
void check_missing_activation(const CheckContext&, std::vector<Finding>&);
void check_invalid_layer_config(const CheckContext&, std::vector<Finding>&);
void check_embedding_ids(const CheckContext&, std::vector<Finding>&);
void check_learning_rate(const CheckContext&, std::vector<Finding>&);
void check_high_cardinality(const CheckContext&, std::vector<Finding>&);
void check_constant_feature(const CheckContext&, std::vector<Finding>&);
void check_duplicate_rows(const CheckContext&, std::vector<Finding>&);
void check_leakage_target(const CheckContext&, std::vector<Finding>&);
void check_leakage_preprocessing(const CheckContext&, std::vector<Finding>&);
void check_too_few_samples(const CheckContext&, std::vector<Finding>&);
void check_outliers(const CheckContext&, std::vector<Finding>&);
void check_vanishing_prone(const CheckContext&, std::vector<Finding>&);
void check_capacity(const CheckContext&, std::vector<Finding>&);
void check_memory(const CheckContext&, std::vector<Finding>&);
void check_batch_size(const CheckContext&, std::vector<Finding>&);
void check_metric_mismatch(const CheckContext&, std::vector<Finding>&);

const std::vector<Check>& all_checks() {
  static const std::vector<Check> checks = {
      {"FC-D101", "data.shape_mismatch", "data shape vs the model's input", check_shape_mismatch},
      {"FC-D102", "data.dtype", "input and label dtypes", check_data_dtype},
      {"FC-D103", "data.missing_values", "missing feature values fed raw", check_missing_values},
      {"FC-D104", "data.non_finite", "infinite values", check_non_finite},
      {"FC-D105", "data.missing_labels", "missing labels", check_missing_labels},
      {"FC-D106", "data.categorical_unencoded", "text and code columns fed raw", check_categorical_unencoded},
      {"FC-D107", "data.unnormalized_images", "pixels in 0..255 fed raw", check_unnormalized_images},
      {"FC-D108", "data.unscaled_features", "feature and target scales", check_unscaled_features},
      {"FC-D112", "data.class_imbalance", "class distribution", check_class_imbalance},
      {"FC-D120", "data.class_imbalance", "classes of the validation rows vs the training rows", check_validation_split_classes},
      {"FC-D113", "data.leakage_overlap", "test rows that are training rows", check_leakage_overlap},
      {"FC-D118", "data.label_loss_mismatch", "labels vs loss", check_label_loss_mismatch},
      {"FC-D119", "data.label_output_mismatch", "labels vs output layer", check_label_output_mismatch},
      {"FC-D109", "data.high_cardinality", "categorical columns with too many levels for one-hot", check_high_cardinality},
      {"FC-D110", "data.constant_feature", "zero-variance feature columns", check_constant_feature},
      {"FC-D111", "data.duplicate_rows", "repeated samples in the training set", check_duplicate_rows},
      {"FC-D114", "data.leakage_target", "a feature that alone determines the label", check_leakage_target},
      {"FC-D115", "data.leakage_preprocessing", "data scaled with statistics that include the test split", check_leakage_preprocessing},
      {"FC-D116", "data.too_few_samples", "samples vs batch size and parameters", check_too_few_samples},
      {"FC-D117", "data.outliers", "extreme values that dominate a column's spread", check_outliers},
      {"FC-M200", "model.incompatible_layers", "what the static model checks could not see", check_model_coverage},
      {"FC-M202", "model.incompatible_layers", "layers whose shapes do not fit", check_incompatible_layers},
      {"FC-M201", "model.output_activation_loss", "output activation vs loss", check_output_activation_loss},
      {"FC-M203", "model.missing_activation", "consecutive linear layers", check_missing_activation},
      {"FC-M207", "model.invalid_config", "invalid layer arguments", check_invalid_layer_config},
      {"FC-M208", "model.invalid_config", "ids outside a first-layer Embedding's table", check_embedding_ids},
      {"FC-M204", "model.vanishing_prone", "deep saturating stacks without normalisation", check_vanishing_prone},
      {"FC-M205", "model.capacity", "parameters per training sample", check_capacity},
      {"FC-M206", "model.memory", "estimated training memory vs the machine", check_memory},
      {"FC-C301", "config.learning_rate", "learning rate vs the optimizer's range", check_learning_rate},
      {"FC-C302", "config.batch_size", "batch size vs the data and the layers", check_batch_size},
      {"FC-C303", "config.metric_mismatch", "metrics that do not fit the task", check_metric_mismatch},
  };
  return checks;
}

}  // namespace fitcheck::doctor
