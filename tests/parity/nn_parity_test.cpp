// Parity with PyTorch (Debian's python3-torch via /usr/bin/python3): the same inputs and initial
// weights (Keras layouts, transposed on the torch side) give the same forward outputs and
// gradients for Dense, every activation, BatchNormalization (training), LayerNormalization,
// Conv1D/2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose (output_padding included) and the
// pooling layers (every padding, stride and dilation), ZeroPadding2D,
// Cropping2D, UpSampling2D, and every loss (Keras 3 formulas written in torch, some with sample
// weights; torch autograd checks the hand-written gradients), and one epoch of Adam and of SGD with momentum on a fixed batch sequence gives the
// same weights. Skips when torch is missing.
#include <gtest/gtest.h>

#include "support/tensor_compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <fstream>

#include <fmt/format.h>

#include "fitcheck/io/npy.hpp"
#include "fitcheck/nn/activation_function.hpp"
#include "fitcheck/nn/layers/activation.hpp"
#include "fitcheck/nn/layers/batch_normalization.hpp"
#include "fitcheck/nn/layers/conv.hpp"
#include "fitcheck/nn/layers/conv2d_transpose.hpp"
#include "fitcheck/nn/layers/depthwise_conv2d.hpp"
#include "fitcheck/nn/layers/cropping2d.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/flatten.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/layer_normalization.hpp"
#include "fitcheck/nn/layers/pooling.hpp"
#include "fitcheck/nn/layers/separable_conv2d.hpp"
#include "fitcheck/nn/losses/loss.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "fitcheck/nn/layers/up_sampling2d.hpp"
#include "fitcheck/nn/layers/zero_padding2d.hpp"
#include "support/temp_dir.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;
namespace fs = std::filesystem;

::testing::AssertionResult torch_close_flat(const Tensor& actual, const Tensor& expected, double rtol, double atol) {
  return test::all_close(actual, expected, rtol, atol, "torch", /*same_shape=*/false);
}

constexpr const char* kNoTorch =
    "PyTorch is not installed for /usr/bin/python3 (apt-get install python3-torch); parity not checked";

class NnParity : public ::testing::Test {
 protected:
  void put(const std::string& name, const Tensor& t) { io::write_npy(dir_.path() / (name + ".npy"), t); }
  Tensor got(const std::string& case_name, const std::string& tensor) {
    return io::read_npy(dir_.path() / (case_name + "__" + tensor + ".npy")).to_tensor();
  }
  // Runs the peer; false when torch is missing (the script exits 3), so the test can skip.
  bool run_peer() {
    std::ofstream(dir_.path() / "manifest.json") << nlohmann::json{{"cases", cases_}}.dump(1);
    const std::string cmd = fmt::format("/usr/bin/python3 {}/nn_parity.py {} > {}/peer.log 2>&1", FITCHECK_NN_PARITY_DIR,
                                        dir_.path().string(), dir_.path().string());
    const int rc = std::system(cmd.c_str());
    std::ifstream log(dir_.path() / "peer.log");
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    if (WIFEXITED(rc) && WEXITSTATUS(rc) == 3) return false;
    EXPECT_EQ(rc, 0) << text;
    return rc == 0;
  }

  test::TempDir dir_;
  nlohmann::json cases_ = nlohmann::json::array();
};

struct LayerRun {
  Tensor y, dx;
  std::vector<std::pair<std::string, Tensor>> grads;
};

TEST_F(NnParity, LayersForwardAndGradients) {
  struct Pending {
    std::string name;
    LayerRun run;
    std::unique_ptr<Layer> layer;
  };
  std::vector<Pending> pending;
  // Builds the layer, writes x, r = dL/dy and the initial weights for torch, then runs forward
  // (training mode) and backward with dy = r.
  auto add = [&](const std::string& name, std::unique_ptr<Layer> layer, nlohmann::json c, Shape shape, std::uint32_t seed) {
    const Tensor x = test::uniform_tensor(shape, seed);
    core::Rng rng(1);
    Shape in = shape;
    in[0] = core::kUnknownDim;
    Shape out = layer->build(in, rng);
    out[0] = shape[0];
    const Tensor r = test::uniform_tensor(out, seed + 1000);
    put(name + "__x", x);
    put(name + "__r", r);
    for (const auto& p : layer->parameters()) put(name + "__" + p.name, p.value);
    LayerRun run;
    layer->forward(x, run.y, ForwardContext{.training = true, .rng = &rng});
    layer->backward(x, run.y, r, &run.dx);
    for (const auto& p : layer->parameters()) {
      if (p.trainable) run.grads.emplace_back(p.name, p.grad);
    }
    c["name"] = name;
    cases_.push_back(c);
    pending.push_back({name, std::move(run), std::move(layer)});
  };
  std::uint32_t seed = 1;
  for (const char* act : {"linear", "relu", "tanh", "sigmoid", "softmax", "gelu"}) {
    add(std::string("dense_") + act, std::make_unique<Dense>(DenseOptions{.units = 5, .activation = act}),
        {{"kind", "dense"}, {"activation", act}}, Shape{7, 6}, seed++);
  }
  for (const auto& act : activation_names()) {
    add("activation_" + act, std::make_unique<Activation>(act), {{"kind", "activation"}, {"activation", act}}, Shape{6, 5},
        seed++);
  }
  auto bn = std::make_unique<BatchNormalization>();
  add("batch_normalization", std::move(bn), {{"kind", "batch_normalization"}}, Shape{16, 4}, seed++);
  add("layer_normalization", std::make_unique<LayerNormalization>(), {{"kind", "layer_normalization"}}, Shape{5, 8}, seed++);
  // Convolutions and pooling: torch computes Keras' "same" padding as explicit asymmetric padding
  // (the odd pixel at the bottom/right), causal as left padding, and same-padded average pooling
  // as a ratio of window sums (padding not counted).
  auto conv_case = [](const std::string& kind, const ConvOptions& o) {
    return nlohmann::json{{"kind", kind},           {"kernel_size", o.kernel_size}, {"strides", o.strides},
                          {"padding", o.padding},   {"dilation_rate", o.dilation_rate},
                          {"activation", o.activation}, {"use_bias", o.use_bias}};
  };
  auto add_conv2d = [&](const std::string& name, ConvOptions o, Shape shape) {
    add(name, std::make_unique<Conv2D>(o), conv_case("conv2d", o), shape, seed++);
  };
  auto add_conv1d = [&](const std::string& name, ConvOptions o, Shape shape) {
    add(name, std::make_unique<Conv1D>(o), conv_case("conv1d", o), shape, seed++);
  };
  add_conv2d("conv2d_valid_relu", {.filters = 4, .kernel_size = {3, 3}, .strides = {1, 1}, .dilation_rate = {1, 1},
                                   .activation = "relu"},
             Shape{3, 7, 6, 2});
  add_conv2d("conv2d_same_stride2", {.filters = 3, .kernel_size = {3, 3}, .strides = {2, 2}, .padding = "same",
                                     .dilation_rate = {1, 1}},
             Shape{2, 8, 7, 3});
  add_conv2d("conv2d_same_even_kernel_dilation2", {.filters = 2, .kernel_size = {2, 4}, .strides = {1, 1},
                                                   .padding = "same", .dilation_rate = {2, 2}},
             Shape{2, 6, 7, 2});
  add_conv2d("conv2d_valid_dilation_tanh", {.filters = 3, .kernel_size = {3, 3}, .strides = {1, 1},
                                                   .dilation_rate = {1, 2}, .activation = "tanh"},
             Shape{2, 9, 9, 2});
  add_conv2d("conv2d_same_stride3_no_bias", {.filters = 2, .kernel_size = {5, 5}, .strides = {3, 3}, .padding = "same",
                                             .dilation_rate = {1, 1}, .use_bias = false},
             Shape{2, 10, 8, 2});
  add_conv2d("conv2d_pointwise", {.filters = 5, .kernel_size = {1, 1}, .strides = {1, 1}, .dilation_rate = {1, 1}},
             Shape{2, 4, 4, 3});
  add_conv1d("conv1d_same_stride2", {.filters = 3, .kernel_size = {4}, .strides = {2}, .padding = "same",
                                     .dilation_rate = {1}},
             Shape{3, 9, 2});
  add_conv1d("conv1d_causal_dilation2_sigmoid", {.filters = 2, .kernel_size = {3}, .strides = {1},
                                                 .padding = "causal", .dilation_rate = {2}, .activation = "sigmoid"},
             Shape{2, 10, 3});
  // DepthwiseConv2D (torch: groups = in), SeparableConv2D (grouped conv, then 1×1) and
  // Conv2DTranspose (torch's conv_transpose2d, cropped/extended to Keras' output window).
  auto window_case = [](const std::string& kind, const std::vector<std::int64_t>& k, const std::vector<std::int64_t>& s,
                        const std::string& padding, const std::vector<std::int64_t>& d, const std::string& act,
                        bool bias) {
    return nlohmann::json{{"kind", kind},       {"kernel_size", k},  {"strides", s}, {"padding", padding},
                          {"dilation_rate", d}, {"activation", act}, {"use_bias", bias}};
  };
  auto add_depthwise = [&](const std::string& name, DepthwiseConvOptions o, Shape shape) {
    auto layer = std::make_unique<DepthwiseConv2D>(o);
    const auto& n = layer->options();
    add(name, std::move(layer), window_case("depthwise2d", n.kernel_size, n.strides, n.padding, n.dilation_rate,
                                            n.activation, n.use_bias),
        shape, seed++);
  };
  auto add_separable = [&](const std::string& name, SeparableConvOptions o, Shape shape) {
    auto layer = std::make_unique<SeparableConv2D>(o);
    const auto& n = layer->options();
    add(name, std::move(layer), window_case("separable2d", n.kernel_size, n.strides, n.padding, n.dilation_rate,
                                            n.activation, n.use_bias),
        shape, seed++);
  };
  auto add_transpose = [&](const std::string& name, ConvTransposeOptions o, Shape shape) {
    auto layer = std::make_unique<Conv2DTranspose>(o);
    const auto& n = layer->options();
    auto c = window_case("conv2d_transpose", n.kernel_size, n.strides, n.padding, n.dilation_rate, n.activation,
                         n.use_bias);
    c["output_padding"] = n.output_padding.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.output_padding);
    add(name, std::move(layer), std::move(c), shape, seed++);
  };
  add_depthwise("depthwise_conv2d_valid", {.kernel_size = {3, 3}}, Shape{2, 6, 5, 3});
  add_depthwise("depthwise_conv2d_same_stride2_multiplier3_relu",
                {.kernel_size = {3, 2}, .strides = {2, 2}, .padding = "same", .depth_multiplier = 3, .activation = "relu"},
                Shape{2, 7, 6, 2});
  add_depthwise("depthwise_conv2d_same_even_dilation2_multiplier2_no_bias",
                {.kernel_size = {2, 4}, .padding = "same", .depth_multiplier = 2, .dilation_rate = {2, 1},
                 .use_bias = false},
                Shape{2, 6, 7, 3});
  add_separable("separable_conv2d_valid_multiplier2", {.filters = 4, .kernel_size = {3, 3}, .depth_multiplier = 2},
                Shape{2, 6, 6, 3});
  add_separable("separable_conv2d_same_stride2_tanh",
                {.filters = 3, .kernel_size = {4, 3}, .strides = {2, 2}, .padding = "same", .activation = "tanh"},
                Shape{2, 7, 8, 2});
  add_separable("separable_conv2d_dilation2_multiplier3_no_bias",
                {.filters = 2, .kernel_size = {2, 2}, .depth_multiplier = 3, .dilation_rate = {2, 2}, .use_bias = false},
                Shape{2, 6, 5, 2});
  add_transpose("conv2d_transpose_valid", {.filters = 3, .kernel_size = {3, 3}}, Shape{2, 4, 5, 2});
  add_transpose("conv2d_transpose_valid_stride2_relu",
                {.filters = 2, .kernel_size = {3, 2}, .strides = {2, 2}, .activation = "relu"}, Shape{2, 4, 3, 3});
  add_transpose("conv2d_transpose_valid_kernel_below_stride", {.filters = 2, .kernel_size = {2, 1}, .strides = {3, 2}},
                Shape{2, 3, 4, 2});
  add_transpose("conv2d_transpose_same_stride2", {.filters = 4, .kernel_size = {3, 3}, .strides = {2, 2}, .padding = "same"},
                Shape{2, 4, 5, 3});
  add_transpose("conv2d_transpose_same_even_kernel_no_bias",
                {.filters = 2, .kernel_size = {4, 2}, .strides = {2, 1}, .padding = "same", .use_bias = false},
                Shape{2, 3, 4, 2});
  add_transpose("conv2d_transpose_same_output_padding_tanh",
                {.filters = 2, .kernel_size = {3, 5}, .strides = {2, 3}, .padding = "same", .output_padding = {1, 2},
                 .activation = "tanh"},
                Shape{2, 3, 3, 2});
  add_transpose("conv2d_transpose_valid_dilation2", {.filters = 2, .kernel_size = {3, 2}, .dilation_rate = {2, 3}},
                Shape{2, 4, 3, 2});
  add_transpose("conv2d_transpose_same_stride2_dilation2_output_padding",
                {.filters = 3, .kernel_size = {3, 3}, .strides = {2, 2}, .padding = "same", .output_padding = {1, 0},
                 .dilation_rate = {2, 2}},
                Shape{2, 4, 3, 2});
  add_transpose("conv2d_transpose_valid_output_padding",
                {.filters = 3, .kernel_size = {3, 2}, .strides = {2, 3}, .output_padding = {1, 2}}, Shape{2, 3, 3, 2});
  auto pool_case = [](const std::string& kind, const std::string& op, const PoolingOptions& o) {
    return nlohmann::json{{"kind", kind}, {"op", op}, {"pool_size", o.pool_size}, {"strides", o.strides},
                          {"padding", o.padding}};
  };
  add("max_pooling2d_valid", std::make_unique<MaxPooling2D>(PoolingOptions{.pool_size = {2, 2}, .strides = {2, 2}}),
      pool_case("pool2d", "max", {.pool_size = {2, 2}, .strides = {2, 2}}), Shape{2, 7, 6, 3}, seed++);
  add("max_pooling2d_same_3s2", std::make_unique<MaxPooling2D>(PoolingOptions{.pool_size = {3, 3}, .strides = {2, 2}, .padding = "same"}),
      pool_case("pool2d", "max", {.pool_size = {3, 3}, .strides = {2, 2}, .padding = "same"}), Shape{2, 8, 7, 2}, seed++);
  add("average_pooling2d_same", std::make_unique<AveragePooling2D>(PoolingOptions{.pool_size = {2, 2}, .strides = {2, 2}, .padding = "same"}),
      pool_case("pool2d", "avg", {.pool_size = {2, 2}, .strides = {2, 2}, .padding = "same"}), Shape{2, 5, 5, 3}, seed++);
  add("average_pooling2d_same_3x2s1", std::make_unique<AveragePooling2D>(PoolingOptions{.pool_size = {3, 2}, .strides = {1, 1}, .padding = "same"}),
      pool_case("pool2d", "avg", {.pool_size = {3, 2}, .strides = {1, 1}, .padding = "same"}), Shape{2, 5, 4, 2}, seed++);
  add("average_pooling2d_valid_3x2s1x2", std::make_unique<AveragePooling2D>(PoolingOptions{.pool_size = {3, 2}, .strides = {1, 2}}),
      pool_case("pool2d", "avg", {.pool_size = {3, 2}, .strides = {1, 2}}), Shape{2, 6, 7, 2}, seed++);
  add("max_pooling1d_same", std::make_unique<MaxPooling1D>(PoolingOptions{.pool_size = {3}, .strides = {2}, .padding = "same"}),
      pool_case("pool1d", "max", {.pool_size = {3}, .strides = {2}, .padding = "same"}), Shape{2, 10, 3}, seed++);
  add("average_pooling1d_same", std::make_unique<AveragePooling1D>(PoolingOptions{.pool_size = {2}, .strides = {2}, .padding = "same"}),
      pool_case("pool1d", "avg", {.pool_size = {2}, .strides = {2}, .padding = "same"}), Shape{2, 7, 3}, seed++);
  add("global_max_pooling2d", std::make_unique<GlobalMaxPooling2D>(), {{"kind", "global"}, {"op", "max"}},
      Shape{3, 4, 5, 2}, seed++);
  add("global_average_pooling2d", std::make_unique<GlobalAveragePooling2D>(), {{"kind", "global"}, {"op", "avg"}},
      Shape{3, 4, 5, 2}, seed++);
  add("global_max_pooling1d", std::make_unique<GlobalMaxPooling1D>(), {{"kind", "global"}, {"op", "max"}},
      Shape{3, 6, 4}, seed++);
  add("global_average_pooling1d", std::make_unique<GlobalAveragePooling1D>(), {{"kind", "global"}, {"op", "avg"}},
      Shape{3, 6, 4}, seed++);
  add("zero_padding2d", std::make_unique<ZeroPadding2D>(std::vector<std::int64_t>{1, 2, 0, 3}),
      {{"kind", "zero_padding2d"}, {"sides", {1, 2, 0, 3}}}, Shape{2, 3, 4, 2}, seed++);
  add("cropping2d", std::make_unique<Cropping2D>(std::vector<std::int64_t>{2, 1, 1, 0}),
      {{"kind", "cropping2d"}, {"sides", {2, 1, 1, 0}}}, Shape{2, 6, 5, 3}, seed++);
  add("up_sampling2d", std::make_unique<UpSampling2D>(std::vector<std::int64_t>{2, 3}),
      {{"kind", "up_sampling2d"}, {"size", {2, 3}}}, Shape{2, 3, 4, 2}, seed++);
  if (!run_peer()) GTEST_SKIP() << kNoTorch;
  for (auto& p : pending) {
    SCOPED_TRACE(p.name);
    // The spatial layers' agreement is printed (all their names end in 1d/2d or contain it).
    if (p.name.find("2d") != std::string::npos || p.name.find("1d") != std::string::npos) {
      std::string diffs = fmt::format("{}: max |diff| y {:.2e}, dx {:.2e}", p.name, test::max_abs_diff(p.run.y, got(p.name, "y")),
                                      test::max_abs_diff(p.run.dx, got(p.name, "dx")));
      for (const auto& [pname, g] : p.run.grads) diffs += fmt::format(", d{} {:.2e}", pname, test::max_abs_diff(g, got(p.name, "d" + pname)));
      std::printf("%s\n", diffs.c_str());
    }
    EXPECT_TRUE(torch_close_flat(p.run.y, got(p.name, "y"), 1e-5, 1e-6)) << "forward";
    EXPECT_TRUE(torch_close_flat(p.run.dx, got(p.name, "dx"), 1e-4, 1e-5)) << "input gradient";
    for (const auto& [pname, g] : p.run.grads) EXPECT_TRUE(torch_close_flat(g, got(p.name, "d" + pname), 1e-4, 1e-5)) << pname;
    if (p.name == "batch_normalization") {
      EXPECT_TRUE(torch_close_flat(p.layer->find_parameter("moving_mean")->value, got(p.name, "moving_mean"), 1e-5, 1e-7));
      EXPECT_TRUE(torch_close_flat(p.layer->find_parameter("moving_variance")->value, got(p.name, "moving_variance"), 1e-5, 1e-7));
    }
  }
}

TEST_F(NnParity, LossValuesAndGradients) {
  struct Case {
    std::string name, torch_name;
    nlohmann::json spec;
    Tensor y_true, y_pred;
    std::vector<float> sample_weight = {};  // empty: unweighted
  };
  const Tensor probs = test::uniform_tensor(Shape{8, 3}, 5, 0.02, 0.98);
  const Tensor near_edges = Tensor(Shape{2, 3}, std::vector<float>{0.0f, 1e-9f, 0.5f, 1.0f, 0.9999999f, 0.3f});
  Tensor binary(Shape{8, 3}), onehot(Shape{8, 3}), sparse(Shape{8}), dist(Shape{8, 3}), binary_edges(Shape{2, 3});
  core::Rng rng(9);
  for (std::int64_t i = 0; i < 8; ++i) {
    const auto k = rng.randint(0, 3);
    sparse[i] = static_cast<float>(k);
    double s = 0;
    for (int j = 0; j < 3; ++j) {
      binary[i * 3 + j] = rng.random_sample() < 0.5 ? 1.0f : 0.0f;
      onehot[i * 3 + j] = j == k ? 1.0f : 0.0f;
      dist[i * 3 + j] = static_cast<float>(rng.uniform(0.1, 1.0));
      s += dist[i * 3 + j];
    }
    for (int j = 0; j < 3; ++j) dist[i * 3 + j] = static_cast<float>(dist[i * 3 + j] / s);
  }
  for (int i = 0; i < 6; ++i) binary_edges[i] = static_cast<float>(i % 2);
  const Tensor logits = test::uniform_tensor(Shape{8, 3}, 6, -3.0, 3.0);
  // Counts and positive rates (Poisson, MSLE, MAPE's labels), −1/0/1 labels (hinge keeps the 0s),
  // a (2, 3, 3, 1) segmentation mask and its probabilities, one weight per sample.
  Tensor counts(Shape{8, 3}), signed_with_zero(Shape{8, 3}), mask(Shape{2, 3, 3, 1});
  for (std::int64_t i = 0; i < 24; ++i) {
    counts[i] = static_cast<float>(rng.randint(0, 5));
    signed_with_zero[i] = static_cast<float>(rng.randint(0, 3) - 1);
  }
  for (std::int64_t i = 0; i < mask.size(); ++i) mask[i] = rng.random_sample() < 0.4 ? 1.0f : 0.0f;
  const Tensor rates = test::uniform_tensor(Shape{8, 3}, 8, 0.1, 3.0);
  const Tensor mask_pred = test::uniform_tensor(Shape{2, 3, 3, 1}, 10, 0.02, 0.98);
  const std::vector<float> weights = {0.5f, 2.0f, 1.0f, 0.0f, 1.5f, 1.0f, 0.25f, 3.0f};
  const Tensor regression = test::uniform_tensor(Shape{8, 3}, 7, -3.0, 3.0);
  const nlohmann::json bce_logits = {{"class_name", "BinaryCrossentropy"}, {"config", {{"from_logits", true}}}};
  const nlohmann::json cce_logits = {{"class_name", "CategoricalCrossentropy"}, {"config", {{"from_logits", true}}}};
  const nlohmann::json scce_logits = {{"class_name", "SparseCategoricalCrossentropy"}, {"config", {{"from_logits", true}}}};
  std::vector<Case> cases = {
      {"mse", "mse", "mse", regression, logits},
      {"mae", "mae", "mae", regression, logits},
      {"huber", "huber", "huber", regression, logits},
      {"bce", "bce", "binary_crossentropy", binary, probs},
      {"bce_clipped", "bce", "binary_crossentropy", binary_edges, near_edges},
      {"bce_logits", "bce_logits", bce_logits, binary, logits},
      {"cce", "cce", "categorical_crossentropy", onehot, probs},
      {"cce_logits", "cce_logits", cce_logits, dist, logits},
      {"scce", "scce", "sparse_categorical_crossentropy", sparse, probs},
      {"scce_logits", "scce_logits", scce_logits, sparse, logits},
      {"kld", "kld", "kl_divergence", dist, probs},
      {"hinge", "hinge", "hinge", binary, logits},
      {"hinge_zero_kept", "hinge", "hinge", signed_with_zero, logits},
      {"log_cosh", "log_cosh", "log_cosh", regression, logits},
      {"poisson", "poisson", "poisson", counts, rates},
      {"poisson_weighted", "poisson", "Poisson", counts, rates, weights},
      {"mape", "mape", "mape", rates, regression},
      {"msle", "msle", "msle", counts, regression},
      {"squared_hinge", "squared_hinge", "squared_hinge", binary, logits},
      {"categorical_hinge", "categorical_hinge", "categorical_hinge", onehot, logits},
      {"cosine_similarity", "cosine_similarity", "cosine_similarity", regression, logits},
      {"bfce", "bfce", "binary_focal_crossentropy", binary, probs},
      {"bfce_clipped", "bfce", "binary_focal_crossentropy", binary_edges, near_edges},
      {"bfce_logits_balanced", "bfce",
       {{"class_name", "BinaryFocalCrossentropy"},
        {"config", {{"from_logits", true}, {"apply_class_balancing", true}, {"alpha", 0.3}, {"gamma", 3.0},
                    {"label_smoothing", 0.1}}}},
       binary, logits, weights},
      {"cfce", "cfce", "categorical_focal_crossentropy", onehot, probs},
      {"cfce_logits_alpha", "cfce",
       {{"class_name", "CategoricalFocalCrossentropy"},
        {"config", {{"from_logits", true}, {"alpha", {0.2, 0.5, 0.3}}, {"gamma", 1.5}, {"label_smoothing", 0.1}}}},
       dist, logits, weights},
      {"gce", "gce", {{"class_name", "CategoricalGeneralizedCrossEntropy"}, {"config", {{"q", 0.3}}}}, sparse, probs},
      {"dice", "dice", "dice", binary, probs},
      {"dice_weighted", "dice", "Dice", binary, probs, weights},
      {"dice_per_sample", "dice", {{"class_name", "Dice"}, {"config", {{"axis", {1, 2, 3}}}}}, mask, mask_pred, weights},
      {"tversky", "tversky", {{"class_name", "Tversky"}, {"config", {{"alpha", 0.7}, {"beta", 0.3}}}}, binary, probs},
  };
  std::vector<std::pair<double, Tensor>> ours;
  for (const auto& c : cases) {
    put(c.name + "__y_true", c.y_true);
    put(c.name + "__y_pred", c.y_pred);
    nlohmann::json entry = {{"name", c.name}, {"kind", "loss"}, {"loss", c.torch_name}, {"weighted", !c.sample_weight.empty()}};
    entry["config"] = c.spec.is_object() ? c.spec["config"] : nlohmann::json::object();
    const std::int64_t batch = c.y_pred.dim(0);
    if (!c.sample_weight.empty()) {
      put(c.name + "__sw", Tensor(Shape{batch}, std::vector<float>(c.sample_weight.begin(), c.sample_weight.begin() + batch)));
    }
    cases_.push_back(entry);
    Tensor g;
    const double v = make_loss(c.spec)->compute(c.y_true, c.y_pred, c.sample_weight.empty() ? nullptr : c.sample_weight.data(), &g);
    ours.emplace_back(v, g);
  }
  if (!run_peer()) GTEST_SKIP() << kNoTorch;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].name);
    EXPECT_NEAR(ours[i].first, got(cases[i].name, "value")[0], 1e-5 * std::max(1.0, std::fabs(ours[i].first)));
    EXPECT_TRUE(torch_close_flat(ours[i].second, got(cases[i].name, "grad"), 1e-4, 1e-6));
  }
}

// One epoch over 256 rows in batches of 32 (8 optimizer steps, no shuffling), MLP 10-16-8-1 with
// relu and a sigmoid output trained with binary_crossentropy (Keras uses the logits: torch's
// BCEWithLogitsLoss). Weights agree to 1e-5 relative (+1e-6 absolute for values near zero).
TEST_F(NnParity, OneEpochOfAdamAndSgdMomentumGivesTheSameWeights) {
  const Tensor x = test::uniform_tensor(Shape{256, 10}, 21);
  Tensor y(Shape{256, 1});
  for (std::int64_t i = 0; i < 256; ++i) y[i] = x[i * 10] + 0.5f * x[i * 10 + 3] > 0 ? 1.0f : 0.0f;
  struct Run {
    std::string name;
    nlohmann::json optimizer, peer;
    std::vector<Tensor> weights;
  };
  std::vector<Run> runs = {
      {"adam", {{"class_name", "Adam"}, {"config", {{"learning_rate", 0.01}}}},
       {{"optimizer", "adam"}, {"learning_rate", 0.01}}, {}},
      {"sgd_momentum", {{"class_name", "SGD"}, {"config", {{"learning_rate", 0.05}, {"momentum", 0.9}}}},
       {{"optimizer", "sgd"}, {"learning_rate", 0.05}, {"momentum", 0.9}}, {}},
  };
  for (auto& r : runs) {
    Sequential m("mlp", 3);
    m.add(InputLayer(Shape{10}));
    m.add(Dense({.units = 16, .activation = "relu"}));
    m.add(Dense({.units = 8, .activation = "relu"}));
    m.add(Dense({.units = 1, .activation = "sigmoid"}));
    m.build(Shape{core::kUnknownDim, 10});
    m.compile({.optimizer = r.optimizer, .loss = "binary_crossentropy"});
    const auto initial = m.get_weights();
    put(r.name + "__x", x);
    put(r.name + "__y", y);
    for (std::size_t i = 0; i < initial.size(); i += 2) {
      put(fmt::format("{}__kernel{}", r.name, i / 2), initial[i]);
      put(fmt::format("{}__bias{}", r.name, i / 2), initial[i + 1]);
    }
    nlohmann::json c = r.peer;
    c["name"] = r.name;
    c["kind"] = "training";
    c["units"] = {10, 16, 8, 1};
    c["batch_size"] = 32;
    cases_.push_back(c);
    m.fit(x, y, {.batch_size = 32, .epochs = 1, .verbose = 0, .shuffle = false});
    r.weights = m.get_weights();
  }
  if (!run_peer()) GTEST_SKIP() << kNoTorch;
  for (const auto& r : runs) {
    SCOPED_TRACE(r.name);
    for (std::size_t i = 0; i < r.weights.size(); ++i) {
      const std::string tensor = fmt::format("{}{}", i % 2 == 0 ? "kernel" : "bias", i / 2);
      EXPECT_TRUE(torch_close_flat(r.weights[i], got(r.name, tensor), 1e-5, 1e-6)) << tensor;
    }
  }
}

// One epoch of a small CNN — Conv2D(4, 3×3, same, relu) → MaxPooling2D → Conv2D(3, 2×2, stride 2,
// tanh) → Flatten → Dense(1, sigmoid) with binary_crossentropy and Adam — over 96 images in
// batches of 16 without shuffling gives the same weights as torch. Flatten reads channels_last
// (h, w, c) order, so torch permutes back to NHWC before flattening.
TEST_F(NnParity, OneEpochOfACnnGivesTheSameWeights) {
  const Tensor x = test::uniform_tensor(Shape{96, 8, 8, 1}, 31, 0.0, 1.0);
  Tensor y(Shape{96, 1});
  for (std::int64_t i = 0; i < 96; ++i) y[i] = x[i * 64 + 9] + x[i * 64 + 18] > x[i * 64 + 45] + x[i * 64 + 54] ? 1.0f : 0.0f;
  Sequential m("cnn", 5);
  m.add(InputLayer(Shape{8, 8, 1}));
  m.add(Conv2D({.filters = 4, .kernel_size = {3, 3}, .padding = "same", .activation = "relu"}));
  m.add(MaxPooling2D());
  m.add(Conv2D({.filters = 3, .kernel_size = {2, 2}, .strides = {2, 2}, .activation = "tanh"}));
  m.add(Flatten());
  m.add(Dense({.units = 1, .activation = "sigmoid"}));
  m.build(Shape{core::kUnknownDim, 8, 8, 1});
  m.compile({.optimizer = {{"class_name", "Adam"}, {"config", {{"learning_rate", 0.01}}}}, .loss = "binary_crossentropy"});
  const auto initial = m.get_weights();
  put("cnn__x", x);
  put("cnn__y", y);
  for (std::size_t i = 0; i < initial.size(); ++i) put(fmt::format("cnn__w{}", i), initial[i]);
  cases_.push_back({{"name", "cnn"}, {"kind", "cnn_training"}, {"learning_rate", 0.01}, {"batch_size", 16}});
  m.fit(x, y, {.batch_size = 16, .epochs = 1, .verbose = 0, .shuffle = false});
  const auto trained = m.get_weights();
  if (!run_peer()) GTEST_SKIP() << kNoTorch;
  for (std::size_t i = 0; i < trained.size(); ++i) {
    const Tensor theirs = got("cnn", fmt::format("w{}", i));
    std::printf("cnn one epoch: weight %zu max |diff| %.2e (moved by up to %.2e)\n", i, test::max_abs_diff(trained[i], theirs),
                test::max_abs_diff(trained[i], initial[i]));
    EXPECT_TRUE(torch_close_flat(trained[i], theirs, 1e-4, 1e-5)) << "weight " << i;
  }
}

}  // namespace
}  // namespace fitcheck::nn
