#include "fitcheck/run/onnx_layers.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/activation_function.hpp"
#include "fitcheck/nn/kernels/window.hpp"
#include "fitcheck/nn/layers/bidirectional.hpp"
#include "fitcheck/nn/layers/conv2d_transpose.hpp"
#include "fitcheck/nn/layers/time_distributed.hpp"

namespace fitcheck::run::onnx_detail {

using Index = std::int64_t;
using nn::Json;

const core::Tensor* LayerRef::find(const std::string& name) const {
  for (const auto& p : params) {
    if (p.name == prefix + name) return &p.value;
  }
  return nullptr;
}

const core::Tensor& LayerRef::param(const std::string& name) const {
  const core::Tensor* t = find(name);
  FITCHECK_CHECK(t != nullptr, layer.where() + " has no variable " + prefix + name);
  return *t;
}

LayerRef LayerRef::sublayer(const nn::Layer& sub, std::string sub_prefix) const {
  return LayerRef{sub, sub.get_config(), params, prefix + sub_prefix, scope + "/" + sub.name()};
}

namespace {

constexpr Index kInt64Max = std::numeric_limits<Index>::max();
constexpr Index kInt64Min = std::numeric_limits<Index>::min();

// Keras 3's constants, as the engine's activation_function.cpp uses them.
constexpr float kSeluAlpha = 1.6732632423543772f;
constexpr float kSeluScale = 1.0507009873554805f;
constexpr float kLeakyReluSlope = 0.2f;
constexpr float kInvSqrt2 = 0.70710678118654752f;

std::vector<Index> ints(const Json& c, const char* key) { return c.at(key).get<std::vector<Index>>(); }

// The canonical name of an activation in a config ("silu" → "swish", null → "linear").
std::string activation_name(const LayerRef& l, const char* key) {
  return nn::make_activation(l.config.contains(key) ? l.config[key] : Json(nullptr), l.layer.where())->name();
}

// ---- host-side weight rearrangement ----

struct Host {
  std::vector<Index> dims;
  std::vector<float> data;
};

// t with its axes permuted: result axis i is t's axis perm[i] (numpy's transpose).
Host transpose(const core::Tensor& t, const std::vector<int>& perm) {
  const std::size_t r = perm.size();
  std::vector<Index> strides(r, 1);  // of t
  for (std::size_t i = r - 1; i > 0; --i) strides[i - 1] = strides[i] * t.dim(static_cast<int>(i));
  Host h;
  for (int p : perm) h.dims.push_back(t.dim(p));
  h.data.reserve(static_cast<std::size_t>(t.size()));
  std::vector<Index> idx(r, 0);  // the output index, advanced in row-major order
  for (Index n = 0; n < t.size(); ++n) {
    Index src = 0;
    for (std::size_t i = 0; i < r; ++i) src += idx[i] * strides[static_cast<std::size_t>(perm[i])];
    h.data.push_back(t[src]);
    for (std::size_t i = r; i-- > 0;) {
      if (++idx[i] < h.dims[i]) break;
      idx[i] = 0;
    }
  }
  return h;
}

std::string initializer(GraphBuilder& g, const std::string& name, const Host& h) {
  return g.add_initializer(name, h.dims, h.data);
}

// ---- activations ----

Value unary(GraphBuilder& g, const std::string& op, const Value& x, const std::string& scope) {
  return Value{g.op(op, {x.name}, scope), x.shape, x.layout};
}

// The activation `name` on x, element-wise (softmax on the Keras last axis, wherever x stores it).
Value activation(GraphBuilder& g, const std::string& name, const Value& x, const std::string& scope) {
  if (name == "linear") return x;
  if (name == "relu") return unary(g, "Relu", x, scope);
  if (name == "sigmoid") return unary(g, "Sigmoid", x, scope);
  if (name == "tanh") return unary(g, "Tanh", x, scope);
  if (name == "softplus") return unary(g, "Softplus", x, scope);
  if (name == "softsign") return unary(g, "Softsign", x, scope);
  if (name == "softmax") {
    auto& n = g.node("Softmax", {x.name}, scope);
    set_attr(n, "axis", static_cast<Index>(x.axis(x.rank() - 1)));
    return Value{n.output(0), x.shape, x.layout};
  }
  if (name == "leaky_relu" || name == "elu") {
    auto& n = g.node(name == "elu" ? "Elu" : "LeakyRelu", {x.name}, scope);
    set_attr(n, "alpha", name == "elu" ? 1.0f : kLeakyReluSlope);
    return Value{n.output(0), x.shape, x.layout};
  }
  if (name == "selu") {
    auto& n = g.node("Selu", {x.name}, scope);
    set_attr(n, "alpha", kSeluAlpha);
    set_attr(n, "gamma", kSeluScale);
    return Value{n.output(0), x.shape, x.layout};
  }
  if (name == "hard_sigmoid") {
    // Keras 3: relu6(x + 3) / 6 = clip(x/6 + 1/2, 0, 1).
    auto& n = g.node("HardSigmoid", {x.name}, scope);
    set_attr(n, "alpha", 1.0f / 6.0f);
    set_attr(n, "beta", 0.5f);
    return Value{n.output(0), x.shape, x.layout};
  }
  if (name == "gelu") {
    // Keras' exact form (approximate=False): x/2 · (1 + erf(x/√2)). Opset 17 has no Gelu op.
    const std::string e = g.op("Erf", {g.op("Mul", {x.name, g.scalar(kInvSqrt2)}, scope)}, scope);
    const std::string half_x = g.op("Mul", {x.name, g.scalar(0.5f)}, scope);
    return Value{g.op("Mul", {half_x, g.op("Add", {e, g.scalar(1.0f)}, scope)}, scope), x.shape, x.layout};
  }
  if (name == "swish") {
    return Value{g.op("Mul", {x.name, g.op("Sigmoid", {x.name}, scope)}, scope), x.shape, x.layout};
  }
  throw Unsupported(fmt::format("activation \"{}\" has no ONNX mapping", name));
}

// x with its Keras last axis stored last (Dense, LayerNormalization), other axes as they are.
Value last_axis_last(GraphBuilder& g, const Value& x, const std::string& scope) {
  if (x.layout.back() == x.rank() - 1) return x;
  return g.to_layout(x, keras_layout(x.rank()), scope);
}

// x stored channels first, (N, C, spatial...), as ONNX's Conv and pooling take it.
Value channels_first(GraphBuilder& g, const Value& x, const std::string& scope) {
  return g.to_layout(x, channels_first_layout(x.rank()), scope);
}

// ---- core layers ----

Value identity(GraphBuilder&, const LayerRef&, const Value& x) { return x; }

Value dense(GraphBuilder& g, const LayerRef& l, const Value& x) {
  const Value v = last_axis_last(g, x, l.scope);
  std::string y = g.op("MatMul", {v.name, g.add_initializer(l.scope + "/kernel", l.param("kernel"))}, l.scope);
  if (const auto* b = l.find("bias")) y = g.op("Add", {y, g.add_initializer(l.scope + "/bias", *b)}, l.scope);
  return activation(g, activation_name(l, "activation"), Value{y, l.layer.compute_output_shape(x.shape), v.layout},
                    l.scope);
}

Value activation_layer(GraphBuilder& g, const LayerRef& l, const Value& x) {
  return activation(g, activation_name(l, "activation"), x, l.scope);
}

Value flatten(GraphBuilder& g, const LayerRef& l, const Value& x) {
  // Keras flattens (N, H, W, C) in that order: back to Keras' layout first.
  const Value v = g.to_layout(x, keras_layout(x.rank()), l.scope);
  auto& n = g.node("Flatten", {v.name}, l.scope);
  set_attr(n, "axis", Index{1});
  return Value{n.output(0), l.layer.compute_output_shape(x.shape), keras_layout(2)};
}

Value reshape(GraphBuilder& g, const LayerRef& l, const Value& x) {
  const Value v = g.to_layout(x, keras_layout(x.rank()), l.scope);
  std::vector<Index> target = {0};  // 0: ONNX copies the batch axis from the input
  for (Index d : ints(l.config, "target_shape")) target.push_back(d);
  const core::Shape out = l.layer.compute_output_shape(x.shape);
  return Value{g.op("Reshape", {v.name, g.add_int64s(l.scope + "/shape", target)}, l.scope), out,
               keras_layout(out.rank())};
}

Value batch_normalization(GraphBuilder& g, const LayerRef& l, const Value& x) {
  // ONNX normalises axis 1; the other axes may stay in any order.
  const Value v = x.layout[1] == x.rank() - 1 ? x : channels_first(g, x, l.scope);
  const Index c = x.shape[x.rank() - 1];
  const auto vec = [&](const char* name, float fill) {
    if (const auto* t = l.find(name)) return g.add_initializer(l.scope + "/" + name, *t);
    return g.add_initializer(l.scope + "/" + name, {c}, std::vector<float>(static_cast<std::size_t>(c), fill));
  };
  auto& n = g.node("BatchNormalization",
                   {v.name, vec("gamma", 1.0f), vec("beta", 0.0f), vec("moving_mean", 0.0f), vec("moving_variance", 1.0f)},
                   l.scope);
  set_attr(n, "epsilon", l.config.at("epsilon").get<float>());
  return Value{n.output(0), x.shape, v.layout};
}

Value layer_normalization(GraphBuilder& g, const LayerRef& l, const Value& x) {
  const Value v = last_axis_last(g, x, l.scope);
  const Index c = x.shape[x.rank() - 1];
  std::vector<std::string> inputs = {v.name};
  if (const auto* gamma = l.find("gamma")) {
    inputs.push_back(g.add_initializer(l.scope + "/gamma", *gamma));
  } else {
    inputs.push_back(g.add_initializer(l.scope + "/gamma", {c}, std::vector<float>(static_cast<std::size_t>(c), 1.0f)));
  }
  if (const auto* beta = l.find("beta")) inputs.push_back(g.add_initializer(l.scope + "/beta", *beta));
  auto& n = g.node("LayerNormalization", inputs, l.scope);
  set_attr(n, "axis", Index{-1});
  set_attr(n, "epsilon", l.config.at("epsilon").get<float>());
  return Value{n.output(0), x.shape, v.layout};
}

Value embedding(GraphBuilder& g, const LayerRef& l, const Value& x) {
  // The engine takes indices as floats holding integers; ONNX's Gather wants integers.
  const Value v = g.to_layout(x, keras_layout(x.rank()), l.scope);
  auto& cast = g.node("Cast", {v.name}, l.scope);
  set_attr(cast, "to", static_cast<Index>(onnx::TensorProto::INT64));
  auto& n = g.node("Gather", {g.add_initializer(l.scope + "/embeddings", l.param("embeddings")), cast.output(0)}, l.scope);
  set_attr(n, "axis", Index{0});
  const core::Shape out = l.layer.compute_output_shape(x.shape);
  return Value{n.output(0), out, keras_layout(out.rank())};
}

// ---- windows: convolutions, pooling, padding ----

// The pads (all begins, then all ends) of a window op over the spatial axes of x (Keras axes
// 1..r−2), as Keras pads: "same" puts the odd pixel after the data, "causal" everything before.
// An unknown length with "same" padding needs ONNX's SAME_UPPER (the same rule): returns false.
bool window_pads(const Value& x, const std::vector<Index>& window, const std::vector<Index>& strides,
                 const std::vector<Index>& dilations, const std::string& padding, std::vector<Index>& pads) {
  const int spatial = x.rank() - 2;
  std::vector<Index> begin, end;
  for (int i = 0; i < spatial; ++i) {
    const std::size_t a = static_cast<std::size_t>(i);
    const Index in = x.shape[i + 1], span = (window[a] - 1) * dilations[a] + 1;
    if (padding == "valid") {
      begin.push_back(0);
      end.push_back(0);
    } else if (padding == "causal") {
      begin.push_back(span - 1);
      end.push_back(0);
    } else {
      if (in == core::kUnknownDim) return false;
      const auto ax = nn::kernels::window_axis(in, window[a], strides[a], dilations[a], padding);
      FITCHECK_CHECK(ax.has_value(), "same padding always has an output");
      begin.push_back(ax->pad_before);
      end.push_back(std::max<Index>(0, (ax->out - 1) * strides[a] + span - in - ax->pad_before));
    }
  }
  pads = begin;
  pads.insert(pads.end(), end.begin(), end.end());
  return true;
}

void set_window_attrs(onnx::NodeProto& n, const Value& x, const std::vector<Index>& window,
                      const std::vector<Index>& strides, const std::vector<Index>& dilations,
                      const std::string& padding, bool with_dilations) {
  set_attr(n, "kernel_shape", window);
  set_attr(n, "strides", strides);
  if (with_dilations) set_attr(n, "dilations", dilations);
  std::vector<Index> pads;
  if (window_pads(x, window, strides, dilations, padding, pads)) {
    set_attr(n, "pads", pads);
  } else {
    set_attr(n, "auto_pad", std::string("SAME_UPPER"));
  }
}

// Keras kernel (k..., in, out) → ONNX weights (out, in, k...).
Host conv_weights(const core::Tensor& kernel) {
  const int s = kernel.rank() - 2;
  std::vector<int> perm = {s + 1, s};
  for (int i = 0; i < s; ++i) perm.push_back(i);
  return transpose(kernel, perm);
}

// Keras depthwise kernel (kh, kw, c, m) → ONNX grouped weights (c·m, 1, kh, kw): output channel
// c·m + j of a Conv with group = c, as Keras orders them.
Host depthwise_weights(const core::Tensor& kernel) {
  Host h = transpose(kernel, {2, 3, 0, 1});
  h.dims = {h.dims[0] * h.dims[1], 1, h.dims[2], h.dims[3]};
  return h;
}

Value conv(GraphBuilder& g, const LayerRef& l, const Value& x) {
  if (l.config.value("groups", 1) != 1) throw Unsupported("groups > 1 has no mapping");
  const Value v = channels_first(g, x, l.scope);
  const core::Tensor& kernel = l.param("kernel");
  std::vector<std::string> inputs = {v.name, initializer(g, l.scope + "/kernel", conv_weights(kernel))};
  if (const auto* b = l.find("bias")) inputs.push_back(g.add_initializer(l.scope + "/bias", *b));
  auto& n = g.node("Conv", inputs, l.scope);
  set_window_attrs(n, x, ints(l.config, "kernel_size"), ints(l.config, "strides"), ints(l.config, "dilation_rate"),
                   l.config.at("padding").get<std::string>(), true);
  const core::Shape out = l.layer.compute_output_shape(x.shape);
  return activation(g, activation_name(l, "activation"), Value{n.output(0), out, v.layout}, l.scope);
}

Value depthwise_conv2d(GraphBuilder& g, const LayerRef& l, const Value& x) {
  const Value v = channels_first(g, x, l.scope);
  const core::Tensor& kernel = l.param("kernel");
  std::vector<std::string> inputs = {v.name, initializer(g, l.scope + "/kernel", depthwise_weights(kernel))};
  if (const auto* b = l.find("bias")) inputs.push_back(g.add_initializer(l.scope + "/bias", *b));
  auto& n = g.node("Conv", inputs, l.scope);
  set_window_attrs(n, x, ints(l.config, "kernel_size"), ints(l.config, "strides"), ints(l.config, "dilation_rate"),
                   l.config.at("padding").get<std::string>(), true);
  set_attr(n, "group", kernel.dim(2));
  const core::Shape out = l.layer.compute_output_shape(x.shape);
  return activation(g, activation_name(l, "activation"), Value{n.output(0), out, v.layout}, l.scope);
}

Value separable_conv2d(GraphBuilder& g, const LayerRef& l, const Value& x) {
  // Keras: the depthwise step (strides, padding, dilation; no bias), then a 1×1 convolution.
  const Value v = channels_first(g, x, l.scope);
  const core::Tensor& depthwise = l.param("depthwise_kernel");
  auto& dn = g.node("Conv", {v.name, initializer(g, l.scope + "/depthwise_kernel", depthwise_weights(depthwise))},
                    l.scope);
  set_window_attrs(dn, x, ints(l.config, "kernel_size"), ints(l.config, "strides"), ints(l.config, "dilation_rate"),
                   l.config.at("padding").get<std::string>(), true);
  set_attr(dn, "group", depthwise.dim(2));
  std::vector<std::string> inputs = {dn.output(0),
                                     initializer(g, l.scope + "/pointwise_kernel", conv_weights(l.param("pointwise_kernel")))};
  if (const auto* b = l.find("bias")) inputs.push_back(g.add_initializer(l.scope + "/bias", *b));
  auto& pn = g.node("Conv", inputs, l.scope);
  set_attr(pn, "kernel_shape", std::vector<Index>{1, 1});
  const core::Shape out = l.layer.compute_output_shape(x.shape);
  return activation(g, activation_name(l, "activation"), Value{pn.output(0), out, v.layout}, l.scope);
}

Value conv2d_transpose(GraphBuilder& g, const LayerRef& l, const Value& x) {
  const Value v = channels_first(g, x, l.scope);
  // Keras kernel (kh, kw, filters, in) → ONNX ConvTranspose weights (in, filters, kh, kw).
  std::vector<std::string> inputs = {v.name, initializer(g, l.scope + "/kernel", transpose(l.param("kernel"), {3, 2, 0, 1}))};
  if (const auto* b = l.find("bias")) inputs.push_back(g.add_initializer(l.scope + "/bias", *b));
  auto& n = g.node("ConvTranspose", inputs, l.scope);
  const auto kernel = ints(l.config, "kernel_size"), strides = ints(l.config, "strides"),
             dilation = ints(l.config, "dilation_rate");
  const std::string padding = l.config.at("padding").get<std::string>();
  const Json& op_cfg = l.config.contains("output_padding") ? l.config["output_padding"] : Json(nullptr);
  // Seen as the Conv2D it inverts (engine: conv_transpose_axis), the layer pads that conv's
  // input by pad_before, which ONNX crops from the start of its full output of
  // s·(in − 1) + span; the end is cropped, or extended with zeros by output_padding, to Keras'
  // length. Both differences do not depend on `in`: computed for in = 1.
  std::vector<Index> begin, end, output_padding;
  for (std::size_t a = 0; a < 2; ++a) {
    const Index op = op_cfg.is_array() ? op_cfg[a].get<Index>() : -1;
    const Index span = (kernel[a] - 1) * dilation[a] + 1;
    const auto ax = nn::conv_transpose_axis(1, kernel[a], strides[a], dilation[a], padding, op);
    const Index crop = span - ax.pad_before - ax.in;
    begin.push_back(ax.pad_before);
    end.push_back(std::max<Index>(crop, 0));
    output_padding.push_back(std::max<Index>(-crop, 0));
  }
  set_attr(n, "kernel_shape", kernel);
  set_attr(n, "strides", strides);
  set_attr(n, "dilations", dilation);
  std::vector<Index> pads = begin;
  pads.insert(pads.end(), end.begin(), end.end());
  set_attr(n, "pads", pads);
  if (std::any_of(output_padding.begin(), output_padding.end(), [](Index p) { return p != 0; })) {
    set_attr(n, "output_padding", output_padding);
  }
  const core::Shape out = l.layer.compute_output_shape(x.shape);
  return activation(g, activation_name(l, "activation"), Value{n.output(0), out, v.layout}, l.scope);
}

Value pooling(GraphBuilder& g, const LayerRef& l, const Value& x) {
  const Value v = channels_first(g, x, l.scope);
  const bool max = l.layer.class_name().starts_with("Max");
  auto& n = g.node(max ? "MaxPool" : "AveragePool", {v.name}, l.scope);
  const auto window = ints(l.config, "pool_size");
  // Average pooling divides by the elements inside the input (ONNX's count_include_pad = 0, the
  // default), as Keras does; max pooling never takes a padded value.
  set_window_attrs(n, x, window, ints(l.config, "strides"), std::vector<Index>(window.size(), 1),
                   l.config.at("padding").get<std::string>(), false);
  return Value{n.output(0), l.layer.compute_output_shape(x.shape), v.layout};
}

Value global_pooling(GraphBuilder& g, const LayerRef& l, const Value& x) {
  // A reduction over the spatial axes wherever x stores them: no transpose needed.
  const bool keepdims = l.config.value("keepdims", false);
  std::vector<Index> axes;
  for (int k = 1; k < x.rank() - 1; ++k) axes.push_back(x.axis(k));
  std::sort(axes.begin(), axes.end());
  auto& n = g.node(l.layer.class_name().starts_with("GlobalMax") ? "ReduceMax" : "ReduceMean", {x.name}, l.scope);
  set_attr(n, "axes", axes);
  set_attr(n, "keepdims", Index{keepdims ? 1 : 0});
  std::vector<int> layout = x.layout;
  if (!keepdims) {
    // What remains is the batch axis and the channels, Keras axes 0 and 1 of the output.
    std::vector<int> kept;
    for (int k : x.layout) {
      if (k == 0) kept.push_back(0);
      if (k == x.rank() - 1) kept.push_back(1);
    }
    layout = kept;
  }
  return Value{n.output(0), l.layer.compute_output_shape(x.shape), layout};
}

// [[top, bottom], [left, right]] of ZeroPadding2D / Cropping2D.
std::array<Index, 4> sides(const Json& c, const char* key) {
  const Json& s = c.at(key);
  return {s[0][0].get<Index>(), s[0][1].get<Index>(), s[1][0].get<Index>(), s[1][1].get<Index>()};
}

Value zero_padding2d(GraphBuilder& g, const LayerRef& l, const Value& x) {
  const auto p = sides(l.config, "padding");
  std::vector<Index> begin(4, 0), end(4, 0);
  begin[static_cast<std::size_t>(x.axis(1))] = p[0];
  end[static_cast<std::size_t>(x.axis(1))] = p[1];
  begin[static_cast<std::size_t>(x.axis(2))] = p[2];
  end[static_cast<std::size_t>(x.axis(2))] = p[3];
  begin.insert(begin.end(), end.begin(), end.end());
  return Value{g.op("Pad", {x.name, g.add_int64s(l.scope + "/pads", begin)}, l.scope),
               l.layer.compute_output_shape(x.shape), x.layout};
}

Value cropping2d(GraphBuilder& g, const LayerRef& l, const Value& x) {
  const auto c = sides(l.config, "cropping");
  // A negative end counts from the end, so unknown sizes need nothing more.
  const std::vector<Index> starts = {c[0], c[2]};
  const std::vector<Index> ends = {c[1] > 0 ? -c[1] : kInt64Max, c[3] > 0 ? -c[3] : kInt64Max};
  const std::vector<Index> axes = {x.axis(1), x.axis(2)};
  return Value{g.op("Slice", {x.name, g.add_int64s(l.scope + "/starts", starts), g.add_int64s(l.scope + "/ends", ends),
                              g.add_int64s(l.scope + "/axes", axes)},
                    l.scope),
               l.layer.compute_output_shape(x.shape), x.layout};
}

Value up_sampling2d(GraphBuilder& g, const LayerRef& l, const Value& x) {
  if (l.config.value("interpolation", std::string("nearest")) != "nearest") {
    throw Unsupported("only nearest interpolation has a mapping");
  }
  const auto size = ints(l.config, "size");
  std::vector<float> scales(4, 1.0f);
  scales[static_cast<std::size_t>(x.axis(1))] = static_cast<float>(size[0]);
  scales[static_cast<std::size_t>(x.axis(2))] = static_cast<float>(size[1]);
  // Output pixel o reads input pixel floor(o / size): each pixel repeated, as Keras does.
  auto& n = g.node("Resize", {x.name, "", g.add_initializer(l.scope + "/scales", {4}, scales)}, l.scope);
  set_attr(n, "mode", std::string("nearest"));
  set_attr(n, "coordinate_transformation_mode", std::string("asymmetric"));
  set_attr(n, "nearest_mode", std::string("floor"));
  return Value{n.output(0), l.layer.compute_output_shape(x.shape), x.layout};
}

// ---- recurrent layers ----

// The cell activations ONNX's LSTM/GRU/RNN take without activation_alpha/beta (whose
// consumption order the standard leaves open): Elu's default alpha is 1, as Keras'.
std::string cell_activation(const LayerRef& l, const char* key) {
  const std::string name = activation_name(l, key);
  static const std::vector<std::pair<std::string, std::string>> kMap = {
      {"tanh", "Tanh"}, {"sigmoid", "Sigmoid"}, {"relu", "Relu"}, {"softsign", "Softsign"},
      {"softplus", "Softplus"}, {"elu", "Elu"}};
  for (const auto& [keras, onnx_name] : kMap) {
    if (keras == name) return onnx_name;
  }
  throw Unsupported(fmt::format("{} \"{}\" inside the {} cell (exported there: tanh, sigmoid, relu, elu, softsign, "
                                "softplus)",
                                key, name, l.layer.class_name()));
}

// A Keras gate-block matrix m (rows, gates·units) as ONNX's (gates·units, rows), ONNX's block j
// being Keras' block order[j].
std::vector<float> gate_rows(const core::Tensor& m, Index units, const std::vector<int>& order) {
  const Index rows = m.dim(0), cols = m.dim(1);
  std::vector<float> out(static_cast<std::size_t>(m.size()));
  for (std::size_t j = 0; j < order.size(); ++j) {
    for (Index u = 0; u < units; ++u) {
      const Index dst_row = static_cast<Index>(j) * units + u, src_col = order[j] * units + u;
      for (Index r = 0; r < rows; ++r) out[static_cast<std::size_t>(dst_row * rows + r)] = m[r * cols + src_col];
    }
  }
  return out;
}

std::vector<float> gate_vector(const float* v, Index units, const std::vector<int>& order) {
  std::vector<float> out;
  for (int k : order) out.insert(out.end(), v + k * units, v + (k + 1) * units);
  return out;
}

Value reverse_time(GraphBuilder& g, const Value& x, const std::string& scope) {
  // Slice with step −1 from the last step to the first (INT64_MIN: "before the start").
  return Value{g.op("Slice", {x.name, g.add_int64s(scope + "/starts", {-1}), g.add_int64s(scope + "/ends", {kInt64Min}),
                              g.add_int64s(scope + "/axes", {x.axis(1)}), g.add_int64s(scope + "/steps", {-1})},
                    scope),
               x.shape, x.layout};
}

// One recurrent layer over a time-major input (T, B, F); go_backwards reads the steps from the
// end and returns them in that order, as Keras. Returns (T, B, U) time-major with
// return_sequences, (B, U) otherwise.
Value recurrent_sequence(GraphBuilder& g, const LayerRef& l, const Value& x) {
  const std::string cls = l.layer.class_name();
  const Index units = l.config.at("units").get<Index>();
  const bool sequences = l.config.value("return_sequences", false);
  const Value in = l.config.value("go_backwards", false) ? reverse_time(g, x, l.scope) : x;

  // Keras' gate blocks → ONNX's: LSTM i, f, c, o → i, o, f, c; GRU z, r, h as they are.
  std::vector<int> order = {0};
  std::string op = "RNN";
  std::vector<std::string> activations = {cell_activation(l, "activation")};
  if (cls == "LSTM") {
    order = {0, 3, 1, 2};
    op = "LSTM";
    const std::string g_act = activations[0];
    activations = {cell_activation(l, "recurrent_activation"), g_act, g_act};
  } else if (cls == "GRU") {
    order = {0, 1, 2};
    op = "GRU";
    activations = {cell_activation(l, "recurrent_activation"), activations[0]};
  }
  const Index gates = static_cast<Index>(order.size());
  const core::Tensor& kernel = l.param("kernel");
  const core::Tensor& recurrent = l.param("recurrent_kernel");
  std::vector<std::string> inputs = {
      in.name, g.add_initializer(l.scope + "/W", {1, gates * units, kernel.dim(0)}, gate_rows(kernel, units, order)),
      g.add_initializer(l.scope + "/R", {1, gates * units, units}, gate_rows(recurrent, units, order))};
  bool reset_after = false;
  if (const auto* bias = l.find("bias")) {
    // ONNX's B is [input biases, recurrent biases]; Keras has one bias, except GRU's
    // reset_after (2, 3·units): row 0 the input bias, row 1 the recurrent one.
    std::vector<float> b = gate_vector(bias->data(), units, order);
    if (cls == "GRU" && bias->rank() == 2) {
      reset_after = true;
      const auto rb = gate_vector(bias->data() + gates * units, units, order);
      b.insert(b.end(), rb.begin(), rb.end());
    } else {
      b.resize(static_cast<std::size_t>(2 * gates * units), 0.0f);
    }
    inputs.push_back(g.add_initializer(l.scope + "/B", {1, 2 * gates * units}, b));
  } else if (cls == "GRU") {
    reset_after = l.config.value("reset_after", true);
  }
  auto& n = g.node(op, inputs, l.scope, 2);
  set_attr(n, "hidden_size", units);
  set_attr(n, "activations", activations);
  // Keras' reset_after (its default, as cuDNN) applies the reset gate after the recurrent product.
  if (op == "GRU") set_attr(n, "linear_before_reset", Index{reset_after ? 1 : 0});
  const core::Shape out = l.layer.compute_output_shape(x.shape);
  if (sequences) {
    n.mutable_output()->RemoveLast();  // Y_h unused
    // Y (T, 1, B, U) → (T, B, U)
    return Value{g.op("Squeeze", {n.output(0), g.add_int64s(l.scope + "/axes", {1})}, l.scope), out, time_major_layout()};
  }
  n.set_output(0, "");  // Y unused; Y_h (1, B, U) → (B, U)
  return Value{g.op("Squeeze", {n.output(1), g.add_int64s(l.scope + "/axes", {0})}, l.scope), out, keras_layout(2)};
}

Value recurrent(GraphBuilder& g, const LayerRef& l, const Value& x) {
  return recurrent_sequence(g, l, g.to_layout(x, time_major_layout(), l.scope));
}

Value bidirectional(GraphBuilder& g, const LayerRef& l, const Value& x) {
  const auto& bi = dynamic_cast<const nn::Bidirectional&>(l.layer);
  const Value xt = g.to_layout(x, time_major_layout(), l.scope);
  // The two directions as two layers, each as it would run alone (the backward one with
  // go_backwards); with sequences the backward output is put back in time order.
  const Value yf = recurrent_sequence(g, l.sublayer(bi.forward_layer(), bi.forward_layer().name() + "/"), xt);
  Value yb = recurrent_sequence(g, l.sublayer(bi.backward_layer(), bi.backward_layer().name() + "/"), xt);
  if (bi.forward_layer().return_sequences()) yb = reverse_time(g, yb, l.scope);
  const std::string mode = l.config.at("merge_mode").get<std::string>();
  const core::Shape out = l.layer.compute_output_shape(x.shape);
  if (mode == "concat") {
    auto& n = g.node("Concat", {yf.name, yb.name}, l.scope);
    set_attr(n, "axis", static_cast<Index>(yf.axis(yf.rank() - 1)));
    return Value{n.output(0), out, yf.layout};
  }
  if (mode == "mul") return Value{g.op("Mul", {yf.name, yb.name}, l.scope), out, yf.layout};
  std::string sum = g.op("Add", {yf.name, yb.name}, l.scope);
  if (mode == "ave") sum = g.op("Mul", {sum, g.scalar(0.5f)}, l.scope);
  return Value{sum, out, yf.layout};
}

// ---- TimeDistributed ----

Value time_distributed(GraphBuilder& g, const LayerRef& l, const Value& x) {
  const auto& td = dynamic_cast<const nn::TimeDistributed&>(l.layer);
  const Value v = g.to_layout(x, keras_layout(x.rank()), l.scope);
  // (B, T, rest...) → (B·T, rest...), the wrapped layer, then back to (B, T, out...).
  std::vector<Index> rest(x.shape.dims().begin() + 2, x.shape.dims().end());
  std::vector<Index> merged = {core::kUnknownDim};
  merged.insert(merged.end(), rest.begin(), rest.end());
  if (std::any_of(rest.begin(), rest.end(), [](Index d) { return d == core::kUnknownDim; })) {
    throw Unsupported("a wrapped input with an axis of unknown size after the time axis");
  }
  std::vector<Index> flat = merged;
  flat[0] = -1;
  const Value step{g.op("Reshape", {v.name, g.add_int64s(l.scope + "/shape", flat)}, l.scope), core::Shape(merged),
                   keras_layout(static_cast<int>(merged.size()))};
  Value y;
  try {
    y = export_layer(g, l.sublayer(td.layer(), ""), step);
  } catch (const Unsupported& e) {
    throw Unsupported(fmt::format("the wrapped {} \"{}\": {}", td.layer().class_name(), td.layer().name(), e.what()));
  }
  y = g.to_layout(y, keras_layout(y.rank()), l.scope);
  const core::Shape out = l.layer.compute_output_shape(x.shape);
  std::vector<Index> target = out.dims();
  target[0] = -1;
  std::string shape;
  if (out[1] != core::kUnknownDim) {
    shape = g.add_int64s(l.scope + "/shape", target);
  } else {
    // Sequences of any length: (B, T) read from the input's shape when the graph runs.
    const std::string batch_and_time =
        g.op("Slice", {g.op("Shape", {v.name}, l.scope), g.add_int64s(l.scope + "/starts", {0}),
                       g.add_int64s(l.scope + "/ends", {2})},
             l.scope);
    auto& n = g.node("Concat", {batch_and_time, g.add_int64s(l.scope + "/tail", {target.begin() + 2, target.end()})},
                     l.scope);
    set_attr(n, "axis", Index{0});
    shape = n.output(0);
  }
  return Value{g.op("Reshape", {y.name, shape}, l.scope), out, keras_layout(out.rank())};
}

// ---- the table ----

using Emit = Value (*)(GraphBuilder&, const LayerRef&, const Value&);

// One line per engine layer class: its mapping (docs/onnx.md).
const std::vector<std::pair<std::string, Emit>>& table() {
  static const std::vector<std::pair<std::string, Emit>> t = {
      {"InputLayer", &identity},
      {"Dense", &dense},
      {"Activation", &activation_layer},
      {"Dropout", &identity},  // inference: identity
      {"Flatten", &flatten},
      {"Reshape", &reshape},
      {"BatchNormalization", &batch_normalization},
      {"LayerNormalization", &layer_normalization},
      {"Embedding", &embedding},
      {"Conv1D", &conv},
      {"Conv2D", &conv},
      {"DepthwiseConv2D", &depthwise_conv2d},
      {"SeparableConv2D", &separable_conv2d},
      {"Conv2DTranspose", &conv2d_transpose},
      {"MaxPooling1D", &pooling},
      {"MaxPooling2D", &pooling},
      {"AveragePooling1D", &pooling},
      {"AveragePooling2D", &pooling},
      {"GlobalMaxPooling1D", &global_pooling},
      {"GlobalMaxPooling2D", &global_pooling},
      {"GlobalAveragePooling1D", &global_pooling},
      {"GlobalAveragePooling2D", &global_pooling},
      {"ZeroPadding2D", &zero_padding2d},
      {"Cropping2D", &cropping2d},
      {"UpSampling2D", &up_sampling2d},
      {"SimpleRNN", &recurrent},
      {"LSTM", &recurrent},
      {"GRU", &recurrent},
      {"Bidirectional", &bidirectional},
      {"TimeDistributed", &time_distributed},
  };
  return t;
}

}  // namespace

Value export_layer(GraphBuilder& g, const LayerRef& layer, const Value& x) {
  const std::string cls = layer.layer.class_name();
  for (const auto& [name, emit] : table()) {
    if (name == cls) return emit(g, layer, x);
  }
  throw Unsupported("the exporter has no mapping for " + cls);
}

std::vector<std::string> exportable_layer_classes() {
  std::vector<std::string> names;
  for (const auto& [name, emit] : table()) names.push_back(name);
  return names;
}

}  // namespace fitcheck::run::onnx_detail
