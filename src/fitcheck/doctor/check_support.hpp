#pragma once
// Small facts several checks share: which features are image-like, how to name a set of
// columns in a title, the preprocess repair that fitcheck's auto mode stands for.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/doctor/context.hpp"

namespace fitcheck::doctor {

// Arrays of rank >= 3 ((N, 28, 28), (N, 28, 28, 1)), or flat arrays whose columns are mostly
// pixel-like (whole numbers in 0..255, or values in [0, 1]) and at least 64 of them: images,
// where per-pixel facts (constant borders, per-column scales) mean little.
bool is_image_like(const SplitView& split);

// True when the data goes as it is ("preprocess": "none") into a model whose first layer is an
// Embedding: the features are token or category ids, indices into the embedding table. Their
// integer dtype, magnitude, spread, extremes and 0..255 range say nothing about scaling (an id
// is not a quantity), and a column of padding is not a constant feature.
bool feeds_embedding(const CheckContext& ctx);

// "age", "age and income", "age, income and 3 more".
std::string name_columns(const std::vector<std::string>& names, std::size_t shown = 3);

// The model's output shape from the static shape pass (declared input, else the data's shape);
// empty when it cannot be inferred (unknown layer, a shape problem, no input shape at all).
std::optional<core::Shape> model_output_shape(const CheckContext& ctx);

// The repair that drops `columns` from the training split's feature list (and the test split's):
// {"data": {"train": {"features": [...]}, "test": {...}}}. None when the training features are not
// a table or no feature would remain.
std::optional<nlohmann::json> drop_features_repair(const CheckContext& ctx, const std::vector<std::string>& columns);

// The repair that lets fitcheck choose the preprocessing per column from the profile.
nlohmann::json auto_preprocess_repair();

// The repair that sets the optimizer's learning rate (keeping the optimizer the run names), with
// further config keys such as {"clipnorm": 1.0}.
nlohmann::json learning_rate_repair(const nlohmann::json& run_optimizer, double learning_rate,
                                    const nlohmann::json& extra = nlohmann::json::object());

}  // namespace fitcheck::doctor
