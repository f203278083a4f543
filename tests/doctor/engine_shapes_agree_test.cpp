// The doctor's static shape rules (model_shapes.cpp) and the engine's layers (nn/layers) compute
// output shapes and parameter counts independently; for every convolution and pooling option the
// engine trains, they must agree — and refuse the same inputs.
#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/doctor/model_shapes.hpp"
#include "fitcheck/nn/layers/registry.hpp"

namespace {

using fitcheck::core::kUnknownDim;
using fitcheck::core::Shape;
using nlohmann::json;

constexpr std::int64_t N = kUnknownDim;

struct Case {
  std::string layer;  // {"class_name", "config"}
  Shape input;
};

TEST(EngineShapesAgree, ConvolutionAndPoolingLayers) {
  const std::vector<Case> cases = {
      {R"({"class_name": "Conv2D", "config": {"filters": 32, "kernel_size": [3, 3]}})", Shape{N, 28, 28, 1}},
      {R"({"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}})",
       Shape{N, 7, 8, 3}},
      {R"({"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": [3, 2], "strides": [2, 1], "use_bias": false}})",
       Shape{N, 9, 6, 2}},
      {R"({"class_name": "Conv2D", "config": {"filters": 2, "kernel_size": 3, "dilation_rate": 2}})", Shape{N, 9, 9, 2}},
      {R"({"class_name": "Conv2D", "config": {"filters": 2, "kernel_size": 5, "dilation_rate": 2, "padding": "same"}})",
       Shape{N, 6, 5, 2}},
      {R"({"class_name": "Conv1D", "config": {"filters": 5, "kernel_size": 4, "padding": "causal", "dilation_rate": 2}})",
       Shape{N, 20, 3}},
      {R"({"class_name": "Conv1D", "config": {"filters": 5, "kernel_size": 3, "strides": 3, "padding": "same"}})",
       Shape{N, 10, 2}},
      {R"({"class_name": "Conv1D", "config": {"filters": 1, "kernel_size": 3}})", Shape{N, N, 2}},
      {R"({"class_name": "MaxPooling2D", "config": {}})", Shape{N, 27, 26, 4}},
      {R"({"class_name": "DepthwiseConv2D", "config": {"kernel_size": 3}})", Shape{N, 9, 8, 3}},
      {R"({"class_name": "DepthwiseConv2D", "config": {"kernel_size": [3, 2], "strides": 2, "padding": "same", "depth_multiplier": 4, "use_bias": false}})",
       Shape{N, 9, 8, 3}},
      {R"({"class_name": "DepthwiseConv2D", "config": {"kernel_size": 3, "dilation_rate": 2, "depth_multiplier": 2}})",
       Shape{N, N, 8, 2}},
      {R"({"class_name": "SeparableConv2D", "config": {"filters": 6, "kernel_size": 3}})", Shape{N, 9, 8, 3}},
      {R"({"class_name": "SeparableConv2D", "config": {"filters": 5, "kernel_size": [2, 3], "strides": [2, 1], "padding": "same", "depth_multiplier": 3, "use_bias": false}})",
       Shape{N, 7, 8, 2}},
      {R"({"class_name": "Conv2DTranspose", "config": {"filters": 4, "kernel_size": 3}})", Shape{N, 5, 6, 3}},
      {R"({"class_name": "Conv2DTranspose", "config": {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}})",
       Shape{N, 5, 6, 3}},
      {R"({"class_name": "Conv2DTranspose", "config": {"filters": 2, "kernel_size": [2, 1], "strides": [3, 2]}})",
       Shape{N, 5, N, 3}},
      {R"({"class_name": "Conv2DTranspose", "config": {"filters": 2, "kernel_size": [4, 3], "strides": 2, "padding": "same", "output_padding": [1, 0], "use_bias": false}})",
       Shape{N, 5, 6, 3}},
      {R"({"class_name": "Conv2DTranspose", "config": {"filters": 3, "kernel_size": [3, 2], "strides": 2, "dilation_rate": [2, 3], "padding": "same", "output_padding": [1, 0]}})",
       Shape{N, 4, 5, 2}},
      {R"({"class_name": "Conv2DTranspose", "config": {"filters": 3, "kernel_size": 3, "dilation_rate": 2}})", Shape{N, 4, 5, 2}},
      {R"({"class_name": "Conv2DTranspose", "config": {"filters": 3, "kernel_size": 3, "strides": [2, 3], "output_padding": 1}})",
       Shape{N, 4, 4, 1}},
      {R"({"class_name": "MaxPooling2D", "config": {"pool_size": [3, 3], "strides": [1, 1]}})", Shape{N, 6, 7, 4}},
      {R"({"class_name": "AveragePooling2D", "config": {"pool_size": 2, "padding": "same"}})", Shape{N, 5, 5, 1}},
      {R"({"class_name": "MaxPooling1D", "config": {"pool_size": 3, "strides": 2, "padding": "same"}})", Shape{N, 9, 2}},
      {R"({"class_name": "AveragePooling1D", "config": {"pool_size": 2, "strides": null}})", Shape{N, 9, 2}},
      {R"({"class_name": "GlobalMaxPooling2D", "config": {}})", Shape{N, 4, 5, 6}},
      {R"({"class_name": "GlobalAveragePooling2D", "config": {"keepdims": true}})", Shape{N, 4, 5, 6}},
      {R"({"class_name": "GlobalAveragePooling1D", "config": {}})", Shape{N, 7, 6}},
      {R"({"class_name": "GlobalMaxPooling1D", "config": {"keepdims": true}})", Shape{N, 7, 6}},
      {R"({"class_name": "ZeroPadding2D", "config": {}})", Shape{N, 7, 6, 2}},
      {R"({"class_name": "ZeroPadding2D", "config": {"padding": [[0, 2], [1, 3]]}})", Shape{N, 7, 6, 2}},
      {R"({"class_name": "ZeroPadding2D", "config": {"padding": [2, 1]}})", Shape{N, N, 6, 2}},
      {R"({"class_name": "Cropping2D", "config": {"cropping": [[1, 2], [0, 3]]}})", Shape{N, 7, 6, 2}},
      {R"({"class_name": "Cropping2D", "config": {"cropping": 2}})", Shape{N, 7, 6, 2}},
      {R"({"class_name": "UpSampling2D", "config": {"size": [2, 3]}})", Shape{N, 7, 6, 2}},
      {R"({"class_name": "UpSampling2D", "config": {}})", Shape{N, 7, N, 2}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.layer + " on " + c.input.str());
    const json spec = json::parse(c.layer);
    const auto statics = fitcheck::doctor::infer_model_shapes(
        fitcheck::io::parse_keras_model(
            json{{"class_name", "Sequential"}, {"config", {{"layers", json::array({spec})}}}}, "m.json"),
        c.input);
    ASSERT_TRUE(statics.complete) << (statics.problem ? statics.problem->message : "");
    auto layer = fitcheck::nn::layer_from_config(spec);
    fitcheck::core::Rng rng(1);
    const Shape out = layer->build(c.input, rng);
    EXPECT_EQ(out, statics.layers[0].output);
    EXPECT_EQ(layer->count_params(), statics.layers[0].params);
  }
}

TEST(EngineShapesAgree, BothRefuseWhatKerasRefuses) {
  const std::vector<Case> cases = {
      {R"({"class_name": "Conv2D", "config": {"filters": 8, "kernel_size": 3}})", Shape{N, 28, 28}},
      {R"({"class_name": "Conv2D", "config": {"filters": 8, "kernel_size": 5}})", Shape{N, 4, 10, 1}},
      {R"({"class_name": "Conv2D", "config": {"filters": 8, "kernel_size": 3, "dilation_rate": 3}})", Shape{N, 6, 10, 1}},
      {R"({"class_name": "MaxPooling2D", "config": {"pool_size": 3}})", Shape{N, 2, 2, 1}},
      {R"({"class_name": "DepthwiseConv2D", "config": {"kernel_size": 5}})", Shape{N, 4, 10, 1}},
      {R"({"class_name": "SeparableConv2D", "config": {"filters": 4, "kernel_size": 3}})", Shape{N, 28, 28}},
      {R"({"class_name": "Conv2DTranspose", "config": {"filters": 4, "kernel_size": 3}})", Shape{N, 28, 28}},
      {R"({"class_name": "Conv1D", "config": {"filters": 8, "kernel_size": 3}})", Shape{N, 50}},
      {R"({"class_name": "GlobalAveragePooling1D", "config": {}})", Shape{N, 8, 8, 3}},
      {R"({"class_name": "Cropping2D", "config": {"cropping": [[2, 2], [0, 0]]}})", Shape{N, 4, 6, 1}},
      {R"({"class_name": "ZeroPadding2D", "config": {}})", Shape{N, 6, 1}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.layer + " on " + c.input.str());
    const json spec = json::parse(c.layer);
    const auto statics = fitcheck::doctor::infer_model_shapes(
        fitcheck::io::parse_keras_model(
            json{{"class_name", "Sequential"}, {"config", {{"layers", json::array({spec})}}}}, "m.json"),
        c.input);
    EXPECT_FALSE(statics.complete);
    EXPECT_TRUE(statics.problem.has_value());
    auto layer = fitcheck::nn::layer_from_config(spec);
    EXPECT_THROW((void)layer->compute_output_shape(c.input), fitcheck::core::ShapeError);
  }
}

}  // namespace
