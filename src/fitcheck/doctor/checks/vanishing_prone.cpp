// model.vanishing_prone: a deep run of saturating activations (sigmoid, tanh) with no
// normalisation layer between them, so the gradient reaching the first layers is a small
// fraction of the one at the output.
//
// Backpropagation multiplies the gradient by each activation's derivative. sigmoid' <= 1/4
// everywhere (its maximum, at 0), hard_sigmoid' <= 1/6 (Keras 3: relu6(x + 3) / 6), and for tanh,
// whose derivative reaches 1 only at 0, the mean derivative under the unit-variance
// pre-activations Glorot initialisation aims for is E[1 - tanh(z)^2] = 0.6057 for z ~ N(0, 1).
// With Glorot-scaled weights the weight matrices preserve the gradient's size on average, so
// the activations alone set the attenuation: the product of these factors over the run.
// Threshold: attenuation <= 1e-3, AUTOTRAINER's vanishing-gradient rule (first/last layer
// gradient-norm ratio beta1 = 1e-3). That is 5 sigmoid layers (4^-5 = 9.8e-4) or 14 tanh layers
// (0.6057^14 = 8.9e-4), or any mix with the same product.
// The output layer's activation is not counted: with its matching loss (sigmoid + binary
// cross-entropy, softmax + categorical) the derivative cancels and the output gradient is p - y.
// Normalisation (BatchNormalization, LayerNormalization, ...) re-centres the pre-activations and
// rescales the gradient, so it ends a run; recurrent layers gate their tanh and are not counted.
#include <cmath>

#include <fmt/format.h>

#include "run_facts.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/keras_names.hpp"

namespace fitcheck::doctor {

namespace {

constexpr double kSigmoidDerivativeBound = 0.25;
constexpr double kHardSigmoidDerivativeBound = 1.0 / 6.0;
constexpr double kTanhMeanDerivative = 0.6057;
constexpr double kVanishingAttenuation = 1e-3;

bool normalises(const std::string& cls) {
  return cls == "BatchNormalization" || cls == "LayerNormalization" || cls == "GroupNormalization" ||
         cls == "UnitNormalization" || cls == "SyncBatchNormalization";
}

bool recurrent(const std::string& cls) {
  return cls == "LSTM" || cls == "GRU" || cls == "SimpleRNN" || cls == "Bidirectional" || cls == "ConvLSTM2D" ||
         cls == "ConvLSTM1D" || cls == "RNN";
}

// The gradient factor of an activation, 1 when it does not saturate.
double factor(const std::string& activation) {
  if (activation == "sigmoid") return kSigmoidDerivativeBound;
  if (activation == "hard_sigmoid") return kHardSigmoidDerivativeBound;
  if (activation == "tanh") return kTanhMeanDerivative;
  return 1.0;
}

struct Run {
  std::vector<std::size_t> layers;  // indices of the saturating layers
  double attenuation = 1.0;
};

}  // namespace

void check_vanishing_prone(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.model) return;
  const auto& layers = ctx.model->layers;
  // The output layer: the last one that applies an activation.
  std::optional<std::size_t> output;
  for (std::size_t i = layers.size(); i-- > 0;) {
    if (layer_activation(layers[i])) { output = i; break; }
  }
  Run current, worst;
  auto close = [&] {
    if (current.attenuation < worst.attenuation) worst = current;
    current = Run{};
  };
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& l = layers[i];
    if (normalises(l.class_name)) { close(); continue; }
    if (recurrent(l.class_name) || (output && i == *output)) continue;
    const auto act = layer_activation(l);
    if (!act) continue;
    const double f = factor(*act);
    if (f < 1.0) {
      current.layers.push_back(i);
      current.attenuation *= f;
    }
  }
  close();
  if (worst.attenuation > kVanishingAttenuation) return;

  std::vector<std::string> names, activations;
  nlohmann::json patch = nlohmann::json::array();
  int sigmoids = 0, tanhs = 0;
  for (auto i : worst.layers) {
    const auto& l = layers[i];
    names.push_back(l.name);
    const auto act = *layer_activation(l);
    activations.push_back(act);
    (act == "tanh" ? tanhs : sigmoids) += 1;
    nlohmann::json cfg = {{"activation", "relu"}};
    if (l.class_name != "Activation") cfg["kernel_initializer"] = "he_uniform";
    patch.push_back({{"name", l.name}, {"config", cfg}});
  }
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.6;
  const int depth = static_cast<int>(worst.layers.size());
  f.title = fmt::format("{} stacked saturating activations ({}) without normalisation: the gradient reaching "
                        "the first of them is scaled by about {:.1e}",
                        depth, sigmoids && tanhs ? "sigmoid and tanh" : (tanhs ? "tanh" : "sigmoid"), worst.attenuation);
  f.where = {{"layers", names}};
  f.evidence = {{"saturating_layers", depth},
                {"sigmoid_like", sigmoids},
                {"tanh", tanhs},
                {"activations", activations},
                {"gradient_attenuation", worst.attenuation},
                {"threshold", kVanishingAttenuation}};
  f.explanation = fmt::format(
      "Each sigmoid multiplies the backpropagated gradient by at most 1/4 (tanh by about 0.6 on average), so "
      "after {} such layers the first layers receive about {:.1e} of the output's gradient and learn {:.0f}x "
      "more slowly than the last ones: training stalls on a plateau (vanishing gradient).",
      depth, worst.attenuation, 1.0 / worst.attenuation);
  f.fix = "Use ReLU (with He initialisation) in the hidden layers, or put BatchNormalization between the "
          "saturating layers; keep the sigmoid/softmax only on the output layer.";
  f.repair = nlohmann::json{{"model", {{"layers", patch}}}};
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
