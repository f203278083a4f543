#pragma once
// What a Keras model file holds, read without interpreting the layers: the model config JSON,
// the compile settings and the weights in the order Keras stores them.
//
// - `.keras` (Keras 3): a zip with config.json (the model's serialized config, compile_config
//   inside it), metadata.json and model.weights.h5, whose groups are
//   `layers/<snake_case(ClassName)>[_N]/vars/0, 1, ...` (nested objects such as an RNN's `cell`
//   or Bidirectional's `forward_layer` / `backward_layer` get subgroups).
// - legacy `.h5` (Keras 2 `model.save("m.h5")`, also Keras 3's legacy writer): root attributes
//   `model_config` and `training_config` (JSON text), weights under
//   `model_weights/<layer>/<weight name>` listed by the attributes `layer_names` (on
//   model_weights) and `weight_names` (on each layer group).

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/io/npy.hpp"

namespace fitcheck::io {

struct KerasWeight {
  std::string layer;  // the layer's name as in model_config ("dense_1")
  // As the file names it: legacy .h5 "dense_1/kernel:0" (weight_names); .keras the dataset path
  // within the layer's group, e.g. "vars/0" or "cell/vars/1" (Keras 3 stores no weight names).
  std::string name;
  NdArray value;
};

struct KerasFile {
  // .keras: config.json as it is; .h5: the model_config attribute.
  nlohmann::json model_config;
  // .h5: the training_config attribute; .keras: compile_config from config.json. nullopt when
  // the model was saved uncompiled.
  std::optional<nlohmann::json> training_config;
  // Layer by layer in model_config order, and within a layer in Keras' storage order
  // (Dense: kernel, bias; BatchNormalization: gamma, beta, moving_mean, moving_variance;
  // LSTM: kernel, recurrent_kernel, bias; Bidirectional: forward then backward).
  std::vector<KerasWeight> weights;
  std::string source;         // the path, for messages
  std::string format;         // "keras" or "h5"
  std::string keras_version;  // from metadata.json or the root attribute; "" if not recorded
};

// Reads a .keras archive or a legacy .h5 file, recognised by content (zip or HDF5 signature),
// not by extension. Throws core::InputError naming the file and the member/key at fault.
KerasFile read_keras_file(const std::filesystem::path& path);
KerasFile read_keras_archive(const std::filesystem::path& path);
KerasFile read_keras_h5(const std::filesystem::path& path);
// A .keras archive already in memory (fuzzing); `source_name` is used in messages.
KerasFile parse_keras_archive(std::span<const std::byte> content, const std::string& source_name);

// Keras 3's group name for a layer class: "BatchNormalization" → "batch_normalization",
// "Conv2D" → "conv2d" (keras.src.utils.naming.to_snake_case).
std::string keras_snake_case(std::string_view class_name);

}  // namespace fitcheck::io
