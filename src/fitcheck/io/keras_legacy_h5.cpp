// Legacy Keras `.h5` model files (Keras 2 model.save("m.h5")): JSON in root attributes, weights
// under model_weights in the order given by the layer_names / weight_names attributes.
#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/hdf5_file.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/keras_file.hpp"

namespace fitcheck::io {
namespace {

// Keras splits a name list longer than HDF5's 64 KiB attribute limit into `<name>0`, `<name>1`, ...
std::optional<std::vector<std::string>> name_list(const detail::Hdf5File& h5, const std::string& object, const std::string& name) {
  if (auto whole = h5.string_list_attribute(object, name)) return whole;
  if (!h5.has_attribute(object, name + "0")) return std::nullopt;
  std::vector<std::string> all;
  for (int chunk = 0; h5.has_attribute(object, name + std::to_string(chunk)); ++chunk) {
    auto part = h5.string_list_attribute(object, name + std::to_string(chunk));
    all.insert(all.end(), part->begin(), part->end());
  }
  return all;
}

nlohmann::json json_attribute(const detail::Hdf5File& h5, const std::string& name, const std::string& text) {
  auto doc = parse_json_text(text, fmt::format("{}: attribute '{}'", h5.source(), name));
  if (!doc.is_object()) {
    throw core::InputError({.where = fmt::format("{}: attribute '{}'", h5.source(), name), .what = "unexpected JSON",
                            .expected = "an object", .got = json_excerpt(doc)});
  }
  return doc;
}

}  // namespace

KerasFile read_keras_h5(const std::filesystem::path& path) {
  detail::Hdf5File h5(path);
  KerasFile k;
  k.source = h5.source();
  k.format = "h5";
  auto model_config = h5.string_attribute("", "model_config");
  if (!model_config) {
    const bool weights_only = h5.has_attribute("", "layer_names") || h5.has_attribute("", "layer_names0");
    throw core::InputError({.where = h5.source() + ": attribute 'model_config'",
                            .what = "missing model config: the file has no 'model_config' attribute",
                            .expected = "a whole model saved with model.save('m.h5')",
                            .got = weights_only ? "a weights-only file (model.save_weights)" : "an HDF5 file without Keras model attributes",
                            .hint = "Save the whole model, or give the architecture as JSON (model.to_json()) in the run file."});
  }
  k.model_config = json_attribute(h5, "model_config", *model_config);
  if (auto training = h5.string_attribute("", "training_config")) k.training_config = json_attribute(h5, "training_config", *training);
  if (auto version = h5.string_attribute("", "keras_version")) k.keras_version = *version;

  if (!h5.is_group("model_weights")) return k;  // saved without weights
  auto layers = name_list(h5, "model_weights", "layer_names");
  if (!layers) {
    throw core::InputError({.where = h5.source() + ": model_weights: attribute 'layer_names'", .what = "missing weight index",
                            .expected = "the list of layer names that Keras writes beside the weights"});
  }
  for (const auto& layer : *layers) {
    const std::string group = "model_weights/" + layer;
    if (!h5.is_group(group)) {
      throw core::InputError({.where = fmt::format("{}: {}", h5.source(), group),
                              .what = fmt::format("layer '{}' is listed in layer_names but has no weight group", layer),
                              .hint = "The file is damaged or was edited; save the model again."});
    }
    auto names = name_list(h5, group, "weight_names");
    if (!names) {
      throw core::InputError({.where = fmt::format("{}: {}: attribute 'weight_names'", h5.source(), group),
                              .what = "missing weight index", .expected = "the list of the layer's weight names"});
    }
    for (const auto& name : *names) {
      const std::string dataset = group + "/" + name;
      if (!h5.is_dataset(dataset)) {
        throw core::InputError({.where = fmt::format("{}: {}", h5.source(), dataset),
                                .what = fmt::format("weight '{}' is listed in weight_names of layer '{}' but absent", name, layer),
                                .hint = "The file is damaged or was edited; save the model again."});
      }
      k.weights.push_back({layer, name, h5.read_dataset(dataset)});
    }
  }
  return k;
}

}  // namespace fitcheck::io
