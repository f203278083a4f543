#include "fitcheck/nn/layers/window_config.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::nn::window_config {
namespace {

std::string dim_text(std::int64_t d) { return d < 0 ? "None" : std::to_string(d); }

std::string list_text(const std::vector<std::int64_t>& v) {
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + ")";
}

}  // namespace

std::vector<std::int64_t> normalize_tuple(std::vector<std::int64_t> values, int rank, const std::string& where,
                                          const char* key) {
  if (values.size() == 1 && rank > 1) values.assign(static_cast<std::size_t>(rank), values[0]);
  if (static_cast<int>(values.size()) != rank) {
    throw core::ConfigError({.where = where + ": " + key, .what = "wrong number of values",
                             .expected = fmt::format("an integer or a list of {}", rank), .got = list_text(values)});
  }
  for (auto v : values) {
    if (v < 1) {
      throw core::ConfigError({.where = where + ": " + key, .what = "every value must be positive",
                               .expected = "integers ≥ 1", .got = list_text(values)});
    }
  }
  return values;
}

std::vector<std::int64_t> get_tuple(const Json& c, const char* key, int rank, const std::string& where,
                                    std::vector<std::int64_t> fallback) {
  if (!c.contains(key) || c[key].is_null()) return fallback;
  const Json& v = c[key];
  std::vector<std::int64_t> values;
  if (v.is_number_integer()) {
    values.push_back(v.get<std::int64_t>());
  } else if (v.is_array()) {
    for (const auto& e : v) {
      if (!e.is_number_integer()) {
        throw core::ConfigError({.where = where + ": " + key, .what = "not a list of integers",
                                 .expected = "an integer or a list of integers", .got = v.dump()});
      }
      values.push_back(e.get<std::int64_t>());
    }
  } else {
    throw core::ConfigError({.where = where + ": " + key, .what = "not an integer or a list",
                             .expected = "an integer or a list of integers", .got = v.dump()});
  }
  return normalize_tuple(std::move(values), rank, where, key);
}

void refuse_strided_dilation(const std::vector<std::int64_t>& strides, const std::vector<std::int64_t>& dilation,
                             const std::string& where) {
  const auto above_one = [](const std::vector<std::int64_t>& v) { return std::any_of(v.begin(), v.end(), [](std::int64_t x) { return x > 1; }); };
  if (above_one(strides) && above_one(dilation)) {
    throw core::ConfigError({.where = where + ": strides",
                             .what = "strides > 1 cannot be combined with dilation_rate > 1 (Keras refuses it)",
                             .expected = "strides of 1 with a dilation, or a dilation_rate of 1 with strides",
                             .got = fmt::format("strides {}, dilation_rate {}", tuple_to_json(strides).dump(),
                                                tuple_to_json(dilation).dump())});
  }
}

std::string normalize_padding(const std::string& padding, bool allow_causal, const std::string& where) {
  std::string p = padding;
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (p == "valid" || p == "same" || (allow_causal && p == "causal")) return p;
  throw core::ConfigError({.where = where + ": padding", .what = "unknown padding",
                           .expected = allow_causal ? "\"valid\", \"same\" or \"causal\"" : "\"valid\" or \"same\"",
                           .got = "\"" + padding + "\""});
}

void check_data_format(const Json& c, const std::string& where) {
  if (!c.contains("data_format") || c["data_format"].is_null()) return;
  const Json& f = c["data_format"];
  if (f.is_string() && f.get<std::string>() == "channels_last") return;
  throw core::ConfigError(
      {.where = where + ": data_format", .what = "only channels_last is supported",
       .expected = "\"channels_last\" (channels on the last axis, Keras' default)", .got = f.dump(),
       .hint = "Move the channel axis last (numpy: np.moveaxis(x, 1, -1)) and drop data_format from the layer."});
}

Json tuple_to_json(const std::vector<std::int64_t>& values) {
  Json a = Json::array();
  for (auto v : values) a.push_back(v);
  return a;
}

std::vector<std::int64_t> get_sides(const Json& c, const char* key, const std::string& where, std::int64_t fallback) {
  if (!c.contains(key) || c[key].is_null()) return {fallback, fallback, fallback, fallback};
  const Json& v = c[key];
  const auto bad = [&] {
    return core::ConfigError({.where = where + ": " + key, .what = "not a valid amount",
                              .expected = "n, [h, w] or [[top, bottom], [left, right]] with integers ≥ 0",
                              .got = v.dump()});
  };
  const auto value = [&](const Json& e) {
    if (!e.is_number_integer() || e.get<std::int64_t>() < 0) throw bad();
    return e.get<std::int64_t>();
  };
  if (v.is_number()) {
    const auto n = value(v);
    return {n, n, n, n};
  }
  if (!v.is_array() || v.size() != 2) throw bad();
  std::vector<std::int64_t> sides;
  for (const auto& axis : v) {
    if (axis.is_array()) {
      if (axis.size() != 2) throw bad();
      sides.push_back(value(axis[0]));
      sides.push_back(value(axis[1]));
    } else {
      const auto n = value(axis);
      sides.push_back(n);
      sides.push_back(n);
    }
  }
  return sides;
}

Json sides_to_json(const std::vector<std::int64_t>& s) { return Json::array({{s[0], s[1]}, {s[2], s[3]}}); }

std::string expected_layout(int spatial_rank) {
  return spatial_rank == 2 ? "rank 4: (batch, height, width, channels)" : "rank 3: (batch, steps, channels)";
}

void throw_rank_error(const Layer& layer, const core::Shape& in, int spatial_rank) {
  const std::string cls = layer.class_name();
  std::string hint;
  if (spatial_rank == 2 && in.rank() == 3) {
    hint = fmt::format("Add a channel axis: reshape the images to ({}, {}, {}, 1) (numpy: x[..., np.newaxis]), or "
                       "put Reshape(({}, {}, 1)) before {}.",
                       dim_text(in[0]), dim_text(in[1]), dim_text(in[2]), dim_text(in[1]), dim_text(in[2]), cls);
  } else if (spatial_rank == 2 && in.rank() == 2) {
    const std::int64_t f = in[1];
    const auto side = f > 0 ? static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(f)))) : 0;
    hint = side * side == f && f > 0
               ? fmt::format("The samples are flat vectors of {} values: if they are {}×{} images, reshape them to "
                             "({}, {}, {}, 1) or put Reshape(({}, {}, 1)) before {}.",
                             f, side, side, dim_text(in[0]), side, side, side, side, cls)
               : fmt::format("Reshape the flat vectors to (height, width, channels) before {}.", cls);
  } else if (spatial_rank == 1 && in.rank() == 2) {
    hint = fmt::format("Add a channel axis: reshape the sequences to ({}, {}, 1) or put Reshape(({}, 1)) before {}.",
                       dim_text(in[0]), dim_text(in[1]), dim_text(in[1]), cls);
  } else if (spatial_rank == 1 && in.rank() == 4) {
    hint = fmt::format("{} reads sequences; for images use the 2D layer, or read each row as a step with "
                       "Reshape(({}, {})).",
                       cls, dim_text(in[1]), in[2] > 0 && in[3] > 0 ? std::to_string(in[2] * in[3]) : "-1");
  } else if (in.rank() > spatial_rank + 2) {
    hint = fmt::format("{} takes one {} per sample: reshape or pool the extra axes away first.", cls,
                       spatial_rank == 2 ? "image" : "sequence");
  } else {
    hint = fmt::format("Give each sample the layout {}.", expected_layout(spatial_rank));
  }
  throw core::ShapeError({.where = layer.where(),
                          .what = fmt::format("cannot take its input (rank {})", in.rank()),
                          .expected = expected_layout(spatial_rank), .got = in.str(), .hint = hint});
}

std::int64_t input_channels(const Layer& layer, const core::Shape& input, int spatial_rank,
                            const std::string& weights) {
  if (input.rank() != spatial_rank + 2) throw_rank_error(layer, input, spatial_rank);
  const std::int64_t channels = input[input.rank() - 1];
  if (channels < 0) {
    throw core::ShapeError({.where = layer.where(), .what = "cannot take its input (last axis)",
                            .expected = "a known channel axis", .got = input.str(),
                            .hint = "Declare the input shape of the model, channels included."});
  }
  if (layer.built()) {
    const std::int64_t want = layer.input_shape()[layer.input_shape().rank() - 1];
    if (channels != want) {
      throw core::ShapeError(
          {.where = layer.where(), .what = "cannot take its input (axis -1)",
           .expected = fmt::format("{} channels on the last axis", want), .got = input.str(),
           .hint = fmt::format("The {} was built for {} input channels; give the data {} channels, or rebuild the "
                               "model for {}.",
                               weights, want, want, channels)});
    }
  }
  return channels;
}

std::vector<std::int64_t> spatial_output(const Layer& layer, const core::Shape& in,
                                         const std::vector<std::int64_t>& window,
                                         const std::vector<std::int64_t>& strides,
                                         const std::vector<std::int64_t>& dilation, const std::string& padding) {
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < window.size(); ++i) {
    const int axis = static_cast<int>(i) + 1;
    const std::int64_t len = in[axis];
    if (len < 0) {
      out.push_back(core::kUnknownDim);
      continue;
    }
    const auto a = kernels::window_axis(len, window[i], strides[i], dilation[i], padding);
    if (!a) {
      const std::int64_t span = (window[i] - 1) * dilation[i] + 1;
      throw core::ShapeError(
          {.where = layer.where(),
           .what = fmt::format("cannot take its input (axis {}: the window spans {} but the input has {})", axis, span,
                               len),
           .expected = fmt::format("at least {} on axis {}", span, axis), .got = in.str(),
           .hint = "Use padding=\"same\", a smaller window, or fewer downsampling layers before it."});
    }
    out.push_back(a->out);
  }
  return out;
}

kernels::WindowGeometry geometry(const Layer& layer, const core::Shape& in, int spatial_rank,
                                 const std::vector<std::int64_t>& window, const std::vector<std::int64_t>& strides,
                                 const std::vector<std::int64_t>& dilation, const std::string& padding) {
  kernels::WindowGeometry g;
  g.channels = in[in.rank() - 1];
  const int first = spatial_rank == 2 ? 0 : 1;  // 1D: the height axis stays 1
  for (int i = 0; i < spatial_rank; ++i) {
    const auto a = kernels::window_axis(in[1 + i], window[static_cast<std::size_t>(i)],
                                        strides[static_cast<std::size_t>(i)], dilation[static_cast<std::size_t>(i)],
                                        padding);
    if (!a) {
      (void)spatial_output(layer, in, window, strides, dilation, padding);  // throws, naming the axis
      FITCHECK_CHECK(false, "spatial_output accepted a window larger than its input");
    }
    (first + i == 0 ? g.h : g.w) = *a;
  }
  return g;
}

std::int64_t im2col_chunk_samples(const kernels::WindowGeometry& g, std::int64_t samples) {
  const std::int64_t per_sample = std::max<std::int64_t>(1, g.out_pixels() * g.taps() * g.channels);
  return std::clamp<std::int64_t>(kColumnBudget / per_sample, 1, std::max<std::int64_t>(samples, 1));
}

}  // namespace fitcheck::nn::window_config
