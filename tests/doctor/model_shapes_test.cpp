// Static shape inference: output shapes and parameter counts from the layer formulas of
// reference/keras.md section 5, and the problems it must name.
#include "fitcheck/doctor/model_shapes.hpp"

#include <gtest/gtest.h>

namespace {

using fitcheck::core::kUnknownDim;
using fitcheck::core::Shape;
using fitcheck::doctor::infer_model_shapes;
using nlohmann::json;

fitcheck::io::ModelSpec model(const std::string& layers) {
  return fitcheck::io::parse_keras_model(json{{"class_name", "Sequential"}, {"config", {{"layers", json::parse(layers)}}}},
                                         "m.json");
}

constexpr std::int64_t N = kUnknownDim;

TEST(ModelShapes, DenseStackMatchesKerasCounts) {
  // Dense(64) on 10 inputs → 704; Dense(1) → 65; total 769 (reference example).
  auto s = infer_model_shapes(model(R"([{"class_name": "Dense", "config": {"name": "a", "units": 64}},
                                        {"class_name": "Dense", "config": {"name": "b", "units": 1}}])"),
                              Shape{N, 10});
  ASSERT_TRUE(s.complete);
  EXPECT_EQ(s.layers[0].params, 704);
  EXPECT_EQ(s.layers[1].params, 65);
  EXPECT_EQ(s.total_params, 769);
  EXPECT_EQ(s.output, (Shape{N, 1}));
}

TEST(ModelShapes, ConvPoolFlattenDense) {
  auto s = infer_model_shapes(model(R"([
      {"class_name": "Conv2D", "config": {"name": "c", "filters": 32, "kernel_size": [3, 3]}},
      {"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": [2, 2]}},
      {"class_name": "Conv2D", "config": {"name": "c2", "filters": 8, "kernel_size": 3, "padding": "same", "strides": 2}},
      {"class_name": "Flatten", "config": {"name": "f"}},
      {"class_name": "Dense", "config": {"name": "d", "units": 10}}])"),
                              Shape{N, 28, 28, 1});
  ASSERT_TRUE(s.complete) << (s.problem ? s.problem->message : "");
  EXPECT_EQ(s.layers[0].output, (Shape{N, 26, 26, 32}));
  EXPECT_EQ(s.layers[0].params, 3 * 3 * 1 * 32 + 32);
  EXPECT_EQ(s.layers[1].output, (Shape{N, 13, 13, 32}));
  EXPECT_EQ(s.layers[2].output, (Shape{N, 7, 7, 8}));
  EXPECT_EQ(s.layers[2].params, 3 * 3 * 32 * 8 + 8);
  EXPECT_EQ(s.layers[3].output, (Shape{N, 392}));
  EXPECT_EQ(s.layers[4].params, 392 * 10 + 10);
}

TEST(ModelShapes, RecurrentAndNormalisationCounts) {
  auto s = infer_model_shapes(model(R"([
      {"class_name": "Embedding", "config": {"name": "e", "input_dim": 1000, "output_dim": 16}},
      {"class_name": "LSTM", "config": {"name": "l", "units": 32, "return_sequences": true}},
      {"class_name": "GRU", "config": {"name": "g", "units": 8}},
      {"class_name": "BatchNormalization", "config": {"name": "bn"}},
      {"class_name": "LayerNormalization", "config": {"name": "ln"}},
      {"class_name": "Dense", "config": {"name": "d", "units": 1, "trainable": false}}])"),
                              Shape{N, 50});
  ASSERT_TRUE(s.complete);
  EXPECT_EQ(s.layers[0].output, (Shape{N, 50, 16}));
  EXPECT_EQ(s.layers[0].params, 16000);
  EXPECT_EQ(s.layers[1].output, (Shape{N, 50, 32}));
  EXPECT_EQ(s.layers[1].params, 4 * (32 * (16 + 32) + 32));
  EXPECT_EQ(s.layers[2].params, 3 * (8 * (32 + 8) + 2 * 8));
  EXPECT_EQ(s.layers[3].params, 4 * 8);
  EXPECT_EQ(s.layers[3].trainable_params, 2 * 8);
  EXPECT_EQ(s.layers[4].params, 2 * 8);
  EXPECT_EQ(s.layers[5].trainable_params, 0);
  EXPECT_EQ(s.total_params, 16000 + 4 * (32 * 48 + 32) + 3 * (8 * 40 + 16) + 32 + 16 + 9);
  EXPECT_EQ(s.trainable_params, s.total_params - 16 - 9);
}

TEST(ModelShapes, BidirectionalAndTimeDistributed) {
  auto s = infer_model_shapes(model(R"([
      {"class_name": "TimeDistributed", "config": {"name": "td", "layer": {"class_name": "Dense", "config": {"name": "x", "units": 4}}}},
      {"class_name": "Bidirectional", "config": {"name": "bi", "layer": {"class_name": "LSTM", "config": {"name": "l", "units": 5}}}}])"),
                              Shape{N, 7, 3});
  ASSERT_TRUE(s.complete);
  EXPECT_EQ(s.layers[0].output, (Shape{N, 7, 4}));
  EXPECT_EQ(s.layers[0].params, 16);
  EXPECT_EQ(s.layers[1].output, (Shape{N, 10}));
  EXPECT_EQ(s.layers[1].params, 2 * 4 * (5 * (4 + 5) + 5));
}

TEST(ModelShapes, Conv2DIntoLstmIsAnIncompatibility) {
  auto s = infer_model_shapes(model(R"([
      {"class_name": "Conv2D", "config": {"name": "c", "filters": 32, "kernel_size": [3, 3]}},
      {"class_name": "LSTM", "config": {"name": "l", "units": 64}}])"),
                              Shape{N, 28, 28, 1});
  ASSERT_TRUE(s.problem.has_value());
  EXPECT_EQ(s.problem->category, "model.incompatible_layers");
  EXPECT_EQ(s.problem->layer, "l");
  EXPECT_EQ(s.problem->received, (Shape{N, 26, 26, 32}));
  ASSERT_FALSE(s.problem->fixes.empty());
  EXPECT_NE(s.problem->fixes[0].find("Reshape((26, 832))"), std::string::npos) << s.problem->fixes[0];
}

TEST(ModelShapes, FirstLayerAgainstDataIsADataShapeMismatch) {
  auto m = model(R"([{"class_name": "Conv2D", "config": {"name": "c", "filters": 4, "kernel_size": 3}}])");
  auto from_data = infer_model_shapes(m, Shape{N, 28, 28}, true);
  ASSERT_TRUE(from_data.problem.has_value());
  EXPECT_EQ(from_data.problem->category, "data.shape_mismatch");
  EXPECT_NE(from_data.problem->fixes[0].find("(None, 28, 28, 1)"), std::string::npos) << from_data.problem->fixes[0];
  auto declared = infer_model_shapes(m, Shape{N, 28, 28}, false);
  EXPECT_EQ(declared.problem->category, "model.incompatible_layers");
}

TEST(ModelShapes, KernelLargerThanInputAndBadReshape) {
  auto big = infer_model_shapes(model(R"([{"class_name": "Conv2D", "config": {"name": "c", "filters": 4, "kernel_size": 5}}])"),
                                Shape{N, 3, 3, 1});
  ASSERT_TRUE(big.problem.has_value());
  EXPECT_EQ(big.problem->category, "model.invalid_config");
  auto reshape = infer_model_shapes(model(R"([{"class_name": "Reshape", "config": {"name": "r", "target_shape": [28, 28, 1]}}])"),
                                    Shape{N, 780});
  ASSERT_TRUE(reshape.problem.has_value());
  EXPECT_EQ(reshape.problem->category, "model.invalid_config");
  auto free_axis = infer_model_shapes(model(R"([{"class_name": "Reshape", "config": {"name": "r", "target_shape": [-1, 28]}}])"),
                                      Shape{N, 784});
  EXPECT_EQ(free_axis.output, (Shape{N, 28, 28}));
}

TEST(ModelShapes, UnknownLayerStopsTheAnalysisWithoutAProblem) {
  auto s = infer_model_shapes(model(R"([{"class_name": "Dense", "config": {"name": "a", "units": 4}},
                                        {"class_name": "MyCustomLayer", "config": {"name": "x"}}])"),
                              Shape{N, 3});
  EXPECT_FALSE(s.complete);
  EXPECT_FALSE(s.problem.has_value());
  EXPECT_EQ(s.unknown_layers, std::vector<std::string>{"MyCustomLayer"});
}

}  // namespace

namespace {

// The static pass refuses what the engine refuses at build: an output axis of size 0.
TEST(ModelShapes, AnEmptyOutputAxisIsAnInvalidConfig) {
  auto s = infer_model_shapes(model(R"([
      {"class_name": "Conv2DTranspose", "config": {"name": "up", "filters": 4, "kernel_size": 16, "strides": 2,
                                                   "padding": "same", "output_padding": 0}},
      {"class_name": "Flatten", "config": {"name": "f"}}])"),
                              Shape{fitcheck::core::kUnknownDim, 1, 4, 1});
  ASSERT_TRUE(s.problem.has_value());
  EXPECT_EQ(s.problem->category, "model.invalid_config");
  EXPECT_EQ(s.problem->layer, "up");
  EXPECT_EQ(s.problem->axis, 1);
  EXPECT_FALSE(s.complete);
}

}  // namespace
