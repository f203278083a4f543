#include "fitcheck/nn/initializer.hpp"

// GCC 12 reports -Wmaybe-uninitialized inside Eigen's AVX-512 packet code (a known false
// positive of its intrinsics headers with -march=native); silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/QR>
#include <algorithm>
#include <cmath>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/eigen_map.hpp"
#include "fitcheck/nn/detail/names.hpp"

namespace fitcheck::nn {
namespace {

using nlohmann::json;

// Keras' factor that makes a ±2σ-truncated normal have the requested stddev.
constexpr double kTruncatedStddevFactor = 0.87962566103423978;

struct Canonical {
  std::string class_name;
  json config;
};

// Keras names (snake and Camel) → class name with default config.
Canonical canonicalize(const json& spec, const std::string& where) {
  auto parsed = detail::keras_spec(spec);
  if (!parsed) {
    throw core::ConfigError({.where = where, .what = "initializer must be a name or {\"class_name\", \"config\"}",
                             .got = spec.dump()});
  }
  const std::string& name = parsed->name;
  const json& config = parsed->config;
  static const std::vector<std::pair<std::string, std::string>> kNames = {
      {"glorotuniform", "GlorotUniform"},   {"glorotnormal", "GlorotNormal"},
      {"heuniform", "HeUniform"},           {"henormal", "HeNormal"},
      {"lecununiform", "LecunUniform"},     {"lecunnormal", "LecunNormal"},
      {"zeros", "Zeros"},                   {"zero", "Zeros"},
      {"ones", "Ones"},                     {"one", "Ones"},
      {"constant", "Constant"},             {"randomnormal", "RandomNormal"},
      {"normal", "RandomNormal"},           {"randomuniform", "RandomUniform"},
      {"uniform", "RandomUniform"},         {"truncatednormal", "TruncatedNormal"},
      {"orthogonal", "Orthogonal"},         {"orthogonalinitializer", "Orthogonal"},  // Keras 3's class name
      {"variancescaling", "VarianceScaling"},
      {"identity", "Identity"}};
  const std::string key = detail::normalized_key(name);
  for (const auto& [k, cls] : kNames) {
    if (k == key) return {cls, config};
  }
  std::vector<std::string> valid = {"glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
                                    "lecun_uniform", "lecun_normal", "zeros", "ones", "constant",
                                    "random_normal", "random_uniform", "truncated_normal", "orthogonal"};
  throw core::ConfigError({.where = where, .what = "unknown initializer \"" + name + "\"",
                           .hint = detail::did_you_mean(name, valid)});
}

double number(const json& config, const char* key, double fallback) {
  if (!config.contains(key) || config[key].is_null()) return fallback;
  return config[key].get<double>();
}

double truncated_normal(core::Rng& rng, double mean, double stddev) {
  // Resample outside ±2σ, as TF/Keras truncated_normal do.
  for (;;) {
    const double z = rng.standard_normal();
    if (z >= -2.0 && z <= 2.0) return mean + stddev * z;
  }
}

void variance_scaling(core::Tensor& t, core::Rng& rng, double scale, const std::string& mode,
                      std::string distribution) {
  const auto [fan_in, fan_out] = compute_fans(t.shape());
  double fan = fan_in;
  if (mode == "fan_out") fan = fan_out;
  if (mode == "fan_avg") fan = (fan_in + fan_out) / 2.0;
  const double s = scale / std::max(1.0, fan);
  if (distribution == "normal") distribution = "truncated_normal";  // legacy name
  for (auto& v : t.values()) {
    if (distribution == "uniform") {
      const double limit = std::sqrt(3.0 * s);
      v = static_cast<float>(rng.uniform(-limit, limit));
    } else if (distribution == "untruncated_normal") {
      v = static_cast<float>(std::sqrt(s) * rng.standard_normal());
    } else {
      v = static_cast<float>(truncated_normal(rng, 0.0, std::sqrt(s) / kTruncatedStddevFactor));
    }
  }
}

void orthogonal(core::Tensor& t, core::Rng& rng, double gain) {
  const auto& dims = t.shape().dims();
  if (dims.size() < 2) {
    throw core::ConfigError({.what = "the Orthogonal initializer needs a tensor of rank 2 or more",
                             .got = t.shape().str()});
  }
  std::int64_t rows = 1;
  for (std::size_t i = 0; i + 1 < dims.size(); ++i) rows *= dims[i];
  const std::int64_t cols = dims.back();
  const std::int64_t big = std::max(rows, cols), small = std::min(rows, cols);
  Eigen::MatrixXd a(big, small);
  for (std::int64_t i = 0; i < big; ++i) {
    for (std::int64_t j = 0; j < small; ++j) a(i, j) = rng.standard_normal();
  }
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(big, small);
  const Eigen::MatrixXd r = qr.matrixQR().topRows(small).triangularView<Eigen::Upper>();
  for (std::int64_t j = 0; j < small; ++j) {
    if (r(j, j) < 0) q.col(j) *= -1.0;  // Q·sign(diag R) makes the distribution uniform
  }
  const Eigen::MatrixXd result = rows < cols ? Eigen::MatrixXd(q.transpose()) : q;
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) t[i * cols + j] = static_cast<float>(gain * result(i, j));
  }
}

}  // namespace

std::pair<double, double> compute_fans(const core::Shape& shape) {
  const auto& d = shape.dims();
  if (d.empty()) return {1.0, 1.0};
  if (d.size() == 1) return {static_cast<double>(d[0]), static_cast<double>(d[0])};
  if (d.size() == 2) return {static_cast<double>(d[0]), static_cast<double>(d[1])};
  double receptive = 1.0;
  for (std::size_t i = 0; i + 2 < d.size(); ++i) receptive *= static_cast<double>(d[i]);
  return {static_cast<double>(d[d.size() - 2]) * receptive, static_cast<double>(d.back()) * receptive};
}

json initializer_to_json(const json& spec) {
  const Canonical c = canonicalize(spec, "initializer");
  json config = c.config;
  if (c.class_name == "Constant" && !config.contains("value")) config["value"] = 0.0;
  if ((c.class_name == "RandomNormal" || c.class_name == "TruncatedNormal")) {
    if (!config.contains("mean")) config["mean"] = 0.0;
    if (!config.contains("stddev")) config["stddev"] = 0.05;
  }
  if (c.class_name == "RandomUniform") {
    if (!config.contains("minval")) config["minval"] = -0.05;
    if (!config.contains("maxval")) config["maxval"] = 0.05;
  }
  if (c.class_name == "Orthogonal" && !config.contains("gain")) config["gain"] = 1.0;
  if (c.class_name != "Zeros" && c.class_name != "Ones" && c.class_name != "Constant" &&
      !config.contains("seed")) {
    config["seed"] = nullptr;
  }
  return {{"class_name", c.class_name}, {"config", config}};
}

void initialize(const json& spec, core::Tensor& t, core::Rng& rng, const std::string& where) {
  const Canonical c = canonicalize(spec, where);
  const json& cfg = c.config;
  // A per-initializer seed gives the same weights regardless of the model seed, as in Keras.
  core::Rng seeded(cfg.contains("seed") && cfg["seed"].is_number_integer() ? cfg["seed"].get<std::uint32_t>() : 0u);
  core::Rng& r = cfg.contains("seed") && cfg["seed"].is_number_integer() ? seeded : rng;
  const std::string& k = c.class_name;
  if (k == "GlorotUniform") return variance_scaling(t, r, 1.0, "fan_avg", "uniform");
  if (k == "GlorotNormal") return variance_scaling(t, r, 1.0, "fan_avg", "truncated_normal");
  if (k == "HeUniform") return variance_scaling(t, r, 2.0, "fan_in", "uniform");
  if (k == "HeNormal") return variance_scaling(t, r, 2.0, "fan_in", "truncated_normal");
  if (k == "LecunUniform") return variance_scaling(t, r, 1.0, "fan_in", "uniform");
  if (k == "LecunNormal") return variance_scaling(t, r, 1.0, "fan_in", "truncated_normal");
  if (k == "VarianceScaling") {
    return variance_scaling(t, r, number(cfg, "scale", 1.0), cfg.value("mode", std::string("fan_in")),
                            cfg.value("distribution", std::string("truncated_normal")));
  }
  if (k == "Zeros") return t.fill(0.0f);
  if (k == "Ones") return t.fill(1.0f);
  if (k == "Constant") return t.fill(static_cast<float>(number(cfg, "value", 0.0)));
  if (k == "RandomNormal") {
    const double mean = number(cfg, "mean", 0.0), stddev = number(cfg, "stddev", 0.05);
    for (auto& v : t.values()) v = static_cast<float>(mean + stddev * r.standard_normal());
    return;
  }
  if (k == "TruncatedNormal") {
    const double mean = number(cfg, "mean", 0.0), stddev = number(cfg, "stddev", 0.05);
    for (auto& v : t.values()) v = static_cast<float>(truncated_normal(r, mean, stddev));
    return;
  }
  if (k == "RandomUniform") {
    const double lo = number(cfg, "minval", -0.05), hi = number(cfg, "maxval", 0.05);
    for (auto& v : t.values()) v = static_cast<float>(r.uniform(lo, hi));
    return;
  }
  if (k == "Orthogonal") return orthogonal(t, r, number(cfg, "gain", 1.0));
  if (k == "Identity") {
    if (t.rank() != 2) {
      throw core::ConfigError({.where = where, .what = "the Identity initializer needs a rank-2 tensor",
                               .got = t.shape().str()});
    }
    t.fill(0.0f);
    const double gain = number(cfg, "gain", 1.0);
    for (std::int64_t i = 0; i < std::min(t.dim(0), t.dim(1)); ++i) t[i * t.dim(1) + i] = static_cast<float>(gain);
    return;
  }
  FITCHECK_CHECK(false, "initializer table and canonicalize() disagree on " + k);
}

}  // namespace fitcheck::nn
