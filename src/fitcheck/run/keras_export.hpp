#pragma once
// A model exported as a Keras 3 `.keras` archive that Keras' keras.saving.load_model reads
// (format: shared/reference/keras.md §1-2, docs/keras_files.md):
//   config.json       {"module": "keras", "class_name": "Sequential", "config": {name, trainable,
//                     dtype, layers: [InputLayer, ...], build_input_shape}, "registered_name": null,
//                     "build_config": {"input_shape"}, "compile_config" (when compiled)}; every
//                     layer {"module": "keras.layers", "class_name", "config", "registered_name":
//                     null, "build_config": {"input_shape"}}, nested objects (initializers, the
//                     layers of Bidirectional / TimeDistributed) in the same serialized form
//   model.weights.h5  "vars" (the model's own, empty), then per layer
//                     layers/<snake_case(class)>[_N]/vars/0, 1, ... — recurrent layers' variables in
//                     their "cell", Bidirectional's in forward_layer/ and backward_layer/,
//                     TimeDistributed's in layer/
//   metadata.json     keras_version, date_saved
// The optimizer's state (iteration count, moments) is not written: Keras compiles the loaded model
// from compile_config with a fresh optimizer (and warns that it skipped the optimizer variables).

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/io/keras_writer.hpp"
#include "fitcheck/nn/sequential.hpp"

namespace fitcheck::run {

// The Keras release whose .keras layout and config keys the export follows (recorded in
// metadata.json). Keys added after Keras 3.4 that have defaults are left out, so 3.4+ reads it.
inline constexpr const char* kKerasExportVersion = "3.9.0";

// The layer classes the export writes (every layer the engine builds; a test holds it to
// nn::registered_layer_classes()).
std::vector<std::string> keras_exportable_classes();

// config.json: the model as Keras 3's serialize_keras_object writes it. ConfigError when the model
// is not built (no input shape) or has layers the export does not know — all of them listed.
nlohmann::json keras3_model_config(const nn::Sequential& model);

// config.json, metadata and the weight tree, ready for io::write_keras_archive.
io::KerasArchiveContent keras_archive_content(const nn::Sequential& model);

// Writes `path` (any name; Keras' load_model wants the .keras extension) atomically: on any error
// no file is left behind and an existing file at `path` is unchanged.
void save_keras(const std::filesystem::path& path, const nn::Sequential& model);

}  // namespace fitcheck::run
