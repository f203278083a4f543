#include "fitcheck/doctor/model_shapes.hpp"

#include <cmath>
#include <functional>
#include <map>
#include <numeric>

#include <fmt/format.h>

namespace fitcheck::doctor {

namespace {

using core::kUnknownDim;
using core::Shape;
using nlohmann::json;

// One layer's rule: fills `out` (output shape, params) or returns the problem.
struct LayerRuleInput {
  const io::LayerSpec& layer;
  const Shape& in;
  std::size_t index;
};
using Rule = std::function<std::optional<ShapeProblem>(const LayerRuleInput&, LayerShape&)>;

std::string dim_str(std::int64_t d) { return d == kUnknownDim ? "None" : std::to_string(d); }

std::int64_t product(const Shape& s, int from, int to) {
  std::int64_t p = 1;
  for (int i = from; i < to; ++i) {
    if (s[i] == kUnknownDim) return kUnknownDim;
    p *= s[i];
  }
  return p;
}

std::vector<std::int64_t> ints(const json& cfg, const char* key, std::size_t n, std::int64_t fallback) {
  std::vector<std::int64_t> out(n, fallback);
  if (!cfg.contains(key)) return out;
  const auto& v = cfg[key];
  if (v.is_number_integer()) {
    std::fill(out.begin(), out.end(), v.get<std::int64_t>());
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < n && i < v.size(); ++i) {
      if (v[i].is_number_integer()) out[i] = v[i].get<std::int64_t>();
    }
  }
  return out;
}

std::int64_t int_of(const json& cfg, const char* key, std::int64_t fallback) {
  return cfg.contains(key) && cfg[key].is_number_integer() ? cfg[key].get<std::int64_t>() : fallback;
}
bool bool_of(const json& cfg, const char* key, bool fallback) {
  return cfg.contains(key) && cfg[key].is_boolean() ? cfg[key].get<bool>() : fallback;
}
std::string str_of(const json& cfg, const char* key, const std::string& fallback) {
  return cfg.contains(key) && cfg[key].is_string() ? cfg[key].get<std::string>() : fallback;
}

ShapeProblem problem(const LayerRuleInput& in, std::string expected, std::string message,
                     std::vector<std::string> fixes, std::optional<int> axis = std::nullopt,
                     std::string category = "model.incompatible_layers") {
  ShapeProblem p;
  p.category = std::move(category);
  p.layer_index = in.index;
  p.layer = in.layer.name;
  p.class_name = in.layer.class_name;
  p.received = in.in;
  p.expected = std::move(expected);
  p.axis = axis;
  p.message = std::move(message);
  p.fixes = std::move(fixes);
  return p;
}

// Suggestions for turning a shape of the wrong rank into the one a layer needs.
std::vector<std::string> rank_fixes(const Shape& in, int needed, const std::string& cls) {
  std::vector<std::string> fixes;
  const int rank = in.rank();
  if (needed == 3 && rank == 4) {
    fixes.push_back(fmt::format("Insert Reshape(({}, {})) before {} to read each row of the feature map as a time step",
                                dim_str(in[1]), in[2] != kUnknownDim && in[3] != kUnknownDim ? std::to_string(in[2] * in[3]) : "-1", cls));
    fixes.push_back(fmt::format("or wrap the convolution part in TimeDistributed and add TimeDistributed(Flatten()) before {}", cls));
    fixes.push_back("or, if the sequence is not needed, use GlobalAveragePooling2D() or Flatten() followed by Dense instead");
  } else if (needed == 3 && rank == 2) {
    fixes.push_back(fmt::format("Add a feature axis: reshape the input to ({}, {}, 1) (Reshape(({}, 1)))", dim_str(in[0]),
                                dim_str(in[1]), dim_str(in[1])));
  } else if (needed == 4 && rank == 3) {
    fixes.push_back(fmt::format("Add a channel axis: reshape to ({}, {}, {}, 1) (numpy: x[..., np.newaxis])",
                                dim_str(in[0]), dim_str(in[1]), dim_str(in[2])));
  } else if (needed == 4 && rank == 2 && in[1] != kUnknownDim) {
    const auto side = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(in[1]))));
    if (side * side == in[1]) {
      fixes.push_back(fmt::format("Reshape the flat vectors to images: ({}, {}, {}, 1) (Reshape(({}, {}, 1)))",
                                  dim_str(in[0]), side, side, side, side));
    } else {
      fixes.push_back("Reshape the flat vectors to (height, width, channels) before the convolution");
    }
  } else if (needed == 2 && rank > 2) {
    fixes.push_back(fmt::format("Insert Flatten() (or a global pooling layer) before {}", cls));
  }
  return fixes;
}

std::string rank_expectation(int rank) {
  switch (rank) {
    case 2: return "rank 2: (batch, features)";
    case 3: return "rank 3: (batch, timesteps, features)";
    case 4: return "rank 4: (batch, height, width, channels)";
    default: return fmt::format("rank {}", rank);
  }
}

std::optional<ShapeProblem> require_rank(const LayerRuleInput& in, int rank) {
  if (in.in.rank() == rank) return std::nullopt;
  return problem(in, rank_expectation(rank),
                 fmt::format("{} \"{}\" needs input of {}, but receives {} of rank {}", in.layer.class_name,
                             in.layer.name, rank_expectation(rank), in.in.str(), in.in.rank()),
                 rank_fixes(in.in, rank, in.layer.class_name));
}

// Output length of a convolution or pooling window along one axis (Keras' conv_output_length).
std::optional<std::int64_t> window_output(std::int64_t length, std::int64_t window, std::int64_t stride,
                                          std::int64_t dilation, const std::string& padding) {
  if (length == kUnknownDim) return kUnknownDim;
  const std::int64_t span = (window - 1) * dilation + 1;
  if (padding == "same" || padding == "causal") return (length + stride - 1) / stride;
  if (length < span) return std::nullopt;
  return (length - span) / stride + 1;
}

std::optional<ShapeProblem> spatial(const LayerRuleInput& in, LayerShape& out, int dims, bool conv) {
  if (auto p = require_rank(in, dims + 2)) return p;
  const auto& cfg = in.layer.config;
  const auto window = conv ? ints(cfg, "kernel_size", dims, 1) : ints(cfg, "pool_size", dims, 2);
  auto strides = ints(cfg, "strides", dims, 0);
  for (int i = 0; i < dims; ++i) {
    if (strides[i] <= 0) strides[i] = conv ? 1 : window[i];
  }
  const auto dilation = conv ? ints(cfg, "dilation_rate", dims, 1) : std::vector<std::int64_t>(dims, 1);
  const std::string padding = str_of(cfg, "padding", "valid");
  std::vector<std::int64_t> shape = {kUnknownDim};
  for (int i = 0; i < dims; ++i) {
    auto len = window_output(in.in[1 + i], window[i], strides[i], dilation[i], padding);
    if (!len) {
      return problem(in, fmt::format("a spatial size of at least {} on axis {}", (window[i] - 1) * dilation[i] + 1, i + 1),
                     fmt::format("{} \"{}\": the {} window {} is larger than its input {} on axis {} (padding 'valid')",
                                 in.layer.class_name, in.layer.name, conv ? "kernel" : "pooling", window[i],
                                 in.in[1 + i], i + 1),
                     {"Use padding='same', a smaller kernel or pool size, or fewer downsampling layers before it"},
                     1 + i, "model.invalid_config");
    }
    shape.push_back(*len);
  }
  const std::int64_t channels = in.in[dims + 1];
  if (conv) {
    const std::int64_t filters = int_of(cfg, "filters", 1);
    shape.push_back(filters);
    if (channels == kUnknownDim) {
      return problem(in, "a known number of channels", fmt::format("{} \"{}\" needs the channel axis to be known", in.layer.class_name, in.layer.name), {}, dims + 1);
    }
    const std::int64_t groups = std::max<std::int64_t>(1, int_of(cfg, "groups", 1));
    std::int64_t k = 1;
    for (auto w : window) k *= w;
    out.params = k * (channels / groups) * filters + (bool_of(cfg, "use_bias", true) ? filters : 0);
  } else {
    shape.push_back(channels);
  }
  out.output = Shape(std::move(shape));
  return std::nullopt;
}

// DepthwiseConv2D (separable = false) and SeparableConv2D: Conv2D's spatial rule; the depthwise
// step makes in·depth_multiplier channels, which SeparableConv2D's 1×1 step maps to filters.
std::optional<ShapeProblem> depthwise(const LayerRuleInput& in, LayerShape& out, bool separable) {
  const auto& cfg = in.layer.config;
  // The spatial rule also refuses an unknown channel axis; its filters and params are replaced below.
  if (auto p = spatial(in, out, 2, true)) return p;
  const std::int64_t channels = in.in[3];
  const std::int64_t multiplier = std::max<std::int64_t>(1, int_of(cfg, "depth_multiplier", 1));
  const auto window = ints(cfg, "kernel_size", 2, 1);
  const std::int64_t taps = window[0] * window[1];
  const bool bias = bool_of(cfg, "use_bias", true);
  std::vector<std::int64_t> shape(out.output.dims());
  if (separable) {
    const std::int64_t filters = int_of(cfg, "filters", 1);
    shape.back() = filters;
    out.params = taps * channels * multiplier + channels * multiplier * filters + (bias ? filters : 0);
  } else {
    shape.back() = channels * multiplier;
    out.params = taps * channels * multiplier + (bias ? channels * multiplier : 0);
  }
  out.output = Shape(std::move(shape));
  return std::nullopt;
}

// Conv2DTranspose: Keras' output length of a transposed convolution, k the dilated kernel span
// (output_padding null: valid gives in·s + max(k − s, 0), same gives in·s; otherwise
// (in − 1)·s + k − 2·(k/2 if same) + op).
std::optional<ShapeProblem> conv_transpose(const LayerRuleInput& in, LayerShape& out) {
  if (auto p = require_rank(in, 4)) return p;
  const auto& cfg = in.layer.config;
  const auto window = ints(cfg, "kernel_size", 2, 1);
  const auto strides = ints(cfg, "strides", 2, 1);
  const auto output_padding = ints(cfg, "output_padding", 2, -1);
  const auto dilation = ints(cfg, "dilation_rate", 2, 1);
  const std::string padding = str_of(cfg, "padding", "valid");
  const std::int64_t filters = int_of(cfg, "filters", 1);
  std::vector<std::int64_t> shape = {kUnknownDim};
  for (int i = 0; i < 2; ++i) {
    const std::int64_t n = in.in[1 + i], k = (window[i] - 1) * dilation[i] + 1, s = strides[i], op = output_padding[i];
    if (n == kUnknownDim) {
      shape.push_back(kUnknownDim);
    } else if (op < 0) {
      shape.push_back(padding == "valid" ? n * s + std::max<std::int64_t>(k - s, 0) : n * s);
    } else {
      shape.push_back((n - 1) * s + k - 2 * (padding == "same" ? k / 2 : 0) + op);
    }
  }
  shape.push_back(filters);
  const std::int64_t channels = in.in[3];
  if (channels == kUnknownDim) {
    return problem(in, "a known number of channels",
                   fmt::format("{} \"{}\" needs the channel axis to be known", in.layer.class_name, in.layer.name), {}, 3);
  }
  out.params = window[0] * window[1] * filters * channels + (bool_of(cfg, "use_bias", true) ? filters : 0);
  out.output = Shape(std::move(shape));
  return std::nullopt;
}

std::optional<ShapeProblem> global_pool(const LayerRuleInput& in, LayerShape& out, int dims) {
  if (auto p = require_rank(in, dims + 2)) return p;
  if (bool_of(in.layer.config, "keepdims", false)) {
    std::vector<std::int64_t> s(in.in.dims());
    for (int i = 1; i <= dims; ++i) s[i] = 1;
    out.output = Shape(std::move(s));
  } else {
    out.output = Shape{kUnknownDim, in.in[dims + 1]};
  }
  return std::nullopt;
}

// ZeroPadding2D (sign +1) and Cropping2D (sign -1): amounts as n, [h, w] or [[top, bottom], [left, right]].
std::optional<ShapeProblem> pad_or_crop(const LayerRuleInput& in, LayerShape& out, const char* key, std::int64_t fallback,
                                        int sign) {
  if (auto p = require_rank(in, 4)) return p;
  std::int64_t total[2] = {2 * fallback, 2 * fallback};
  const auto& cfg = in.layer.config;
  if (cfg.contains(key) && cfg[key].is_number_integer()) {
    total[0] = total[1] = 2 * cfg[key].get<std::int64_t>();
  } else if (cfg.contains(key) && cfg[key].is_array() && cfg[key].size() == 2) {
    for (int i = 0; i < 2; ++i) {
      const auto& a = cfg[key][static_cast<std::size_t>(i)];
      if (a.is_number_integer()) total[i] = 2 * a.get<std::int64_t>();
      if (a.is_array() && a.size() == 2 && a[0].is_number_integer() && a[1].is_number_integer()) {
        total[i] = a[0].get<std::int64_t>() + a[1].get<std::int64_t>();
      }
    }
  }
  std::vector<std::int64_t> shape = {kUnknownDim};
  for (int i = 0; i < 2; ++i) {
    const std::int64_t d = in.in[1 + i];
    if (d != kUnknownDim && sign < 0 && total[i] >= d) {
      return problem(in, fmt::format("more than {} on axis {}", total[i], i + 1),
                     fmt::format("Cropping2D \"{}\" crops {} of the {} on axis {}, leaving nothing", in.layer.name,
                                 total[i], d, i + 1),
                     {"Crop less, or crop before the layers that shrink the image"}, 1 + i, "model.invalid_config");
    }
    shape.push_back(d == kUnknownDim ? d : d + sign * total[i]);
  }
  shape.push_back(in.in[3]);
  out.output = Shape(std::move(shape));
  return std::nullopt;
}

std::optional<ShapeProblem> recurrent(const LayerRuleInput& in, LayerShape& out, int gates) {
  if (auto p = require_rank(in, 3)) return p;
  const auto& cfg = in.layer.config;
  const std::int64_t units = int_of(cfg, "units", 1);
  const std::int64_t features = in.in[2];
  if (features == kUnknownDim) {
    return problem(in, "a known feature axis", fmt::format("{} \"{}\" needs the feature axis to be known", in.layer.class_name, in.layer.name), {}, 2);
  }
  std::int64_t bias = units;
  if (in.layer.class_name == "GRU" && bool_of(cfg, "reset_after", true)) bias = 2 * units;
  if (!bool_of(cfg, "use_bias", true)) bias = 0;
  out.params = gates * (units * (features + units) + bias);
  out.output = bool_of(cfg, "return_sequences", false) ? Shape{kUnknownDim, in.in[1], units} : Shape{kUnknownDim, units};
  return std::nullopt;
}

std::optional<ShapeProblem> run_rule(const io::LayerSpec& layer, const Shape& in, std::size_t index, LayerShape& out,
                                     bool& known);

const std::map<std::string, Rule>& rules() {
  static const std::map<std::string, Rule> table = [] {
    std::map<std::string, Rule> t;
    auto identity = [](const LayerRuleInput& in, LayerShape& out) -> std::optional<ShapeProblem> {
      out.output = in.in;
      return std::nullopt;
    };
    for (const char* cls : {"Activation", "Dropout", "AlphaDropout", "GaussianDropout", "GaussianNoise",
                            "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "ActivityRegularization",
                            "ReLU", "LeakyReLU", "ELU", "Softmax", "ThresholdedReLU", "Masking", "Rescaling",
                            "UnitNormalization"}) {
      t[cls] = identity;
    }
    t["Dense"] = [](const LayerRuleInput& in, LayerShape& out) -> std::optional<ShapeProblem> {
      if (in.in.rank() < 2) {
        return problem(in, rank_expectation(2), fmt::format("Dense \"{}\" needs at least a batch and a feature axis, got {}", in.layer.name, in.in.str()), {});
      }
      const std::int64_t features = in.in[in.in.rank() - 1];
      if (features == kUnknownDim) {
        return problem(in, "a known last axis", fmt::format("Dense \"{}\" needs its input's last axis to be known, got {}", in.layer.name, in.in.str()), {}, in.in.rank() - 1);
      }
      const std::int64_t units = int_of(in.layer.config, "units", 1);
      auto dims = in.in.dims();
      dims.back() = units;
      out.output = Shape(dims);
      out.params = features * units + (bool_of(in.layer.config, "use_bias", true) ? units : 0);
      return std::nullopt;
    };
    t["Flatten"] = [](const LayerRuleInput& in, LayerShape& out) -> std::optional<ShapeProblem> {
      out.output = Shape{kUnknownDim, in.in.rank() <= 1 ? 1 : product(in.in, 1, in.in.rank())};
      return std::nullopt;
    };
    t["Reshape"] = [](const LayerRuleInput& in, LayerShape& out) -> std::optional<ShapeProblem> {
      const auto& target = in.layer.config.contains("target_shape") ? in.layer.config["target_shape"] : json::array();
      std::vector<std::int64_t> dims = {kUnknownDim};
      int free_axis = -1;
      std::int64_t known = 1;
      for (const auto& d : target) {
        std::int64_t v = d.is_number_integer() ? d.get<std::int64_t>() : -1;
        if (v == -1) free_axis = static_cast<int>(dims.size());
        else known *= v;
        dims.push_back(v);
      }
      const std::int64_t total = product(in.in, 1, in.in.rank());
      if (total != kUnknownDim && known > 0) {
        if (free_axis >= 0) {
          if (total % known != 0) {
            return problem(in, fmt::format("a size divisible by {}", known), fmt::format("Reshape \"{}\" cannot reshape {} values per sample into {}", in.layer.name, total, target.dump()), {}, std::nullopt, "model.invalid_config");
          }
          dims[static_cast<std::size_t>(free_axis)] = total / known;
        } else if (known != total) {
          return problem(in, fmt::format("{} values per sample", known), fmt::format("Reshape \"{}\" to {} needs {} values per sample, but its input {} has {}", in.layer.name, target.dump(), known, in.in.str(), total), {}, std::nullopt, "model.invalid_config");
        }
      } else if (free_axis >= 0) {
        dims[static_cast<std::size_t>(free_axis)] = kUnknownDim;
      }
      out.output = Shape(std::move(dims));
      return std::nullopt;
    };
    t["BatchNormalization"] = [](const LayerRuleInput& in, LayerShape& out) -> std::optional<ShapeProblem> {
      out.output = in.in;
      const std::int64_t c = in.in[in.in.rank() - 1];
      const int per = (bool_of(in.layer.config, "center", true) ? 1 : 0) + (bool_of(in.layer.config, "scale", true) ? 1 : 0);
      out.params = c * (per + 2);
      out.trainable_params = c * per;
      return std::nullopt;
    };
    t["LayerNormalization"] = [](const LayerRuleInput& in, LayerShape& out) -> std::optional<ShapeProblem> {
      out.output = in.in;
      const std::int64_t c = in.in[in.in.rank() - 1];
      out.params = c * ((bool_of(in.layer.config, "center", true) ? 1 : 0) + (bool_of(in.layer.config, "scale", true) ? 1 : 0));
      return std::nullopt;
    };
    t["Embedding"] = [](const LayerRuleInput& in, LayerShape& out) -> std::optional<ShapeProblem> {
      auto dims = in.in.dims();
      dims.push_back(int_of(in.layer.config, "output_dim", 1));
      out.output = Shape(dims);
      out.params = int_of(in.layer.config, "input_dim", 1) * int_of(in.layer.config, "output_dim", 1);
      return std::nullopt;
    };
    t["Conv1D"] = [](const LayerRuleInput& in, LayerShape& out) { return spatial(in, out, 1, true); };
    t["Conv2D"] = [](const LayerRuleInput& in, LayerShape& out) { return spatial(in, out, 2, true); };
    t["Conv3D"] = [](const LayerRuleInput& in, LayerShape& out) { return spatial(in, out, 3, true); };
    t["DepthwiseConv2D"] = [](const LayerRuleInput& in, LayerShape& out) { return depthwise(in, out, false); };
    t["SeparableConv2D"] = [](const LayerRuleInput& in, LayerShape& out) { return depthwise(in, out, true); };
    t["Conv2DTranspose"] = [](const LayerRuleInput& in, LayerShape& out) { return conv_transpose(in, out); };
    t["MaxPooling1D"] = [](const LayerRuleInput& in, LayerShape& out) { return spatial(in, out, 1, false); };
    t["MaxPooling2D"] = [](const LayerRuleInput& in, LayerShape& out) { return spatial(in, out, 2, false); };
    t["AveragePooling1D"] = [](const LayerRuleInput& in, LayerShape& out) { return spatial(in, out, 1, false); };
    t["AveragePooling2D"] = [](const LayerRuleInput& in, LayerShape& out) { return spatial(in, out, 2, false); };
    t["GlobalMaxPooling1D"] = [](const LayerRuleInput& in, LayerShape& out) { return global_pool(in, out, 1); };
    t["GlobalAveragePooling1D"] = [](const LayerRuleInput& in, LayerShape& out) { return global_pool(in, out, 1); };
    t["GlobalMaxPooling2D"] = [](const LayerRuleInput& in, LayerShape& out) { return global_pool(in, out, 2); };
    t["GlobalAveragePooling2D"] = [](const LayerRuleInput& in, LayerShape& out) { return global_pool(in, out, 2); };
    t["SimpleRNN"] = [](const LayerRuleInput& in, LayerShape& out) { return recurrent(in, out, 1); };
    t["LSTM"] = [](const LayerRuleInput& in, LayerShape& out) { return recurrent(in, out, 4); };
    t["GRU"] = [](const LayerRuleInput& in, LayerShape& out) { return recurrent(in, out, 3); };
    t["UpSampling2D"] = [](const LayerRuleInput& in, LayerShape& out) -> std::optional<ShapeProblem> {
      if (auto p = require_rank(in, 4)) return p;
      auto size = ints(in.layer.config, "size", 2, 2);
      auto up = [](std::int64_t d, std::int64_t s) { return d == kUnknownDim ? d : d * s; };
      out.output = Shape{kUnknownDim, up(in.in[1], size[0]), up(in.in[2], size[1]), in.in[3]};
      return std::nullopt;
    };
    t["ZeroPadding2D"] = [](const LayerRuleInput& in, LayerShape& out) { return pad_or_crop(in, out, "padding", 1, 1); };
    t["Cropping2D"] = [](const LayerRuleInput& in, LayerShape& out) { return pad_or_crop(in, out, "cropping", 0, -1); };
    t["RepeatVector"] = [](const LayerRuleInput& in, LayerShape& out) -> std::optional<ShapeProblem> {
      if (auto p = require_rank(in, 2)) return p;
      out.output = Shape{kUnknownDim, int_of(in.layer.config, "n", 1), in.in[1]};
      return std::nullopt;
    };
    t["Bidirectional"] = [](const LayerRuleInput& in, LayerShape& out) -> std::optional<ShapeProblem> {
      const auto& inner_json = in.layer.config.contains("layer") ? in.layer.config["layer"] : json::object();
      io::LayerSpec inner{str_of(inner_json, "class_name", ""), in.layer.name,
                          inner_json.contains("config") ? inner_json["config"] : json::object(), in.layer.where};
      LayerShape inner_out;
      bool known = true;
      if (auto p = run_rule(inner, in.in, in.index, inner_out, known)) return p;
      if (!known) return std::nullopt;
      auto dims = inner_out.output.dims();
      if (str_of(in.layer.config, "merge_mode", "concat") == "concat" && dims.back() != kUnknownDim) dims.back() *= 2;
      out.output = Shape(dims);
      out.params = 2 * inner_out.params;
      return std::nullopt;
    };
    t["TimeDistributed"] = [](const LayerRuleInput& in, LayerShape& out) -> std::optional<ShapeProblem> {
      if (in.in.rank() < 3) {
        return problem(in, "rank 3 or more: (batch, timesteps, ...)", fmt::format("TimeDistributed \"{}\" needs a time axis, got {}", in.layer.name, in.in.str()), {});
      }
      const auto& inner_json = in.layer.config.contains("layer") ? in.layer.config["layer"] : json::object();
      io::LayerSpec inner{str_of(inner_json, "class_name", ""), in.layer.name,
                          inner_json.contains("config") ? inner_json["config"] : json::object(), in.layer.where};
      auto per_step = in.in.dims();
      per_step.erase(per_step.begin() + 1);
      LayerShape inner_out;
      bool known = true;
      if (auto p = run_rule(inner, Shape(per_step), in.index, inner_out, known)) return p;
      if (!known) return std::nullopt;
      auto dims = inner_out.output.dims();
      dims.insert(dims.begin() + 1, in.in[1]);
      out.output = Shape(dims);
      out.params = inner_out.params;
      return std::nullopt;
    };
    return t;
  }();
  return table;
}

std::optional<ShapeProblem> run_rule(const io::LayerSpec& layer, const Shape& in, std::size_t index, LayerShape& out,
                                     bool& known) {
  auto it = rules().find(layer.class_name);
  if (it == rules().end()) {
    known = false;
    return std::nullopt;
  }
  out.params = 0;
  out.trainable_params = -1;
  auto p = it->second(LayerRuleInput{layer, in, index}, out);
  if (out.trainable_params < 0) out.trainable_params = out.params;
  return p;
}

}  // namespace

ModelShapes infer_model_shapes(const io::ModelSpec& model, const core::Shape& input, bool input_is_data) {
  ModelShapes result;
  Shape current = input;
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const auto& layer = model.layers[i];
    LayerShape ls;
    ls.name = layer.name;
    ls.class_name = layer.class_name;
    ls.input = current;
    bool known = true;
    auto p = run_rule(layer, current, i, ls, known);
    if (!known) {
      for (std::size_t j = i; j < model.layers.size(); ++j) {
        if (!rules().count(model.layers[j].class_name)) result.unknown_layers.push_back(model.layers[j].class_name);
      }
      return result;
    }
    if (p) {
      if (i == 0 && input_is_data && p->category == "model.incompatible_layers") p->category = "data.shape_mismatch";
      result.problem = std::move(p);
      return result;
    }
    // An output axis of size 0 (a transposed convolution's length rule, a pool or kernel that
    // consumes the whole axis under "same"-style arithmetic): Keras refuses to build the layer,
    // and so does the engine (Sequential::build).
    for (int a = 1; a < ls.output.rank(); ++a) {
      if (ls.output[a] == 0) {
        auto zero = problem(LayerRuleInput{.layer = layer, .in = current, .index = i},
                            "an output with every axis at least 1",
                            fmt::format("{} \"{}\" turns {} into {}, with nothing on axis {}", layer.class_name, layer.name,
                                        current.str(), ls.output.str(), a),
                            {"Check the layer's kernel, strides, padding and cropping against its input size"}, a,
                            "model.invalid_config");
        result.problem = std::move(zero);
        return result;
      }
    }
    if (layer.config.contains("trainable") && layer.config["trainable"].is_boolean() && !layer.config["trainable"].get<bool>()) {
      ls.trainable_params = 0;
    }
    result.total_params += ls.params;
    result.trainable_params += ls.trainable_params;
    const auto per_sample = product(ls.output, 1, ls.output.rank());
    if (per_sample != kUnknownDim) result.activation_floats_per_sample += per_sample;
    current = ls.output;
    result.layers.push_back(std::move(ls));
  }
  result.complete = true;
  result.output = current;
  return result;
}

}  // namespace fitcheck::doctor
