// model.missing_activation: consecutive linear layers collapse into one.
//
// Dense(W2)(Dense(W1)(x)) with no activation between them is x·W1·W2 + b: one linear map (of rank
// at most the narrower layer), so the extra layer adds parameters but no expressive power. Layers
// that do not change values in between (Dropout, Flatten, Reshape) do not break the collapse.
#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/keras_names.hpp"

namespace fitcheck::doctor {

namespace {
bool is_linear_dense(const io::LayerSpec& l) {
  if (l.class_name != "Dense") return false;
  auto a = layer_activation(l);
  return !a || *a == "linear";
}
bool transparent(const std::string& cls) { return cls == "Dropout" || cls == "Flatten" || cls == "Reshape"; }
}  // namespace

void check_missing_activation(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.model) return;
  const auto& layers = ctx.model->layers;
  std::vector<std::string> collapsed;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (!is_linear_dense(layers[i])) continue;
    std::size_t j = i + 1;
    while (j < layers.size() && transparent(layers[j].class_name)) ++j;
    if (j < layers.size() && layers[j].class_name == "Dense") collapsed.push_back(layers[i].name);
  }
  if (collapsed.empty()) return;
  Finding f;
  f.severity = Severity::Warning;
  f.title = fmt::format("{} hidden Dense layer{} without activation: consecutive linear layers act as one",
                        collapsed.size(), collapsed.size() == 1 ? "" : "s");
  f.where = {{"layers", collapsed}};
  f.evidence = {{"linear_hidden_layers", collapsed}};
  f.explanation = "Without a non-linearity between them, stacked Dense layers compute a single linear map; "
                  "the network cannot learn anything a linear model cannot.";
  f.fix = "Give the hidden Dense layers an activation such as 'relu'.";
  nlohmann::json patches = nlohmann::json::array();
  for (const auto& name : collapsed) patches.push_back({{"name", name}, {"config", {{"activation", "relu"}}}});
  f.repair = nlohmann::json{{"model", {{"layers", patches}}}};
  f.likelihood = 0.5;
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
