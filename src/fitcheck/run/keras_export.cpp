// Sequential → Keras 3 `.keras`: the serialized config (Keras 3's serialize_keras_object form) and
// the weights tree of saving_lib (one group per object, variables as vars/0, 1, ...).
#include "fitcheck/run/keras_export.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <span>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/keras_file.hpp"
#include "fitcheck/nn/layers/bidirectional.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/time_distributed.hpp"

namespace fitcheck::run {
namespace {

using nlohmann::json;

// Where a layer's variables live in Keras 3's object tree.
enum class Kind {
  Input,            // not in model.layers: no group
  Plain,            // its own variables: <layer>/vars/0, 1, ...
  Recurrent,        // the RNN's cell holds them: <layer>/cell/vars/...
  Bidirectional,    // <layer>/forward_layer/..., <layer>/backward_layer/...
  TimeDistributed,  // <layer>/layer/...
};

// One line per exportable layer class.
const std::map<std::string, Kind>& kinds() {
  static const std::map<std::string, Kind> k = {
      {"InputLayer", Kind::Input},
      {"Dense", Kind::Plain},
      {"Activation", Kind::Plain},
      {"Dropout", Kind::Plain},
      {"Flatten", Kind::Plain},
      {"Reshape", Kind::Plain},
      {"BatchNormalization", Kind::Plain},
      {"LayerNormalization", Kind::Plain},
      {"Embedding", Kind::Plain},
      {"Conv1D", Kind::Plain},
      {"Conv2D", Kind::Plain},
      {"DepthwiseConv2D", Kind::Plain},
      {"SeparableConv2D", Kind::Plain},
      {"Conv2DTranspose", Kind::Plain},
      {"MaxPooling1D", Kind::Plain},
      {"MaxPooling2D", Kind::Plain},
      {"AveragePooling1D", Kind::Plain},
      {"AveragePooling2D", Kind::Plain},
      {"GlobalMaxPooling1D", Kind::Plain},
      {"GlobalMaxPooling2D", Kind::Plain},
      {"GlobalAveragePooling1D", Kind::Plain},
      {"GlobalAveragePooling2D", Kind::Plain},
      {"ZeroPadding2D", Kind::Plain},
      {"Cropping2D", Kind::Plain},
      {"UpSampling2D", Kind::Plain},
      {"SimpleRNN", Kind::Recurrent},
      {"LSTM", Kind::Recurrent},
      {"GRU", Kind::Recurrent},
      {"Bidirectional", Kind::Bidirectional},
      {"TimeDistributed", Kind::TimeDistributed},
  };
  return k;
}

std::optional<Kind> kind_of(const nn::Layer& layer) {
  auto it = kinds().find(layer.class_name());
  if (it == kinds().end()) return std::nullopt;
  // The wrappers are read through their engine types; a look-alike class of the same name is not.
  if (it->second == Kind::Bidirectional && dynamic_cast<const nn::Bidirectional*>(&layer) == nullptr)
    return std::nullopt;
  if (it->second == Kind::TimeDistributed && dynamic_cast<const nn::TimeDistributed*>(&layer) == nullptr)
    return std::nullopt;
  if (it->second == Kind::Input && dynamic_cast<const nn::InputLayer*>(&layer) == nullptr) return std::nullopt;
  return it->second;
}

std::string describe(const nn::Layer& layer) { return fmt::format("{} \"{}\"", layer.class_name(), layer.name()); }

void collect_unsupported(const nn::Layer& layer, const std::string& where, std::vector<std::string>& out) {
  const auto kind = kind_of(layer);
  if (!kind) {
    out.push_back(where);
  } else if (*kind == Kind::Bidirectional) {
    const auto& b = dynamic_cast<const nn::Bidirectional&>(layer);
    collect_unsupported(b.forward_layer(), where + ": forward layer " + describe(b.forward_layer()), out);
    collect_unsupported(b.backward_layer(), where + ": backward layer " + describe(b.backward_layer()), out);
  } else if (*kind == Kind::TimeDistributed) {
    const auto& t = dynamic_cast<const nn::TimeDistributed&>(layer);
    collect_unsupported(t.layer(), where + ": wrapped layer " + describe(t.layer()), out);
  }
}

void check_exportable(const nn::Sequential& model) {
  if (!model.built() || !model.input_shape()) {
    throw core::ConfigError({.where = fmt::format("model \"{}\"", model.name()),
                             .what = "the model is not built: it declares no input shape",
                             .expected = "a built model (an InputLayer, or build() with the input shape)",
                             .hint = "Keras needs the weights' shapes; build or train the model before exporting it."});
  }
  std::vector<std::string> unsupported;
  for (std::size_t i = 0; i < model.size(); ++i) {
    const auto& layer = model.layer(i);
    std::string where = fmt::format("layers[{}] {}", i, describe(layer));
    if (layer.class_name() == "InputLayer" && i > 0) {
      unsupported.push_back(where + " (an InputLayer after the first layer)");
      continue;
    }
    collect_unsupported(layer, where, unsupported);
  }
  if (unsupported.empty()) return;
  std::string list, supported;
  for (const auto& u : unsupported) list += (list.empty() ? "" : "; ") + u;
  for (const auto& c : keras_exportable_classes()) supported += (supported.empty() ? "" : ", ") + c;
  throw core::ConfigError({.where = fmt::format("model \"{}\"", model.name()),
                           .what = fmt::format("{} layer{} cannot be exported to Keras 3: {}", unsupported.size(),
                                               unsupported.size() == 1 ? "" : "s", list),
                           .expected = "layers of the classes the export writes",
                           .hint = "The classes exported are " + supported + "."});
}

// Keras ≥ 3.4 writes a layer's dtype as a DTypePolicy object (InputLayer keeps the plain string).
json dtype_policy() {
  return {{"module", "keras"},
          {"class_name", "DTypePolicy"},
          {"config", {{"name", "float32"}}},
          {"registered_name", nullptr}};
}

// {"class_name", "config"} (with or without module) → Keras 3's serialized object of `module`.
json keras3_object(const json& value, const std::string& module) {
  if (!value.is_object() || !value.contains("class_name")) return value;
  json config = value.contains("config") ? value["config"] : json::object();
  return {{"module", module}, {"class_name", value["class_name"]}, {"config", config}, {"registered_name", nullptr}};
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

json input_layer_entry(const core::Shape& batch_shape, const std::string& name) {
  // No "ragged" / "optional": Keras before 3.9 / 3.13 refuses them, later ones default them.
  json config{
      {"batch_shape", nn::config::shape_to_json(batch_shape)}, {"dtype", "float32"}, {"sparse", false}, {"name", name}};
  return {{"module", "keras.layers"}, {"class_name", "InputLayer"}, {"config", config}, {"registered_name", nullptr}};
}

json keras3_layer(const nn::Layer& layer) {
  json config = layer.get_config();
  // The input shape lives in the InputLayer and in build_config, not in the layer's arguments.
  config.erase("batch_input_shape");
  // Keras' own Conv2DTranspose.get_config leaves output_padding out; it is written only when set.
  if (config.contains("output_padding") && config["output_padding"].is_null()) config.erase("output_padding");
  config["dtype"] = dtype_policy();
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (ends_with(it.key(), "_initializer")) it.value() = keras3_object(it.value(), "keras.initializers");
    if (ends_with(it.key(), "_regularizer")) it.value() = keras3_object(it.value(), "keras.regularizers");
    if (ends_with(it.key(), "_constraint")) it.value() = keras3_object(it.value(), "keras.constraints");
  }
  if (const auto* b = dynamic_cast<const nn::Bidirectional*>(&layer)) {
    config["layer"] = keras3_layer(b->forward_layer());
    config["backward_layer"] = keras3_layer(b->backward_layer());
  } else if (const auto* t = dynamic_cast<const nn::TimeDistributed*>(&layer)) {
    config["layer"] = keras3_layer(t->layer());
  }
  json entry{
      {"module", "keras.layers"}, {"class_name", layer.class_name()}, {"config", config}, {"registered_name", nullptr}};
  if (layer.built()) entry["build_config"] = {{"input_shape", nn::config::shape_to_json(layer.input_shape())}};
  return entry;
}

json compile_config(const nn::Sequential& model) {
  const json opt = model.optimizer().get_config();
  json oc = opt["config"];
  if (oc.contains("learning_rate") && oc["learning_rate"].is_object()) {
    oc["learning_rate"] = keras3_object(oc["learning_rate"], "keras.optimizers.schedules");
  }
  // The base optimizer arguments every Keras 3 release takes (the engine has no EMA).
  oc["use_ema"] = false;
  oc["ema_momentum"] = 0.99;
  oc["ema_overwrite_frequency"] = nullptr;
  json optimizer{
      {"module", "keras.optimizers"}, {"class_name", opt["class_name"]}, {"config", oc}, {"registered_name", nullptr}};

  // A loss given by name stays a name (Keras resolves every alias); an object is re-serialized from
  // the engine's loss, whose config holds only keys Keras 3 takes.
  const json& spec = model.loss_spec();
  json loss = spec;
  // A function reference ({"class_name": "function", "config": "log_cosh"}) or a wrapper around one
  // stays as written.
  const bool function_form = spec.is_object() && (spec.value("class_name", "") == "function" ||
                                                  spec.value("class_name", "") == "LossFunctionWrapper");
  if (spec.is_object() && spec.contains("class_name") && !function_form) {
    loss = {{"module", "keras.losses"},
            {"class_name", spec["class_name"]},
            {"config", model.loss().get_config()},
            {"registered_name", nullptr}};
  }
  json metrics = nullptr;
  if (!model.metric_specs().empty()) {
    metrics = json::array();
    for (const auto& m : model.metric_specs()) {
      json entry = m;
      if (m.is_object() && m.contains("class_name")) {
        json bare{{"class_name", m["class_name"]}, {"config", m.value("config", json::object())}};
        entry = keras3_object(bare, "keras.metrics");
      }
      metrics.push_back(entry);
    }
  }
  return {{"optimizer", optimizer},      {"loss", loss},         {"loss_weights", nullptr},  {"metrics", metrics},
          {"weighted_metrics", nullptr}, {"run_eagerly", false}, {"steps_per_execution", 1}, {"jit_compile", false}};
}

void add_vars(io::KerasArchiveContent& content, std::span<const nn::Parameter> params, const std::string& object) {
  content.groups.push_back(object + "/vars");
  for (std::size_t i = 0; i < params.size(); ++i) {
    content.datasets.emplace_back(fmt::format("{}/vars/{}", object, i), params[i].value);
  }
}

// The variables of `layer` (taken from `params`: a wrapper holds its inner layers' values) under
// `object`, as saving_lib walks the layer: its own vars, then its sub-objects.
void add_object(io::KerasArchiveContent& content, const nn::Layer& layer, std::span<const nn::Parameter> params,
                const std::string& object) {
  switch (*kind_of(layer)) {
    case Kind::Input:
      return;
    case Kind::Plain:
      add_vars(content, params, object);
      return;
    case Kind::Recurrent:
      content.groups.push_back(object + "/vars");
      add_vars(content, params, object + "/cell");
      return;
    case Kind::Bidirectional: {
      const auto& b = dynamic_cast<const nn::Bidirectional&>(layer);
      const std::size_t nf = b.forward_layer().parameters().size();
      FITCHECK_CHECK(nf + b.backward_layer().parameters().size() == params.size(),
                     "Bidirectional's variables are its forward and backward layers'");
      content.groups.push_back(object + "/vars");
      add_object(content, b.forward_layer(), params.first(nf), object + "/forward_layer");
      add_object(content, b.backward_layer(), params.subspan(nf), object + "/backward_layer");
      return;
    }
    case Kind::TimeDistributed: {
      const auto& t = dynamic_cast<const nn::TimeDistributed&>(layer);
      FITCHECK_CHECK(t.layer().parameters().size() == params.size(), "TimeDistributed's variables are its layer's");
      content.groups.push_back(object + "/vars");
      add_object(content, t.layer(), params, object + "/layer");
      return;
    }
  }
}

}  // namespace

std::vector<std::string> keras_exportable_classes() {
  std::vector<std::string> names;
  for (const auto& [name, kind] : kinds()) names.push_back(name);
  return names;
}

nlohmann::json keras3_model_config(const nn::Sequential& model) {
  check_exportable(model);
  const core::Shape input = *model.input_shape();
  // Keras refuses a model whose layer names repeat; the engine keeps a config's names as given, so
  // layers that arrived without one can share their class's default. Repeats get Keras' "_1",
  // "_2", ... (names do not enter the weights file, whose groups are named after classes).
  std::vector<std::string> names;
  auto unique = [&names](const std::string& base) {
    std::string name = base;
    for (int n = 1; std::find(names.begin(), names.end(), name) != names.end(); ++n)
      name = fmt::format("{}_{}", base, n);
    names.push_back(name);
    return name;
  };
  json layers = json::array();
  const bool has_input = model.layer(0).class_name() == "InputLayer";
  if (has_input) {
    const auto& in = dynamic_cast<const nn::InputLayer&>(model.layer(0));
    layers.push_back(input_layer_entry(in.batch_shape(), unique(in.name())));
  }
  for (std::size_t i = has_input ? 1 : 0; i < model.size(); ++i) {
    json entry = keras3_layer(model.layer(i));
    entry["config"]["name"] = unique(model.layer(i).name());
    layers.push_back(std::move(entry));
  }
  // Keras' Sequential.build puts an InputLayer first; its name yields to the layers' own.
  if (!has_input) layers.insert(layers.begin(), input_layer_entry(input, unique("input_layer")));
  json config{{"name", model.name()},
              {"trainable", true},
              {"dtype", dtype_policy()},
              {"layers", layers},
              {"build_input_shape", nn::config::shape_to_json(input)}};
  json doc{{"module", "keras"},
           {"class_name", "Sequential"},
           {"config", config},
           {"registered_name", nullptr},
           {"build_config", {{"input_shape", nn::config::shape_to_json(input)}}}};
  if (model.compiled()) doc["compile_config"] = compile_config(model);
  return doc;
}

io::KerasArchiveContent keras_archive_content(const nn::Sequential& model) {
  io::KerasArchiveContent content;
  content.config = keras3_model_config(model);  // validates the model first
  content.keras_version = kKerasExportVersion;
  content.groups.push_back("vars");  // the model's own (empty); Keras' loader reads it
  std::map<std::string, int> used;
  for (std::size_t i = 0; i < model.size(); ++i) {
    const auto& layer = model.layer(i);
    if (layer.class_name() == "InputLayer") continue;  // not in model.layers
    // saving_lib names a layer's group after its class, numbered in model.layers order.
    std::string group = io::keras_snake_case(layer.class_name());
    auto [it, first] = used.try_emplace(group, 0);
    if (!first) group += "_" + std::to_string(++it->second);
    add_object(content, layer, layer.parameters(), "layers/" + group);
  }
  return content;
}

void save_keras(const std::filesystem::path& path, const nn::Sequential& model) {
  io::write_keras_archive(path, keras_archive_content(model));
}

}  // namespace fitcheck::run
