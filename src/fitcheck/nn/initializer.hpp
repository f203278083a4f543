#pragma once
// Keras weight initialisers (keras/src/initializers), drawn from core::Rng so a seed reproduces
// the weights exactly. Specs are what Keras serialises: a name ("glorot_uniform") or
// {"class_name": "GlorotUniform", "config": {...}} (VarianceScaling, RandomNormal, Constant, ...).

#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/core/tensor.hpp"

namespace fitcheck::nn {

// Keras compute_fans: rank 2 (in, out); rank 1: both = shape[0]; rank ≥ 3: receptive field ×
// the last two axes.
std::pair<double, double> compute_fans(const core::Shape& shape);

// Fills `tensor` (already shaped) according to `spec`. Throws ConfigError naming `where` for an
// unknown initialiser or option.
void initialize(const nlohmann::json& spec, core::Tensor& tensor, core::Rng& rng, const std::string& where);

// Canonical Keras serialisation ({"class_name", "config"}) of a spec given by name or dict.
nlohmann::json initializer_to_json(const nlohmann::json& spec);

}  // namespace fitcheck::nn
