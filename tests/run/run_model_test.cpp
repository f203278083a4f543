// build_run_model: the engine model of a run file. A Functional model whose graph is a chain
// (tf.keras 2 "Functional" / old "Model", Keras 3 "Functional" with __keras_tensor__ nodes) trains
// as the Sequential of its layers — the doctor's probe and `fitcheck fit` both build through here.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/run/run_model.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

json dense(const std::string& name, int units, const std::string& activation) {
  return {{"class_name", "Dense"},
          {"config", {{"name", name}, {"trainable", true}, {"dtype", "float32"}, {"units", units},
                      {"activation", activation}, {"use_bias", true},
                      {"kernel_initializer", {{"class_name", "GlorotUniform"}, {"config", {{"seed", nullptr}}}}},
                      {"bias_initializer", {{"class_name", "Zeros"}, {"config", json::object()}}}}}};
}

// tf.keras 2 model.to_json() of Input(4) -> Dense(8, relu) -> Dense(3, softmax).
json functional_k2(const std::string& class_name = "Functional") {
  json in = {{"class_name", "InputLayer"},
             {"config", {{"batch_input_shape", {nullptr, 4}}, {"dtype", "float32"}, {"name", "input_1"}}},
             {"name", "input_1"}, {"inbound_nodes", json::array()}};
  json d1 = dense("hidden", 8, "relu");
  d1["name"] = "hidden";
  d1["inbound_nodes"] = {{{"input_1", 0, 0, json::object()}}};
  json d2 = dense("out", 3, "softmax");
  d2["name"] = "out";
  d2["inbound_nodes"] = {{{"hidden", 0, 0, json::object()}}};
  return {{"class_name", class_name},
          {"config", {{"name", "model"}, {"layers", {in, d2, d1}},  // listed out of call order on purpose
                      {"input_layers", {{"input_1", 0, 0}}}, {"output_layers", {{"out", 0, 0}}}}},
          {"keras_version", "2.12.0"}, {"backend", "tensorflow"}};
}

json keras_tensor(const std::string& from, int width) {
  return {{"class_name", "__keras_tensor__"},
          {"config", {{"shape", {nullptr, width}}, {"dtype", "float32"}, {"keras_history", {from, 0, 0}}}}};
}

// Keras 3 model.to_json() of the same chain.
json functional_k3() {
  json in = {{"module", "keras.layers"}, {"class_name", "InputLayer"},
             {"config", {{"batch_shape", {nullptr, 4}}, {"dtype", "float32"}, {"sparse", false}, {"name", "input_layer"}}},
             {"registered_name", nullptr}, {"name", "input_layer"}, {"inbound_nodes", json::array()}};
  json d1 = dense("dense", 8, "relu");
  d1["module"] = "keras.layers";
  d1["name"] = "dense";
  d1["inbound_nodes"] = {{{"args", {keras_tensor("input_layer", 4)}}, {"kwargs", json::object()}}};
  json d2 = dense("dense_1", 3, "softmax");
  d2["module"] = "keras.layers";
  d2["name"] = "dense_1";
  d2["inbound_nodes"] = {{{"args", {keras_tensor("dense", 8)}}, {"kwargs", json::object()}}};
  return {{"module", "keras.src.models.functional"}, {"class_name", "Functional"},
          {"config", {{"name", "functional"}, {"trainable", true}, {"layers", {in, d1, d2}},
                      {"input_layers", {"input_layer", 0, 0}}, {"output_layers", {"dense_1", 0, 0}}}},
          {"registered_name", "Functional"}, {"build_config", {{"input_shape", nullptr}}}};
}

io::RunSpec run_with_model(const json& model) {
  json doc = {{"data", {{"train", {{"x", "x.npy"}, {"y", "y.npy"}}}}},
              {"model", model},
              {"compile", {{"optimizer", "adam"}, {"loss", "sparse_categorical_crossentropy"}}}};
  return io::parse_run_spec(doc, "run.json", ".");
}

void expect_chain(nn::Sequential& model) {
  ASSERT_TRUE(model.built());
  ASSERT_EQ(model.size(), 3u);  // InputLayer, Dense, Dense
  EXPECT_EQ(model.layer(1).class_name(), "Dense");
  EXPECT_EQ(model.layer(1).output_shape(), (core::Shape{core::kUnknownDim, 8}));
  EXPECT_EQ(model.layer(2).output_shape(), (core::Shape{core::kUnknownDim, 3}));
  core::Tensor x(core::Shape{5, 4}, 0.25f);
  EXPECT_EQ(model.predict(x).shape(), (core::Shape{5, 3}));
}

TEST(BuildRunModel, TrainsAKeras2FunctionalChainInCallOrder) {
  auto model = run::build_run_model(run_with_model(functional_k2()));
  expect_chain(model);
  EXPECT_EQ(model.layer(1).name(), "hidden");
  EXPECT_EQ(model.layer(2).name(), "out");
}

TEST(BuildRunModel, TrainsTheOldModelClassName) {
  auto model = run::build_run_model(run_with_model(functional_k2("Model")));
  expect_chain(model);
}

TEST(BuildRunModel, TrainsAKeras3FunctionalChain) {
  auto model = run::build_run_model(run_with_model(functional_k3()));
  expect_chain(model);
  EXPECT_EQ(model.layer(2).name(), "dense_1");
}

TEST(BuildRunModel, RefusesABranchingFunctionalModelWithTheImportersMessage) {
  json m = functional_k2();
  // "out" now takes both the input and "hidden": not a chain.
  m["config"]["layers"][1]["inbound_nodes"] = {{{"hidden", 0, 0, json::object()}, {"input_1", 0, 0, json::object()}}};
  try {
    run::build_run_model(run_with_model(m));
    FAIL() << "a branching model was accepted";
  } catch (const core::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("not a chain"), std::string::npos) << e.what();
  }
}

// Keras <= 2.2 wrote a Sequential's config as the bare list of its layers.
TEST(BuildRunModel, TrainsAKeras22SequentialWhoseConfigIsTheLayerList) {
  json first = dense("dense", 8, "relu");
  first["config"]["batch_input_shape"] = {nullptr, 4};
  json old = {{"class_name", "Sequential"}, {"config", {first, dense("dense_1", 3, "softmax")}},
              {"keras_version", "2.2.4"}, {"backend", "tensorflow"}};
  auto model = run::build_run_model(run_with_model(old));
  expect_chain(model);
}

// model.H5 (Windows users, shouted extensions) is the same legacy .h5 the static checks read.
TEST(BuildRunModel, ModelFileExtensionsAreCaseInsensitive) {
  test::TempDir dir;
  std::filesystem::copy_file(test::test_data_path("keras/fixtures/dense_bn.h5"), dir.path() / "model.H5");
  json doc = {{"data", {{"train", {{"x", "x.npy"}, {"y", "y.npy"}}}}}, {"model", "model.H5"},
              {"compile", {{"optimizer", "adam"}, {"loss", "categorical_crossentropy"}}}};
  auto model = run::build_run_model(io::parse_run_spec(doc, "run.json", dir.path()));
  EXPECT_TRUE(model.built());
  EXPECT_EQ(model.layer(model.size() - 1).output_shape(), (core::Shape{core::kUnknownDim, 2}));
}

TEST(BuildRunModel, SequentialModelsAreUnchanged) {
  json seq = {{"class_name", "Sequential"},
              {"config", {{"name", "sequential"},
                          {"layers", {{{"class_name", "InputLayer"}, {"config", {{"batch_input_shape", {nullptr, 4}}}}},
                                      dense("dense", 8, "relu"), dense("dense_1", 3, "softmax")}}}}};
  auto model = run::build_run_model(run_with_model(seq));
  expect_chain(model);
}

}  // namespace
