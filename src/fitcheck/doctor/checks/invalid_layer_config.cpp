// model.invalid_config: layer arguments that Keras would refuse or that make the layer useless:
// a non-positive unit/filter count, a dropout rate outside [0, 1), a BatchNormalization momentum
// outside [0, 1) or a non-positive epsilon, a non-positive kernel or pool size, a convolution both
// strided and dilated (Keras' BaseConv refuses it), and activation names Keras does not know.
// Each is an error: the model cannot be built or cannot learn.
#include <set>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/keras_names.hpp"

namespace fitcheck::doctor {

namespace {

const std::set<std::string>& keras_activations() {
  static const std::set<std::string> names = {
      "linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid", "hard_sigmoid", "tanh",
      "softmax", "log_softmax", "softplus", "softsign", "swish", "silu", "exponential", "mish", "hard_silu",
      "hard_swish", "hard_tanh", "tanh_shrink", "celu", "glu", "sparse_plus", "squareplus", "soft_shrink",
      "hard_shrink", "threshold", "sparsemax"};
  return names;
}

struct Problem {
  std::string layer;
  std::string key;
  std::string message;
};

void positive_ints(const io::LayerSpec& l, const char* key, std::vector<Problem>& out) {
  if (!l.config.contains(key)) return;
  const auto& v = l.config[key];
  auto bad = [&](const nlohmann::json& x) { return !x.is_number_integer() || x.get<std::int64_t>() <= 0; };
  bool wrong = v.is_array() ? std::any_of(v.begin(), v.end(), bad) : bad(v);
  if (wrong) out.push_back({l.name, key, fmt::format("{} must be a positive integer, got {}", key, v.dump())});
}

// An integer or list entry `key` with a value above 1.
bool above_one(const nlohmann::json& c, const char* key) {
  if (!c.contains(key)) return false;
  const auto& v = c[key];
  auto big = [](const nlohmann::json& x) { return x.is_number_integer() && x.get<std::int64_t>() > 1; };
  return v.is_array() ? std::any_of(v.begin(), v.end(), big) : big(v);
}

}  // namespace

void check_invalid_layer_config(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.model) return;
  std::vector<Problem> problems;
  for (const auto& l : ctx.model->layers) {
    const auto& c = l.config;
    for (const char* key : {"units", "filters", "kernel_size", "pool_size", "strides", "dilation_rate", "input_dim", "output_dim"}) {
      positive_ints(l, key, problems);
    }
    if (l.class_name.find("Conv") != std::string::npos && l.class_name.find("Transpose") == std::string::npos &&
        above_one(c, "strides") && above_one(c, "dilation_rate")) {
      problems.push_back({l.name, "strides", fmt::format("strides {} cannot be combined with dilation_rate {} (Keras refuses "
                                                         "max(strides) > 1 with max(dilation_rate) > 1)",
                                                         c["strides"].dump(), c["dilation_rate"].dump())});
    }
    if (c.contains("rate") && c["rate"].is_number()) {
      const double r = c["rate"].get<double>();
      if (r < 0.0 || r >= 1.0) {
        problems.push_back({l.name, "rate", fmt::format("dropout rate must be in [0, 1), got {:g}{}", r,
                                                        r >= 1.0 ? " (every unit would be dropped)" : "")});
      }
    }
    if (l.class_name == "BatchNormalization") {
      if (c.contains("momentum") && c["momentum"].is_number()) {
        const double m = c["momentum"].get<double>();
        if (m < 0.0 || m >= 1.0) problems.push_back({l.name, "momentum", fmt::format("momentum must be in [0, 1), got {:g}", m)});
      }
    }
    if (c.contains("epsilon") && c["epsilon"].is_number() && c["epsilon"].get<double>() <= 0.0) {
      problems.push_back({l.name, "epsilon", fmt::format("epsilon must be positive, got {:g}", c["epsilon"].get<double>())});
    }
    for (const char* key : {"activation", "recurrent_activation"}) {
      if (c.contains(key) && c[key].is_string() && !keras_activations().count(c[key].get<std::string>())) {
        problems.push_back({l.name, key, fmt::format("unknown activation \"{}\"", c[key].get<std::string>())});
      }
    }
  }
  if (problems.empty()) return;
  Finding f;
  f.severity = Severity::Error;
  f.title = problems.size() == 1 ? fmt::format("Layer \"{}\": {}", problems[0].layer, problems[0].message)
                                 : fmt::format("{} invalid layer arguments", problems.size());
  nlohmann::json items = nlohmann::json::array();
  std::vector<std::string> layers;
  for (const auto& p : problems) {
    items.push_back({{"layer", p.layer}, {"key", p.key}, {"problem", p.message}});
    layers.push_back(p.layer);
  }
  f.where = {{"layers", layers}};
  f.evidence = {{"problems", items}};
  f.explanation = "Keras refuses these arguments when it builds the model, or builds a layer that cannot learn.";
  f.fix = "Correct the listed arguments in the model definition.";
  f.likelihood = 1.0;
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
