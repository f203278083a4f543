// One row per layer configuration: the finite-difference checker (gradient_check.hpp) runs on
// each, in training and inference mode.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "fitcheck/nn/activation_function.hpp"
#include "fitcheck/nn/layers/activation.hpp"
#include "fitcheck/nn/layers/batch_normalization.hpp"
#include "fitcheck/nn/layers/conv.hpp"
#include "fitcheck/nn/layers/conv2d_transpose.hpp"
#include "fitcheck/nn/layers/depthwise_conv2d.hpp"
#include "fitcheck/nn/layers/cropping2d.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/dropout.hpp"
#include "fitcheck/nn/layers/embedding.hpp"
#include "fitcheck/nn/layers/flatten.hpp"
#include "fitcheck/nn/layers/layer_normalization.hpp"
#include "fitcheck/nn/layers/pooling.hpp"
#include "fitcheck/nn/layers/reshape.hpp"
#include "fitcheck/nn/layers/separable_conv2d.hpp"
#include "fitcheck/nn/layers/up_sampling2d.hpp"
#include "fitcheck/nn/layers/zero_padding2d.hpp"
#include "gradient_check.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;

struct LayerCase {
  std::string label;
  std::function<std::unique_ptr<Layer>()> make;
  Shape input;
  bool check_input = true;
  std::function<Tensor(const Shape&)> data = [](const Shape& s) { return testing::random_away_from_zero(s, 5); };
};

template <typename L>
std::function<std::unique_ptr<Layer>()> make_pool(PoolingOptions o) {
  return [o] { return std::make_unique<L>(o); };
}

std::vector<LayerCase> layer_cases() {
  std::vector<LayerCase> c = {
      {"dense_linear", [] { return std::make_unique<Dense>(DenseOptions{.units = 4}); }, Shape{5, 3}},
      {"dense_tanh", [] { return std::make_unique<Dense>(DenseOptions{.units = 3, .activation = "tanh"}); }, Shape{4, 6}},
      {"dense_sigmoid_no_bias",
       [] { return std::make_unique<Dense>(DenseOptions{.units = 2, .activation = "sigmoid", .use_bias = false}); },
       Shape{3, 4}},
      {"dense_softmax", [] { return std::make_unique<Dense>(DenseOptions{.units = 4, .activation = "softmax"}); }, Shape{3, 5}},
      {"dense_rank3", [] { return std::make_unique<Dense>(DenseOptions{.units = 2, .activation = "gelu"}); }, Shape{2, 3, 4}},
      {"dropout", [] { return std::make_unique<Dropout>(DropoutOptions{.rate = 0.4}); }, Shape{4, 5}},
      {"flatten", [] { return std::make_unique<Flatten>(); }, Shape{2, 3, 2}},
      {"reshape", [] { return std::make_unique<Reshape>(Shape{3, -1}); }, Shape{2, 6}},
      {"batch_normalization", [] { return std::make_unique<BatchNormalization>(); }, Shape{6, 3}},
      {"batch_normalization_rank3", [] { return std::make_unique<BatchNormalization>(); }, Shape{3, 2, 4}},
      {"batch_normalization_no_scale",
       [] { return std::make_unique<BatchNormalization>(BatchNormalizationOptions{.center = true, .scale = false}); },
       Shape{5, 2}},
      {"layer_normalization", [] { return std::make_unique<LayerNormalization>(); }, Shape{4, 5}},
      {"embedding", [] { return std::make_unique<Embedding>(EmbeddingOptions{.input_dim = 6, .output_dim = 3}); },
       Shape{3, 4}, false,
       [](const Shape& s) {
         Tensor t(s);
         for (std::int64_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>((i * 5) % 6);
         return t;
       }},
  };
  // Convolutions: every padding, stride and dilation, odd and even sizes (same padding is then
  // asymmetric), a 1×1 kernel (the im2col-free path), 1D causal.
  auto conv2d = [](ConvOptions o) { return [o] { return std::make_unique<Conv2D>(o); }; };
  auto conv1d = [](ConvOptions o) { return [o] { return std::make_unique<Conv1D>(o); }; };
  c.push_back({"conv2d_valid", conv2d({.filters = 3, .kernel_size = {3, 3}}), Shape{2, 5, 5, 2}});
  c.push_back({"conv2d_valid_rect_tanh", conv2d({.filters = 2, .kernel_size = {2, 3}, .activation = "tanh"}),
               Shape{2, 4, 6, 3}});
  c.push_back({"conv2d_same", conv2d({.filters = 2, .kernel_size = {3, 3}, .padding = "same"}), Shape{2, 4, 5, 2}});
  c.push_back({"conv2d_same_even_kernel", conv2d({.filters = 2, .kernel_size = {2, 4}, .padding = "same"}),
               Shape{2, 5, 6, 1}});
  c.push_back({"conv2d_same_stride2",
               conv2d({.filters = 3, .kernel_size = {3, 3}, .strides = {2, 2}, .padding = "same"}), Shape{2, 6, 5, 2}});
  c.push_back({"conv2d_valid_stride_2x1", conv2d({.filters = 2, .kernel_size = {3, 2}, .strides = {2, 1}}),
               Shape{2, 7, 5, 2}});
  c.push_back({"conv2d_dilation", conv2d({.filters = 2, .kernel_size = {2, 3}, .dilation_rate = {2, 1}}),
               Shape{2, 6, 6, 2}});
  c.push_back({"conv2d_same_dilation2",
               conv2d({.filters = 2, .kernel_size = {3, 3}, .padding = "same", .dilation_rate = {2, 2}}),
               Shape{1, 5, 6, 2}});
  c.push_back({"conv2d_same_dilation_uneven",
               conv2d({.filters = 2, .kernel_size = {3, 3}, .padding = "same", .dilation_rate = {3, 2}}),
               Shape{2, 7, 6, 1}});
  c.push_back({"conv2d_pointwise_no_bias", conv2d({.filters = 3, .kernel_size = {1, 1}, .use_bias = false}),
               Shape{2, 3, 3, 4}});
  c.push_back({"conv2d_pointwise_stride2", conv2d({.filters = 2, .kernel_size = {1, 1}, .strides = {2, 2}}),
               Shape{2, 5, 4, 3}});
  c.push_back({"conv1d_valid", conv1d({.filters = 3, .kernel_size = {3}}), Shape{2, 7, 2}});
  c.push_back({"conv1d_same_stride2", conv1d({.filters = 2, .kernel_size = {4}, .strides = {2}, .padding = "same"}),
               Shape{2, 7, 3}});
  c.push_back({"conv1d_causal_dilation2",
               conv1d({.filters = 2, .kernel_size = {3}, .padding = "causal", .dilation_rate = {2}, .activation = "tanh"}),
               Shape{2, 8, 2}});
  // DepthwiseConv2D / SeparableConv2D: depth multipliers 1 and > 1 (the channel order c·m + j),
  // every padding, strides, dilation, even kernels (asymmetric same padding).
  auto depthwise = [](DepthwiseConvOptions o) { return [o] { return std::make_unique<DepthwiseConv2D>(o); }; };
  auto separable = [](SeparableConvOptions o) { return [o] { return std::make_unique<SeparableConv2D>(o); }; };
  c.push_back({"depthwise_valid", depthwise({.kernel_size = {3, 3}}), Shape{2, 5, 5, 3}});
  c.push_back({"depthwise_same_multiplier3_tanh",
               depthwise({.kernel_size = {2, 3}, .padding = "same", .depth_multiplier = 3, .activation = "tanh"}),
               Shape{2, 4, 5, 2}});
  c.push_back({"depthwise_same_stride2_multiplier2",
               depthwise({.kernel_size = {3, 3}, .strides = {2, 2}, .padding = "same", .depth_multiplier = 2}),
               Shape{2, 6, 5, 2}});
  c.push_back({"depthwise_dilation_no_bias",
               depthwise({.kernel_size = {2, 2}, .depth_multiplier = 2, .dilation_rate = {2, 1}, .use_bias = false}),
               Shape{2, 5, 4, 3}});
  c.push_back({"separable_valid", separable({.filters = 3, .kernel_size = {3, 3}}), Shape{2, 5, 5, 2}});
  c.push_back({"separable_same_stride2_multiplier2_relu",
               separable({.filters = 4, .kernel_size = {3, 2}, .strides = {2, 2}, .padding = "same",
                          .depth_multiplier = 2, .activation = "relu"}),
               Shape{2, 6, 5, 3}});
  c.push_back({"separable_dilation_no_bias",
               separable({.filters = 2, .kernel_size = {2, 2}, .depth_multiplier = 3, .dilation_rate = {1, 2},
                          .use_bias = false}),
               Shape{2, 4, 5, 2}});
  // Conv2DTranspose: valid and same, strides 1/2/3, kernels smaller than the stride (valid then pads
  // its output), even kernels, output_padding.
  auto transpose = [](ConvTransposeOptions o) { return [o] { return std::make_unique<Conv2DTranspose>(o); }; };
  c.push_back({"conv2d_transpose_valid", transpose({.filters = 3, .kernel_size = {3, 3}}), Shape{2, 3, 4, 2}});
  c.push_back({"conv2d_transpose_valid_stride2", transpose({.filters = 2, .kernel_size = {3, 2}, .strides = {2, 2}}),
               Shape{2, 3, 3, 3}});
  c.push_back({"conv2d_transpose_valid_kernel_below_stride",
               transpose({.filters = 2, .kernel_size = {2, 1}, .strides = {3, 2}, .activation = "tanh"}),
               Shape{2, 3, 2, 2}});
  c.push_back({"conv2d_transpose_same_stride2",
               transpose({.filters = 2, .kernel_size = {3, 3}, .strides = {2, 2}, .padding = "same"}),
               Shape{2, 3, 4, 2}});
  c.push_back({"conv2d_transpose_same_even_kernel",
               transpose({.filters = 3, .kernel_size = {4, 2}, .strides = {2, 1}, .padding = "same", .use_bias = false}),
               Shape{2, 3, 3, 2}});
  c.push_back({"conv2d_transpose_same_output_padding",
               transpose({.filters = 2, .kernel_size = {3, 3}, .strides = {2, 3}, .padding = "same",
                          .output_padding = {1, 2}}),
               Shape{2, 3, 2, 2}});
  c.push_back({"conv2d_transpose_valid_dilation2",
               transpose({.filters = 2, .kernel_size = {2, 3}, .dilation_rate = {2, 2}}), Shape{2, 3, 3, 2}});
  c.push_back({"conv2d_transpose_same_stride2_dilation_output_padding",
               transpose({.filters = 2, .kernel_size = {3, 2}, .strides = {2, 2}, .padding = "same",
                          .output_padding = {1, 0}, .dilation_rate = {1, 2}}),
               Shape{2, 3, 3, 2}});
  c.push_back({"conv2d_transpose_valid_output_padding",
               transpose({.filters = 2, .kernel_size = {3, 2}, .strides = {2, 2}, .output_padding = {1, 0},
                          .activation = "sigmoid"}),
               Shape{2, 2, 3, 3}});
  // Pooling: distinct values 0.01 apart, so a 1e-3 step never changes which element is the maximum.
  auto spaced = [](const Shape& s) {
    Tensor t(s);
    for (std::int64_t i = 0; i < t.size(); ++i) t[i] = 0.1f + 0.01f * static_cast<float>((i * 7919) % t.size());
    return t;
  };
  c.push_back({"max_pooling2d_valid", make_pool<MaxPooling2D>({}), Shape{2, 4, 5, 3}, true, spaced});
  c.push_back({"max_pooling2d_same", make_pool<MaxPooling2D>({.padding = "same"}), Shape{2, 5, 5, 2}, true, spaced});
  c.push_back({"max_pooling2d_overlapping",
               make_pool<MaxPooling2D>({.pool_size = {3, 3}, .strides = {1, 2}, .padding = "same"}), Shape{1, 5, 6, 2},
               true, spaced});
  c.push_back({"average_pooling2d_valid", make_pool<AveragePooling2D>({}), Shape{2, 4, 5, 3}});
  c.push_back({"average_pooling2d_same", make_pool<AveragePooling2D>({.padding = "same"}), Shape{2, 5, 5, 2}});
  c.push_back({"average_pooling2d_overlapping",
               make_pool<AveragePooling2D>({.pool_size = {3, 2}, .strides = {2, 1}, .padding = "same"}), Shape{2, 5, 4, 2}});
  c.push_back({"max_pooling1d_same", make_pool<MaxPooling1D>({.pool_size = {3}, .strides = {2}, .padding = "same"}),
               Shape{2, 8, 3}, true, spaced});
  c.push_back({"average_pooling1d_valid", make_pool<AveragePooling1D>({.pool_size = {3}, .strides = {2}}), Shape{2, 8, 3}});
  c.push_back({"average_pooling1d_same", make_pool<AveragePooling1D>({.pool_size = {3}, .padding = "same"}), Shape{2, 7, 2}});
  c.push_back({"global_max_pooling2d", [] { return std::make_unique<GlobalMaxPooling2D>(); }, Shape{2, 3, 4, 3}, true,
               spaced});
  c.push_back({"global_average_pooling2d", [] { return std::make_unique<GlobalAveragePooling2D>(); }, Shape{2, 3, 4, 3}});
  c.push_back({"global_average_pooling2d_keepdims",
               [] { return std::make_unique<GlobalAveragePooling2D>("gap", true); }, Shape{2, 3, 2, 3}});
  c.push_back({"global_max_pooling1d", [] { return std::make_unique<GlobalMaxPooling1D>(); }, Shape{2, 5, 3}, true,
               spaced});
  c.push_back({"global_average_pooling1d_keepdims",
               [] { return std::make_unique<GlobalAveragePooling1D>("gap1", true); }, Shape{2, 5, 3}});
  c.push_back({"zero_padding2d", [] { return std::make_unique<ZeroPadding2D>(); }, Shape{2, 3, 4, 2}});
  c.push_back({"zero_padding2d_asymmetric",
               [] { return std::make_unique<ZeroPadding2D>(std::vector<std::int64_t>{0, 2, 1, 3}); }, Shape{2, 3, 2, 2}});
  c.push_back({"cropping2d", [] { return std::make_unique<Cropping2D>(std::vector<std::int64_t>{1, 0, 2, 1}); },
               Shape{2, 4, 5, 2}});
  c.push_back({"up_sampling2d", [] { return std::make_unique<UpSampling2D>(); }, Shape{2, 2, 3, 2}});
  c.push_back({"up_sampling2d_3x1", [] { return std::make_unique<UpSampling2D>(std::vector<std::int64_t>{3, 1}); },
               Shape{2, 2, 3, 2}});
  for (const auto& name : activation_names()) {
    const double scale = name == "hard_sigmoid" ? 2.5 : 4.0;
    c.push_back({"activation_" + name, [name] { return std::make_unique<Activation>(name); }, Shape{3, 5}, true,
                 [scale](const Shape& s) { return testing::random_away_from_zero(s, 17, scale); }});
  }
  return c;
}

class LayerGradient : public ::testing::TestWithParam<LayerCase> {};

TEST_P(LayerGradient, MatchesCentralDifferencesInTraining) {
  const auto& c = GetParam();
  auto layer = c.make();
  const auto report = testing::check_layer_gradients(*layer, c.data(c.input), true, c.check_input);
  EXPECT_TRUE(report.ok) << c.label << ": " << report.message;
}

TEST_P(LayerGradient, MatchesCentralDifferencesInInference) {
  const auto& c = GetParam();
  auto layer = c.make();
  const auto report = testing::check_layer_gradients(*layer, c.data(c.input), false, c.check_input);
  EXPECT_TRUE(report.ok) << c.label << ": " << report.message;
}

TEST_P(LayerGradient, ShapePassAgreesWithForward) {
  const auto& c = GetParam();
  auto layer = c.make();
  Shape in = c.input;
  in[0] = core::kUnknownDim;
  core::Rng rng(1);
  Shape predicted = layer->build(in, rng);
  predicted[0] = c.input[0];
  Tensor y;
  core::Rng drop(2);
  layer->forward(c.data(c.input), y, ForwardContext{.training = true, .rng = &drop});
  EXPECT_EQ(y.shape(), predicted) << c.label;
}

INSTANTIATE_TEST_SUITE_P(AllLayers, LayerGradient, ::testing::ValuesIn(layer_cases()),
                         [](const auto& test_info) { return test_info.param.label; });

// A layer with a deliberately wrong backward (twice the true input gradient): the checker must fail.
class DoublingSquare final : public Layer {
 public:
  std::string class_name() const override { return "DoublingSquare"; }
  Shape compute_output_shape(const Shape& input) const override { return input; }
  void forward(const Tensor& x, Tensor& y, const ForwardContext&) override {
    y = x;
    for (auto& v : y.values()) v = v * v;
  }
  void backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) override {
    *dx = dy;
    for (std::int64_t i = 0; i < x.size(); ++i) (*dx)[i] *= 4.0f * x[i];  // true derivative is 2x
  }
};

TEST(GradientChecker, CatchesAWrongDerivative) {
  DoublingSquare layer;
  const auto report = testing::check_layer_gradients(layer, testing::random_away_from_zero(Shape{3, 4}, 8), false);
  EXPECT_FALSE(report.ok);
  EXPECT_THAT(report.message, ::testing::HasSubstr("input["));
}

}  // namespace
}  // namespace fitcheck::nn
