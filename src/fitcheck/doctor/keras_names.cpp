#include "fitcheck/doctor/keras_names.hpp"

#include <cctype>
#include <map>
#include <vector>

namespace fitcheck::doctor {

std::string snake_case(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      const bool prev_lower = i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]));
      const bool next_lower = i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
      const bool prev_upper = i > 0 && std::isupper(static_cast<unsigned char>(name[i - 1]));
      if (i > 0 && (prev_lower || (prev_upper && next_lower)) && out.back() != '_') out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

bool LossInfo::probabilistic() const {
  return name == "binary_crossentropy" || name == "categorical_crossentropy" ||
         name == "sparse_categorical_crossentropy" || name == "binary_focal_crossentropy" ||
         name == "categorical_focal_crossentropy" || name == "categorical_generalized_cross_entropy" ||
         name == "kl_divergence";
}

namespace {

struct KnownLoss {
  const char* name;  // canonical
  LossTask task;
  LabelContract labels;
  std::vector<const char*> aliases;  // besides the name and its class name (found by snake_case)
};

// Every Keras 3 loss (keras.losses) and the older spellings tf.keras 2 and Keras <= 2.3 accept.
const std::vector<KnownLoss>& known_losses() {
  using T = LossTask;
  using L = LabelContract;
  static const std::vector<KnownLoss> k = {
      {"mean_squared_error", T::Regression, L::Real, {"mse"}},
      {"mean_absolute_error", T::Regression, L::Real, {"mae"}},
      {"huber", T::Regression, L::Real, {"huber_loss"}},
      {"log_cosh", T::Regression, L::Real, {"logcosh"}},
      {"mean_absolute_percentage_error", T::Regression, L::Real, {"mape"}},
      {"mean_squared_logarithmic_error", T::Regression, L::LogNonNegative, {"msle"}},
      {"poisson", T::Regression, L::NonNegative, {}},
      {"cosine_similarity", T::Regression, L::Real, {"cosine_proximity", "cosine"}},
      {"binary_crossentropy", T::Binary, L::Probability, {"bce"}},
      {"binary_focal_crossentropy", T::Binary, L::Probability, {}},
      {"hinge", T::Binary, L::SignedBinary, {}},
      {"squared_hinge", T::Binary, L::SignedBinary, {}},
      {"categorical_crossentropy", T::Multiclass, L::OneHot, {"cce"}},
      {"sparse_categorical_crossentropy", T::Multiclass, L::ClassIds, {}},
      {"categorical_focal_crossentropy", T::Multiclass, L::OneHot, {}},
      {"categorical_hinge", T::Multiclass, L::OneHot, {}},
      {"categorical_generalized_cross_entropy", T::Multiclass, L::ClassIds, {}},
      {"kl_divergence", T::Other, L::Distribution, {"kld", "k_l_divergence", "kullback_leibler_divergence"}},
      {"dice", T::Other, L::Mask, {}},
      {"tversky", T::Other, L::Mask, {}},
      {"ctc", T::Other, L::Other, {}},
      {"circle", T::Other, L::Other, {}},
  };
  return k;
}

}  // namespace

LossInfo resolve_loss(const nlohmann::json& loss) {
  // Every spelling Keras accepts (function names, aliases, class names in snake_case).
  static const std::map<std::string, const KnownLoss*> canonical = [] {
    std::map<std::string, const KnownLoss*> m;
    for (const auto& k : known_losses()) {
      m[k.name] = &k;
      for (const char* a : k.aliases) m[a] = &k;
    }
    return m;
  }();
  LossInfo info;
  std::string raw;
  if (loss.is_string()) {
    raw = loss.get<std::string>();
  } else if (loss.is_object() && loss.contains("class_name") && loss["class_name"].is_string()) {
    raw = loss["class_name"].get<std::string>();
    if (loss.contains("config") && loss["config"].is_object()) {
      const auto& cfg = loss["config"];
      if (cfg.contains("from_logits") && cfg["from_logits"].is_boolean()) info.from_logits = cfg["from_logits"];
      // Keras 3's LossFunctionWrapper around a function: {"fn": "mse"} or a function reference.
      if (raw == "LossFunctionWrapper" && cfg.contains("fn")) {
        const auto& fn = cfg["fn"];
        if (fn.is_string()) raw = fn.get<std::string>();
        if (fn.is_object() && fn.contains("config") && fn["config"].is_string()) raw = fn["config"].get<std::string>();
      }
      // A loss wrapped as a function reference: {"class_name": "function", "config": "mse"}.
    } else if (loss.contains("config") && loss["config"].is_string()) {
      raw = loss["config"].get<std::string>();
    }
  } else {
    return info;
  }
  std::string key = snake_case(raw);  // class names ("MeanSquaredError") → function names
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = canonical.find(key);
  if (it == canonical.end()) it = canonical.find(raw);
  info.name = it != canonical.end() ? it->second->name : key;
  info.known = it != canonical.end();
  if (info.known) {
    info.task = it->second->task;
    info.labels = it->second->labels;
  }
  return info;
}

OptimizerInfo resolve_optimizer(const nlohmann::json& optimizer) {
  struct Known {
    bool adaptive;
    double default_lr;
  };
  // Keras 3 defaults (reference/keras.md 3.2; Adadelta, Ftrl and Lion from keras/src/optimizers).
  static const std::map<std::string, Known> known = {
      {"sgd", {false, 0.01}},    {"adam", {true, 1e-3}},    {"adamw", {true, 1e-3}},
      {"rmsprop", {true, 1e-3}}, {"adagrad", {true, 1e-3}}, {"adamax", {true, 1e-3}},
      {"nadam", {true, 1e-3}},   {"adadelta", {true, 1e-3}}, {"ftrl", {true, 1e-3}},
      {"lion", {true, 1e-3}},    {"adafactor", {true, 1e-3}}, {"lamb", {true, 1e-3}}};
  OptimizerInfo info;
  std::string raw;
  const nlohmann::json* config = nullptr;
  if (optimizer.is_string()) {
    raw = optimizer.get<std::string>();
  } else if (optimizer.is_object() && optimizer.contains("class_name") && optimizer["class_name"].is_string()) {
    raw = optimizer["class_name"].get<std::string>();
    if (optimizer.contains("config") && optimizer["config"].is_object()) config = &optimizer["config"];
  } else {
    return info;
  }
  info.display = raw;
  for (auto& c : raw) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  info.name = raw;
  auto it = known.find(raw);
  if (it != known.end()) {
    info.known = true;
    info.adaptive = it->second.adaptive;
    info.default_learning_rate = it->second.default_lr;
  }
  if (config && config->contains("learning_rate")) {
    const auto& lr = (*config)["learning_rate"];
    if (lr.is_number()) {
      info.learning_rate = lr.get<double>();
    } else if (lr.is_object()) {
      info.schedule = true;
      const auto& cfg = lr.contains("config") && lr["config"].is_object() ? lr["config"] : lr;
      for (const char* key : {"initial_learning_rate", "learning_rate"}) {
        if (cfg.contains(key) && cfg[key].is_number()) {
          info.learning_rate = cfg[key].get<double>();
          break;
        }
      }
    }
  } else if (config && config->contains("lr") && (*config)["lr"].is_number()) {
    info.learning_rate = (*config)["lr"].get<double>();  // Keras 2's old spelling
  }
  return info;
}

std::optional<std::string> layer_activation(const io::LayerSpec& layer) {
  const auto& cfg = layer.config;
  if (!cfg.contains("activation")) {
    if (layer.class_name == "Softmax") return std::string("softmax");
    if (layer.class_name == "ReLU") return std::string("relu");
    if (layer.class_name == "LeakyReLU") return std::string("leaky_relu");
    if (layer.class_name == "ELU") return std::string("elu");
    return std::nullopt;
  }
  const auto& a = cfg["activation"];
  if (a.is_null()) return std::string("linear");
  if (a.is_string()) return a.get<std::string>();
  if (a.is_object() && a.contains("class_name") && a["class_name"].is_string()) {
    if (a.contains("config") && a["config"].is_string()) return a["config"].get<std::string>();
    return snake_case(a["class_name"].get<std::string>());
  }
  return std::string("linear");
}

namespace {
bool passes_values_through(const std::string& cls) {
  return cls == "Dropout" || cls == "Flatten" || cls == "Reshape" || cls == "GaussianNoise" ||
         cls == "AlphaDropout" || cls == "GaussianDropout" || cls == "SpatialDropout1D" ||
         cls == "SpatialDropout2D" || cls == "ActivityRegularization";
}
}  // namespace

std::string output_activation(const io::ModelSpec& model) {
  for (auto it = model.layers.rbegin(); it != model.layers.rend(); ++it) {
    if (passes_values_through(it->class_name)) continue;
    auto a = layer_activation(*it);
    return a ? *a : std::string("linear");
  }
  return "linear";
}

std::optional<std::int64_t> output_units(const io::ModelSpec& model) {
  for (auto it = model.layers.rbegin(); it != model.layers.rend(); ++it) {
    if (it->config.contains("units") && it->config["units"].is_number_integer()) {
      return it->config["units"].get<std::int64_t>();
    }
    if (it->class_name == "Dense" || it->class_name == "Conv2D" || it->class_name == "Conv1D") break;
  }
  return std::nullopt;
}

}  // namespace fitcheck::doctor
