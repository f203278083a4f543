// The doctor's static shape model (model_shapes.cpp) and the engine's layers must tell the same
// story for recurrent models: the same output shape and parameter count for every layer, and the
// same refusal (with the same Reshape fix) for a rank-4 input to an LSTM.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/doctor/model_shapes.hpp"
#include "fitcheck/nn/sequential.hpp"

namespace {

using fitcheck::core::kUnknownDim;
using fitcheck::core::Shape;
using nlohmann::json;

json sequential(const std::string& layers) {
  return json{{"class_name", "Sequential"}, {"config", {{"name", "m"}, {"layers", json::parse(layers)}}}};
}

void expect_agreement(const std::string& layers, const Shape& input) {
  SCOPED_TRACE(layers);
  const json spec = sequential(layers);
  const auto doctor = fitcheck::doctor::infer_model_shapes(fitcheck::io::parse_keras_model(spec, "m.json"), input);
  ASSERT_TRUE(doctor.complete) << (doctor.problem ? doctor.problem->message : "unknown layers");
  auto model = fitcheck::nn::Sequential::from_config(spec, "m.json");
  model.build(input);
  ASSERT_EQ(doctor.layers.size(), model.size());
  for (std::size_t i = 0; i < model.size(); ++i) {
    EXPECT_EQ(doctor.layers[i].output, model.layer(i).output_shape()) << model.layer(i).where();
    EXPECT_EQ(doctor.layers[i].params, model.layer(i).count_params()) << model.layer(i).where();
  }
  EXPECT_EQ(doctor.total_params, model.count_params());
}

TEST(RecurrentShapesAgreement, LayersAndOptions) {
  expect_agreement(R"([{"class_name": "LSTM", "config": {"name": "a", "units": 7, "return_sequences": true}},
                       {"class_name": "LSTM", "config": {"name": "b", "units": 3}}])",
                   Shape{kUnknownDim, 12, 5});
  expect_agreement(R"([{"class_name": "GRU", "config": {"name": "a", "units": 6, "return_sequences": true}},
                       {"class_name": "GRU", "config": {"name": "b", "units": 4, "reset_after": false}},
                       {"class_name": "Dense", "config": {"name": "d", "units": 1}}])",
                   Shape{kUnknownDim, 9, 3});
  expect_agreement(R"([{"class_name": "SimpleRNN", "config": {"name": "a", "units": 5, "use_bias": false,
                                                              "return_sequences": true}},
                       {"class_name": "LSTM", "config": {"name": "b", "units": 2, "use_bias": false}}])",
                   Shape{kUnknownDim, 4, 2});
  expect_agreement(R"([{"class_name": "Embedding", "config": {"name": "e", "input_dim": 100, "output_dim": 8}},
                       {"class_name": "Bidirectional", "config": {"name": "bi", "layer":
                           {"class_name": "LSTM", "config": {"name": "l", "units": 5, "return_sequences": true}}}},
                       {"class_name": "Bidirectional", "config": {"name": "bi2", "merge_mode": "sum", "layer":
                           {"class_name": "GRU", "config": {"name": "g", "units": 3}}}}])",
                   Shape{kUnknownDim, 20});
  expect_agreement(R"([{"class_name": "TimeDistributed", "config": {"name": "td", "layer":
                           {"class_name": "Dense", "config": {"name": "x", "units": 4}}}},
                       {"class_name": "LSTM", "config": {"name": "l", "units": 6}}])",
                   Shape{kUnknownDim, 7, 3});
}

TEST(RecurrentShapesAgreement, BothRefuseARankFourInputWithTheSameReshape) {
  const json spec = sequential(R"([{"class_name": "Reshape", "config": {"name": "r", "target_shape": [26, 26, 32]}},
                                   {"class_name": "LSTM", "config": {"name": "l", "units": 64}}])");
  const Shape input{kUnknownDim, 26 * 26 * 32};
  const auto doctor = fitcheck::doctor::infer_model_shapes(fitcheck::io::parse_keras_model(spec, "m.json"), input);
  ASSERT_TRUE(doctor.problem.has_value());
  EXPECT_EQ(doctor.problem->layer, "l");
  ASSERT_FALSE(doctor.problem->fixes.empty());
  EXPECT_THAT(doctor.problem->fixes[0], ::testing::HasSubstr("Reshape((26, 832))"));
  auto model = fitcheck::nn::Sequential::from_config(spec, "m.json");
  try {
    model.build(input);
    FAIL() << "the engine built it";
  } catch (const fitcheck::core::ShapeError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("LSTM \"l\""));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("Reshape((26, 832))"));
  }
}

}  // namespace
