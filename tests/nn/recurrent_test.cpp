// Recurrent layers (LSTM, GRU, SimpleRNN and their wrappers): finite-difference gradients through
// time for each option, shape inference against forward, Keras parameter counts, config
// round-trips and the shape errors a user meets first.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/batch_normalization.hpp"
#include "fitcheck/nn/layers/bidirectional.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/flatten.hpp"
#include "fitcheck/nn/layers/gru.hpp"
#include "fitcheck/nn/layers/lstm.hpp"
#include "fitcheck/nn/layers/registry.hpp"
#include "fitcheck/nn/layers/simple_rnn.hpp"
#include "fitcheck/nn/layers/time_distributed.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "gradient_check.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;
using ::testing::HasSubstr;

struct RecurrentCase {
  std::string label;
  std::function<std::unique_ptr<Layer>()> make;
  Shape input;  // (batch, time, features)
};

std::vector<RecurrentCase> recurrent_cases() {
  return {
      {"lstm_last_t1", [] { return std::make_unique<LSTM>(LSTMOptions{.units = 3}); }, Shape{2, 1, 2}},
      {"lstm_last_t4", [] { return std::make_unique<LSTM>(LSTMOptions{.units = 3}); }, Shape{2, 4, 3}},
      {"lstm_sequences_t3",
       [] { return std::make_unique<LSTM>(LSTMOptions{.units = 2, .return_sequences = true}); }, Shape{3, 3, 2}},
      {"lstm_sequences_t6",
       [] { return std::make_unique<LSTM>(LSTMOptions{.units = 4, .return_sequences = true}); }, Shape{2, 6, 3}},
      {"lstm_go_backwards_sequences",
       [] { return std::make_unique<LSTM>(LSTMOptions{.units = 3, .return_sequences = true, .go_backwards = true}); },
       Shape{2, 4, 2}},
      {"lstm_go_backwards_last",
       [] { return std::make_unique<LSTM>(LSTMOptions{.units = 3, .go_backwards = true}); }, Shape{2, 5, 2}},
      {"lstm_no_bias", [] { return std::make_unique<LSTM>(LSTMOptions{.units = 3, .use_bias = false}); },
       Shape{2, 3, 2}},
      // Training mode: one input mask and one state mask per sequence, the same in every evaluation.
      {"lstm_dropout",
       [] {
         return std::make_unique<LSTM>(
             LSTMOptions{.units = 3, .return_sequences = true, .dropout = 0.3, .recurrent_dropout = 0.4});
       },
       Shape{3, 4, 3}},
      {"gru_dropout",
       [] { return std::make_unique<GRU>(GRUOptions{.units = 3, .dropout = 0.3, .recurrent_dropout = 0.4}); },
       Shape{3, 4, 3}},
      {"gru_reset_before_dropout",
       [] {
         return std::make_unique<GRU>(GRUOptions{
             .units = 3, .reset_after = false, .return_sequences = true, .dropout = 0.3, .recurrent_dropout = 0.4});
       },
       Shape{3, 4, 3}},
      // dropout alone: one input mask shared by the gates; recurrent_dropout: one mask per gate.
      {"lstm_input_dropout_only",
       [] { return std::make_unique<LSTM>(LSTMOptions{.units = 3, .return_sequences = true, .dropout = 0.4}); },
       Shape{3, 4, 3}},
      {"gru_recurrent_dropout_only",
       [] { return std::make_unique<GRU>(GRUOptions{.units = 3, .recurrent_dropout = 0.4}); }, Shape{3, 4, 3}},
      {"gru_reset_before_input_dropout_only",
       [] { return std::make_unique<GRU>(GRUOptions{.units = 3, .reset_after = false, .dropout = 0.4}); },
       Shape{3, 4, 3}},
      {"simple_rnn_dropout",
       [] {
         return std::make_unique<SimpleRNN>(
             SimpleRNNOptions{.units = 3, .go_backwards = true, .dropout = 0.3, .recurrent_dropout = 0.4});
       },
       Shape{3, 4, 3}},
      {"lstm_softsign_hard_sigmoid",
       [] {
         return std::make_unique<LSTM>(
             LSTMOptions{.units = 3, .activation = "softsign", .recurrent_activation = "hard_sigmoid",
                         .return_sequences = true});
       },
       Shape{2, 3, 2}},
      {"gru_last_t1", [] { return std::make_unique<GRU>(GRUOptions{.units = 3}); }, Shape{2, 1, 2}},
      {"gru_last_t5", [] { return std::make_unique<GRU>(GRUOptions{.units = 3}); }, Shape{2, 5, 3}},
      {"gru_sequences_t4", [] { return std::make_unique<GRU>(GRUOptions{.units = 4, .return_sequences = true}); },
       Shape{3, 4, 2}},
      {"gru_go_backwards",
       [] { return std::make_unique<GRU>(GRUOptions{.units = 3, .return_sequences = true, .go_backwards = true}); },
       Shape{2, 4, 2}},
      {"gru_no_bias", [] { return std::make_unique<GRU>(GRUOptions{.units = 3, .use_bias = false}); },
       Shape{2, 3, 2}},
      {"gru_reset_before_last",
       [] { return std::make_unique<GRU>(GRUOptions{.units = 3, .reset_after = false}); }, Shape{2, 4, 3}},
      {"gru_reset_before_sequences",
       [] { return std::make_unique<GRU>(GRUOptions{.units = 4, .reset_after = false, .return_sequences = true}); },
       Shape{2, 5, 2}},
      {"gru_reset_before_no_bias",
       [] { return std::make_unique<GRU>(GRUOptions{.units = 2, .use_bias = false, .reset_after = false}); },
       Shape{2, 3, 2}},
      {"gru_softsign_hard_sigmoid",
       [] {
         return std::make_unique<GRU>(GRUOptions{.units = 3, .activation = "softsign",
                                                 .recurrent_activation = "hard_sigmoid", .return_sequences = true});
       },
       Shape{2, 3, 2}},
      {"simple_rnn_last_t1", [] { return std::make_unique<SimpleRNN>(SimpleRNNOptions{.units = 3}); }, Shape{2, 1, 2}},
      {"simple_rnn_last_t6", [] { return std::make_unique<SimpleRNN>(SimpleRNNOptions{.units = 3}); }, Shape{2, 6, 3}},
      {"simple_rnn_sequences",
       [] { return std::make_unique<SimpleRNN>(SimpleRNNOptions{.units = 4, .return_sequences = true}); },
       Shape{3, 4, 2}},
      {"simple_rnn_go_backwards_no_bias",
       [] {
         return std::make_unique<SimpleRNN>(
             SimpleRNNOptions{.units = 3, .use_bias = false, .return_sequences = true, .go_backwards = true});
       },
       Shape{2, 4, 2}},
      {"simple_rnn_sigmoid",
       [] { return std::make_unique<SimpleRNN>(SimpleRNNOptions{.units = 3, .activation = "sigmoid"}); },
       Shape{2, 4, 2}},
      {"bidirectional_lstm_concat", [] { return std::make_unique<Bidirectional>(LSTM({.units = 3})); }, Shape{2, 4, 2}},
      {"bidirectional_gru_sequences_concat",
       [] { return std::make_unique<Bidirectional>(GRU({.units = 2, .return_sequences = true})); }, Shape{2, 4, 3}},
      {"bidirectional_lstm_sequences_sum",
       [] { return std::make_unique<Bidirectional>(LSTM({.units = 3, .return_sequences = true}), "sum"); },
       Shape{2, 3, 2}},
      {"bidirectional_simple_rnn_mul",
       [] { return std::make_unique<Bidirectional>(SimpleRNN({.units = 3, .return_sequences = true}), "mul"); },
       Shape{2, 4, 2}},
      {"bidirectional_gru_ave", [] { return std::make_unique<Bidirectional>(GRU({.units = 3}), "ave"); },
       Shape{2, 3, 2}},
      {"time_distributed_dense",
       [] { return std::make_unique<TimeDistributed>(Dense({.units = 3, .activation = "tanh"})); }, Shape{2, 4, 3}},
      {"time_distributed_flatten", [] { return std::make_unique<TimeDistributed>(Flatten()); }, Shape{2, 3, 2, 2}},
      {"time_distributed_lstm",
       [] { return std::make_unique<TimeDistributed>(LSTM({.units = 2, .return_sequences = true})); },
       Shape{2, 2, 3, 2}},
  };
}

class RecurrentGradient : public ::testing::TestWithParam<RecurrentCase> {};

TEST_P(RecurrentGradient, MatchesCentralDifferences) {
  const auto& c = GetParam();
  auto layer = c.make();
  const auto report = testing::check_layer_gradients(*layer, testing::random_away_from_zero(c.input, 5), true);
  EXPECT_TRUE(report.ok) << c.label << ": " << report.message;
}

TEST_P(RecurrentGradient, ShapePassAgreesWithForward) {
  const auto& c = GetParam();
  auto layer = c.make();
  Shape in = c.input;
  in[0] = core::kUnknownDim;
  core::Rng rng(1);
  Shape predicted = layer->build(in, rng);
  predicted[0] = c.input[0];
  Tensor y;
  layer->forward(testing::random_away_from_zero(c.input, 3), y, ForwardContext{});
  EXPECT_EQ(y.shape(), predicted) << c.label;
}

TEST_P(RecurrentGradient, ConfigRoundTrips) {
  const auto& c = GetParam();
  auto layer = c.make();
  const Json spec = layer_to_config(*layer);
  auto again = layer_from_config(spec);
  EXPECT_EQ(layer_to_config(*again), spec);
}

INSTANTIATE_TEST_SUITE_P(AllRecurrent, RecurrentGradient, ::testing::ValuesIn(recurrent_cases()),
                         [](const auto& test_info) { return test_info.param.label; });

// The time axis is free: a layer built for (None, None, F) runs sequences of any length.
TEST(LSTM, RunsAnySequenceLengthOnceBuilt) {
  LSTM layer({.units = 5, .return_sequences = true});
  core::Rng rng(1);
  EXPECT_EQ(layer.build(Shape{core::kUnknownDim, core::kUnknownDim, 3}, rng), (Shape{core::kUnknownDim, core::kUnknownDim, 5}));
  for (std::int64_t t : {1, 7}) {
    Tensor y;
    layer.forward(testing::random_away_from_zero(Shape{2, t, 3}, 4), y, ForwardContext{});
    EXPECT_EQ(y.shape(), (Shape{2, t, 5}));
  }
}

TEST(LSTM, ParameterCountsAndLayoutAreKeras) {
  LSTM layer({.units = 64});
  core::Rng rng(1);
  layer.build(Shape{core::kUnknownDim, 50, 8}, rng);
  EXPECT_EQ(layer.count_params(), 4 * (64 * (8 + 64) + 64));  // 18,944 as in Keras' summary
  ASSERT_EQ(layer.parameters().size(), 3u);
  EXPECT_EQ(layer.parameters()[0].name, "kernel");
  EXPECT_EQ(layer.parameters()[0].value.shape(), (Shape{8, 256}));
  EXPECT_EQ(layer.parameters()[1].name, "recurrent_kernel");
  EXPECT_EQ(layer.parameters()[1].value.shape(), (Shape{64, 256}));
  EXPECT_EQ(layer.parameters()[2].name, "bias");
  // unit_forget_bias: the forget block (the second of i, f, c, o) starts at 1, the rest at 0.
  const Tensor& bias = layer.parameters()[2].value;
  for (std::int64_t i = 0; i < 256; ++i) EXPECT_EQ(bias[i], i >= 64 && i < 128 ? 1.0f : 0.0f) << i;
  // The recurrent kernel is orthogonal: its rows (64 of length 256) are orthonormal.
  const Tensor& rk = layer.parameters()[1].value;
  for (int r : {0, 5}) {
    for (int q : {0, 5, 63}) {
      double dot = 0;
      for (int k = 0; k < 256; ++k) dot += static_cast<double>(rk[r * 256 + k]) * rk[q * 256 + k];
      EXPECT_NEAR(dot, r == q ? 1.0 : 0.0, 1e-5) << r << "·" << q;
    }
  }
}

TEST(LSTM, ReadsAKerasConfig) {
  const Json spec = Json::parse(R"({"class_name": "LSTM", "config": {"name": "lstm_1", "trainable": true,
      "dtype": "float32", "return_sequences": true, "return_state": false, "go_backwards": false, "stateful": false,
      "unroll": false, "zero_output_for_mask": false, "units": 32, "activation": "tanh",
      "recurrent_activation": "sigmoid", "use_bias": true,
      "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}},
      "recurrent_initializer": {"module": "keras.initializers", "class_name": "OrthogonalInitializer",
                                "config": {"gain": 1.0, "seed": null}},
      "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}},
      "unit_forget_bias": true, "kernel_regularizer": null, "recurrent_regularizer": null,
      "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
      "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0,
      "seed": null}})");
  auto layer = layer_from_config(spec);
  EXPECT_EQ(layer->name(), "lstm_1");
  core::Rng rng(1);
  EXPECT_EQ(layer->build(Shape{core::kUnknownDim, 10, 4}, rng), (Shape{core::kUnknownDim, 10, 32}));
  EXPECT_EQ(layer->count_params(), 4 * (32 * (4 + 32) + 32));
}

TEST(LSTM, RefusesOptionsItDoesNotTrain) {
  for (const char* key : {"dropout", "recurrent_dropout"}) {
    Json spec = {{"class_name", "LSTM"}, {"config", {{"units", 4}, {key, 1.0}}}};
    try {
      layer_from_config(spec, "model.json: layers[1]");
      FAIL() << key;
    } catch (const core::ConfigError& e) {
      EXPECT_THAT(e.what(), HasSubstr(key));
      EXPECT_THAT(e.what(), HasSubstr("[0, 1)"));
    }
  }
  EXPECT_THROW(layer_from_config({{"class_name", "LSTM"}, {"config", {{"units", 4}, {"return_state", true}}}}),
               core::ConfigError);
  EXPECT_THROW(layer_from_config({{"class_name", "LSTM"}, {"config", {{"units", 4}, {"stateful", true}}}}),
               core::ConfigError);
  EXPECT_THROW(LSTM({.units = 0}), core::ConfigError);
}

// A convolution's (None, h, w, c) output fed to an LSTM: refused at build time, naming the layer,
// the rank received and the two usual fixes with the numbers filled in.
TEST(LSTM, RankFourInputIsRefusedWithTheFixes) {
  Sequential model("m");
  model.add(InputLayer(Shape{28, 28, 32}));
  model.add(LSTM({.units = 16}));
  try {
    model.build(Shape{core::kUnknownDim, 28, 28, 32});
    FAIL() << "built";
  } catch (const core::ShapeError& e) {
    const std::string m = e.what();
    EXPECT_THAT(m, HasSubstr("layers[1] LSTM \"lstm\""));
    EXPECT_THAT(m, HasSubstr("rank 4"));
    EXPECT_THAT(m, HasSubstr("(None, 28, 28, 32)"));
    EXPECT_THAT(m, HasSubstr("Reshape((28, 896))"));
    EXPECT_THAT(m, HasSubstr("TimeDistributed(Flatten())"));
  }
}

TEST(LSTM, RankTwoInputAsksForATimeAxis) {
  LSTM layer({.units = 4});
  try {
    layer.compute_output_shape(Shape{core::kUnknownDim, 20});
    FAIL() << "accepted";
  } catch (const core::ShapeError& e) {
    EXPECT_THAT(e.what(), HasSubstr("rank 2"));
    EXPECT_THAT(e.what(), HasSubstr("Reshape((20, 1))"));
  }
}

TEST(LSTM, FeatureAxisMustMatchTheBuiltKernel) {
  LSTM layer({.units = 4});
  core::Rng rng(1);
  layer.build(Shape{core::kUnknownDim, 5, 3}, rng);
  EXPECT_THROW(layer.compute_output_shape(Shape{core::kUnknownDim, 5, 4}), core::ShapeError);
}

// Keras' counts: GRU 3·(u·(in+u) + 2u) with reset_after, 3·(u·(in+u) + u) without; SimpleRNN
// u·(in+u) + u.
TEST(GRU, ParameterCountsAndBiasLayoutAreKeras) {
  GRU after({.units = 16});
  GRU before({.units = 16, .reset_after = false});
  SimpleRNN simple({.units = 16});
  core::Rng rng(1);
  for (Layer* l : std::vector<Layer*>{&after, &before, &simple}) l->build(Shape{core::kUnknownDim, 10, 5}, rng);
  EXPECT_EQ(after.count_params(), 3 * (16 * (5 + 16) + 2 * 16));
  EXPECT_EQ(after.parameters()[2].value.shape(), (Shape{2, 48}));
  EXPECT_EQ(before.count_params(), 3 * (16 * (5 + 16) + 16));
  EXPECT_EQ(before.parameters()[2].value.shape(), (Shape{48}));
  EXPECT_EQ(simple.count_params(), 16 * (5 + 16) + 16);
  EXPECT_EQ(simple.parameters()[1].value.shape(), (Shape{16, 16}));
}

TEST(GRU, ReadsResetAfterFromAKerasConfig) {
  auto layer = layer_from_config({{"class_name", "GRU"}, {"config", {{"units", 8}, {"reset_after", false}}}});
  EXPECT_EQ(layer_to_config(*layer)["config"]["reset_after"], false);
  auto simple = layer_from_config({{"class_name", "SimpleRNN"}, {"config", {{"units", 8}, {"return_sequences", true}}}});
  core::Rng rng(1);
  EXPECT_EQ(simple->build(Shape{core::kUnknownDim, 4, 2}, rng), (Shape{core::kUnknownDim, 4, 8}));
}

// Keras: forward_<name> and backward_<name> sublayers, variables forward first, twice the count.
TEST(Bidirectional, WrapsAForwardAndABackwardCopy) {
  Bidirectional bi(LSTM({.units = 4, .return_sequences = true}));
  core::Rng rng(1);
  EXPECT_EQ(bi.build(Shape{core::kUnknownDim, 6, 3}, rng), (Shape{core::kUnknownDim, 6, 8}));
  EXPECT_EQ(bi.count_params(), 2 * 4 * (4 * (3 + 4) + 4));
  EXPECT_EQ(bi.forward_layer().name(), "forward_lstm");
  EXPECT_EQ(bi.backward_layer().name(), "backward_lstm");
  EXPECT_FALSE(bi.forward_layer().go_backwards());
  EXPECT_TRUE(bi.backward_layer().go_backwards());
  ASSERT_EQ(bi.parameters().size(), 6u);
  EXPECT_EQ(bi.parameters()[0].name, "forward_lstm/kernel");
  EXPECT_EQ(bi.parameters()[5].name, "backward_lstm/bias");
}

// With return_sequences the backward half of step t has read x[t:], so on a sequence that is the
// same read both ways (a palindrome) the two halves of the output mirror each other in time.
TEST(Bidirectional, BackwardOutputIsPutBackInTimeOrder) {
  Bidirectional bi(SimpleRNN({.units = 2, .return_sequences = true}));
  core::Rng rng(1);
  bi.build(Shape{core::kUnknownDim, 5, 1}, rng);
  // Same weights both ways.
  for (int k = 0; k < 3; ++k) bi.parameters()[3 + k].value = bi.parameters()[k].value;
  Tensor x(Shape{1, 5, 1}, std::vector<float>{0.3f, -0.7f, 1.1f, -0.7f, 0.3f});
  Tensor y;
  bi.forward(x, y, ForwardContext{});
  for (int t = 0; t < 5; ++t) {
    for (int k = 0; k < 2; ++k) EXPECT_FLOAT_EQ(y[t * 4 + k], y[(4 - t) * 4 + 2 + k]) << t;
  }
}

TEST(Bidirectional, RefusesANonRecurrentLayerAndMergeModeNone) {
  EXPECT_THROW(layer_from_config(Json::parse(R"({"class_name": "Bidirectional", "config": {"layer":
                   {"class_name": "Dense", "config": {"units": 3}}}})")),
               core::ConfigError);
  // Keras requires the backward layer to read the other way.
  EXPECT_THROW(layer_from_config(Json::parse(R"({"class_name": "Bidirectional", "config": {"layer":
                   {"class_name": "LSTM", "config": {"units": 3}}, "backward_layer":
                   {"class_name": "LSTM", "config": {"units": 3, "go_backwards": false}}}})")),
               core::ConfigError);
  EXPECT_THROW(layer_from_config(Json::parse(R"({"class_name": "Bidirectional", "config": {"merge_mode": null, "layer":
                   {"class_name": "LSTM", "config": {"units": 3}}}})")),
               core::ConfigError);
}

TEST(Bidirectional, ShapeErrorsNameTheWrapperAndTheFix) {
  Sequential model("m");
  model.add(InputLayer(Shape{8, 8, 16}));
  model.add(Bidirectional(LSTM({.units = 4})));
  try {
    model.build(Shape{core::kUnknownDim, 8, 8, 16});
    FAIL() << "built";
  } catch (const core::ShapeError& e) {
    EXPECT_THAT(e.what(), HasSubstr("layers[1] Bidirectional \"bidirectional\""));
    EXPECT_THAT(e.what(), HasSubstr("Reshape((8, 128))"));
  }
}

TEST(TimeDistributed, AppliesItsLayerToEveryStepWithOneSetOfWeights) {
  TimeDistributed td(Dense({.units = 4}));
  core::Rng rng(1);
  EXPECT_EQ(td.build(Shape{core::kUnknownDim, 5, 3}, rng), (Shape{core::kUnknownDim, 5, 4}));
  EXPECT_EQ(td.count_params(), 3 * 4 + 4);
  TimeDistributed flat(Flatten{});
  EXPECT_EQ(flat.compute_output_shape(Shape{core::kUnknownDim, 28, 28, 32}), (Shape{core::kUnknownDim, 28, 896}));
  // Its output feeds an LSTM: the fix the LSTM's rank error suggests works.
  Sequential model("m");
  model.add(InputLayer(Shape{28, 28, 32}));
  model.add(TimeDistributed(Flatten{}));
  model.add(LSTM({.units = 8}));
  model.build(Shape{core::kUnknownDim, 28, 28, 32});
  EXPECT_EQ(model.layer(2).output_shape(), (Shape{core::kUnknownDim, 8}));
}

TEST(TimeDistributed, KeepsTheInnerStatisticsOfBatchNormalization) {
  TimeDistributed td(BatchNormalization{});
  core::Rng rng(1);
  td.build(Shape{core::kUnknownDim, 3, 2}, rng);
  ASSERT_EQ(td.parameters().size(), 4u);
  EXPECT_FALSE(td.parameters()[2].trainable);  // moving_mean
  Tensor y;
  td.forward(testing::random_away_from_zero(Shape{4, 3, 2}, 2), y, ForwardContext{.training = true, .rng = &rng});
  EXPECT_NE(td.parameters()[2].value[0], 0.0f);  // the moving mean moved, in the wrapper's variable
}

TEST(TimeDistributed, ConfigRoundTripsAndRefusesInputsWithoutTime) {
  TimeDistributed td(Dense({.units = 2, .activation = "softmax"}));
  const Json spec = layer_to_config(td);
  EXPECT_EQ(spec["config"]["layer"]["class_name"], "Dense");
  EXPECT_EQ(layer_to_config(*layer_from_config(spec)), spec);
  EXPECT_THROW(td.compute_output_shape(Shape{core::kUnknownDim, 3}), core::ShapeError);
}

// Keras applies recurrent dropout only in training: inference equals the same weights without it.
TEST(RecurrentDropout, OnlyInTraining) {
  for (int kind = 0; kind < 3; ++kind) {
    auto make = [kind](double rate) -> std::unique_ptr<Layer> {
      if (kind == 0) return std::make_unique<LSTM>(LSTMOptions{.units = 4, .dropout = rate, .recurrent_dropout = rate});
      if (kind == 1) return std::make_unique<GRU>(GRUOptions{.units = 4, .dropout = rate, .recurrent_dropout = rate});
      return std::make_unique<SimpleRNN>(SimpleRNNOptions{.units = 4, .dropout = rate, .recurrent_dropout = rate});
    };
    auto with = make(0.5), without = make(0.0);
    core::Rng r1(1), r2(1);
    with->build(Shape{core::kUnknownDim, 5, 3}, r1);
    without->build(Shape{core::kUnknownDim, 5, 3}, r2);
    const Tensor x = testing::random_away_from_zero(Shape{4, 5, 3}, 6);
    Tensor a, b, c;
    core::Rng drop(3);
    with->forward(x, a, ForwardContext{});
    without->forward(x, b, ForwardContext{});
    with->forward(x, c, ForwardContext{.training = true, .rng = &drop});
    double same = 0, changed = 0;
    for (std::int64_t i = 0; i < a.size(); ++i) {
      same = std::max(same, static_cast<double>(std::fabs(a[i] - b[i])));
      changed = std::max(changed, static_cast<double>(std::fabs(c[i] - b[i])));
    }
    EXPECT_EQ(same, 0.0) << with->class_name();
    EXPECT_GT(changed, 1e-3) << with->class_name();
    EXPECT_EQ(layer_to_config(*with)["config"]["recurrent_dropout"], 0.5);
  }
}

// Dense already applies to the last axis, so TimeDistributed(Dense) must train exactly like Dense
// on the same weights — including the logits path Sequential takes for sigmoid + cross-entropy.
TEST(TimeDistributed, TrainsLikeTheLayerItWraps) {
  Tensor x = testing::random_away_from_zero(Shape{32, 5, 3}, 8);
  Tensor y(Shape{32, 5, 1});
  for (std::int64_t i = 0; i < y.size(); ++i) y[i] = x[i * 3] + x[i * 3 + 1] > 0 ? 1.0f : 0.0f;
  std::vector<std::vector<Tensor>> trained;
  for (bool wrapped : {false, true}) {
    Sequential m("m", 2);
    m.add(InputLayer(Shape{5, 3}));
    m.add(LSTM({.units = 4, .return_sequences = true}));
    if (wrapped) {
      m.add(TimeDistributed(Dense({.units = 1, .activation = "sigmoid"})));
    } else {
      m.add(Dense({.units = 1, .activation = "sigmoid"}));
    }
    m.build(Shape{core::kUnknownDim, 5, 3});
    m.compile({.optimizer = "adam", .loss = "binary_crossentropy"});
    if (!trained.empty()) m.set_weights(trained[0]);  // the unwrapped model's initial weights
    if (trained.empty()) trained.push_back(m.get_weights());
    m.fit(x, y, {.batch_size = 8, .epochs = 2, .verbose = 0, .shuffle = false});
    trained.push_back(m.get_weights());
  }
  ASSERT_EQ(trained[1].size(), trained[2].size());
  for (std::size_t w = 0; w < trained[1].size(); ++w) {
    for (std::int64_t i = 0; i < trained[1][w].size(); ++i) {
      EXPECT_NEAR(trained[1][w][i], trained[2][w][i], 1e-6) << "weight " << w << " element " << i;
    }
  }
  for (std::int64_t i = 0; i < trained[0][0].size(); ++i) ASSERT_NE(trained[0][0][i], trained[1][0][i]);  // it trained
}

}  // namespace
}  // namespace fitcheck::nn
