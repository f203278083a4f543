#include "fitcheck/io/keras_model.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "support/test_data.hpp"

namespace {

using fitcheck::core::ConfigError;
using fitcheck::core::Shape;
using fitcheck::core::kUnknownDim;
using fitcheck::io::ModelSpec;
using fitcheck::io::parse_keras_model;
using nlohmann::json;

// model.to_json() of Sequential([Dense(64, "relu", input_shape=(10,)), Dense(1)]) in tf.keras 2.10.
const char* kKeras2Sequential = R"({"class_name": "Sequential", "config": {"name": "sequential", "layers": [
 {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 10], "dtype": "float32", "sparse": false, "ragged": false, "name": "dense_input"}},
 {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "batch_input_shape": [null, 10], "dtype": "float32", "units": 64, "activation": "relu", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}},
 {"class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "dtype": "float32", "units": 1, "activation": "linear", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}}]},
 "keras_version": "2.10.0", "backend": "tensorflow"})";

const char* kKeras3Sequential = R"({"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
  "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
  "layers": [
   {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 10], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer"}, "registered_name": null},
   {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 64, "activation": "relu", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 10]}},
   {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 1, "activation": "linear", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 64]}}],
  "build_input_shape": [null, 10]},
 "registered_name": null, "build_config": {"input_shape": [null, 10]},
 "compile_config": {"optimizer": {"module": "keras.optimizers", "class_name": "Adam", "config": {"name": "adam", "learning_rate": 0.0010000000474974513}, "registered_name": null}, "loss": "binary_crossentropy", "metrics": ["accuracy"]}})";

void expect_same_model(const ModelSpec& a, const ModelSpec& b) {
  ASSERT_EQ(a.layers.size(), b.layers.size());
  EXPECT_EQ(a.input_shape, b.input_shape);
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    EXPECT_EQ(a.layers[i].class_name, b.layers[i].class_name);
    EXPECT_EQ(a.layers[i].config, b.layers[i].config) << a.layers[i].where;
  }
}

TEST(KerasModel, Keras2AndKeras3SequentialNormaliseToTheSameSpec) {
  auto k2 = parse_keras_model(json::parse(kKeras2Sequential), "k2.json");
  auto k3 = parse_keras_model(json::parse(kKeras3Sequential), "k3.json");
  EXPECT_EQ(k2.dialect, ModelSpec::Dialect::Keras2);
  EXPECT_EQ(k3.dialect, ModelSpec::Dialect::Keras3);
  ASSERT_TRUE(k2.input_shape.has_value());
  EXPECT_EQ(*k2.input_shape, (Shape{kUnknownDim, 10}));
  EXPECT_EQ(k2.layers.size(), 2u);
  EXPECT_EQ(k2.layers[0].name, "dense");
  EXPECT_EQ(k3.layers[0].config["dtype"], "float32");
  EXPECT_EQ(k3.layers[0].config["kernel_initializer"],
            json::parse(R"({"class_name": "GlorotUniform", "config": {"seed": null}})"));
  EXPECT_FALSE(k2.layers[0].config.contains("batch_input_shape"));
  expect_same_model(k2, k3);
  ASSERT_TRUE(k3.compile_config.has_value());
  EXPECT_EQ((*k3.compile_config)["optimizer"]["class_name"], "Adam");
  EXPECT_FALSE((*k3.compile_config)["optimizer"].contains("module"));
}

TEST(KerasModel, InputShapeFromFirstLayerWithoutBatchAxis) {
  auto spec = parse_keras_model(json::parse(R"({"class_name": "Sequential", "config": {"layers": [
      {"class_name": "Flatten", "config": {"name": "f", "input_shape": [28, 28]}},
      {"class_name": "Dense", "config": {"name": "d", "units": 10}}]}})"), "m.json");
  ASSERT_TRUE(spec.input_shape.has_value());
  EXPECT_EQ(*spec.input_shape, (Shape{kUnknownDim, 28, 28}));
  EXPECT_FALSE(spec.layers[0].config.contains("input_shape"));
}

TEST(KerasModel, ModelWithoutInputShapeIsDeferred) {
  auto spec = parse_keras_model(json::parse(R"({"class_name": "Sequential", "config": {"layers": [
      {"class_name": "Dense", "config": {"name": "d", "units": 10}}]}})"), "m.json");
  EXPECT_FALSE(spec.input_shape.has_value());
}

TEST(KerasModel, OldKerasListConfig) {
  auto spec = parse_keras_model(json::parse(R"({"class_name": "Sequential", "config": [
      {"class_name": "Dense", "config": {"name": "d", "units": 3, "batch_input_shape": [null, 4]}}]})"), "m.json");
  EXPECT_EQ(*spec.input_shape, (Shape{kUnknownDim, 4}));
  ASSERT_EQ(spec.layers.size(), 1u);
}

TEST(KerasModel, Keras2FunctionalChainIsOrderedFromInputToOutput) {
  // Layers listed out of call order on purpose: the graph, not the list, decides.
  auto spec = parse_keras_model(json::parse(R"({"class_name": "Functional", "config": {"name": "model",
      "layers": [
        {"class_name": "Dense", "name": "out", "config": {"name": "out", "units": 1}, "inbound_nodes": [[["hidden", 0, 0, {}]]]},
        {"class_name": "InputLayer", "name": "input_1", "config": {"batch_input_shape": [null, 5], "name": "input_1"}, "inbound_nodes": []},
        {"class_name": "Dense", "name": "hidden", "config": {"name": "hidden", "units": 8}, "inbound_nodes": [[["input_1", 0, 0, {}]]]}],
      "input_layers": [["input_1", 0, 0]], "output_layers": [["out", 0, 0]]}})"), "f.json");
  ASSERT_EQ(spec.layers.size(), 2u);
  EXPECT_EQ(spec.layers[0].name, "hidden");
  EXPECT_EQ(spec.layers[1].name, "out");
  EXPECT_EQ(*spec.input_shape, (Shape{kUnknownDim, 5}));
}

TEST(KerasModel, Keras3FunctionalChain) {
  auto spec = parse_keras_model(json::parse(R"({"module": "keras.src.models.functional", "class_name": "Functional",
      "registered_name": "Functional", "config": {"name": "functional",
      "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "input_layer"}, "registered_name": null, "name": "input_layer", "inbound_nodes": []},
        {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 2}, "registered_name": null, "name": "dense",
         "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}]}],
      "input_layers": ["input_layer", 0, 0], "output_layers": ["dense", 0, 0]}, "build_config": {"input_shape": null}})"), "f3.json");
  ASSERT_EQ(spec.layers.size(), 1u);
  EXPECT_EQ(spec.layers[0].class_name, "Dense");
  EXPECT_EQ(*spec.input_shape, (Shape{kUnknownDim, 3}));
}

TEST(KerasModel, BranchingFunctionalModelIsRefusedNamingTheLayer) {
  auto model = json::parse(R"({"class_name": "Functional", "config": {"name": "m", "layers": [
      {"class_name": "InputLayer", "name": "in", "config": {"batch_input_shape": [null, 4], "name": "in"}, "inbound_nodes": []},
      {"class_name": "Dense", "name": "a", "config": {"name": "a", "units": 4}, "inbound_nodes": [[["in", 0, 0, {}]]]},
      {"class_name": "Dense", "name": "b", "config": {"name": "b", "units": 4}, "inbound_nodes": [[["in", 0, 0, {}]]]},
      {"class_name": "Add", "name": "sum", "config": {"name": "sum"}, "inbound_nodes": [[["a", 0, 0, {}], ["b", 0, 0, {}]]]}],
      "input_layers": [["in", 0, 0]], "output_layers": [["sum", 0, 0]]}})");
  try {
    (void)parse_keras_model(model, "branch.json");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("\"sum\" takes 2 inputs"), std::string::npos) << e.what();
  }
}

TEST(KerasModel, ErrorsNameTheJsonPath) {
  try {
    (void)parse_keras_model(json::parse(R"({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Dense", "config": {"name": "d", "batch_input_shape": [null, "ten"]}}]}})"), "m.json");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("m.json: /config/layers/0/config/batch_input_shape/1"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW((void)parse_keras_model(json::parse(R"({"class_name": "MyModel", "config": {}})"), "m.json"), ConfigError);
  EXPECT_THROW((void)parse_keras_model(json::parse(R"([1, 2])"), "m.json"), ConfigError);
  EXPECT_THROW((void)parse_keras_model(json::parse(R"({"config": {}})"), "m.json"), ConfigError);
}

// Every development case's model normalises, with its declared input shape.
TEST(KerasModel, EveryDevelopmentCaseModelLoads) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fitcheck::test::test_case_path(""))) {
    auto model = entry.path() / "model.json";
    if (!std::filesystem::exists(model)) continue;
    auto spec = fitcheck::io::load_keras_model_json(model);
    EXPECT_FALSE(spec.layers.empty()) << model;
    for (const auto& layer : spec.layers) {
      EXPECT_FALSE(layer.config.contains("module")) << layer.where;
      if (layer.config.contains("dtype")) {
        EXPECT_TRUE(layer.config["dtype"].is_string()) << layer.where;
      }
    }
    ++count;
  }
  EXPECT_GE(count, 10);
}

}  // namespace
