#include "fitcheck/run/model_file.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/keras_file.hpp"
#include "fitcheck/io/keras_model.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/run/saved_model.hpp"

namespace fitcheck::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void apply_input_shape(nn::Sequential& model, const std::optional<core::Shape>& input_shape, const std::string& where) {
  if (!input_shape) return;
  if (auto declared = model.input_shape()) {
    if (*declared != *input_shape) {
      throw core::InputError({.where = "--input-shape",
                              .what = "the model declares another input shape",
                              .expected = declared->str() + " (as " + where + " declares it)",
                              .got = input_shape->str(),
                              .hint = "Leave --input-shape out for a model that declares its input."});
    }
    return;
  }
  model.build(*input_shape);
}

// Keras 2 lists metrics per output ([["accuracy"]]) and wraps function metrics in
// MeanMetricWrapper objects named after what the user wrote; the engine takes the names.
std::vector<json> stored_metrics(const json& metrics) {
  std::vector<json> out;
  if (!metrics.is_array()) return out;
  for (const auto& m : metrics) {
    if (m.is_array()) {
      auto inner = stored_metrics(m);
      out.insert(out.end(), inner.begin(), inner.end());
    } else if (m.is_object() && m.value("class_name", "") == "MeanMetricWrapper" && m.contains("config") &&
               m["config"].contains("name")) {
      out.push_back(m["config"]["name"]);
    } else {
      out.push_back(io::normalise_keras_object(m));
    }
  }
  return out;
}

// Compiles with what the file stored: Keras 3's compile_config {optimizer, loss, metrics} or Keras
// 2's training_config {optimizer_config, loss, metrics}. Returns why not, or "".
std::string compile_stored(nn::Sequential& model, const json& stored) {
  const json* optimizer = stored.contains("optimizer")          ? &stored["optimizer"]
                          : stored.contains("optimizer_config") ? &stored["optimizer_config"]
                                                                : nullptr;
  if (!stored.contains("loss") || stored["loss"].is_null()) return "the stored compile settings have no loss";
  if (!stored["loss"].is_string() && !(stored["loss"].is_object() && stored["loss"].contains("class_name"))) {
    return "the stored loss is not one loss (one per output?)";
  }
  try {
    model.compile({.optimizer = optimizer != nullptr && !optimizer->is_null() ? io::normalise_keras_object(*optimizer)
                                                                              : json("rmsprop"),
                   .loss = io::normalise_keras_object(stored["loss"]),
                   .metrics = stored_metrics(stored.value("metrics", json()))});
  } catch (const core::Error& e) {
    return e.what();
  }
  return "";
}

ModelFile from_directory(const fs::path& dir, const std::optional<core::Shape>& input_shape) {
  ModelFile out{.model = load_model(dir), .kind = "model directory", .trained_weights = true};
  apply_input_shape(out.model, input_shape, (dir / "model.json").string());
  const fs::path run_path = dir / "run.json";
  if (!fs::is_regular_file(run_path)) return out;
  out.kind = "fit --out directory";
  try {
    const auto spec = io::parse_run_spec(io::read_json_file(run_path), run_path.string(), dir);
    if (spec.loss.is_null()) {
      out.compile_note = run_path.string() + " has no loss";
    } else {
      out.model.compile({.optimizer = spec.optimizer, .loss = spec.loss, .metrics = spec.metrics});
    }
  } catch (const core::Error& e) {
    out.compile_note = e.what();
  }
  return out;
}

ModelFile from_keras_file(const fs::path& path, const std::optional<core::Shape>& input_shape) {
  auto file = io::read_keras_file(path);
  ModelFile out{.model = nn::Sequential::from_config(file.model_config, path.filename().string()),
                .kind = file.format == "keras" ? "Keras .keras file" : "Keras .h5 file",
                .trained_weights = true};
  apply_input_shape(out.model, input_shape, path.filename().string());
  if (!out.model.built()) {
    throw core::InputError({.where = path.string(),
                            .what = "the model declares no input shape, so its weights cannot be placed",
                            .expected = "a model saved after it was built",
                            .hint = "Give the input shape with --input-shape."});
  }
  std::vector<core::Tensor> weights;
  for (const auto& w : file.weights) weights.push_back(w.value.to_tensor());
  try {
    out.model.set_weights(weights);
  } catch (const core::InputError& e) {
    auto d = e.detail();
    d.where = path.string() + ": " + d.where;
    d.hint = "The file's weights do not fit its own config; save the model again.";
    throw core::InputError(d);
  }
  if (file.training_config) out.compile_note = compile_stored(out.model, *file.training_config);
  return out;
}

}  // namespace

ModelFile load_model_file(const fs::path& path, const std::optional<core::Shape>& input_shape) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return from_directory(path, input_shape);
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".json") {
    ModelFile out{.model = nn::Sequential::from_config(io::read_json_file(path), path.filename().string()),
                  .kind = "model JSON"};
    apply_input_shape(out.model, input_shape, path.filename().string());
    return out;
  }
  return from_keras_file(path, input_shape);
}

}  // namespace fitcheck::run
