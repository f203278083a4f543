// Every loss's Keras names (the family lists) and make_loss: names, aliases, class names and
// serialised loss objects in their tf.keras 2 and Keras 3 forms.
#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/names.hpp"
#include "fitcheck/nn/losses/loss_family.hpp"

namespace fitcheck::nn {
namespace losses {

using nlohmann::json;

const json* LossConfig::get(const char* key) const {
  if (!config_.contains(key) || config_[key].is_null()) return nullptr;
  return &config_[key];
}

void LossConfig::fail(const char* key, const std::string& what, const std::string& expected) const {
  throw core::ConfigError({.where = where(key),
                           .what = what,
                           .expected = expected,
                           .got = config_.contains(key) ? config_[key].dump() : "nothing"});
}

bool LossConfig::flag(const char* key, bool fallback) const {
  const json* v = get(key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) fail(key, "wrong type", "true or false");
  return v->get<bool>();
}

double LossConfig::number(const char* key, double fallback) const {
  const json* v = get(key);
  if (v == nullptr) return fallback;
  if (!v->is_number()) fail(key, "wrong type", "a number");
  return v->get<double>();
}

std::vector<double> LossConfig::numbers(const char* key, std::vector<double> fallback) const {
  const json* v = get(key);
  if (v == nullptr) return fallback;
  if (v->is_number()) return {v->get<double>()};
  std::vector<double> out;
  if (v->is_array() && !v->empty()) {
    for (const auto& e : *v) {
      if (!e.is_number()) fail(key, "wrong type", "a number or a list of numbers");
      out.push_back(e.get<double>());
    }
    return out;
  }
  fail(key, "wrong type", "a number or a list of numbers");
}

std::optional<std::vector<std::int64_t>> LossConfig::axes(const char* key) const {
  const json* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) return std::vector<std::int64_t>{v->get<std::int64_t>()};
  std::vector<std::int64_t> out;
  if (v->is_array() && !v->empty()) {
    for (const auto& e : *v) {
      if (!e.is_number_integer()) fail(key, "wrong type", "an axis or a list of axes (integers), or null");
      out.push_back(e.get<std::int64_t>());
    }
    return out;
  }
  fail(key, "wrong type", "an axis or a list of axes (integers), or null");
}

Loss::Reduction LossConfig::reduction() const {
  const json* v = get("reduction");
  if (v == nullptr && !config_.contains("reduction")) return Loss::Reduction::SumOverBatchSize;
  const std::string r = v != nullptr && v->is_string() ? v->get<std::string>() : "none";
  if (r == "sum_over_batch_size" || r == "auto" || r == "mean") return Loss::Reduction::SumOverBatchSize;
  if (r == "sum") return Loss::Reduction::Sum;
  if (r == "mean_with_sample_weight") return Loss::Reduction::MeanWithSampleWeight;
  fail("reduction", r == "none" ? "reduction \"none\" gives one loss per sample; training needs one number"
                                : "unknown reduction",
       "\"sum_over_batch_size\" (or \"auto\", \"mean\"), \"sum\" or \"mean_with_sample_weight\"");
}

namespace {

const std::vector<LossEntry>& table() {
  static const std::vector<LossEntry> t = [] {
    std::vector<LossEntry> all;
    for (auto family : {regression_losses, probabilistic_losses, hinge_losses, overlap_losses}) {
      for (auto& e : family()) all.push_back(std::move(e));
    }
    return all;
  }();
  return t;
}

// The loss name a function reference holds: "log_cosh" or Keras 3's {"class_name": "function",
// "config": "log_cosh", ...}.
std::optional<std::string> function_name(const json& fn) {
  if (fn.is_string()) return fn.get<std::string>();
  if (fn.is_object() && fn.value("class_name", "") == "function" && fn.contains("config") && fn["config"].is_string()) {
    return fn["config"].get<std::string>();
  }
  return std::nullopt;
}

}  // namespace
}  // namespace losses

std::vector<std::string> loss_names() {
  std::vector<std::string> names;
  for (const auto& e : losses::table()) names.insert(names.end(), e.names.begin(), e.names.end());
  return names;
}

std::unique_ptr<Loss> make_loss(const nlohmann::json& spec, const std::string& where) {
  auto parsed = detail::keras_spec(spec);
  if (!parsed) {
    throw core::ConfigError({.where = where,
                             .what = "not a loss",
                             .expected = "a loss name or {\"class_name\", \"config\"}",
                             .got = spec.dump()});
  }
  std::string name = std::move(parsed->name);
  nlohmann::json config = std::move(parsed->config);
  if (auto fn = name == "function" ? losses::function_name(spec) : std::nullopt) {
    name = *fn;  // Keras 3 serialises a loss function as a reference to it
    config = nlohmann::json::object();
  } else if (name == "LossFunctionWrapper" && config.contains("fn") && losses::function_name(config["fn"])) {
    name = *losses::function_name(config["fn"]);  // the function's keyword arguments are the other keys
  }
  const std::string key = detail::normalized_key(name);
  for (const auto& e : losses::table()) {
    for (const auto& n : e.names) {
      if (detail::normalized_key(n) != key) continue;
      const losses::LossConfig cfg(config, where);
      auto loss = e.make(cfg);
      loss->set_reduction(cfg.reduction());
      return loss;
    }
  }
  // Keras losses the engine does not implement: say so rather than "unknown".
  for (const char* keras_only : {"ctc", "circle", "iou"}) {
    if (key == keras_only) {
      throw core::ConfigError({.where = where,
                               .what = "the Keras loss \"" + name + "\" is not implemented by fitcheck",
                               .hint = "CTC (sequence labels), Circle (pairwise embedding similarities) and IoU are "
                                       "not available; the other Keras losses are."});
    }
  }
  throw core::ConfigError(
      {.where = where, .what = "unknown loss \"" + name + "\"", .hint = detail::did_you_mean(name, loss_names())});
}

}  // namespace fitcheck::nn
