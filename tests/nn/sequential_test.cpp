#include "fitcheck/nn/sequential.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/layers/activation.hpp"
#include "fitcheck/nn/layers/batch_normalization.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/dropout.hpp"
#include "fitcheck/nn/layers/flatten.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;
using ::testing::HasSubstr;

// Two Gaussian blobs in 4-D, linearly separable: label = 1 when the first feature's mean is +1.
void blobs(std::int64_t n, Tensor& x, Tensor& y, std::uint32_t seed = 3) {
  core::Rng rng(seed);
  x = Tensor(Shape{n, 4});
  y = Tensor(Shape{n});
  for (std::int64_t i = 0; i < n; ++i) {
    const float label = i % 2 == 0 ? 1.0f : 0.0f;
    y[i] = label;
    for (int j = 0; j < 4; ++j) x[i * 4 + j] = static_cast<float>(0.5 * rng.standard_normal() + (j == 0 ? (label * 2 - 1) * 1.5 : 0.0));
  }
}

Sequential small_model(std::uint32_t seed = 0) {
  Sequential m("sequential", seed);
  m.add(InputLayer(Shape{4}));
  m.add(Dense({.units = 8, .activation = "relu"}));
  m.add(Dense({.units = 1, .activation = "sigmoid"}));
  m.compile({.optimizer = "adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  return m;
}

// Found by the keras_layers fuzzer: configs the engine must refuse with a message.
TEST(Sequential, MalformedConfigsAreConfigErrors) {
  auto model_of = [](const char* layers) {
    return Json::parse(std::string(R"({"class_name": "Sequential", "config": {"name": "m", "layers": [)") + layers + "]}}");
  };
  // A value of the wrong JSON type inside a layer's config.
  try {
    Sequential::from_config(model_of(R"({"class_name": "InputLayer", "config": {"batch_input_shape": [null, 6, 5, 2], "name": 2}},
                                        {"class_name": "GlobalAveragePooling2D", "config": {}})"));
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("layers[0]"));
  }
  // A layer whose output has an axis of size 0 is refused when the model is built: a transposed
  // convolution of a 1-pixel-high image with kernel 16, stride 2 and same padding (Keras' length
  // rule gives 0 rows).
  try {
    Sequential::from_config(model_of(R"({"class_name": "InputLayer", "config": {"batch_input_shape": [null, 1, 4, 1]}},
        {"class_name": "Conv2DTranspose", "config": {"filters": 4, "kernel_size": 16, "strides": 2, "padding": "same",
                                                     "output_padding": 0}})"));
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("(None, 0, 6, 4) has an axis of size 0"));
  }
}

TEST(Sequential, SummaryPrintsWhatKeras3Prints) {
  Sequential m;
  m.add(InputLayer(Shape{10}));
  m.add(Dense({.units = 64, .activation = "relu"}));
  m.add(Dense({.units = 1}));
  m.build(Shape{core::kUnknownDim, 10});
  const std::string expected =
      "Model: \"sequential\"\n"
      "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
      "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
      "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
      "│ dense (Dense)                   │ (None, 64)             │           704 │\n"
      "│ dense_1 (Dense)                 │ (None, 1)              │            65 │\n"
      "└─────────────────────────────────┴────────────────────────┴───────────────┘\n"
      " Total params: 769 (3.00 KB)\n"
      " Trainable params: 769 (3.00 KB)\n"
      " Non-trainable params: 0 (0.00 B)\n";
  EXPECT_EQ(m.summary(), expected);
}

TEST(Sequential, BatchNormalizationCountsNonTrainableParams) {
  Sequential m;
  m.add(InputLayer(Shape{3}));
  m.add(BatchNormalization());
  m.build(Shape{core::kUnknownDim, 3});
  EXPECT_EQ(m.count_params(), 12);
  EXPECT_EQ(m.count_trainable_params(), 6);
  EXPECT_THAT(m.summary(), HasSubstr("Non-trainable params: 6 (24.00 B)"));
}

TEST(Sequential, MissingChannelAxisNamesTheFix) {
  Sequential m;
  m.add(InputLayer(Shape{28, 28, 1}));
  m.add(Flatten());
  m.add(Dense({.units = 10, .activation = "softmax"}));
  m.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy"});
  Tensor x(Shape{100, 28, 28}), y(Shape{100});
  try {
    m.fit(x, y, {.verbose = 0});
    FAIL() << "expected ShapeError";
  } catch (const core::ShapeError& e) {
    EXPECT_THAT(e.what(), HasSubstr("layers[0] InputLayer"));
    EXPECT_THAT(e.what(), HasSubstr("expected (None, 28, 28, 1), got (100, 28, 28)"));
    EXPECT_THAT(e.what(), HasSubstr("Add a channel axis (reshape to (100, 28, 28, 1))"));
  }
}

TEST(Sequential, FeatureCountMismatchNamesTheLayerAndAxis) {
  Sequential m;
  m.add(Dense({.units = 4}));
  m.build(Shape{core::kUnknownDim, 30});
  m.compile({.optimizer = "sgd", .loss = "mse"});
  Tensor x(Shape{5, 20}), y(Shape{5, 4});
  try {
    m.fit(x, y, {.verbose = 0});
    FAIL();
  } catch (const core::ShapeError& e) {
    EXPECT_THAT(e.what(), HasSubstr("layers[0] Dense \"dense\""));
    EXPECT_THAT(e.what(), HasSubstr("axis 1: 20 instead of 30"));
  }
}

TEST(Sequential, ShapePassFindsIncompatibleLayersWithoutRunning) {
  Sequential m;
  m.add(InputLayer(Shape{28, 28}));
  m.add(BatchNormalization());
  m.add(Dense({.units = 3}));
  const auto shapes = m.infer_shapes(Shape{core::kUnknownDim, 28, 28});
  EXPECT_EQ(shapes.back(), (Shape{core::kUnknownDim, 28, 3}));
  Sequential bad;
  bad.add(Dense({.units = 3}));
  EXPECT_THROW(bad.infer_shapes(Shape{core::kUnknownDim}), core::ShapeError);
}

TEST(Sequential, DefersTheBuildToTheFirstFit) {
  Sequential m("sequential", 1);
  m.add(Dense({.units = 4, .activation = "relu"}));
  m.add(Dense({.units = 1, .activation = "sigmoid"}));
  m.compile({.optimizer = "adam", .loss = "binary_crossentropy"});
  EXPECT_FALSE(m.built());
  Tensor x, y;
  blobs(64, x, y);
  m.fit(x, y, {.verbose = 0});
  EXPECT_TRUE(m.built());
  EXPECT_EQ(*m.input_shape(), (Shape{core::kUnknownDim, 4}));
}

TEST(Sequential, LearnsSeparableDataAndReportsKeras2LogOrder) {
  Sequential m = small_model();
  Tensor x, y;
  blobs(400, x, y);
  const History h = m.fit(x, y, {.batch_size = 32, .epochs = 15, .verbose = 0, .validation_split = 0.25, .seed = 5});
  EXPECT_EQ(h.keys, (std::vector<std::string>{"loss", "accuracy", "val_loss", "val_accuracy"}));
  EXPECT_EQ(h.epoch.size(), 15u);
  EXPECT_LT(h.at("loss").back(), h.at("loss").front());
  EXPECT_GE(h.at("val_accuracy").back(), 0.95);
  // The validation split is the last 25%, unshuffled: evaluating on it reproduces val_loss.
  const Logs val = m.evaluate(x.slice_rows(300, 400), y.slice_rows(300, 400), 32);
  EXPECT_NEAR(*val.get("loss"), h.at("val_loss").back(), 1e-9);
}

TEST(Sequential, SameSeedGivesBitIdenticalWeights) {
  Tensor x, y;
  blobs(100, x, y);
  std::vector<Tensor> w[2];
  for (int run = 0; run < 2; ++run) {
    Sequential m("sequential", 9);
    m.add(Dense({.units = 8, .activation = "relu"}));
    m.add(Dropout({.rate = 0.3}));
    m.add(Dense({.units = 1, .activation = "sigmoid"}));
    m.compile({.optimizer = "adam", .loss = "binary_crossentropy"});
    m.fit(x, y, {.epochs = 3, .verbose = 0, .seed = 9});
    w[run] = m.get_weights();
  }
  ASSERT_EQ(w[0].size(), w[1].size());
  for (std::size_t i = 0; i < w[0].size(); ++i) {
    for (std::int64_t j = 0; j < w[0][i].size(); ++j) ASSERT_EQ(w[0][i][j], w[1][i][j]);
  }
}

TEST(Sequential, PredictMatchesTheForwardPassInInferenceMode) {
  Sequential m = small_model();
  Tensor x, y;
  blobs(10, x, y);
  const Tensor p = m.predict(x, 3);
  EXPECT_EQ(p.shape(), (Shape{10, 1}));
  const Tensor p_all = m.predict(x, 100);
  for (std::int64_t i = 0; i < 10; ++i) {
    EXPECT_FLOAT_EQ(p[i], p_all[i]);
    EXPECT_GT(p[i], 0.0f);
    EXPECT_LT(p[i], 1.0f);
  }
}

TEST(Sequential, ClassWeightZeroRemovesAClassFromTheLoss) {
  Sequential m = small_model();
  Tensor x, y;
  blobs(64, x, y);
  const History h = m.fit(x, y, {.epochs = 1, .verbose = 0, .shuffle = false, .class_weight = {{0, 0.0}, {1, 0.0}}});
  EXPECT_EQ(h.at("loss")[0], 0.0);
}

TEST(Sequential, MismatchedSampleCountsAreAnInputError) {
  Sequential m = small_model();
  Tensor x(Shape{10, 4}), y(Shape{9});
  try {
    m.fit(x, y, {.verbose = 0});
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("expected 10 labels"));
  }
}

TEST(Callbacks, EarlyStoppingStopsAfterPatienceAndRestoresBestWeights) {
  Sequential m = small_model();
  Tensor x, y;
  blobs(100, x, y);
  EarlyStopping stop({.monitor = "loss", .min_delta = 10.0, .patience = 2, .restore_best_weights = true});
  const History h = m.fit(x, y, {.epochs = 20, .verbose = 0, .callbacks = {&stop}});
  // min_delta 10 means no epoch after the first improves: stops when wait reaches 2.
  EXPECT_EQ(h.epoch.size(), 3u);
  EXPECT_EQ(stop.best_epoch(), 0);
}

TEST(Callbacks, ReduceLROnPlateauLowersTheRateAndLogsIt) {
  Sequential m = small_model();
  Tensor x, y;
  blobs(100, x, y);
  ReduceLROnPlateau reduce({.monitor = "loss", .factor = 0.5, .patience = 1, .min_delta = 10.0});
  const History h = m.fit(x, y, {.epochs = 3, .verbose = 0, .callbacks = {&reduce}});
  ASSERT_EQ(h.at("learning_rate").size(), 3u);
  // Keras logs the rate in use before deciding: epoch 0 improves (best was inf), epoch 1 does
  // not (min_delta 10) and halves the rate for epoch 2.
  EXPECT_NEAR(h.at("learning_rate")[0], 0.001, 1e-12);
  EXPECT_NEAR(h.at("learning_rate")[1], 0.001, 1e-12);
  EXPECT_NEAR(h.at("learning_rate")[2], 0.0005, 1e-12);
  EXPECT_NEAR(m.optimizer().learning_rate(), 0.00025, 1e-12);
}

TEST(Callbacks, LearningRateSchedulerSetsTheRatePerEpoch) {
  Sequential m = small_model();
  Tensor x, y;
  blobs(64, x, y);
  LearningRateScheduler schedule([](int epoch, double) { return 0.01 / (epoch + 1); });
  const History h = m.fit(x, y, {.epochs = 3, .verbose = 0, .callbacks = {&schedule}});
  EXPECT_NEAR(h.at("learning_rate")[0], 0.01, 1e-12);
  EXPECT_NEAR(h.at("learning_rate")[2], 0.01 / 3, 1e-12);
}

TEST(Callbacks, LambdaCallbackSeesEveryEpochAndBatch) {
  Sequential m = small_model();
  Tensor x, y;
  blobs(70, x, y);
  int epochs = 0, batches = 0;
  LambdaCallback cb;
  cb.epoch_end = [&](Sequential&, int, Logs&) { ++epochs; };
  cb.batch_end = [&](Sequential&, std::int64_t, const Logs&) { ++batches; };
  m.fit(x, y, {.batch_size = 32, .epochs = 2, .verbose = 0, .callbacks = {&cb}});
  EXPECT_EQ(epochs, 2);
  EXPECT_EQ(batches, 6);  // ceil(70/32) = 3 per epoch, the partial batch kept
}

struct CountingObserver : TrainingObserver {
  int begins = 0, forwards = 0, backwards = 0, updates = 0, ends = 0, losses = 0, epochs = 0;
  std::vector<NonFiniteEvent> non_finite;
  bool updates_wanted = true;
  void on_batch_begin(const BatchInfo&, const Tensor&, const Tensor&) override { ++begins; }
  void on_layer_forward(const BatchInfo&, const Layer&, const Tensor&, const Tensor&) override { ++forwards; }
  void on_loss(const BatchInfo&, double, const Tensor&, const Tensor&) override { ++losses; }
  void on_layer_backward(const BatchInfo&, const Layer& l, const Tensor&, const Tensor*,
                         const ParameterGradients&) override {
    ++backwards;
    for (const auto& p : l.parameters()) EXPECT_EQ(p.grad.shape(), p.trainable ? p.value.shape() : Shape{});
  }
  void on_parameter_update(const BatchInfo&, const Layer&, const Parameter& p, const Tensor& previous) override {
    ++updates;
    EXPECT_EQ(previous.shape(), p.value.shape());
  }
  void on_batch_end(const BatchInfo&, double) override { ++ends; }
  void on_epoch_end(int, const Logs&) override { ++epochs; }
  void on_non_finite(const NonFiniteEvent& e) override { non_finite.push_back(e); }
  bool wants_parameter_updates() const override { return updates_wanted; }
};

TEST(Observer, IsNotifiedAtEveryHookPoint) {
  Sequential m = small_model();
  Tensor x, y;
  blobs(64, x, y);
  CountingObserver obs;
  m.add_observer(&obs);
  m.fit(x, y, {.batch_size = 32, .epochs = 1, .verbose = 0});
  EXPECT_EQ(obs.begins, 2);
  EXPECT_EQ(obs.forwards, 2 * 3);   // InputLayer + 2 Dense per batch
  EXPECT_EQ(obs.backwards, 2 * 2);  // the 2 Dense: backward stops at the lowest trainable layer
  EXPECT_EQ(obs.updates, 2 * 4);    // 2 kernels + 2 biases
  EXPECT_EQ(obs.losses, 2);
  EXPECT_EQ(obs.ends, 2);
  EXPECT_EQ(obs.epochs, 1);
  EXPECT_TRUE(obs.non_finite.empty());
  m.remove_observer(&obs);
  m.fit(x, y, {.epochs = 1, .verbose = 0});
  EXPECT_EQ(obs.begins, 2);
}

TEST(Observer, FirstNonFiniteNamesTheLayerAndOp) {
  Sequential m = small_model();
  m.build(Shape{core::kUnknownDim, 4});
  // A NaN weight in the second Dense: the first non-finite value is that layer's forward output.
  m.layer(2).parameters()[0].value[0] = NAN;
  Tensor x, y;
  blobs(32, x, y);
  CountingObserver obs;
  m.add_observer(&obs);
  m.fit(x, y, {.epochs = 1, .verbose = 0});
  ASSERT_EQ(obs.non_finite.size(), 1u);
  const auto& e = obs.non_finite[0];
  EXPECT_EQ(e.layer_index, 2);
  EXPECT_EQ(e.op, "forward");
  EXPECT_TRUE(e.input_finite);
  EXPECT_THAT(e.describe(), HasSubstr("layers[2] Dense \"dense_1\": forward produced nan"));
}

TEST(Observer, DivergingLearningRateIsCaughtInTheUpdateOrBackward) {
  Sequential m("sequential", 0);
  m.add(InputLayer(Shape{4}));
  m.add(Dense({.units = 8, .activation = "relu"}));
  m.add(Dense({.units = 1}));
  m.compile({.optimizer = nlohmann::json{{"class_name", "SGD"}, {"config", {{"learning_rate", 1e6}}}}, .loss = "mse"});
  Tensor x, y;
  blobs(256, x, y);
  for (auto& v : y.values()) v *= 1000.0f;
  CountingObserver obs;
  obs.updates_wanted = false;
  m.add_observer(&obs);
  TerminateOnNaN stop;
  m.fit(x, y, {.epochs = 5, .verbose = 0, .callbacks = {&stop}});
  ASSERT_EQ(obs.non_finite.size(), 1u);
  EXPECT_NE(obs.non_finite[0].op, "");
}

// Finite gradients, a step so large the weight overflows: the event names the update that wrote
// the inf (found at the next forward pass, as weights are not scanned after every step).
TEST(Observer, OverflowingUpdateIsNamedWithTheStepThatWroteIt) {
  Sequential m("sequential", 0);
  m.add(InputLayer(Shape{4}));
  m.add(Dense({.units = 1}));
  m.compile({.optimizer = nlohmann::json{{"class_name", "SGD"}, {"config", {{"learning_rate", 1e37}}}}, .loss = "mse"});
  Tensor x, y;
  blobs(32, x, y);
  for (auto& v : y.values()) v = 1000.0f;
  CountingObserver obs;
  obs.updates_wanted = false;
  m.add_observer(&obs);
  m.fit(x, y, {.batch_size = 32, .epochs = 3, .verbose = 0});
  ASSERT_EQ(obs.non_finite.size(), 1u);
  const auto& e = obs.non_finite[0];
  EXPECT_EQ(e.op, "update");
  EXPECT_EQ(e.batch.step, 0);
  EXPECT_EQ(e.layer_index, 1);
  EXPECT_TRUE(e.input_finite);  // the gradient was finite: the step size overflowed the weight
}

TEST(Sequential, FromKeras2AndKeras3Json) {
  const auto k2 = nlohmann::json::parse(R"({"class_name": "Sequential", "config": {"name": "sequential", "layers": [
 {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 10], "dtype": "float32", "sparse": false, "ragged": false, "name": "dense_input"}},
 {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "batch_input_shape": [null, 10], "dtype": "float32", "units": 64, "activation": "relu", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}},
 {"class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "dtype": "float32", "units": 1, "activation": "linear", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}}]},
 "keras_version": "2.10.0", "backend": "tensorflow"})");
  Sequential m = Sequential::from_config(k2);
  EXPECT_TRUE(m.built());
  EXPECT_EQ(m.count_params(), 769);
  EXPECT_EQ(m.layer(1).name(), "dense");
  const auto k3 = nlohmann::json::parse(R"({"module": "keras", "class_name": "Sequential", "config": {"name": "seq", "trainable": true,
  "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
  "layers": [
   {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 10], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer"}, "registered_name": null},
   {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 64, "activation": "relu", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 10]}}],
  "build_input_shape": [null, 10]}, "registered_name": null, "build_config": {"input_shape": [null, 10]}})");
  Sequential m3 = Sequential::from_config(k3);
  EXPECT_EQ(m3.count_params(), 704);
  // Round trip through our own serialisation.
  Sequential again = Sequential::from_config(m.to_config());
  EXPECT_EQ(again.count_params(), 769);
  EXPECT_EQ(again.to_config(), m.to_config());
}

TEST(Sequential, UnknownLayerClassSuggests) {
  const auto j = nlohmann::json::parse(R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dens", "config": {"units": 3}}]}})");
  try {
    Sequential::from_config(j, "model.json");
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("model.json: layers[0]"));
    EXPECT_THAT(e.what(), HasSubstr("Did you mean \"Dense\"?"));
  }
}

TEST(Sequential, InvalidLayerConfigNamesTheKey) {
  const auto j = nlohmann::json::parse(R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dropout", "config": {"name": "d", "rate": 1.5}}]}})");
  try {
    Sequential::from_config(j, "model.json");
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("model.json: layers[0]: Dropout \"d\": rate"));
  }
}

// tf.keras 2 writes a BatchNormalization's axis as the index it resolved: [1] after a Dense on
// (batch, features), [3] after a Conv2D on (batch, h, w, c) — the last axis, which the engine
// normalises. An axis that is not the last is refused at build time, naming the layer.
TEST(Sequential, Keras2ResolvedNormalizationAxesAreTheLastAxis) {
  auto model_with = [](const char* axis, const char* input) {
    return nlohmann::json::parse(std::string(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
     {"class_name": "InputLayer", "config": {"batch_input_shape": )") + input + R"(}},
     {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": )" + axis + R"(}},
     {"class_name": "LayerNormalization", "config": {"name": "ln", "axis": )" + axis + R"(}}]}})");
  };
  EXPECT_TRUE(Sequential::from_config(model_with("[1]", "[null, 6]")).built());
  EXPECT_TRUE(Sequential::from_config(model_with("[3]", "[null, 5, 5, 2]")).built());
  EXPECT_TRUE(Sequential::from_config(model_with("-1", "[null, 5, 5, 2]")).built());
  EXPECT_TRUE(Sequential::from_config(model_with("[-1]", "[null, 6]")).built());
  try {
    Sequential::from_config(model_with("[1]", "[null, 5, 5, 2]"), "model.json");
    FAIL() << "a channels_first axis was accepted";
  } catch (const core::Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("\"bn\""));
    EXPECT_THAT(e.what(), HasSubstr("axis 1"));
  }
  EXPECT_THROW(Sequential::from_config(model_with("-2", "[null, 6]")), core::ConfigError);
  EXPECT_THROW(Sequential::from_config(model_with("[1, 2]", "[null, 5, 5, 2]")), core::ConfigError);
}

}  // namespace
}  // namespace fitcheck::nn
