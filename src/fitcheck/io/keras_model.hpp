#pragma once
// Keras model JSON (`model.to_json()`, the `config.json` of a .keras archive, the `model_config`
// of a legacy .h5) in any of its dialects — Keras 2 (tf.keras) and Keras 3, Sequential and
// Functional models whose graph is a chain — normalised into one neutral description that the
// engine builds from. The normaliser interprets no layer: it only removes the differences
// between dialects (module / registered_name entries, DTypePolicy objects, where the input
// shape is written, graph connectivity formats).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/shape.hpp"

namespace fitcheck::io {

struct LayerSpec {
  std::string class_name;  // "Dense", "Conv2D", ... as Keras names the class
  std::string name;        // the layer's name in the model ("dense_1")
  // The layer's Keras config with nested objects normalised: every serialised object becomes
  // {"class_name", "config"} (module / registered_name dropped), a DTypePolicy becomes its name
  // ("float32"); the input-shape keys (batch_input_shape, batch_shape, input_shape) are removed —
  // they live in ModelSpec::input_shape; keys whose value is null (the default) are dropped.
  nlohmann::json config;
  std::string where;  // "model.json: layer 2 \"dense_1\" (Dense)", for messages
};

struct ModelSpec {
  std::string name;    // "sequential"
  std::string source;  // file name or "run.json: /model"
  enum class Dialect { Keras2, Keras3 } dialect = Dialect::Keras3;
  std::string original_class;  // "Sequential", "Functional" or "Model"
  // Declared input shape with the batch axis first, as Keras prints it: (None, 28, 28, 1).
  // Empty when the model declares none (Keras then builds it from the data at the first fit).
  std::optional<core::Shape> input_shape;
  std::string input_dtype = "float32";
  std::vector<LayerSpec> layers;  // in call order, InputLayer excluded
  // Compile settings stored with the model: Keras 3 `compile_config`, or the Keras 2
  // `training_config` of a .h5 file when the caller adds it.
  std::optional<nlohmann::json> compile_config;
};

// Normalises a parsed model JSON. Errors (ConfigError) name `source` and the JSON path:
// "model.json: /config/layers/2/config/units: expected an integer, ...". A Functional model
// that is not a chain (a layer with two inputs, two outputs, a layer used twice) is refused
// with the layers concerned named.
ModelSpec parse_keras_model(const nlohmann::json& model, const std::string& source);

// Reads and normalises a model JSON file.
ModelSpec load_keras_model_json(const std::filesystem::path& path);

// The normalised form of one serialised Keras object (initializer, regularizer, constraint,
// activation, loss, optimizer): a string stays a string; {"module", "class_name", "config",
// "registered_name"} becomes {"class_name", "config"} with its config normalised recursively.
nlohmann::json normalise_keras_object(const nlohmann::json& value);

}  // namespace fitcheck::io
