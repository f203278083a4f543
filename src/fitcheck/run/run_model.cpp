#include "fitcheck/run/run_model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/keras_file.hpp"
#include "fitcheck/io/keras_model.hpp"

namespace fitcheck::run {

namespace {

// A Functional model whose graph is a chain (the only kind fitcheck trains), or an old Sequential,
// is the Sequential of its layers in call order: the Keras importer orders and normalises them,
// and the engine builds that list as it builds a Sequential. Keras stores a Functional model's
// weights in model.layers order, which is the same chain order, so saved weights still line up.
nlohmann::json as_sequential(const nlohmann::json& model_json, const std::string& where) {
  const auto spec = io::parse_keras_model(model_json, where);
  auto layers = nlohmann::json::array();
  if (spec.input_shape) {
    layers.push_back({{"class_name", "InputLayer"},
                      {"config", {{"batch_shape", nn::config::shape_to_json(*spec.input_shape)}, {"name", "input_layer"}}}});
  }
  for (const auto& l : spec.layers) {
    auto config = l.config;
    config["name"] = l.name;
    layers.push_back({{"class_name", l.class_name}, {"config", config}});
  }
  return {{"class_name", "Sequential"}, {"config", {{"name", spec.name}, {"layers", layers}}}};
}

// Forms the engine's Sequential reader does not take but the importer does: Functional chains, and
// Keras <= 2.2's Sequential whose config is the bare list of layers.
bool needs_importer(const nlohmann::json& model_json) {
  if (!model_json.is_object() || !model_json.contains("class_name") || !model_json["class_name"].is_string()) return false;
  const auto& cls = model_json["class_name"].get_ref<const std::string&>();
  return cls == "Functional" || cls == "Model" || (model_json.contains("config") && model_json["config"].is_array());
}

}  // namespace

nn::Sequential build_run_model(const io::RunSpec& run) {
  const std::string run_name = run.path.empty() ? std::string("run file") : run.path.filename().string();
  nlohmann::json model_json;
  std::string where;
  std::vector<core::Tensor> stored_weights;
  if (run.model_path) {
    where = run.model_path->filename().string();
    // As io::load_run_model decides (the static checks read the same file): case-insensitive.
    auto ext = run.model_path->extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".keras" || ext == ".h5" || ext == ".hdf5") {
      auto file = io::read_keras_file(*run.model_path);
      model_json = file.model_config;
      for (const auto& w : file.weights) stored_weights.push_back(w.value.to_tensor());
    } else {
      model_json = io::read_json_file(*run.model_path);
    }
  } else {
    model_json = run.model_inline;
    where = run_name + ": /model";
  }
  if (needs_importer(model_json)) model_json = as_sequential(model_json, where);
  auto model = nn::Sequential::from_config(model_json, where);
  // A saved model's weights continue training from where Keras left them.
  if (!stored_weights.empty() && model.built()) model.set_weights(stored_weights);
  nn::CompileOptions compile;
  compile.optimizer = run.optimizer;
  compile.loss = run.loss;
  compile.metrics = run.metrics;
  if (run.loss.is_null()) {
    throw core::ConfigError({.where = run_name + ": /compile/loss", .what = "no loss given",
                             .expected = "a Keras loss name such as \"binary_crossentropy\" or \"mse\""});
  }
  model.compile(compile);
  return model;
}

nn::FitOptions fit_options(const io::RunSpec& run, const RunData& data) {
  nn::FitOptions o;
  o.batch_size = run.fit.batch_size;
  o.epochs = static_cast<int>(run.fit.epochs);
  o.verbose = static_cast<int>(run.fit.verbose);
  o.validation_split = run.fit.validation_split;
  o.shuffle = run.fit.shuffle;
  if (run.fit.seed_given) o.seed = run.fit.seed;
  o.initial_epoch = static_cast<int>(run.fit.initial_epoch);
  const auto& cw = run.fit.class_weight;
  if (cw.is_string() && cw.get<std::string>() == "balanced") {
    // scikit-learn's compute_class_weight('balanced'): n_samples / (n_classes * count(class)),
    // over the rows fit trains on (the validation rows are held out).
    const auto& y = data.train.y;
    const std::int64_t n = y.dim(0);
    const auto train_rows = static_cast<std::int64_t>(std::floor(static_cast<double>(n) * (1.0 - run.fit.validation_split)));
    std::map<int, std::int64_t> counts;
    const std::int64_t per = y.rank() > 1 ? y.size() / n : 1;
    for (std::int64_t i = 0; i < train_rows; ++i) {
      if (per == 1) {
        counts[static_cast<int>(y.data()[i])]++;
      } else {
        std::int64_t best = 0;
        for (std::int64_t k = 1; k < per; ++k) {
          if (y.data()[i * per + k] > y.data()[i * per + best]) best = k;
        }
        counts[static_cast<int>(best)]++;
      }
    }
    for (const auto& [cls, count] : counts) {
      o.class_weight[cls] = static_cast<double>(train_rows) / (static_cast<double>(counts.size()) * static_cast<double>(count));
    }
  } else if (cw.is_object()) {
    for (const auto& [key, value] : cw.items()) {
      try {
        o.class_weight[std::stoi(key)] = value.get<double>();
      } catch (const std::exception&) {
        throw core::ConfigError({.where = fmt::format("{}: /fit/class_weight/{}", run.path.filename().string(), key),
                                 .what = "invalid class weight", .expected = "an integer class id mapped to a number"});
      }
    }
  }
  return o;
}

}  // namespace fitcheck::run
