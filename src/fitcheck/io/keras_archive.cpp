// Keras 3 `.keras` archives: config.json, metadata.json and model.weights.h5 in a zip. The
// weights file is read from memory; its layer groups are named after the layer classes, so they
// are matched to config.json's layers by Keras' own naming rule.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/hdf5_file.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/keras_file.hpp"
#include "fitcheck/io/zip_archive.hpp"

namespace fitcheck::io {
namespace {

const detail::ZipKind kKerasKind{"not a .keras archive", "a zip archive with config.json and model.weights.h5",
                                 "Save the model with model.save('model.keras')."};

// Nested objects deeper than this are not Keras' (and a hard-link cycle must not recurse forever).
constexpr int kMaxDepth = 16;

std::string member_list(const detail::ZipArchive& zip) {
  std::string list;
  for (const auto& n : zip.names()) list += (list.empty() ? "" : ", ") + n;
  return list.empty() ? "an empty archive" : list;
}

nlohmann::json read_json_member(const detail::ZipArchive& zip, std::size_t index, const std::string& name) {
  const std::string where = fmt::format("{}[{}]", zip.source(), name);
  auto bytes = zip.read(index, where);
  auto doc = parse_json_text(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), where);
  if (!doc.is_object()) {
    throw core::InputError({.where = where, .what = "unexpected JSON", .expected = "an object", .got = json_excerpt(doc)});
  }
  return doc;
}

// Numeric names ("0", "1", ..., "10") in numeric order, others after them by name.
bool storage_order(const std::string& a, const std::string& b) {
  auto numeric = [](const std::string& s) {
    return !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (numeric(a) && numeric(b)) return std::stoul(a) < std::stoul(b);
  if (numeric(a) != numeric(b)) return numeric(a);
  return a < b;
}

// Sub-objects of a layer: Bidirectional's forward layer comes before its backward layer (the
// order of layer.weights); other children by name.
int child_rank(const std::string& name) {
  if (name == "forward_layer") return 0;
  if (name == "backward_layer") return 1;
  return 2;
}

void collect_weights(const detail::Hdf5File& h5, const std::string& group, const std::string& relative,
                     const std::string& layer, int depth, std::vector<KerasWeight>& out) {
  if (depth > kMaxDepth) {
    throw core::InputError({.where = fmt::format("{}[{}]", h5.source(), group), .what = "weight groups nest too deeply",
                            .expected = fmt::format("at most {} levels", kMaxDepth)});
  }
  auto children = h5.children(group);
  std::vector<std::string> datasets;
  std::vector<std::string> groups;
  for (const auto& c : children) {
    if (c == "vars") continue;
    if (h5.is_dataset(group + "/" + c)) datasets.push_back(c);
    else if (h5.is_group(group + "/" + c)) groups.push_back(c);
  }
  // The object's own variables first, then anything stored beside them, then sub-objects.
  if (h5.is_group(group + "/vars")) {
    auto vars = h5.children(group + "/vars");
    std::sort(vars.begin(), vars.end(), storage_order);
    for (const auto& v : vars) {
      const std::string path = group + "/vars/" + v;
      if (h5.is_dataset(path)) out.push_back({layer, relative + "vars/" + v, h5.read_dataset(path)});
    }
  }
  std::sort(datasets.begin(), datasets.end(), storage_order);
  for (const auto& d : datasets) out.push_back({layer, relative + d, h5.read_dataset(group + "/" + d)});
  std::stable_sort(groups.begin(), groups.end(), [](const std::string& a, const std::string& b) {
    return child_rank(a) != child_rank(b) ? child_rank(a) < child_rank(b) : storage_order(a, b);
  });
  for (const auto& g : groups) collect_weights(h5, group + "/" + g, relative + g + "/", layer, depth + 1, out);
}

bool holds_datasets(const detail::Hdf5File& h5, const std::string& group, int depth) {
  if (depth > kMaxDepth) return false;
  for (const auto& c : h5.children(group)) {
    const std::string path = group + "/" + c;
    if (h5.is_dataset(path) || (h5.is_group(path) && holds_datasets(h5, path, depth + 1))) return true;
  }
  return false;
}

std::string layer_name(const nlohmann::json& entry) {
  if (entry.contains("config") && entry["config"].is_object() && entry["config"].contains("name") &&
      entry["config"]["name"].is_string()) {
    return entry["config"]["name"].get<std::string>();
  }
  if (entry.contains("name") && entry["name"].is_string()) return entry["name"].get<std::string>();
  return "";
}

std::vector<KerasWeight> read_weights(const detail::Hdf5File& h5, const nlohmann::json& config, const std::string& config_source) {
  std::vector<KerasWeight> weights;
  // Keras 2.13-2.15 wrote "_layer_checkpoint_dependencies" where Keras 3 writes "layers".
  std::string root;
  for (const char* candidate : {"layers", "_layer_checkpoint_dependencies"}) {
    if (h5.is_group(candidate)) root = candidate;
  }
  if (root.empty()) return weights;

  const nlohmann::json* layers = nullptr;
  if (config.contains("config") && config["config"].is_object() && config["config"].contains("layers") &&
      config["config"]["layers"].is_array()) {
    layers = &config["config"]["layers"];
  }
  std::set<std::string> matched;
  std::map<std::string, int> used;
  if (layers != nullptr) {
    for (const auto& entry : *layers) {
      if (!entry.is_object() || !entry.contains("class_name") || !entry["class_name"].is_string()) continue;
      const auto cls = entry["class_name"].get<std::string>();
      if (cls == "InputLayer") continue;  // not in model.layers, so it has no group
      // Keras 3 saving: snake_case(class), then "_1", "_2", ... for repeats, in model.layers order.
      std::string group = keras_snake_case(cls);
      auto [it, first] = used.try_emplace(group, 0);
      if (!first) group += "_" + std::to_string(++it->second);
      const std::string path = root + "/" + group;
      if (!h5.is_group(path)) continue;  // a layer without variables
      matched.insert(group);
      collect_weights(h5, path, "", layer_name(entry), 0, weights);
    }
  }
  for (const auto& child : h5.children(root)) {
    if (matched.contains(child) || !h5.is_group(root + "/" + child) || !holds_datasets(h5, root + "/" + child, 0)) continue;
    throw core::InputError({.where = fmt::format("{}[{}/{}]", h5.source(), root, child),
                            .what = "weights of a layer that the model config does not have",
                            .expected = fmt::format("a group for one of the layers of {}", config_source),
                            .got = "'" + child + "'",
                            .hint = "config.json and model.weights.h5 come from different models; save the model again."});
  }
  return weights;
}

KerasFile from_archive(const detail::ZipArchive& zip) {
  KerasFile k;
  k.source = zip.source();
  k.format = "keras";
  auto config_index = zip.find("config.json");
  if (!config_index) {
    throw core::InputError({.where = zip.source() + "[config.json]", .what = "missing model config: the archive has no config.json",
                            .expected = "the members config.json, metadata.json and model.weights.h5",
                            .got = member_list(zip), .hint = kKerasKind.hint});
  }
  k.model_config = read_json_member(zip, *config_index, "config.json");
  if (k.model_config.contains("compile_config") && !k.model_config["compile_config"].is_null()) {
    k.training_config = k.model_config["compile_config"];
  }
  if (auto meta = zip.find("metadata.json")) {
    auto doc = read_json_member(zip, *meta, "metadata.json");
    if (doc.contains("keras_version") && doc["keras_version"].is_string()) k.keras_version = doc["keras_version"].get<std::string>();
  }
  auto weights_index = zip.find("model.weights.h5");
  if (!weights_index) {
    const bool npz = zip.find("model.weights.npz").has_value();
    throw core::InputError({.where = zip.source() + "[model.weights.h5]", .what = "missing weights: the archive has no model.weights.h5",
                            .expected = "the members config.json, metadata.json and model.weights.h5",
                            .got = member_list(zip),
                            .hint = npz ? "Weights saved in the npz format are not read; save with the default weights_format='h5'."
                                        : kKerasKind.hint});
  }
  const std::string h5_source = zip.source() + "[model.weights.h5]";
  detail::Hdf5File h5(zip.read(*weights_index, h5_source), h5_source);
  k.weights = read_weights(h5, k.model_config, zip.source() + "[config.json]");
  return k;
}

}  // namespace

KerasFile read_keras_archive(const std::filesystem::path& path) { return from_archive(detail::ZipArchive(path, kKerasKind)); }

KerasFile parse_keras_archive(std::span<const std::byte> content, const std::string& source_name) {
  return from_archive(detail::ZipArchive(content, source_name, kKerasKind));
}

}  // namespace fitcheck::io
