#pragma once
// Name helpers shared by the nn registries: suggestions for unknown names, Keras-style
// CamelCase → snake_case.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fitcheck::nn::detail {

// "Did you mean \"relu\"?" for the closest candidate by edit distance, or a list of valid names.
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);
// "BatchNormalization" → "batch_normalization" (Keras' default layer names).
std::string to_snake_case(const std::string& camel);
// Lower-case without underscores: "BinaryCrossentropy" and "binary_crossentropy" both → "binarycrossentropy".
std::string normalized_key(const std::string& name);

// A Keras object as run files and saved models name it: "adam", or {"class_name": "Adam",
// "config": {...}} (config {} when absent or not an object). nullopt for anything else, for the
// registry to refuse in its own words.
struct KerasSpec {
  std::string name;
  nlohmann::json config = nlohmann::json::object();
};
std::optional<KerasSpec> keras_spec(const nlohmann::json& spec);

}  // namespace fitcheck::nn::detail
