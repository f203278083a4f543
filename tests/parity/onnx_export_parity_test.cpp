// The ONNX export checked by loading it back (label "parity"): models with every exported layer
// and option get random weights (BatchNormalization's moving statistics too), are written by
// run::save_onnx, and onnx_check.py (Debian's python3-onnx via /usr/bin/python3) runs ONNX's
// checker with full_check and strict shape inference on each file, then runs the graph through
// its own NumPy interpreter of the ONNX operators (onnx 1.12 has no reference evaluator). Its
// outputs must equal fitcheck's predict() on the same inputs. Skips when onnx is missing.
#include <gtest/gtest.h>

#include "support/tensor_compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sys/wait.h>

#include <fmt/format.h>

#include "fitcheck/io/npy.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "fitcheck/run/onnx_export.hpp"
#include "support/temp_dir.hpp"

namespace fitcheck::run {
namespace {

using core::Shape;
using core::Tensor;
using nn::Json;

Json layer(const std::string& cls, Json config = Json::object()) {
  return Json{{"class_name", cls}, {"config", std::move(config)}};
}

struct Case {
  std::string name;
  Json input;                // batch_shape, batch axis null
  std::vector<Json> layers;
  std::int64_t steps = 0;    // the length of an unknown axis 1 in the data
  std::int64_t indices = 0;  // > 0: integer inputs in [0, indices) (Embedding)
};

Json rnn(const std::string& cls, Json config) { return layer(cls, std::move(config)); }

std::vector<Case> cases() {
  std::vector<Json> activations;
  for (const char* a : {"relu", "leaky_relu", "elu", "selu", "gelu", "sigmoid", "hard_sigmoid", "tanh", "softplus",
                        "softsign", "swish", "linear", "softmax"}) {
    activations.push_back(layer("Dense", {{"units", 6}, {"activation", a}}));
  }
  std::vector<Json> activation_layers = {layer("Dense", {{"units", 5}})};
  for (const char* a : {"relu", "silu", "gelu", "hard_sigmoid", "selu", "softmax"}) {
    activation_layers.push_back(layer("Activation", {{"activation", a}}));
  }
  return {
      {"mlp", {nullptr, 6},
       {layer("Dense", {{"units", 8}, {"activation", "relu"}}), layer("Dropout", {{"rate", 0.3}}),
        layer("Dense", {{"units", 5}, {"activation", "elu"}, {"use_bias", false}}),
        layer("Dense", {{"units", 4}, {"activation", "softmax"}})}},
      {"activations", {nullptr, 6}, activations},
      {"activation_layers", {nullptr, 4}, activation_layers},
      {"normalization", {nullptr, 5},
       {layer("Dense", {{"units", 6}}), layer("BatchNormalization", {{"epsilon", 0.01}}),
        layer("Activation", {{"activation", "relu"}}), layer("LayerNormalization"),
        layer("BatchNormalization", {{"center", false}, {"scale", false}}),
        layer("LayerNormalization", {{"center", false}, {"scale", false}, {"epsilon", 0.1}}), layer("Dense", {{"units", 3}})}},
      {"cnn", {nullptr, 9, 9, 3},
       {layer("Conv2D", {{"filters", 4}, {"kernel_size", 3}, {"padding", "same"}, {"activation", "relu"}}),
        layer("BatchNormalization"), layer("MaxPooling2D", {{"pool_size", 2}}),
        layer("Conv2D", {{"filters", 5}, {"kernel_size", {2, 3}}, {"strides", 2}}), layer("Flatten"),
        layer("Dense", {{"units", 3}, {"activation", "softmax"}})}},
      {"cnn_windows", {nullptr, 10, 10, 2},
       {layer("ZeroPadding2D", {{"padding", {{1, 2}, {0, 1}}}}),
        layer("Conv2D", {{"filters", 3}, {"kernel_size", 3}, {"dilation_rate", 2}}),
        layer("AveragePooling2D", {{"pool_size", 3}, {"strides", 2}, {"padding", "same"}}),
        layer("Cropping2D", {{"cropping", {{1, 0}, {0, 1}}}}), layer("UpSampling2D", {{"size", {2, 3}}}),
        layer("DepthwiseConv2D", {{"kernel_size", 3}, {"depth_multiplier", 2}, {"padding", "same"}, {"activation", "tanh"}}),
        layer("MaxPooling2D", {{"pool_size", {2, 3}}, {"strides", {1, 2}}, {"padding", "same"}}),
        layer("SeparableConv2D", {{"filters", 4}, {"kernel_size", {3, 2}}, {"depth_multiplier", 2}, {"strides", 2},
                                  {"activation", "swish"}}),
        layer("Conv2D", {{"filters", 3}, {"kernel_size", 1}, {"activation", "softmax"}}),
        layer("GlobalAveragePooling2D"), layer("Dense", {{"units", 2}})}},
      {"conv_transpose", {nullptr, 5, 6, 3},
       {layer("Conv2DTranspose", {{"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"}}),
        layer("Conv2DTranspose", {{"filters", 2}, {"kernel_size", {2, 3}}, {"strides", {3, 2}}}),
        layer("Conv2DTranspose", {{"filters", 3}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"},
                                  {"output_padding", 1}, {"activation", "sigmoid"}}),
        layer("Conv2DTranspose", {{"filters", 2}, {"kernel_size", 2}, {"dilation_rate", 2}, {"use_bias", false}}),
        layer("GlobalMaxPooling2D", {{"keepdims", true}}), layer("Flatten")}},
      {"conv1d", {nullptr, 12, 3},
       {layer("Conv1D", {{"filters", 4}, {"kernel_size", 3}, {"padding", "causal"}, {"dilation_rate", 2}}),
        layer("MaxPooling1D", {{"pool_size", 2}, {"padding", "same"}}),
        layer("Conv1D", {{"filters", 5}, {"kernel_size", 2}, {"padding", "same"}, {"strides", 2}}),
        layer("AveragePooling1D", {{"pool_size", 2}}), layer("GlobalMaxPooling1D"), layer("Dense", {{"units", 2}})}},
      {"conv1d_any_length", {nullptr, nullptr, 3},
       {layer("Conv1D", {{"filters", 4}, {"kernel_size", 4}, {"padding", "same"}, {"activation", "relu"}}),
        layer("AveragePooling1D", {{"pool_size", 3}, {"padding", "same"}}),
        layer("MaxPooling1D", {{"pool_size", 2}, {"strides", 2}, {"padding", "same"}}),
        layer("GlobalAveragePooling1D"), layer("Dense", {{"units", 1}, {"activation", "sigmoid"}})},
       11},
      {"reshape", {nullptr, 12},
       {layer("Reshape", {{"target_shape", {4, 3}}}), layer("Conv1D", {{"filters", 2}, {"kernel_size", 2}}),
        layer("Reshape", {{"target_shape", {-1}}}), layer("Dense", {{"units", 6}}),
        layer("Reshape", {{"target_shape", {3, -1}}}), layer("Flatten")}},
      {"lstm", {nullptr, 7, 4},
       {rnn("LSTM", {{"units", 5}, {"return_sequences", true}}), rnn("LSTM", {{"units", 6}, {"go_backwards", true}}),
        layer("Dense", {{"units", 2}})}},
      {"lstm_options", {nullptr, 6, 3},
       {rnn("LSTM", {{"units", 4}, {"activation", "relu"}, {"return_sequences", true}, {"go_backwards", true},
                     {"use_bias", false}}),
        rnn("LSTM", {{"units", 3}, {"activation", "softplus"}, {"recurrent_activation", "softsign"},
                     {"unit_forget_bias", false}, {"dropout", 0.2}, {"recurrent_dropout", 0.1}})}},
      {"gru", {nullptr, 6, 3},
       {rnn("GRU", {{"units", 4}, {"return_sequences", true}, {"go_backwards", true}}),
        rnn("GRU", {{"units", 5}, {"reset_after", false}, {"return_sequences", true}}),
        rnn("GRU", {{"units", 3}, {"activation", "elu"}, {"recurrent_activation", "softplus"}}),
        layer("Dense", {{"units", 2}, {"activation", "tanh"}})}},
      {"gru_no_bias", {nullptr, 5, 3},
       {rnn("GRU", {{"units", 4}, {"use_bias", false}, {"return_sequences", true}}),
        rnn("GRU", {{"units", 3}, {"use_bias", false}, {"reset_after", false}})}},
      {"simple_rnn", {nullptr, 5, 3},
       {rnn("SimpleRNN", {{"units", 4}, {"activation", "relu"}, {"return_sequences", true}}),
        rnn("SimpleRNN", {{"units", 3}, {"use_bias", false}, {"go_backwards", true}, {"return_sequences", true}}),
        rnn("SimpleRNN", {{"units", 2}, {"activation", "sigmoid"}})}},
      {"bidirectional", {nullptr, 6, 4},
       {layer("Bidirectional", {{"layer", rnn("LSTM", {{"units", 3}, {"return_sequences", true}})}}),
        layer("Bidirectional", {{"layer", rnn("GRU", {{"units", 4}, {"return_sequences", true}})}, {"merge_mode", "sum"}}),
        layer("Bidirectional", {{"layer", rnn("SimpleRNN", {{"units", 2}, {"return_sequences", true}})}, {"merge_mode", "ave"}}),
        layer("Bidirectional", {{"layer", rnn("LSTM", {{"units", 3}})}, {"merge_mode", "mul"}})}},
      {"bidirectional_backward_first", {nullptr, 5, 2},
       {layer("Bidirectional", {{"layer", rnn("GRU", {{"units", 3}, {"go_backwards", true}, {"return_sequences", true}})}}),
        layer("Bidirectional", {{"layer", rnn("LSTM", {{"units", 2}})}})}},
      {"embedding", {nullptr, 5},
       {layer("Embedding", {{"input_dim", 10}, {"output_dim", 4}}), rnn("LSTM", {{"units", 3}}), layer("Dense", {{"units", 2}})},
       0, 10},
      {"time_distributed", {nullptr, 3, 6, 6, 2},
       {layer("TimeDistributed", {{"layer", layer("Conv2D", {{"filters", 3}, {"kernel_size", 3}, {"activation", "relu"}})}}),
        layer("TimeDistributed", {{"layer", layer("MaxPooling2D")}}), layer("TimeDistributed", {{"layer", layer("Flatten")}}),
        rnn("LSTM", {{"units", 4}, {"return_sequences", true}}),
        layer("TimeDistributed", {{"layer", layer("Dense", {{"units", 2}, {"activation", "softmax"}})}})}},
      {"time_distributed_any_length", {nullptr, nullptr, 3},
       {rnn("GRU", {{"units", 4}, {"return_sequences", true}}),
        layer("TimeDistributed", {{"layer", layer("Dense", {{"units", 2}})}}), layer("GlobalMaxPooling1D")},
       7},
      {"sequence_layouts", {nullptr, 5, 3},
       {rnn("LSTM", {{"units", 4}, {"return_sequences", true}}), layer("BatchNormalization"),
        layer("Activation", {{"activation", "softmax"}}), rnn("SimpleRNN", {{"units", 3}, {"return_sequences", true}}),
        layer("LayerNormalization"), layer("Conv1D", {{"filters", 2}, {"kernel_size", 2}}),
        rnn("GRU", {{"units", 4}, {"return_sequences", true}}), layer("Dense", {{"units", 3}, {"activation", "softmax"}}),
        layer("Flatten")}},
      {"conv_then_sequence", {nullptr, 8, 3},
       {layer("Conv1D", {{"filters", 4}, {"kernel_size", 3}}), layer("BatchNormalization"),
        rnn("LSTM", {{"units", 3}, {"return_sequences", true}}), layer("GlobalAveragePooling1D", {{"keepdims", true}}),
        layer("Flatten")}},
  };
}

Tensor random_tensor(const Shape& s, core::Rng& rng, double lo, double hi) {
  Tensor t(s);
  for (auto& v : t.values()) v = static_cast<float>(rng.uniform(lo, hi));
  return t;
}

::testing::AssertionResult all_close(const Tensor& actual, const Tensor& expected, double rtol, double atol) {
  return test::all_close(actual, expected, rtol, atol, "ONNX");
}

TEST(OnnxExportParity, LoadedBackByOnnxTheGraphComputesFitchecksPredictions) {
  test::TempDir dir;
  std::vector<std::pair<std::string, Tensor>> predictions;
  Json manifest = Json::array();
  std::uint32_t seed = 7;
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    Json layers = Json::array({layer("InputLayer", {{"batch_shape", c.input}})});
    for (const auto& l : c.layers) layers.push_back(l);
    auto model = nn::Sequential::from_config(layer("Sequential", {{"name", c.name}, {"layers", layers}}), c.name);
    ASSERT_TRUE(model.built());
    core::Rng rng(seed++);
    // Weights as training leaves them: nothing at its initial value, positive variances.
    for (std::size_t i = 0; i < model.size(); ++i) {
      for (auto& p : model.layer(i).parameters()) {
        const bool variance = p.name.ends_with("moving_variance");
        p.value = random_tensor(p.value.shape(), rng, variance ? 0.3 : -0.7, variance ? 2.0 : 0.7);
      }
    }
    std::vector<std::int64_t> dims = {5};
    for (std::size_t i = 1; i < c.input.size(); ++i) dims.push_back(c.input[i].is_null() ? c.steps : c.input[i].get<std::int64_t>());
    Tensor x = random_tensor(Shape(dims), rng, -1.5, 1.5);
    if (c.indices > 0) {
      for (auto& v : x.values()) v = std::floor(static_cast<float>(rng.uniform(0.0, static_cast<double>(c.indices) - 1e-3)));
    }
    save_onnx(dir.path() / (c.name + ".onnx"), model);
    io::write_npy(dir.path() / (c.name + "__x.npy"), x);
    predictions.emplace_back(c.name, model.predict(x));
    manifest.push_back(c.name);
  }
  std::ofstream(dir.path() / "manifest.json") << Json{{"cases", manifest}}.dump(1);
  const std::string cmd = fmt::format("/usr/bin/python3 {}/onnx_check.py {} > {}/check.log 2>&1", FITCHECK_PARITY_DIR,
                                      dir.path().string(), dir.path().string());
  const int rc = std::system(cmd.c_str());
  std::ifstream log_file(dir.path() / "check.log");
  const std::string log((std::istreambuf_iterator<char>(log_file)), std::istreambuf_iterator<char>());
  if (WIFEXITED(rc) && WEXITSTATUS(rc) == 3) GTEST_SKIP() << log;
  ASSERT_EQ(rc, 0) << log;
  std::cout << log;
  for (const auto& [name, ours] : predictions) {
    SCOPED_TRACE(name);
    const Tensor theirs = io::read_npy(dir.path() / (name + "__onnx.npy")).to_tensor();
    EXPECT_TRUE(all_close(ours, theirs, 1e-5, 1e-5));
    // Outputs that vary, so that the comparison says something.
    const auto [lo, hi] = std::minmax_element(ours.values().begin(), ours.values().end());
    EXPECT_GT(*hi - *lo, 1e-2) << "the predictions are (nearly) constant";
    std::cout << fmt::format("{}: predictions in [{:.3f}, {:.3f}], max |fitcheck − ONNX| {:.2e}\n", name, *lo, *hi,
                             test::max_abs_diff(ours, theirs));
  }
}

}  // namespace
}  // namespace fitcheck::run
