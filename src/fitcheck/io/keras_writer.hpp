#pragma once
// Writing a Keras 3 `.keras` archive from content already in Keras' form, without interpreting
// it (the counterpart of read_keras_archive): the caller gives config.json's object and the tree
// of model.weights.h5; this writes
//   metadata.json     {"keras_version", "date_saved": "%Y-%m-%d@%H:%M:%S"}
//   config.json       the model's serialized config
//   model.weights.h5  the groups and float32 datasets given
// as a zip with the members stored in that order, as Keras' saving_lib writes it. Turning a model
// into this content is run::save_keras's job (run/keras_export.hpp).

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/tensor.hpp"

namespace fitcheck::io {

struct KerasArchiveContent {
  nlohmann::json config;      // config.json
  std::string keras_version;  // metadata.json's keras_version
  // Groups of model.weights.h5 that exist even when empty ("vars", "layers/dropout/vars"), in
  // creation order; the parents of every dataset are created as well.
  std::vector<std::string> groups;
  // Datasets by path ("layers/dense/vars/0"), written as float32 in this order.
  std::vector<std::pair<std::string, core::Tensor>> datasets;
};

// The archive's bytes (for tests and for writers that put it elsewhere).
std::vector<std::byte> build_keras_archive(const KerasArchiveContent& content, const std::string& target);

// Writes the archive to `path` atomically (temporary file in the same directory, then rename):
// a failure leaves no partial file and an existing file at `path` unchanged. InputError naming
// `path` when the directory is not writable.
void write_keras_archive(const std::filesystem::path& path, const KerasArchiveContent& content);

}  // namespace fitcheck::io
