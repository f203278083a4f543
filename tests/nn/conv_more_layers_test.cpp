// DepthwiseConv2D, SeparableConv2D and Conv2DTranspose beyond their gradients
// (layer_gradient_test.cpp) and PyTorch parity: Keras' output shapes and parameter counts, the
// output channel order, forward values worked out by hand, refused configs, and the round trip
// through Keras' config.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <span>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/layers/conv2d_transpose.hpp"
#include "fitcheck/nn/layers/depthwise_conv2d.hpp"
#include "fitcheck/nn/layers/registry.hpp"
#include "layer_test_support.hpp"
#include "fitcheck/nn/layers/separable_conv2d.hpp"

namespace fitcheck::nn {
namespace {

using core::kUnknownDim;
using core::Shape;
using core::Tensor;
using ::testing::HasSubstr;

using test_support::config_error;
using test_support::N;

Shape built(Layer& layer, const Shape& input) {
  core::Rng rng(1);
  return layer.build(input, rng);
}

TEST(DepthwiseSeparable, ShapesAndParameterCountsAreKeras) {
  DepthwiseConv2D d({.kernel_size = {3, 3}, .depth_multiplier = 2});
  EXPECT_EQ(built(d, Shape{N, 8, 8, 3}), (Shape{N, 6, 6, 6}));
  EXPECT_EQ(d.count_params(), 3 * 3 * 3 * 2 + 6);
  EXPECT_EQ(d.parameters()[0].value.shape(), (Shape{3, 3, 3, 2}));
  // Keras 3's weight names (what a .weights.h5 holds): DepthwiseConv2D's kernel is "kernel",
  // SeparableConv2D's are depthwise_kernel, pointwise_kernel, bias.
  EXPECT_EQ(d.parameters()[0].name, "kernel");
  DepthwiseConv2D same({.kernel_size = {3, 3}, .strides = {2, 2}, .padding = "same", .use_bias = false});
  EXPECT_EQ(built(same, Shape{N, 7, 8, 4}), (Shape{N, 4, 4, 4}));
  EXPECT_EQ(same.count_params(), 36);
  SeparableConv2D s({.filters = 16, .kernel_size = {3, 3}});
  EXPECT_EQ(built(s, Shape{N, 32, 32, 8}), (Shape{N, 30, 30, 16}));
  EXPECT_EQ(s.count_params(), 3 * 3 * 8 + 8 * 16 + 16);
  EXPECT_EQ(s.parameters()[1].value.shape(), (Shape{1, 1, 8, 16}));
  EXPECT_EQ(s.parameters()[0].name, "depthwise_kernel");
  EXPECT_EQ(s.parameters()[1].name, "pointwise_kernel");
  SeparableConv2D s2({.filters = 4, .kernel_size = {2, 2}, .padding = "same", .depth_multiplier = 3});
  EXPECT_EQ(built(s2, Shape{N, 5, 5, 2}), (Shape{N, 5, 5, 4}));
  EXPECT_EQ(s2.count_params(), 2 * 2 * 2 * 3 + 6 * 4 + 4);
}

TEST(DepthwiseSeparable, OutputChannelIsChannelTimesMultiplierPlusIndex) {
  // A 1×1 depthwise kernel: output channel c·m + j is x_c · kernel[0, 0, c, j], TF's order.
  DepthwiseConv2D d({.kernel_size = {1, 1}, .depth_multiplier = 2, .use_bias = false});
  built(d, Shape{N, 1, 1, 2});
  d.parameters()[0].value = Tensor(Shape{1, 1, 2, 2}, std::vector<float>{1.0f, 10.0f, 100.0f, 1000.0f});
  Tensor x(Shape{1, 1, 1, 2}, std::vector<float>{1.0f, 2.0f});
  Tensor y;
  d.forward(x, y, ForwardContext{});
  EXPECT_EQ(y.values()[0], 1.0f);
  EXPECT_EQ(y.values()[1], 10.0f);
  EXPECT_EQ(y.values()[2], 200.0f);
  EXPECT_EQ(y.values()[3], 2000.0f);
  // SeparableConv2D applies its bias once, after the pointwise step.
  SeparableConv2D s({.filters = 1, .kernel_size = {1, 1}, .bias_initializer = "ones"});
  built(s, Shape{N, 1, 1, 2});
  s.parameters()[0].value = Tensor(Shape{1, 1, 2, 1}, std::vector<float>{2.0f, 3.0f});
  s.parameters()[1].value = Tensor(Shape{1, 1, 2, 1}, std::vector<float>{5.0f, 7.0f});
  s.forward(x, y, ForwardContext{});
  EXPECT_EQ(y.values()[0], 1.0f * 2.0f * 5.0f + 2.0f * 3.0f * 7.0f + 1.0f);
}

TEST(ConvTranspose, OutputLengthsFollowKeras) {
  // (input, kernel, stride, padding, output_padding or -1) → Keras' output length.
  // Dilation d makes the kernel span (k − 1)·d + 1 in Keras' rule.
  struct Row {
    std::int64_t in, k, s, d;
    const char* padding;
    std::int64_t op, out;
  };
  for (const Row r : {Row{7, 3, 2, 1, "valid", -1, 15}, Row{7, 3, 2, 1, "same", -1, 14}, Row{5, 2, 3, 1, "valid", -1, 15},
                      Row{5, 4, 1, 1, "valid", -1, 8}, Row{5, 4, 1, 1, "same", -1, 5}, Row{7, 3, 2, 1, "same", 1, 14},
                      Row{7, 3, 2, 1, "same", 0, 13}, Row{4, 4, 2, 1, "same", 1, 7}, Row{4, 3, 3, 1, "valid", 2, 14},
                      Row{5, 3, 1, 2, "valid", -1, 9}, Row{5, 3, 2, 2, "valid", -1, 13}, Row{5, 3, 1, 3, "same", -1, 5},
                      Row{5, 2, 2, 2, "same", 1, 10}}) {
    EXPECT_EQ(conv_transpose_axis(r.in, r.k, r.s, r.d, r.padding, r.op).in, r.out)
        << r.in << " " << r.k << " " << r.s << " " << r.d << " " << r.padding << " " << r.op;
  }
  Conv2DTranspose t({.filters = 16, .kernel_size = {3, 3}, .strides = {2, 2}, .padding = "same"});
  EXPECT_EQ(built(t, Shape{N, 7, N, 32}), (Shape{N, 14, N, 16}));
  EXPECT_EQ(t.count_params(), 3 * 3 * 16 * 32 + 16);
  EXPECT_EQ(t.parameters()[0].value.shape(), (Shape{3, 3, 16, 32}));  // (kh, kw, filters, in)
}

TEST(ConvTranspose, ScattersTheKernelAtEachStride) {
  // Width 2 input [1, 10], kernel 1×3 [1, 2, 3], stride 2: valid gives [1, 2, 3 + 10, 20, 30];
  // same keeps Keras' 4 = 2·2 outputs starting at 0 (TF pads the inverted conv by 0 before).
  for (const char* padding : {"valid", "same"}) {
    Conv2DTranspose t({.filters = 1, .kernel_size = {1, 3}, .strides = {1, 2}, .padding = padding, .use_bias = false});
    built(t, Shape{N, 1, 2, 1});
    t.parameters()[0].value = Tensor(Shape{1, 3, 1, 1}, std::vector<float>{1.0f, 2.0f, 3.0f});
    Tensor x(Shape{1, 1, 2, 1}, std::vector<float>{1.0f, 10.0f});
    Tensor y;
    t.forward(x, y, ForwardContext{});
    const std::vector<float> want = std::string(padding) == "valid" ? std::vector<float>{1, 2, 13, 20, 30}
                                                                    : std::vector<float>{1, 2, 13, 20};
    EXPECT_EQ(std::vector<float>(y.values().begin(), y.values().end()), want) << padding;
  }
}

TEST(ConvMoreConfig, UnsupportedOrInvalidOptionsAreRefusedByKey) {
  const Json t = {{"class_name", "Conv2DTranspose"},
                  {"config", {{"name", "up"}, {"filters", 4}, {"kernel_size", 3}, {"strides", 2}}}};
  Json op = t;
  op["config"]["output_padding"] = {1, 2};
  EXPECT_THAT(config_error(op), HasSubstr("output_padding: each output_padding must be at least 0 and smaller than the stride"));
  Json cf = t;
  cf["config"]["data_format"] = "channels_first";
  EXPECT_THAT(config_error(cf), HasSubstr("only channels_last"));
  const Json d = {{"class_name", "DepthwiseConv2D"}, {"config", {{"kernel_size", 3}, {"depth_multiplier", 0}}}};
  EXPECT_THAT(config_error(d), HasSubstr("depth_multiplier must be positive"));
  const Json s = {{"class_name", "SeparableConv2D"}, {"config", {{"filters", 4}, {"kernel_size", 3}, {"padding", "causal"}}}};
  EXPECT_THAT(config_error(s), HasSubstr("unknown padding"));
}

TEST(ConvMoreConfig, RoundTripsThroughKerasConfig) {
  std::vector<std::unique_ptr<Layer>> layers;
  layers.push_back(std::make_unique<DepthwiseConv2D>(DepthwiseConvOptions{
      .kernel_size = {3, 2}, .strides = {2, 1}, .padding = "same", .depth_multiplier = 2, .activation = "relu",
      .use_bias = false, .depthwise_initializer = "he_normal", .name = "dw"}));
  layers.push_back(std::make_unique<SeparableConv2D>(SeparableConvOptions{
      .filters = 5, .kernel_size = {3, 3}, .depth_multiplier = 3, .dilation_rate = {2, 2}, .activation = "tanh",
      .pointwise_initializer = "he_uniform", .name = "sep"}));
  layers.push_back(std::make_unique<Conv2DTranspose>(
      ConvTransposeOptions{.filters = 4, .kernel_size = {4, 4}, .strides = {2, 2}, .padding = "same", .name = "up"}));
  layers.push_back(std::make_unique<Conv2DTranspose>(
      ConvTransposeOptions{.filters = 2, .kernel_size = {3, 3}, .strides = {3, 2}, .output_padding = {2, 1}}));
  for (const auto& layer : layers) {
    const Json spec = layer_to_config(*layer);
    const auto again = layer_from_config(spec);
    EXPECT_EQ(again->class_name(), layer->class_name());
    EXPECT_EQ(layer_to_config(*again), spec) << spec.dump();
  }
  EXPECT_EQ(layer_to_config(*layers[0])["config"]["depth_multiplier"], 2);
  EXPECT_TRUE(layer_to_config(*layers[2])["config"]["output_padding"].is_null());
  EXPECT_EQ(layer_to_config(*layers[3])["config"]["output_padding"], Json({2, 1}));
  // Keras 3's to_json form, output_padding an int.
  const auto k = layer_from_config(Json::parse(R"({"class_name": "Conv2DTranspose", "config": {"name": "ct",
      "filters": 3, "kernel_size": [3, 3], "strides": [2, 2], "padding": "valid", "output_padding": 1,
      "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu", "use_bias": true,
      "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}},
      "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}}}})"));
  EXPECT_EQ(built(*k, Shape{N, 4, 5, 2}), (Shape{N, 10, 12, 3}));
}

// Batches whose column matrix exceeds the 32 MB budget are processed in slices of samples (here
// 3 + 1): outputs and gradients must equal those of each sample on its own, and the batch's
// weight gradients the sum over samples.
void expect_slices_match_samples(Layer& layer, const Shape& shape) {
  core::Rng data_rng(3), rng(1);
  Shape open = shape;
  open[0] = N;
  layer.build(open, rng);
  Tensor x(shape), y, dx;
  for (auto& v : x.values()) v = static_cast<float>(data_rng.uniform(-1.0, 1.0));
  layer.forward(x, y, ForwardContext{});
  Tensor r(y.shape());
  for (auto& v : r.values()) v = static_cast<float>(data_rng.uniform(-1.0, 1.0));
  layer.backward(x, y, r, &dx);
  std::vector<Tensor> batch_grads, summed;
  for (const auto& p : layer.parameters()) {
    batch_grads.push_back(p.grad);
    summed.emplace_back(p.grad.shape());
  }
  const std::int64_t n = shape[0], in_per = x.size() / n, out_per = y.size() / n;
  Shape one_in = shape, one_out = y.shape();
  one_in[0] = one_out[0] = 1;
  double worst_y = 0, worst_dx = 0;
  for (std::int64_t s = 0; s < n; ++s) {
    Tensor xs(one_in, std::span<const float>(x.data() + s * in_per, static_cast<std::size_t>(in_per)));
    Tensor rs(one_out, std::span<const float>(r.data() + s * out_per, static_cast<std::size_t>(out_per)));
    Tensor ys, dxs;
    layer.forward(xs, ys, ForwardContext{});
    layer.backward(xs, ys, rs, &dxs);
    for (std::int64_t i = 0; i < out_per; ++i) worst_y = std::max(worst_y, double(std::fabs(ys[i] - y[s * out_per + i])));
    for (std::int64_t i = 0; i < in_per; ++i) worst_dx = std::max(worst_dx, double(std::fabs(dxs[i] - dx[s * in_per + i])));
    for (std::size_t k = 0; k < summed.size(); ++k) {
      for (std::int64_t i = 0; i < summed[k].size(); ++i) summed[k][i] += layer.parameters()[k].grad[i];
    }
  }
  EXPECT_LT(worst_y, 1e-5) << layer.class_name();
  EXPECT_LT(worst_dx, 1e-5) << layer.class_name();
  for (std::size_t k = 0; k < summed.size(); ++k) {
    for (std::int64_t i = 0; i < summed[k].size(); ++i) {
      ASSERT_NEAR(batch_grads[k][i], summed[k][i], 1e-3 + 1e-4 * std::fabs(summed[k][i]))
          << layer.class_name() << " " << layer.parameters()[k].name << "[" << i << "]";
    }
  }
}

TEST(ConvMoreChunks, ABatchSplitIntoSlicesMatchesSampleBySample) {
  // 64×64 pixels · 9 taps · 64 channels = 2.4 M floats per sample: 3 samples per slice.
  DepthwiseConv2D d({.kernel_size = {3, 3}, .padding = "same", .activation = "tanh"});
  expect_slices_match_samples(d, Shape{4, 64, 64, 64});
  SeparableConv2D s({.filters = 3, .kernel_size = {3, 3}, .padding = "same"});
  expect_slices_match_samples(s, Shape{4, 64, 64, 64});
  // 64×64 input pixels · 9 taps · 64 filters per sample.
  Conv2DTranspose t({.filters = 64, .kernel_size = {3, 3}, .strides = {2, 2}, .padding = "same"});
  expect_slices_match_samples(t, Shape{4, 64, 64, 2});
}

}  // namespace
}  // namespace fitcheck::nn
