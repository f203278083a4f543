// model.capacity: far more parameters than the training data can constrain.
//
// parameters / training rows (after validation_split):
// - >= 1000: warning. A network with as many parameters as samples can already memorise any
//   labelling of them (Zhang et al. 2017: 2n + d weights in a two-layer ReLU net fit n arbitrary
//   labels); networks that generalise on standard data sets run at ratios up to a few tens
//   (MNIST CNNs ~25, ResNet-50/ImageNet ~20) and a few hundred with heavy augmentation
//   (VGG-16/CIFAR-10 ~300). Three orders of magnitude is beyond all of them.
// - >= 100: info, the range where only regularisation and augmentation keep such models honest.
// The finding proposes a width that brings the ratio to kTargetRatio by scaling the hidden Dense
// layers (a Dense layer's weights grow with the square of the width).
#include <cmath>

#include <fmt/format.h>

#include "run_facts.hpp"
#include "fitcheck/doctor/check.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kCapacityWarnRatio = 1000.0;
constexpr double kInfoRatio = 100.0;
constexpr double kTargetRatio = 10.0;
}  // namespace

void check_capacity(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.run || !ctx.train || !ctx.model) return;
  const std::int64_t n = run_facts::rows_after_validation_split(ctx);
  if (n <= 0) return;
  const auto shapes = run_facts::model_shapes(ctx);
  if (!shapes || shapes->total_params <= 0) return;
  const double ratio = static_cast<double>(shapes->total_params) / static_cast<double>(n);
  if (ratio < kInfoRatio) return;

  // The largest layer and a narrower model.
  const LayerShape* largest = nullptr;
  for (const auto& l : shapes->layers) {
    if (!largest || l.params > largest->params) largest = &l;
  }
  const double shrink = std::sqrt(kTargetRatio / ratio);
  nlohmann::json patch = nlohmann::json::array();
  const auto& layers = ctx.model->layers;
  std::optional<std::size_t> last_dense;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].class_name == "Dense") last_dense = i;
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& l = layers[i];
    if (l.class_name != "Dense" || (last_dense && i == *last_dense)) continue;  // keep the output layer
    if (!l.config.contains("units") || !l.config["units"].is_number_integer()) continue;
    const auto units = l.config["units"].get<std::int64_t>();
    const auto smaller = std::max<std::int64_t>(4, static_cast<std::int64_t>(std::lround(static_cast<double>(units) * shrink)));
    if (smaller < units) patch.push_back({{"name", l.name}, {"config", {{"units", smaller}}}});
  }

  Finding f;
  f.severity = ratio >= kCapacityWarnRatio ? Severity::Warning : Severity::Info;
  f.likelihood = ratio >= kCapacityWarnRatio ? 0.45 : 0.1;
  f.title = fmt::format("The model has {} parameters for {} training samples ({:.0f} per sample)",
                        shapes->total_params, n, ratio);
  f.where = {{"model", ctx.model->name}};
  if (largest) f.where["layer"] = largest->name;
  f.evidence = {{"parameters", shapes->total_params},
                {"trainable_parameters", shapes->trainable_params},
                {"training_rows", n},
                {"parameters_per_sample", ratio},
                {"largest_layer", largest ? largest->name : ""},
                {"largest_layer_parameters", largest ? largest->params : 0}};
  f.explanation = "With so many more parameters than samples the model can fit every training label exactly, "
                  "including their noise: training accuracy climbs while validation accuracy stays low or "
                  "erratic (overfitting), and results change from run to run.";
  f.fix = fmt::format("Make the model smaller (fewer units or layers{}), or get more data; add Dropout, weight "
                      "decay and early stopping.",
                      largest ? fmt::format("; \"{}\" alone has {} parameters", largest->name, largest->params) : "");
  if (!patch.empty()) f.repair = nlohmann::json{{"model", {{"layers", patch}}}};
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
