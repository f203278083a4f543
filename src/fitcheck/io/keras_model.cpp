#include "fitcheck/io/keras_model.hpp"

#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/json_file.hpp"

namespace fitcheck::io {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& path, std::string what,
                       std::string expected, const json* got, std::string hint = {}) {
  throw core::ConfigError({.where = fmt::format("{}: {}", source, path.empty() ? "/" : path),
                           .what = std::move(what),
                           .expected = std::move(expected),
                           .got = got ? json_excerpt(*got) : std::string(),
                           .hint = std::move(hint)});
}

bool is_serialised_object(const json& v) {
  return v.is_object() && v.contains("class_name") && v["class_name"].is_string() &&
         v.contains("config");
}

bool is_dtype_policy(const json& v) {
  if (!is_serialised_object(v)) return false;
  const auto& cls = v["class_name"].get_ref<const std::string&>();
  return cls == "DTypePolicy" || cls == "Policy" || cls == "FloatDTypePolicy";
}

// Keras configs nest a few levels (a wrapper's layer's initializer); anything far deeper is not
// a model and would only exhaust the stack.
constexpr int kMaxNesting = 64;

json normalise_value(const json& v, int depth = 0);

json normalise_config(const json& config, int depth = 0) {
  if (!config.is_object()) return normalise_value(config, depth);
  json out = json::object();
  for (const auto& [key, value] : config.items()) out[key] = normalise_value(value, depth + 1);
  return out;
}

json normalise_value(const json& v, int depth) {
  if (depth > kMaxNesting) {
    throw core::ConfigError({.what = "model JSON nested too deeply to be a Keras model",
                             .expected = fmt::format("at most {} levels", kMaxNesting)});
  }
  if (is_dtype_policy(v)) {
    const auto& cfg = v["config"];
    if (cfg.is_object() && cfg.contains("name") && cfg["name"].is_string()) return cfg["name"];
    return "float32";
  }
  if (is_serialised_object(v)) {
    json out = json::object();
    out["class_name"] = v["class_name"];
    out["config"] = normalise_config(v["config"], depth + 1);
    return out;
  }
  if (v.is_array()) {
    json out = json::array();
    for (const auto& item : v) out.push_back(normalise_value(item, depth + 1));
    return out;
  }
  if (v.is_object()) return normalise_config(v, depth);
  return v;
}

// A shape written by Keras: [null, 28, 28, 1] (None = unknown). `with_batch` says whether the
// list includes the batch axis (batch_shape, batch_input_shape) or not (input_shape, shape).
core::Shape parse_shape(const json& v, bool with_batch, const std::string& source,
                        const std::string& path) {
  if (!v.is_array() || v.empty()) {
    fail(source, path, "invalid input shape", "a list of dimensions such as [null, 28, 28, 1]", &v);
  }
  std::vector<std::int64_t> dims;
  if (!with_batch) dims.push_back(core::kUnknownDim);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto& d = v[i];
    if (d.is_null()) {
      dims.push_back(core::kUnknownDim);
    } else if (d.is_number_integer() && d.get<std::int64_t>() >= 0) {
      dims.push_back(d.get<std::int64_t>());
    } else {
      fail(source, fmt::format("{}/{}", path, i), "invalid dimension in input shape",
           "a non-negative integer or null", &d);
    }
  }
  return core::Shape(std::move(dims));
}

// The input shape a layer entry declares, if any; `path` is the JSON path of its config.
std::optional<core::Shape> declared_input_shape(const json& config, const std::string& source,
                                                const std::string& path) {
  if (!config.is_object()) return std::nullopt;
  for (const char* key : {"batch_shape", "batch_input_shape"}) {
    if (config.contains(key) && !config[key].is_null()) {
      return parse_shape(config[key], true, source, path + "/" + key);
    }
  }
  for (const char* key : {"input_shape", "shape"}) {
    if (config.contains(key) && !config[key].is_null()) {
      auto shape = parse_shape(config[key], false, source, path + "/" + key);
      if (config.contains("batch_size") && config["batch_size"].is_number_integer()) {
        shape[0] = config["batch_size"].get<std::int64_t>();
      }
      return shape;
    }
  }
  return std::nullopt;
}

const json& require_object_member(const json& obj, const char* key, const std::string& source,
                                  const std::string& path) {
  if (!obj.is_object() || !obj.contains(key)) {
    fail(source, path, fmt::format("missing \"{}\"", key),
         fmt::format("an object with \"{}\"", key), obj.is_object() ? nullptr : &obj,
         "Save the model with model.to_json() (or pass the .keras / .h5 file itself).");
  }
  return obj[key];
}

std::string layer_name_of(const json& entry) {
  if (entry.contains("name") && entry["name"].is_string()) return entry["name"];
  if (entry.contains("config") && entry["config"].is_object() && entry["config"].contains("name") &&
      entry["config"]["name"].is_string()) {
    return entry["config"]["name"];
  }
  return {};
}

// Functional connectivity: the names of the layers feeding one call of a layer.
std::vector<std::string> inbound_layer_names(const json& node) {
  std::vector<std::string> names;
  // Keras 2: a node is a list of [layer, node_index, tensor_index, kwargs].
  if (node.is_array()) {
    for (const auto& t : node) {
      if (t.is_array() && !t.empty() && t[0].is_string()) names.push_back(t[0]);
    }
    return names;
  }
  // Keras 3: {"args": [...], "kwargs": {...}}; tensors are __keras_tensor__ objects whose
  // keras_history names the producing layer. Nested lists hold multi-input calls.
  std::function<void(const json&, int)> collect = [&](const json& v, int depth) {
    if (depth > kMaxNesting) return;
    if (v.is_object()) {
      if (v.contains("class_name") && v["class_name"] == "__keras_tensor__" && v.contains("config") &&
          v["config"].contains("keras_history") && v["config"]["keras_history"].is_array() &&
          !v["config"]["keras_history"].empty() && v["config"]["keras_history"][0].is_string()) {
        names.push_back(v["config"]["keras_history"][0]);
        return;
      }
      for (const auto& [key, value] : v.items()) collect(value, depth + 1);
    } else if (v.is_array()) {
      for (const auto& item : v) collect(item, depth + 1);
    }
  };
  if (node.is_object() && node.contains("args")) collect(node["args"], 0);
  return names;
}

// ["input_layer", 0, 0] or [["input_layer", 0, 0], ...] → layer names.
std::vector<std::string> endpoint_names(const json& v, int depth = 0) {
  std::vector<std::string> names;
  if (depth > kMaxNesting) return names;
  if (v.is_array() && v.size() == 3 && v[0].is_string()) {
    names.push_back(v[0]);
  } else if (v.is_array()) {
    for (const auto& item : v) {
      auto sub = endpoint_names(item, depth + 1);
      names.insert(names.end(), sub.begin(), sub.end());
    }
  } else if (v.is_object()) {
    for (const auto& [key, item] : v.items()) {
      auto sub = endpoint_names(item, depth + 1);
      names.insert(names.end(), sub.begin(), sub.end());
    }
  }
  return names;
}

// Orders the layers of a Functional model from input to output, refusing anything but a chain.
std::vector<std::size_t> chain_order(const json& layers, const json& config, const std::string& source) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    auto name = layer_name_of(layers[i]);
    if (name.empty()) {
      fail(source, fmt::format("/config/layers/{}", i), "a Functional layer without a name",
           "a \"name\" entry", nullptr);
    }
    index[name] = i;
  }
  auto inputs = endpoint_names(config.value("input_layers", json::array()));
  auto outputs = endpoint_names(config.value("output_layers", json::array()));
  if (inputs.size() != 1 || outputs.size() != 1) {
    fail(source, "/config", "a Functional model with several inputs or outputs is not supported",
         "one input and one output", nullptr,
         fmt::format("The model has {} input(s) and {} output(s); fitcheck trains chains of layers.",
                     inputs.size(), outputs.size()));
  }
  std::map<std::string, std::string> predecessor;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& entry = layers[i];
    auto name = layer_name_of(entry);
    const auto nodes = entry.value("inbound_nodes", json::array());
    if (nodes.size() > 1) {
      problems.push_back(fmt::format("layer \"{}\" is called {} times (shared layer)", name, nodes.size()));
      continue;
    }
    if (nodes.empty()) continue;
    auto from = inbound_layer_names(nodes[0]);
    if (from.size() != 1) {
      problems.push_back(fmt::format("layer \"{}\" takes {} inputs", name, from.size()));
      continue;
    }
    if (!index.count(from[0])) {
      problems.push_back(fmt::format("layer \"{}\" takes its input from \"{}\", which is not in the model", name, from[0]));
      continue;
    }
    predecessor[name] = from[0];
  }
  std::vector<std::size_t> order;
  std::set<std::string> seen;
  std::string at = outputs[0];
  while (problems.empty()) {
    if (!index.count(at)) {
      problems.push_back(fmt::format("the output layer \"{}\" is not in the model", at));
      break;
    }
    if (!seen.insert(at).second) {
      problems.push_back(fmt::format("layer \"{}\" feeds itself (a cycle)", at));
      break;
    }
    order.push_back(index[at]);
    if (at == inputs[0]) break;
    auto p = predecessor.find(at);
    if (p == predecessor.end()) {
      problems.push_back(fmt::format("layer \"{}\" has no input but is not the model's input", at));
      break;
    }
    at = p->second;
  }
  if (problems.empty() && order.size() != layers.size()) {
    for (const auto& [name, i] : index) {
      if (!seen.count(name)) problems.push_back(fmt::format("layer \"{}\" is not on the path from input to output", name));
    }
  }
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
    fail(source, "/config/layers", "this Functional model is not a chain of layers: " + all,
         "each layer called once on the output of the one before", nullptr,
         "fitcheck trains Sequential models and Functional models whose graph is a chain.");
  }
  return {order.rbegin(), order.rend()};
}

}  // namespace

nlohmann::json normalise_keras_object(const nlohmann::json& value) {
  return normalise_value(value);
}

ModelSpec parse_keras_model(const nlohmann::json& model, const std::string& source) {
  if (!model.is_object()) {
    fail(source, "", "not a Keras model", "a JSON object from model.to_json()", &model);
  }
  const auto& cls_json = require_object_member(model, "class_name", source, "");
  if (!cls_json.is_string()) fail(source, "/class_name", "invalid model class", "a string", &cls_json);
  ModelSpec spec;
  spec.source = source;
  spec.original_class = cls_json.get<std::string>();
  const bool functional = spec.original_class == "Functional" || spec.original_class == "Model";
  if (spec.original_class != "Sequential" && !functional) {
    fail(source, "/class_name", "unsupported model class", "\"Sequential\" or \"Functional\"", &cls_json,
         "Subclassed models have no JSON form; rebuild the model as Sequential or Functional.");
  }
  const bool keras3 = model.contains("module") || model.contains("registered_name") ||
                      model.contains("build_config");
  spec.dialect = keras3 ? ModelSpec::Dialect::Keras3 : ModelSpec::Dialect::Keras2;

  const auto& config = require_object_member(model, "config", source, "");
  // Keras <= 2.2 wrote a Sequential's config as the bare list of layers.
  const json* layers_ptr = nullptr;
  std::string layers_path = "/config/layers";
  if (config.is_array()) {
    layers_ptr = &config;
    layers_path = "/config";
  } else if (config.is_object()) {
    spec.name = config.contains("name") && config["name"].is_string()
                    ? config["name"].get<std::string>()
                    : std::string(functional ? "functional" : "sequential");
    layers_ptr = &require_object_member(config, "layers", source, "/config");
  } else {
    fail(source, "/config", "invalid model config", "an object", &config);
  }
  const json& layers = *layers_ptr;
  if (!layers.is_array()) fail(source, layers_path, "invalid layer list", "a list of layers", &layers);

  std::vector<std::size_t> order(layers.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (functional) {
    if (!config.is_object()) fail(source, "/config", "invalid Functional model config", "an object", &config);
    order = chain_order(layers, config, source);
  }

  int position = 0;
  for (std::size_t i : order) {
    const auto& entry = layers[i];
    const std::string path = fmt::format("{}/{}", layers_path, i);
    const auto& lcls = require_object_member(entry, "class_name", source, path);
    if (!lcls.is_string()) fail(source, path + "/class_name", "invalid layer class", "a string", &lcls);
    const auto& lconfig = require_object_member(entry, "config", source, path);
    if (!lconfig.is_object()) fail(source, path + "/config", "invalid layer config", "an object", &lconfig);
    const std::string cls = lcls.get<std::string>();
    std::string name = layer_name_of(entry);

    if (cls == "InputLayer") {
      if (position != 0 || !spec.layers.empty()) {
        fail(source, path, "an InputLayer after other layers", "the InputLayer first", &lcls);
      }
      spec.input_shape = declared_input_shape(lconfig, source, path + "/config");
      if (lconfig.contains("dtype")) {
        auto dt = normalise_value(lconfig["dtype"]);
        if (dt.is_string()) spec.input_dtype = dt;
      }
      continue;
    }
    if (!spec.input_shape && spec.layers.empty()) {
      spec.input_shape = declared_input_shape(lconfig, source, path + "/config");
    }
    LayerSpec layer;
    layer.class_name = cls;
    layer.name = name.empty() ? fmt::format("layer_{}", position) : name;
    layer.config = normalise_config(lconfig);
    for (const char* key : {"batch_input_shape", "batch_shape", "input_shape", "batch_size"}) {
      layer.config.erase(key);
    }
    // In a layer config null always means "the default" (no regularizer, strides = pool size,
    // ...); Keras 2 and 3 differ in which of those they write, so they are dropped.
    for (auto it = layer.config.begin(); it != layer.config.end();) {
      it = it->is_null() ? layer.config.erase(it) : std::next(it);
    }
    ++position;
    layer.where = fmt::format("{}: layer {} \"{}\" ({})", source, position, layer.name, cls);
    spec.layers.push_back(std::move(layer));
  }

  // Sequential models built without an InputLayer may still record the shape they were built with.
  if (!spec.input_shape && config.is_object() && config.contains("build_input_shape") &&
      !config["build_input_shape"].is_null()) {
    spec.input_shape = parse_shape(config["build_input_shape"], true, source, "/config/build_input_shape");
  }
  if (!spec.input_shape && model.contains("build_config") && model["build_config"].is_object() &&
      model["build_config"].contains("input_shape") && !model["build_config"]["input_shape"].is_null() &&
      !functional) {
    spec.input_shape = parse_shape(model["build_config"]["input_shape"], true, source, "/build_config/input_shape");
  }
  if (model.contains("compile_config") && model["compile_config"].is_object()) {
    spec.compile_config = normalise_config(model["compile_config"]);
  }
  return spec;
}

ModelSpec load_keras_model_json(const std::filesystem::path& path) {
  return parse_keras_model(read_json_file(path), path.filename().string());
}

}  // namespace fitcheck::io
