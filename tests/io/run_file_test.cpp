#include "fitcheck/io/run_file.hpp"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/json_file.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

using fitcheck::core::ConfigError;
using fitcheck::core::InputError;
using fitcheck::io::DataSource;
using fitcheck::io::parse_run_spec;
using nlohmann::json;
using testing::HasSubstr;

namespace {

json minimal() {
  return json::parse(R"({
    "data": {"train": {"csv": "train.csv", "target": "label"}},
    "model": "model.json",
    "compile": {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
    "fit": {"epochs": 10, "batch_size": 32, "validation_split": 0.2, "seed": 42}
  })");
}

std::string run_error_of(const json& doc) {
  try {
    (void)parse_run_spec(doc, "run.json", "/cases/a");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(RunFile, ParsesTheDesignExample) {
  auto spec = parse_run_spec(minimal(), "run.json", "/cases/a");
  EXPECT_EQ(spec.train.kind, DataSource::Kind::Csv);
  EXPECT_EQ(spec.train.csv, std::filesystem::path("/cases/a/train.csv"));
  EXPECT_EQ(spec.train.target, "label");
  EXPECT_EQ(spec.model_path, std::filesystem::path("/cases/a/model.json"));
  EXPECT_EQ(spec.loss, "binary_crossentropy");
  EXPECT_EQ(spec.fit.epochs, 10);
  EXPECT_DOUBLE_EQ(spec.fit.validation_split, 0.2);
  EXPECT_TRUE(spec.fit.seed_given);
  EXPECT_EQ(spec.fit.seed, 42u);
  EXPECT_EQ(spec.preprocess, "none");
}

TEST(RunFile, DefaultsFollowKeras) {
  json doc = minimal();
  doc.erase("fit");
  doc["compile"].erase("optimizer");
  auto spec = parse_run_spec(doc, "run.json", ".");
  EXPECT_EQ(spec.fit.batch_size, 32);
  EXPECT_EQ(spec.fit.epochs, 1);
  EXPECT_TRUE(spec.fit.shuffle);
  EXPECT_EQ(spec.optimizer, "rmsprop");
}

TEST(RunFile, WrongTypeNamesThePathExpectedAndGot) {
  json doc = minimal();
  doc["fit"]["batch_size"] = "32";
  EXPECT_EQ(run_error_of(doc), "run.json: /fit/batch_size: wrong value; expected a positive integer, got a string \"32\".");
}

TEST(RunFile, MisspeltKeySuggestsTheNearest) {
  json doc = minimal();
  doc["fit"]["epoch"] = 3;
  EXPECT_THAT(run_error_of(doc), HasSubstr("/fit/epoch: unknown key \"epoch\". Did you mean \"epochs\"?"));
  json top = minimal();
  top["compiel"] = json::object();
  EXPECT_THAT(run_error_of(top), HasSubstr("Did you mean \"compile\"?"));
}

TEST(RunFile, NumpyAndNpzSources) {
  json doc = minimal();
  doc["data"]["train"] = {{"x", "x.npy"}, {"y", "y.npy"}};
  doc["data"]["test"] = {{"npz", "d.npz"}, {"x", "x_test"}, {"y", "y_test"}};
  auto spec = parse_run_spec(doc, "run.json", "base");
  EXPECT_EQ(spec.train.kind, DataSource::Kind::Npy);
  EXPECT_EQ(spec.train.y, std::filesystem::path("base/y.npy"));
  ASSERT_TRUE(spec.test);
  EXPECT_EQ(spec.test->kind, DataSource::Kind::Npz);
  EXPECT_EQ(spec.test->x_key, "x_test");
}

TEST(RunFile, TrainingDataNeedsLabels) {
  json doc = minimal();
  doc["data"]["train"].erase("target");
  EXPECT_THAT(run_error_of(doc), HasSubstr("/data/train: the CSV source names no target column"));
  json npy = minimal();
  npy["data"]["train"] = {{"x", "x.npy"}};
  EXPECT_THAT(run_error_of(npy), HasSubstr("the NumPy source has no labels"));
}

TEST(RunFile, ValueRanges) {
  json doc = minimal();
  doc["fit"]["validation_split"] = 1.0;
  EXPECT_THAT(run_error_of(doc), HasSubstr("expected a fraction in [0, 1), got 1.0"));
  doc = minimal();
  doc["fit"]["epochs"] = 0;
  EXPECT_THAT(run_error_of(doc), HasSubstr("/fit/epochs: value out of range; expected a positive integer, got 0"));
  doc = minimal();
  doc["fit"]["class_weight"] = "balance";
  EXPECT_THAT(run_error_of(doc), HasSubstr("/fit/class_weight"));
  doc = minimal();
  doc["preprocess"] = "atuo";
  EXPECT_THAT(run_error_of(doc), HasSubstr("Did you mean \"auto\"?"));
}

TEST(RunFile, KerasObjectsMayBeNamesOrSerialisedObjects) {
  json doc = minimal();
  doc["compile"]["optimizer"] = {{"class_name", "Adam"}, {"config", {{"learning_rate", 10}}}};
  doc["compile"]["loss"] = {{"class_name", "BinaryCrossentropy"}, {"config", {{"from_logits", true}}}};
  auto spec = parse_run_spec(doc, "run.json", ".");
  EXPECT_EQ(spec.optimizer["config"]["learning_rate"], 10);
  doc["compile"]["optimizer"] = {{"config", {}}};
  EXPECT_THAT(run_error_of(doc), HasSubstr("/compile/optimizer: the optimizer object has no class_name"));
}

TEST(RunFile, InvalidJsonNamesLineAndColumn) {
  fitcheck::test::TempDir dir;
  auto p = dir.write("run.json", "{\n  \"data\": {\n    \"train\": {\"csv\": \"a.csv\" \"target\": \"y\"}\n}\n");
  try {
    (void)fitcheck::io::load_run_file(p);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("run.json:3:"));
    EXPECT_THAT(e.what(), HasSubstr("invalid JSON"));
  }
}

// Found by the fuzzer: nlohmann reports a number out of double range as out_of_range, not parse_error.
TEST(RunFile, NumberOutOfRangeIsAnInputError) {
  try {
    (void)fitcheck::io::parse_json_text("{\"lr\": 2282105514105e65345}", "run.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("run.json"));
    EXPECT_THAT(e.what(), HasSubstr("invalid JSON"));
  }
}

TEST(RunFile, MissingFileIsAnInputError) {
  EXPECT_THROW((void)fitcheck::io::load_run_file("/nonexistent/run.json"), InputError);
}

// Every development case's run file must load (tests/cases is a copy of shared/cases).
TEST(RunFile, EveryDevelopmentCaseLoads) {
  const auto cases = fitcheck::test::test_case_path("");
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(cases)) {
    if (!entry.is_directory()) continue;
    auto run = entry.path() / "run.json";
    ASSERT_TRUE(std::filesystem::exists(run)) << run;
    auto spec = fitcheck::io::load_run_file(run);
    if (spec.model_path) {
      EXPECT_TRUE(std::filesystem::exists(*spec.model_path)) << run;
    }
    ++count;
  }
  EXPECT_GE(count, 10);
}

// A saved, compiled Keras model carries its compile settings; a run file that gives no loss trains
// with them (fit after keras.models.load_model), one that gives a loss recompiles.
namespace {
json compiled_k3_model() {
  return json::parse(R"({"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "layers": [
      {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 4], "name": "input_layer"}},
      {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 3, "activation": "softmax"}}]},
    "compile_config": {"optimizer": {"module": "keras.optimizers", "class_name": "RMSprop",
                                     "config": {"name": "rmsprop", "learning_rate": 0.01}, "registered_name": null},
                       "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"], "loss_weights": null}})");
}
}  // namespace

TEST(RunFile, ACompiledModelFileSuppliesTheCompileSettingsTheRunFileLeavesOut) {
  fitcheck::test::TempDir dir;
  dir.write("model.json", compiled_k3_model().dump());
  json doc = minimal();
  doc.erase("compile");
  auto spec = parse_run_spec(doc, "run.json", dir.path());
  EXPECT_EQ(spec.loss, "sparse_categorical_crossentropy");
  EXPECT_EQ(spec.optimizer["class_name"], "RMSprop");
  EXPECT_FALSE(spec.optimizer.contains("module"));
  EXPECT_DOUBLE_EQ(spec.optimizer["config"]["learning_rate"].get<double>(), 0.01);
  ASSERT_EQ(spec.metrics.size(), 1u);
  EXPECT_EQ(spec.metrics[0], "accuracy");

  // The same JSON inline (model.to_json() of a compiled Keras 3 model).
  doc["model"] = compiled_k3_model();
  EXPECT_EQ(parse_run_spec(doc, "run.json", dir.path()).loss, "sparse_categorical_crossentropy");
}

TEST(RunFile, ARunFileLossRecompilesAndAnOptimizerAloneKeepsTheStoredLoss) {
  fitcheck::test::TempDir dir;
  dir.write("model.json", compiled_k3_model().dump());
  json doc = minimal();
  doc["compile"] = {{"loss", "categorical_crossentropy"}};
  auto recompiled = parse_run_spec(doc, "run.json", dir.path());
  EXPECT_EQ(recompiled.loss, "categorical_crossentropy");
  EXPECT_EQ(recompiled.optimizer, "rmsprop");  // Keras' compile() default, not the stored RMSprop(0.01)
  EXPECT_TRUE(recompiled.metrics.empty());

  // What a doctor repair writes into a run file without compile: only the optimizer.
  doc["compile"] = {{"optimizer", {{"class_name", "Adam"}, {"config", {{"learning_rate", 0.0001}}}}}};
  auto repaired = parse_run_spec(doc, "run.json", dir.path());
  EXPECT_EQ(repaired.loss, "sparse_categorical_crossentropy");
  EXPECT_EQ(repaired.optimizer["class_name"], "Adam");
  ASSERT_EQ(repaired.metrics.size(), 1u);
}

TEST(RunFile, ALegacyH5TrainingConfigSuppliesLossOptimizerAndMetricNames) {
  json doc = minimal();
  doc.erase("compile");
  const auto h5 = fitcheck::test::test_data_path("keras/fixtures/dense_bn.h5");
  doc["model"] = h5.filename().string();
  auto spec = parse_run_spec(doc, "run.json", h5.parent_path());
  EXPECT_EQ(spec.loss, "categorical_crossentropy");
  EXPECT_EQ(spec.optimizer["class_name"], "Adam");
  ASSERT_EQ(spec.metrics.size(), 1u);
  EXPECT_EQ(spec.metrics[0], "accuracy");  // MeanMetricWrapper {"name": "accuracy", "fn": "categorical_accuracy"}
}

TEST(RunFile, AModelWithoutCompileSettingsLeavesTheLossUnset) {
  fitcheck::test::TempDir dir;
  json m = compiled_k3_model();
  m.erase("compile_config");
  dir.write("model.json", m.dump());
  json doc = minimal();
  doc.erase("compile");
  auto spec = parse_run_spec(doc, "run.json", dir.path());
  EXPECT_TRUE(spec.loss.is_null());
  EXPECT_EQ(spec.optimizer, "rmsprop");
  // An unreadable model file is reported where the model is loaded, not here.
  doc["model"] = "missing.keras";
  EXPECT_TRUE(parse_run_spec(doc, "run.json", dir.path()).loss.is_null());
}
