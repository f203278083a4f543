#pragma once
// Builds layers from Keras' serialised form {"class_name": ..., "config": {...}} (with or without
// "module"/"registered_name"). The table in registry.cpp has one line per layer class.

#include <memory>
#include <string>
#include <vector>

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

// Throws ConfigError naming `where` (e.g. "model.json: layers[3]") for unknown classes, with a
// suggestion.
std::unique_ptr<Layer> layer_from_config(const Json& spec, const std::string& where = "layer");
std::vector<std::string> registered_layer_classes();
// {"class_name", "config"} for a layer, as Keras' legacy serialiser writes it.
Json layer_to_config(const Layer& layer);

}  // namespace fitcheck::nn
