#pragma once
// The transformer registry: one entry per run-file step (registry.cpp, one line each). A step is
// a one-key object: {"scale": "standard"}, {"impute": {"strategy": "median", "add_indicator": true}},
// {"onehot": {"handle_unknown": "ignore"}}, {"ordinal": {}}, {"pixels": {}}, {"cast": "float32"}.
// A string value names the variant; an object gives options, with the variant under
// `variant_key` ("method" for scale, "strategy" for impute).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/prep/transformer.hpp"

namespace fitcheck::prep {

struct TransformerEntry {
  std::string_view step;         // run-file key: "scale"
  std::string_view variant;      // "standard"; "" when the step has one form
  std::string_view variant_key;  // option that names the variant in object form ("method"), or ""
  std::string_view class_name;   // "StandardScaler" (what saved pipelines store)
  std::unique_ptr<Transformer> (*make)(const nlohmann::json& options, const std::string& where);
  std::unique_ptr<const FittedTransformer> (*load)(const nlohmann::json& fitted, const std::string& where);
};

const std::vector<TransformerEntry>& transformer_registry();

// Builds the transformer of one run-file step; `where` is its JSON path for messages.
std::unique_ptr<Transformer> make_transformer(const nlohmann::json& step, const std::string& where);
// Rebuilds a fitted transformer from FittedTransformer::to_json().
std::unique_ptr<const FittedTransformer> load_fitted_transformer(const nlohmann::json& fitted,
                                                                 const std::string& where);

}  // namespace fitcheck::prep
