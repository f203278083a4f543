// Conv1D/2D and the pooling layers beyond their gradients (layer_gradient_test.cpp): Keras'
// output shapes and parameter counts, the errors a user sees for a wrong input or config, the
// round trip through Keras' config, and forward values worked out by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <span>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/layers/conv.hpp"
#include "fitcheck/nn/layers/cropping2d.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/flatten.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/pooling.hpp"
#include "fitcheck/nn/layers/registry.hpp"
#include "layer_test_support.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "fitcheck/nn/layers/up_sampling2d.hpp"
#include "fitcheck/nn/layers/zero_padding2d.hpp"

namespace fitcheck::nn {
namespace {

using core::kUnknownDim;
using core::Shape;
using core::Tensor;
using ::testing::HasSubstr;

using test_support::config_error;
using test_support::N;

std::string shape_error(Layer& layer, const Shape& input) {
  try {
    (void)layer.compute_output_shape(input);
  } catch (const core::ShapeError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ConvShapes, FollowKerasOutputLengths) {
  // valid: floor((L - span) / s) + 1; same: ceil(L / s); dilation widens the span.
  EXPECT_EQ(Conv2D({.filters = 8, .kernel_size = {3, 3}}).compute_output_shape(Shape{N, 28, 28, 1}),
            (Shape{N, 26, 26, 8}));
  EXPECT_EQ(Conv2D({.filters = 4, .kernel_size = {3, 3}, .strides = {2, 2}, .padding = "same"})
                .compute_output_shape(Shape{N, 7, 8, 3}),
            (Shape{N, 4, 4, 4}));
  EXPECT_EQ(Conv2D({.filters = 4, .kernel_size = {3, 2}, .strides = {2, 1}}).compute_output_shape(Shape{N, 8, 5, 3}),
            (Shape{N, 3, 4, 4}));
  EXPECT_EQ(Conv2D({.filters = 2, .kernel_size = {3, 3}, .dilation_rate = {2, 2}}).compute_output_shape(Shape{N, 9, 7, 1}),
            (Shape{N, 5, 3, 2}));
  EXPECT_EQ(Conv2D({.filters = 2, .kernel_size = {3}}).compute_output_shape(Shape{N, N, 10, 1}), (Shape{N, N, 8, 2}));
  EXPECT_EQ(Conv1D({.filters = 5, .kernel_size = {4}, .padding = "causal", .dilation_rate = {2}})
                .compute_output_shape(Shape{N, 20, 3}),
            (Shape{N, 20, 5}));
  EXPECT_EQ(MaxPooling2D().compute_output_shape(Shape{N, 27, 26, 32}), (Shape{N, 13, 13, 32}));
  EXPECT_EQ(MaxPooling2D({.padding = "same"}).compute_output_shape(Shape{N, 27, 26, 32}), (Shape{N, 14, 13, 32}));
  EXPECT_EQ(AveragePooling2D({.pool_size = {3, 3}, .strides = {1, 1}}).compute_output_shape(Shape{N, 5, 5, 2}),
            (Shape{N, 3, 3, 2}));
  EXPECT_EQ(MaxPooling1D().compute_output_shape(Shape{N, 9, 4}), (Shape{N, 4, 4}));
  EXPECT_EQ(GlobalAveragePooling2D().compute_output_shape(Shape{N, 5, 5, 7}), (Shape{N, 7}));
  EXPECT_EQ(GlobalMaxPooling2D("g", true).compute_output_shape(Shape{N, 5, 5, 7}), (Shape{N, 1, 1, 7}));
  EXPECT_EQ(GlobalMaxPooling1D().compute_output_shape(Shape{N, 5, 7}), (Shape{N, 7}));
}

TEST(ConvShapes, ParameterCountsAreKeras) {
  Sequential m("cnn", 1);
  m.add(InputLayer(Shape{28, 28, 1}));
  m.add(Conv2D({.filters = 32, .kernel_size = {3, 3}, .activation = "relu"}));
  m.add(MaxPooling2D());
  m.add(Conv2D({.filters = 64, .kernel_size = {3, 3}, .use_bias = false}));
  m.add(GlobalAveragePooling2D());
  m.add(Dense({.units = 10}));
  m.build(Shape{N, 28, 28, 1});
  // layers[0] is the InputLayer.
  EXPECT_EQ(m.layer(1).count_params(), 3 * 3 * 1 * 32 + 32);
  EXPECT_EQ(m.layer(3).count_params(), 3 * 3 * 32 * 64);
  EXPECT_EQ(m.layer(2).count_params(), 0);
  EXPECT_EQ(m.count_params(), 320 + 18432 + 650);
  EXPECT_EQ(m.layer(1).parameters()[0].value.shape(), (Shape{3, 3, 1, 32}));  // Keras (kh, kw, in, out)
  EXPECT_EQ(m.layer(1).name(), "conv2d");
  EXPECT_EQ(m.layer(2).name(), "max_pooling2d");
  EXPECT_EQ(m.layer(3).name(), "conv2d_1");
  EXPECT_THAT(m.summary(), HasSubstr("(None, 13, 13, 32)"));
}

TEST(ConvErrors, AnImageWithoutChannelAxisIsRefusedWithTheFix) {
  Conv2D conv({.filters = 4, .kernel_size = {3, 3}});
  const std::string msg = shape_error(conv, Shape{N, 28, 28});
  EXPECT_THAT(msg, HasSubstr("Conv2D \"conv2d\""));
  EXPECT_THAT(msg, HasSubstr("rank 4: (batch, height, width, channels)"));
  EXPECT_THAT(msg, HasSubstr("(None, 28, 28)"));
  EXPECT_THAT(msg, HasSubstr("Add a channel axis"));
  EXPECT_THAT(msg, HasSubstr("(None, 28, 28, 1)"));
}

TEST(ConvErrors, FlatVectorsAreRecognisedAsImages) {
  Conv2D conv({.filters = 4, .kernel_size = {3, 3}});
  EXPECT_THAT(shape_error(conv, Shape{N, 784}), HasSubstr("Reshape((28, 28, 1))"));
  MaxPooling2D pool;
  EXPECT_THAT(shape_error(pool, Shape{N, 64}), HasSubstr("8×8 images"));
  Conv1D conv1({.filters = 4, .kernel_size = {3}});
  EXPECT_THAT(shape_error(conv1, Shape{N, 50}), HasSubstr("(None, 50, 1)"));
  GlobalAveragePooling1D gap;
  EXPECT_THAT(shape_error(gap, Shape{N, 8, 8, 3}), HasSubstr("Reshape((8, 24))"));
}

TEST(ConvErrors, AWindowLargerThanTheInputNamesTheAxis) {
  Conv2D conv({.filters = 4, .kernel_size = {5, 3}});
  const std::string msg = shape_error(conv, Shape{N, 4, 10, 1});
  EXPECT_THAT(msg, HasSubstr("axis 1: the window spans 5 but the input has 4"));
  EXPECT_THAT(msg, HasSubstr("padding=\"same\""));
  Conv2D dilated({.filters = 4, .kernel_size = {3, 3}, .dilation_rate = {1, 3}});
  EXPECT_THAT(shape_error(dilated, Shape{N, 4, 6, 1}), HasSubstr("axis 2: the window spans 7"));
  EXPECT_EQ(Conv2D({.filters = 4, .kernel_size = {5, 3}, .padding = "same"}).compute_output_shape(Shape{N, 4, 10, 1}),
            (Shape{N, 4, 10, 4}));
}

TEST(ConvErrors, DataTooSmallForAnOpenSpatialSizeIsAShapeError) {
  // Built for images of any size: the size is only known when the data arrives.
  Conv2D conv({.filters = 2, .kernel_size = {3, 3}});
  core::Rng rng(1);
  conv.build(Shape{N, N, N, 1}, rng);
  Tensor x(Shape{1, 2, 5, 1}), y;
  try {
    conv.forward(x, y, ForwardContext{});
    ADD_FAILURE() << "no error";
  } catch (const core::ShapeError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("axis 1: the window spans 3 but the input has 2"));
  }
  MaxPooling1D pool({.pool_size = {4}});
  pool.build(Shape{N, N, 3}, rng);
  EXPECT_THROW(pool.forward(Tensor(Shape{2, 3, 3}), y, ForwardContext{}), core::ShapeError);
}

TEST(ConvErrors, ChannelsMustMatchTheBuiltKernel) {
  Conv2D conv({.filters = 4, .kernel_size = {3, 3}});
  core::Rng rng(1);
  conv.build(Shape{N, 8, 8, 3}, rng);
  EXPECT_THAT(shape_error(conv, Shape{N, 8, 8, 1}), HasSubstr("built for 3 input channels"));
  EXPECT_THAT(shape_error(conv, Shape{N, 8, 8, kUnknownDim}), HasSubstr("known channel axis"));
}

TEST(ConvErrors, BadConfigsAreRefusedByKey) {
  const Json base = {{"class_name", "Conv2D"}, {"config", {{"name", "c"}, {"filters", 8}, {"kernel_size", {3, 3}}}}};
  Json cf = base;
  cf["config"]["data_format"] = "channels_first";
  EXPECT_THAT(config_error(cf), HasSubstr("data_format: only channels_last is supported"));
  EXPECT_THAT(config_error(cf), HasSubstr("np.moveaxis"));
  Json pad = base;
  pad["config"]["padding"] = "full";
  EXPECT_THAT(config_error(pad), HasSubstr("padding: unknown padding"));
  Json causal = base;
  causal["config"]["padding"] = "causal";  // Conv1D only
  EXPECT_THAT(config_error(causal), HasSubstr("unknown padding"));
  Json k = base;
  k["config"]["kernel_size"] = {3, 3, 3};
  EXPECT_THAT(config_error(k), HasSubstr("kernel_size: wrong number of values"));
  Json zero = base;
  zero["config"]["strides"] = 0;
  EXPECT_THAT(config_error(zero), HasSubstr("strides: every value must be positive"));
  Json f = base;
  f["config"]["filters"] = 0;
  EXPECT_THAT(config_error(f), HasSubstr("filters must be positive"));
  Json g = base;
  g["config"]["groups"] = 2;
  EXPECT_THAT(config_error(g), HasSubstr("grouped convolutions are not supported"));
  Json strided_dilated = base;
  strided_dilated["config"]["strides"] = {2, 1};
  strided_dilated["config"]["dilation_rate"] = 2;
  EXPECT_THAT(config_error(strided_dilated), HasSubstr("strides > 1 cannot be combined with dilation_rate > 1"));
  Json separable = strided_dilated;
  separable["class_name"] = "SeparableConv2D";
  EXPECT_THAT(config_error(separable), HasSubstr("strides > 1 cannot be combined"));
  const Json pool = {{"class_name", "MaxPooling2D"}, {"config", {{"data_format", "channels_first"}}}};
  EXPECT_THAT(config_error(pool), HasSubstr("only channels_last"));
}

TEST(ConvConfig, RoundTripsThroughKerasConfig) {
  std::vector<std::unique_ptr<Layer>> layers;
  layers.push_back(std::make_unique<Conv2D>(ConvOptions{.filters = 6, .kernel_size = {3, 2}, .strides = {2, 1},
                                                        .padding = "same", .dilation_rate = {1, 1},
                                                        .activation = "relu", .use_bias = false,
                                                        .kernel_initializer = "he_normal", .name = "c2"}));
  layers.push_back(std::make_unique<Conv1D>(ConvOptions{.filters = 3, .kernel_size = {5}, .padding = "causal",
                                                        .dilation_rate = {2}, .name = "c1"}));
  layers.push_back(std::make_unique<MaxPooling2D>(PoolingOptions{.pool_size = {3, 3}, .strides = {2, 2}, .name = "p"}));
  layers.push_back(std::make_unique<AveragePooling1D>(PoolingOptions{.pool_size = {4}, .padding = "same"}));
  layers.push_back(std::make_unique<GlobalMaxPooling2D>("gmp", true));
  layers.push_back(std::make_unique<GlobalAveragePooling1D>());
  for (const auto& layer : layers) {
    const Json spec = layer_to_config(*layer);
    const auto again = layer_from_config(spec);
    EXPECT_EQ(again->class_name(), layer->class_name());
    EXPECT_EQ(layer_to_config(*again), spec) << spec.dump();
  }
  const Json c = layer_to_config(*layers[0])["config"];
  EXPECT_EQ(c["kernel_size"], Json({3, 2}));
  EXPECT_EQ(c["strides"], Json({2, 1}));
  EXPECT_EQ(c["padding"], "same");
  EXPECT_EQ(c["data_format"], "channels_last");
  const Json p = layer_to_config(*layers[2])["config"];
  EXPECT_EQ(p["pool_size"], Json({3, 3}));
  EXPECT_EQ(layer_to_config(*layers[3])["config"]["strides"], Json({4}));  // strides default to pool_size
}

TEST(ConvConfig, KerasModelJsonBuildsAndLoadsKerasLayoutWeights) {
  // The form model.to_json() writes (Keras 3), ints and lists mixed as users write them.
  const Json model = Json::parse(R"({"class_name": "Sequential", "config": {"name": "cnn", "layers": [
    {"class_name": "InputLayer", "config": {"batch_shape": [null, 6, 6, 2], "name": "input"}},
    {"class_name": "Conv2D", "config": {"name": "conv2d", "filters": 3, "kernel_size": [2, 2], "strides": 1,
      "padding": "valid", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
      "activation": "linear", "use_bias": true}},
    {"class_name": "MaxPooling2D", "config": {"name": "pool", "pool_size": 2, "strides": null, "padding": "valid"}},
    {"class_name": "Flatten", "config": {"name": "flatten"}},
    {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}})");
  Sequential m = Sequential::from_config(model);
  ASSERT_TRUE(m.built());
  EXPECT_EQ(m.count_params(), 2 * 2 * 2 * 3 + 3 + (2 * 2 * 3) * 2 + 2);
  // A kernel in Keras' (kh, kw, in, out) layout: output channel o sums input channel o % 2 over the window.
  auto weights = m.get_weights();
  ASSERT_EQ(weights[0].shape(), (Shape{2, 2, 2, 3}));
  weights[0].fill(0.0f);
  for (int kh = 0; kh < 2; ++kh)
    for (int kw = 0; kw < 2; ++kw)
      for (int o = 0; o < 3; ++o) weights[0][((kh * 2 + kw) * 2 + o % 2) * 3 + o] = 1.0f;
  weights[1] = Tensor(Shape{3}, std::vector<float>{0.0f, 0.0f, 0.5f});
  m.set_weights(weights);
  Tensor x(Shape{1, 6, 6, 2});
  for (std::int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 2 == 0 ? i / 2 : -(i / 2));
  Tensor y;
  m.layer(1).forward(x, y, ForwardContext{});  // layers[0] is the InputLayer
  ASSERT_EQ(y.shape(), (Shape{1, 5, 5, 3}));
  // Pixel (r, c) of channel 0 is 6r + c; the 2×2 window at (0, 0) sums 0 + 1 + 6 + 7 = 14.
  EXPECT_FLOAT_EQ(y[0], 14.0f);
  EXPECT_FLOAT_EQ(y[1], -14.0f);
  EXPECT_FLOAT_EQ(y[2], 14.5f);
  EXPECT_FLOAT_EQ(y[(1 * 5 + 2) * 3], 4.0f * (6 * 1 + 2) + 14.0f);
}

// A batch whose column matrix exceeds the 32 MB budget is processed in slices of samples (here
// 3 + 1): outputs and gradients must equal those of each sample on its own.
TEST(ConvChunks, ABatchSplitIntoSlicesMatchesSampleBySample) {
  const Shape shape{4, 160, 160, 12};
  core::Rng data_rng(3);
  Tensor x(shape), r;
  for (auto& v : x.values()) v = static_cast<float>(data_rng.uniform(-1.0, 1.0));
  Conv2D conv({.filters = 2, .kernel_size = {3, 3}, .padding = "same", .activation = "tanh"});
  core::Rng rng(1);
  conv.build(Shape{N, 160, 160, 12}, rng);
  Tensor y, dx;
  conv.forward(x, y, ForwardContext{});
  r = Tensor(y.shape());
  for (auto& v : r.values()) v = static_cast<float>(data_rng.uniform(-1.0, 1.0));
  conv.backward(x, y, r, &dx);
  const Tensor dkernel = conv.parameters()[0].grad, dbias = conv.parameters()[1].grad;

  const std::int64_t in_per = x.size() / 4, out_per = y.size() / 4;
  Tensor dkernel_sum(dkernel.shape()), dbias_sum(dbias.shape());
  double worst_y = 0, worst_dx = 0;
  for (std::int64_t s = 0; s < 4; ++s) {
    Tensor xs(Shape{1, 160, 160, 12}, std::span<const float>(x.data() + s * in_per, static_cast<std::size_t>(in_per)));
    Tensor rs(Shape{1, 160, 160, 2}, std::span<const float>(r.data() + s * out_per, static_cast<std::size_t>(out_per)));
    Tensor ys, dxs;
    conv.forward(xs, ys, ForwardContext{});
    conv.backward(xs, ys, rs, &dxs);
    for (std::int64_t i = 0; i < out_per; ++i) worst_y = std::max(worst_y, double(std::fabs(ys[i] - y[s * out_per + i])));
    for (std::int64_t i = 0; i < in_per; ++i) worst_dx = std::max(worst_dx, double(std::fabs(dxs[i] - dx[s * in_per + i])));
    for (std::int64_t i = 0; i < dkernel.size(); ++i) dkernel_sum[i] += conv.parameters()[0].grad[i];
    for (std::int64_t i = 0; i < dbias.size(); ++i) dbias_sum[i] += conv.parameters()[1].grad[i];
  }
  EXPECT_LT(worst_y, 1e-5);
  EXPECT_LT(worst_dx, 1e-5);
  for (std::int64_t i = 0; i < dkernel.size(); ++i) EXPECT_NEAR(dkernel[i], dkernel_sum[i], 1e-3 + 1e-4 * std::fabs(dkernel_sum[i])) << i;
  for (std::int64_t i = 0; i < dbias.size(); ++i) EXPECT_NEAR(dbias[i], dbias_sum[i], 1e-3 + 1e-4 * std::fabs(dbias_sum[i])) << i;
}

TEST(Pooling, SamePaddingAveragesOnlyTheElementsInside) {
  // 3×3 input, pool 2 same: the last row/column windows hold 2 or 1 elements (Keras pads after).
  Tensor x(Shape{1, 3, 3, 1}, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor y;
  AveragePooling2D avg({.padding = "same"});
  avg.forward(x, y, ForwardContext{});
  ASSERT_EQ(y.shape(), (Shape{1, 2, 2, 1}));
  EXPECT_FLOAT_EQ(y[0], 3.0f);   // (1 + 2 + 4 + 5) / 4
  EXPECT_FLOAT_EQ(y[1], 4.5f);   // (3 + 6) / 2
  EXPECT_FLOAT_EQ(y[2], 7.5f);   // (7 + 8) / 2
  EXPECT_FLOAT_EQ(y[3], 9.0f);   // 9 / 1
  MaxPooling2D maxp({.padding = "same"});
  Tensor neg(Shape{1, 3, 3, 1}, std::vector<float>{-9, -8, -7, -6, -5, -4, -3, -2, -1});
  maxp.forward(neg, y, ForwardContext{});
  EXPECT_EQ(y.values()[3], -1.0f);  // padding is not a zero that wins over negatives
  EXPECT_EQ(y.values()[0], -5.0f);
}

TEST(SpatialResize, ShapesConfigsAndErrors) {
  EXPECT_EQ(ZeroPadding2D().compute_output_shape(Shape{N, 28, 28, 1}), (Shape{N, 30, 30, 1}));
  EXPECT_EQ(Cropping2D({1, 2, 0, 3}).compute_output_shape(Shape{N, 8, 8, 3}), (Shape{N, 5, 5, 3}));
  EXPECT_EQ(UpSampling2D({2, 3}).compute_output_shape(Shape{N, 4, N, 3}), (Shape{N, 8, N, 3}));
  Cropping2D too_much({4, 4, 0, 0});
  EXPECT_THAT(shape_error(too_much, Shape{N, 8, 8, 1}), HasSubstr("axis 1: cropping 8 of 8"));
  ZeroPadding2D pad;
  EXPECT_THAT(shape_error(pad, Shape{N, 8, 8}), HasSubstr("Add a channel axis"));
  // Keras' three spellings of the amounts.
  for (const auto& [given, sides] : std::vector<std::pair<Json, Json>>{
           {2, Json::parse("[[2, 2], [2, 2]]")},
           {Json::parse("[1, 3]"), Json::parse("[[1, 1], [3, 3]]")},
           {Json::parse("[[0, 1], [2, 3]]"), Json::parse("[[0, 1], [2, 3]]")}}) {
    const auto layer = layer_from_config({{"class_name", "ZeroPadding2D"}, {"config", {{"padding", given}}}});
    EXPECT_EQ(layer_to_config(*layer)["config"]["padding"], sides) << given.dump();
    const auto crop = layer_from_config({{"class_name", "Cropping2D"}, {"config", {{"cropping", given}}}});
    EXPECT_EQ(layer_to_config(*crop)["config"]["cropping"], sides) << given.dump();
  }
  for (const auto& layer : std::vector<std::shared_ptr<Layer>>{std::make_shared<ZeroPadding2D>(std::vector<std::int64_t>{0, 1, 2, 3}),
                                                               std::make_shared<Cropping2D>(std::vector<std::int64_t>{1, 1, 0, 2}),
                                                               std::make_shared<UpSampling2D>(std::vector<std::int64_t>{3, 2})}) {
    const Json spec = layer_to_config(*layer);
    EXPECT_EQ(layer_to_config(*layer_from_config(spec)), spec);
  }
  EXPECT_THAT(config_error({{"class_name", "UpSampling2D"}, {"config", {{"interpolation", "bilinear"}}}}),
              HasSubstr("only nearest-neighbour"));
  EXPECT_THAT(config_error({{"class_name", "ZeroPadding2D"}, {"config", {{"padding", {1, 2, 3}}}}}),
              HasSubstr("padding: not a valid amount"));
  EXPECT_THAT(config_error({{"class_name", "Cropping2D"}, {"config", {{"cropping", -1}}}}),
              HasSubstr("cropping: not a valid amount"));
}

TEST(SpatialResize, NearestUpSamplingRepeatsPixels) {
  Tensor x(Shape{1, 2, 2, 1}, std::vector<float>{1, 2, 3, 4});
  Tensor y;
  UpSampling2D({2, 3}).forward(x, y, ForwardContext{});
  ASSERT_EQ(y.shape(), (Shape{1, 4, 6, 1}));
  const std::vector<float> want = {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4};
  EXPECT_EQ(std::vector<float>(y.values().begin(), y.values().end()), want);
}

}  // namespace
}  // namespace fitcheck::nn
