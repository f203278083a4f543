// The repair planner of `doctor --fix`: every patch kind, the order data → model → optimisation,
// conflicts between repairs, a model read from a file, and one development case end to end.
#include "fitcheck/doctor/repair.hpp"

#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fitcheck/core/error.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/context.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/keras_model.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/io/run_model.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace fitcheck::doctor {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Finding finding(std::string code, std::string category, json repair, Severity severity = Severity::Warning) {
  Finding f;
  f.code = std::move(code);
  f.category = std::move(category);
  f.severity = severity;
  f.repair = std::move(repair);
  return f;
}

// Keras 2 form: an InputLayer with batch_input_shape, a hidden and an output Dense.
json keras2_model() {
  return json::parse(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "name": "input_1"}},
    {"class_name": "Dense", "config": {"name": "hidden", "units": 8, "activation": "linear"}},
    {"class_name": "Dense", "config": {"name": "out", "units": 1, "activation": "softmax"}}]}})");
}

// Keras 3 form: module / registered_name keys, batch_shape on the InputLayer.
json keras3_model() {
  return json::parse(R"({"module": "keras", "class_name": "Sequential", "registered_name": null,
    "config": {"name": "s", "trainable": true, "layers": [
      {"module": "keras.layers", "class_name": "InputLayer", "registered_name": null,
       "config": {"batch_shape": [null, 4], "dtype": "float32", "sparse": false, "name": "input_layer"}},
      {"module": "keras.layers", "class_name": "Dense", "registered_name": null,
       "config": {"name": "dense", "units": 8, "activation": "sigmoid"}},
      {"module": "keras.layers", "class_name": "Dense", "registered_name": null,
       "config": {"name": "dense_1", "units": 1, "activation": "sigmoid"}}]},
    "build_config": {"input_shape": [null, 4]}})");
}

json run_document(json model = keras2_model()) {
  return {{"data", {{"train", {{"csv", "train.csv"}, {"target", "label"}}}}},
          {"preprocess", "none"},
          {"model", std::move(model)},
          {"compile", {{"optimizer", "adam"}, {"loss", "binary_crossentropy"}, {"metrics", {"accuracy"}}}},
          {"fit", {{"epochs", 5}, {"batch_size", 32}}}};
}

RepairPlan plan(const json& doc, const std::vector<Finding>& findings) { return plan_repairs(doc, findings, "."); }

// ---- preprocess ------------------------------------------------------------------------------

TEST(PlanRepairs, PreprocessAutoReplacesAnExplicitList) {
  auto doc = run_document();
  doc["preprocess"] = json::parse(R"([{"columns": ["a"], "steps": [{"scale": "minmax"}]}])");
  const auto p = plan(doc, {finding("FC-D103", "data.missing_values", {{"preprocess", "auto"}})});
  EXPECT_EQ(p.run["preprocess"], "auto");
  EXPECT_THAT(p.applied, ElementsAre("FC-D103"));
  EXPECT_THAT(p.skipped, IsEmpty());
}

TEST(PlanRepairs, PreprocessListIsSetWhenThereIsNone) {
  const json groups = json::parse(R"([{"columns": ["income", "age"], "steps": [{"scale": "standard"}]}])");
  const auto p = plan(run_document(), {finding("FC-D104", "data.unscaled_features", {{"preprocess", groups}})});
  EXPECT_EQ(p.run["preprocess"], groups);
  EXPECT_THAT(p.applied, ElementsAre("FC-D104"));
}

TEST(PlanRepairs, PreprocessListIsSkippedWhenAutoCoversIt) {
  auto doc = run_document();
  doc["preprocess"] = "auto";
  const json groups = json::parse(R"([{"columns": ["income"], "steps": [{"scale": "standard"}]}])");
  const auto p = plan(doc, {finding("FC-D104", "data.unscaled_features", {{"preprocess", groups}})});
  EXPECT_EQ(p.run["preprocess"], "auto");
  EXPECT_THAT(p.applied, IsEmpty());
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_THAT(p.skipped[0], HasSubstr("FC-D104: "));
  EXPECT_THAT(p.skipped[0], HasSubstr("already \"auto\""));
}

TEST(PlanRepairs, PreprocessListAfterAutoRepairIsSkipped) {
  const json groups = json::parse(R"([{"columns": ["income"], "steps": [{"scale": "standard"}]}])");
  const auto p = plan(run_document(), {finding("FC-D103", "data.missing_values", {{"preprocess", "auto"}}),
                                       finding("FC-D104", "data.unscaled_features", {{"preprocess", groups}})});
  EXPECT_EQ(p.run["preprocess"], "auto");
  EXPECT_THAT(p.applied, ElementsAre("FC-D103"));
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_THAT(p.skipped[0], HasSubstr("FC-D104"));
}

TEST(PlanRepairs, PreprocessGroupOfTheSameColumnsGetsTheMissingStepsOnly) {
  auto doc = run_document();
  doc["preprocess"] = json::parse(R"([{"columns": ["a", "b"], "steps": [{"scale": "standard"}]},
                                      {"columns": ["c"], "steps": [{"onehot": {"handle_unknown": "ignore"}}]}])");
  const json patch = json::parse(R"([{"columns": ["b", "a"], "steps": [{"impute": "median"}, {"scale": "standard"}]}])");
  const auto p = plan(doc, {finding("FC-D103", "data.missing_values", {{"preprocess", patch}})});
  EXPECT_EQ(p.run["preprocess"], json::parse(R"([
    {"columns": ["a", "b"], "steps": [{"impute": "median"}, {"scale": "standard"}]},
    {"columns": ["c"], "steps": [{"onehot": {"handle_unknown": "ignore"}}]}])"));
}

TEST(PlanRepairs, PreprocessGroupSharingSomeColumnsIsSplitSoNoColumnIsTransformedTwice) {
  auto doc = run_document();
  doc["preprocess"] = json::parse(R"([{"columns": ["a", "x"], "steps": [{"impute": "median"}]}])");
  const json patch = json::parse(R"([{"columns": ["a", "b"], "steps": [{"scale": "standard"}]}])");
  const auto p = plan(doc, {finding("FC-D104", "data.unscaled_features", {{"preprocess", patch}})});
  EXPECT_EQ(p.run["preprocess"], json::parse(R"([
    {"columns": ["x"], "steps": [{"impute": "median"}]},
    {"columns": ["a"], "steps": [{"impute": "median"}, {"scale": "standard"}]},
    {"columns": ["b"], "steps": [{"scale": "standard"}]}])"));
}

TEST(PlanRepairs, PreprocessEncoderReplacesTheGroupsEncoder) {
  // high_cardinality's repair: the whole list with onehot replaced by ordinal.
  auto doc = run_document();
  doc["preprocess"] = json::parse(R"([{"columns": ["zip"], "steps": [{"impute": "most_frequent"},
                                                                     {"onehot": {"handle_unknown": "ignore"}}]}])");
  const json patch = json::parse(R"([{"columns": ["zip"], "steps": [{"impute": "most_frequent"},
      {"ordinal": {"handle_unknown": "use_encoded_value", "unknown_value": -1}}]}])");
  const auto p = plan(doc, {finding("FC-D109", "data.high_cardinality", {{"preprocess", patch}})});
  EXPECT_EQ(p.run["preprocess"], patch);
}

TEST(PlanRepairs, ResampleGroupIsAddedOnce) {
  auto doc = run_document();
  const json resample = json::parse(R"({"resample": {"smote": {"k_neighbors": 5}}})");
  doc["preprocess"] = json::array({resample});
  const auto p = plan(doc, {finding("FC-D111", "data.class_imbalance", {{"preprocess", json::array({resample})}})});
  EXPECT_EQ(p.run["preprocess"], json::array({resample}));
  EXPECT_THAT(p.applied, ElementsAre("FC-D111"));
}

// ---- fit, compile, data ----------------------------------------------------------------------

TEST(PlanRepairs, FitIsMergePatched) {
  const auto p = plan(run_document(), {finding("FC-C202", "config.batch_size", {{"fit", {{"batch_size", 8}}}}),
                                       finding("FC-D111", "data.class_imbalance", {{"fit", {{"class_weight", "balanced"}}}})});
  EXPECT_EQ(p.run["fit"], json::parse(R"({"epochs": 5, "batch_size": 8, "class_weight": "balanced"})"));
  EXPECT_THAT(p.applied, ElementsAre("FC-D111", "FC-C202"));
}

TEST(PlanRepairs, CompileLossAndMetricsAreMergePatched) {
  const auto p = plan(run_document(),
                      {finding("FC-D120", "data.label_loss_mismatch", {{"compile", {{"loss", "sparse_categorical_crossentropy"}}}}),
                       finding("FC-C203", "config.metric_mismatch", {{"compile", {{"metrics", {"mae"}}}}})});
  EXPECT_EQ(p.run["compile"]["loss"], "sparse_categorical_crossentropy");
  EXPECT_EQ(p.run["compile"]["metrics"], json::array({"mae"}));
  EXPECT_EQ(p.run["compile"]["optimizer"], "adam");
}

TEST(PlanRepairs, OptimizerNameBecomesTheObjectOfThePatch) {
  const json patch = {{"compile", {{"optimizer", {{"class_name", "Adam"}, {"config", {{"learning_rate", 0.001}}}}}}}};
  const auto p = plan(run_document(), {finding("FC-C201", "config.learning_rate", patch)});
  EXPECT_EQ(p.run["compile"]["optimizer"], json::parse(R"({"class_name": "Adam", "config": {"learning_rate": 0.001}})"));
  EXPECT_TRUE(io::parse_run_spec(p.run, "RUN.fixed.json", ".").optimizer.is_object());
}

TEST(PlanRepairs, OptimizerObjectKeepsItsOtherSettings) {
  auto doc = run_document();
  doc["compile"]["optimizer"] = json::parse(R"({"class_name": "SGD", "config": {"learning_rate": 10.0, "momentum": 0.9}})");
  const json patch = {{"compile", {{"optimizer", {{"class_name", "SGD"}, {"config", {{"learning_rate", 0.01}}}}}}}};
  const auto p = plan(doc, {finding("FC-C201", "config.learning_rate", patch)});
  EXPECT_EQ(p.run["compile"]["optimizer"],
            json::parse(R"({"class_name": "SGD", "config": {"learning_rate": 0.01, "momentum": 0.9}})"));
}

TEST(PlanRepairs, DataIsMergePatchedAndFeatureSelectionsCombine) {
  auto doc = run_document();
  doc["data"]["test"] = {{"csv", "test.csv"}, {"target", "label"}};
  const auto p = plan(doc, {finding("FC-D110", "data.constant_feature",
                                    {{"data", {{"train", {{"features", {"a", "b", "c"}}}}, {"test", {{"features", {"a", "b", "c"}}}}}}}),
                            finding("FC-D115", "data.leakage_target",
                                    {{"data", {{"train", {{"features", {"a", "c", "d"}}}}, {"test", {{"features", {"a", "c", "d"}}}}}}})});
  EXPECT_EQ(p.run["data"]["train"]["features"], json::array({"a", "c"}));
  EXPECT_EQ(p.run["data"]["test"]["features"], json::array({"a", "c"}));
  EXPECT_EQ(p.run["data"]["train"]["csv"], "train.csv");  // relative paths stay as they are
  EXPECT_THAT(p.applied, ElementsAre("FC-D110", "FC-D115"));
}

TEST(PlanRepairs, DataPatchDoesNotCreateASplitTheRunLacks) {
  auto doc = run_document();
  doc["data"]["train"] = {{"x", "x.npy"}, {"y", "y.npy"}};
  const json patch = {{"data", {{"train", {{"reshape", {28, 28, 1}}}}, {"test", {{"reshape", {28, 28, 1}}}}}}};
  const auto p = plan(doc, {finding("FC-D101", "data.shape_mismatch", patch, Severity::Error)});
  EXPECT_EQ(p.run["data"]["train"]["reshape"], json::array({28, 28, 1}));
  EXPECT_FALSE(p.run["data"].contains("test"));
  EXPECT_THAT(p.applied, ElementsAre("FC-D101"));
}

// ---- conflicts, atomicity, validity ----------------------------------------------------------

TEST(PlanRepairs, FirstRepairOfAKeyWinsAndLaterOnesAreSkipped) {
  const auto p = plan(run_document(), {finding("FC-C202", "config.batch_size", {{"fit", {{"batch_size", 8}}}}),
                                       finding("FC-M306", "model.memory", {{"fit", {{"batch_size", 4}}}})});
  // model.* comes before config.*: the memory finding's repair applies first.
  EXPECT_EQ(p.run["fit"]["batch_size"], 4);
  EXPECT_THAT(p.applied, ElementsAre("FC-M306"));
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_THAT(p.skipped[0], HasSubstr("FC-C202: conflicts with FC-M306"));
}

TEST(PlanRepairs, RepairsSettingTheSameValueDoNotConflict) {
  const auto p = plan(run_document(), {finding("FC-C202", "config.batch_size", {{"fit", {{"batch_size", 8}}}}),
                                       finding("FC-C209", "config.batch_size", {{"fit", {{"batch_size", 8}}}})});
  EXPECT_THAT(p.applied, ElementsAre("FC-C202", "FC-C209"));
  EXPECT_THAT(p.skipped, IsEmpty());
}

TEST(PlanRepairs, ARepairAppliesWholeOrNotAtAll) {
  const json patch = {{"fit", {{"batch_size", 8}}},
                      {"model", {{"layers", {{{"name", "nope"}, {"config", {{"units", 3}}}}}}}}};
  const auto p = plan(run_document(), {finding("FC-X001", "model.capacity", patch)});
  EXPECT_EQ(p.run, run_document());
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_THAT(p.skipped[0], HasSubstr("no layer named \"nope\""));
}

TEST(PlanRepairs, RepairThatMakesTheRunFileInvalidIsSkipped) {
  const auto p = plan(run_document(), {finding("FC-C202", "config.batch_size", {{"fit", {{"batch_size", "eight"}}}})});
  EXPECT_EQ(p.run["fit"]["batch_size"], 32);
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_THAT(p.skipped[0], HasSubstr("would not be valid"));
}

TEST(PlanRepairs, UnknownRepairKeyIsSkipped) {
  const auto p = plan(run_document(), {finding("FC-X002", "data.outliers", {{"clip", true}})});
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_THAT(p.skipped[0], HasSubstr("unsupported repair key \"clip\""));
}

TEST(PlanRepairs, InfoFindingsAndFindingsWithoutRepairAreIgnored) {
  auto none = finding("FC-D103", "data.missing_values", json());
  none.repair.reset();
  const auto p = plan(run_document(), {finding("FC-C202", "config.batch_size", {{"fit", {{"batch_size", 8}}}}, Severity::Info),
                                       none, finding("FC-M302", "model.output_activation_loss", json())});
  EXPECT_EQ(p.run, run_document());
  EXPECT_THAT(p.applied, IsEmpty());
  EXPECT_THAT(p.skipped, IsEmpty());
}

TEST(PlanRepairs, DataThenModelThenOptimisation) {
  const auto p = plan(run_document(),
                      {finding("FC-C201", "config.learning_rate", {{"compile", {{"optimizer", {{"class_name", "adam"}, {"config", {{"learning_rate", 0.001}}}}}}}}),
                       finding("FC-T401", "train.divergence", {{"fit", {{"epochs", 20}}}}),
                       finding("FC-M303", "model.missing_activation", {{"model", {{"layers", {{{"name", "hidden"}, {"config", {{"activation", "relu"}}}}}}}}}),
                       finding("FC-D103", "data.missing_values", {{"preprocess", "auto"}}, Severity::Error)});
  EXPECT_THAT(p.applied, ElementsAre("FC-D103", "FC-M303", "FC-C201", "FC-T401"));
}

TEST(PlanRepairs, RunDocumentThatIsNotAnObjectIsAConfigError) {
  EXPECT_THROW(plan_repairs(json::array(), {}, "."), core::ConfigError);
}

// ---- model -----------------------------------------------------------------------------------

TEST(PlanRepairs, LayerPatchMergesIntoTheNamedLayersConfig) {
  const auto p = plan(run_document(),
                      {finding("FC-M302", "model.output_activation_loss",
                               {{"model", {{"layers", {{{"name", "out"}, {"config", {{"activation", "sigmoid"}}}}}}}}}, Severity::Error),
                       finding("FC-M303", "model.missing_activation",
                               {{"model", {{"layers", {{{"name", "hidden"}, {"config", {{"activation", "relu"}}}}}}}}})});
  const auto& layers = p.run["model"]["config"]["layers"];
  EXPECT_EQ(layers[1]["config"], json::parse(R"({"name": "hidden", "units": 8, "activation": "relu"})"));
  EXPECT_EQ(layers[2]["config"]["activation"], "sigmoid");
  EXPECT_THAT(p.applied, ElementsAre("FC-M302", "FC-M303"));
}

TEST(PlanRepairs, LayerPatchesOfTheSameKeyConflict) {
  const auto p = plan(run_document(),
                      {finding("FC-M303", "model.missing_activation",
                               {{"model", {{"layers", {{{"name", "hidden"}, {"config", {{"activation", "relu"}}}}}}}}}),
                       finding("FC-M305", "model.vanishing_prone",
                               {{"model", {{"layers", {{{"name", "hidden"}, {"config", {{"activation", "tanh"}}}}}}}}})});
  EXPECT_EQ(p.run["model"]["config"]["layers"][1]["config"]["activation"], "relu");
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_THAT(p.skipped[0], HasSubstr("FC-M305: conflicts with FC-M303"));
}

TEST(PlanRepairs, LayerPatchNamingAMissingLayerIsSkipped) {
  const auto p = plan(run_document(), {finding("FC-D121", "data.label_output_mismatch",
                                               {{"model", {{"layers", {{{"name", "dense_9"}, {"config", {{"units", 3}}}}}}}}})});
  EXPECT_EQ(p.run, run_document());
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_THAT(p.skipped[0], HasSubstr("FC-D121: the model has no layer named \"dense_9\""));
}

TEST(PlanRepairs, LayerPatchOnTheBareListForm) {
  json model = {{"class_name", "Sequential"},
                {"config", json::parse(R"([{"class_name": "Dense", "config": {"name": "d", "units": 2,
                                             "batch_input_shape": [null, 3]}}])")}};
  const auto p = plan(run_document(model), {finding("FC-D121", "data.label_output_mismatch",
                                                    {{"model", {{"layers", {{{"name", "d"}, {"config", {{"units", 1}}}}}}}}})});
  EXPECT_EQ(p.run["model"]["config"][0]["config"]["units"], 1);
  EXPECT_THAT(p.applied, ElementsAre("FC-D121"));
}

TEST(PlanRepairs, InputShapeOfAKeras2InputLayer) {
  const auto p = plan(run_document(), {finding("FC-D101", "data.shape_mismatch", {{"model", {{"input_shape", {nullptr, 6}}}}},
                                               Severity::Error)});
  EXPECT_EQ(p.run["model"]["config"]["layers"][0]["config"]["batch_input_shape"], json::array({nullptr, 6}));
  const auto spec = io::parse_keras_model(p.run["model"], "model");
  ASSERT_TRUE(spec.input_shape.has_value());
  EXPECT_EQ(spec.input_shape->str(), "(None, 6)");
}

TEST(PlanRepairs, InputShapeOfAKeras3InputLayerAndItsBuildConfig) {
  const auto p = plan(run_document(keras3_model()),
                      {finding("FC-D101", "data.shape_mismatch", {{"model", {{"input_shape", {nullptr, 6}}}}}, Severity::Error)});
  const auto& model = p.run["model"];
  EXPECT_EQ(model["config"]["layers"][0]["config"]["batch_shape"], json::array({nullptr, 6}));
  EXPECT_FALSE(model["config"]["layers"][0]["config"].contains("batch_input_shape"));
  EXPECT_EQ(model["build_config"]["input_shape"], json::array({nullptr, 6}));
}

TEST(PlanRepairs, InputShapeWithoutAnInputLayerGoesOnTheFirstLayer) {
  json model = json::parse(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
    {"class_name": "Dense", "config": {"name": "d", "units": 2, "input_shape": [4]}}]}})");
  const auto p = plan(run_document(model),
                      {finding("FC-D101", "data.shape_mismatch", {{"model", {{"input_shape", {nullptr, 6}}}}}, Severity::Error)});
  const auto& config = p.run["model"]["config"]["layers"][0]["config"];
  EXPECT_EQ(config["batch_input_shape"], json::array({nullptr, 6}));
  EXPECT_FALSE(config.contains("input_shape"));
}

TEST(PlanRepairs, ModelFileIsReadPatchedAndInlined) {
  test::TempDir dir;
  dir.write("model.json", keras3_model().dump(2));
  auto doc = run_document("model.json");
  const auto p = plan_repairs(doc, {finding("FC-M305", "model.vanishing_prone",
                                            {{"model", {{"layers", {{{"name", "dense"}, {"config", {{"activation", "relu"}}}}}}}}})},
                              dir.path());
  EXPECT_THAT(p.applied, ElementsAre("FC-M305"));
  ASSERT_TRUE(p.run["model"].is_object());
  EXPECT_EQ(p.run["model"]["config"]["layers"][1]["config"]["activation"], "relu");
  EXPECT_EQ(p.run["model"]["module"], "keras");
  const auto spec = io::parse_run_spec(p.run, "RUN.fixed.json", dir.path());
  EXPECT_FALSE(spec.model_path.has_value());
}

TEST(PlanRepairs, ModelFileStaysAPathWhenNoModelRepairApplies) {
  test::TempDir dir;
  dir.write("model.json", keras3_model().dump());
  const auto p = plan_repairs(run_document("model.json"), {finding("FC-C202", "config.batch_size", {{"fit", {{"batch_size", 8}}}})},
                              dir.path());
  EXPECT_EQ(p.run["model"], "model.json");
}

TEST(PlanRepairs, KerasArchiveModelCannotBePatched) {
  const auto p = plan(run_document("model.keras"),
                      {finding("FC-M305", "model.vanishing_prone",
                               {{"model", {{"layers", {{{"name", "dense"}, {"config", {{"activation", "relu"}}}}}}}}}),
                       finding("FC-C202", "config.batch_size", {{"fit", {{"batch_size", 8}}}})});
  EXPECT_EQ(p.run["model"], "model.keras");
  EXPECT_THAT(p.applied, ElementsAre("FC-C202"));
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_THAT(p.skipped[0], HasSubstr("FC-M305: the model is a .keras file"));
}

TEST(PlanRepairs, UnreadableModelFileIsSkipped) {
  test::TempDir dir;
  const auto p = plan_repairs(run_document("missing.json"),
                              {finding("FC-M305", "model.vanishing_prone",
                                       {{"model", {{"layers", {{{"name", "dense"}, {"config", {{"activation", "relu"}}}}}}}}})},
                              dir.path());
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_THAT(p.skipped[0], HasSubstr("FC-M305: cannot read the model"));
}

TEST(PlanRepairs, InsertPutsALayerInFrontOfTheNamedOneOnce) {
  const json reshape = {{"class_name", "Reshape"}, {"config", {{"name", "r"}, {"target_shape", {2, 2}}}}};
  const json insert = {{"model", {{"insert", {{{"before", "dense_1"}, {"layer", reshape}}}}}}};
  const auto p = plan(run_document(keras3_model()),
                      {finding("FC-M202", "model.incompatible_layers", insert, Severity::Error),
                       finding("FC-M203", "model.incompatible_layers", insert, Severity::Error)});
  const auto& layers = p.run["model"]["config"]["layers"];
  ASSERT_EQ(layers.size(), 4u);  // inserted once, though two repairs asked for it
  EXPECT_EQ(layers[2]["class_name"], "Reshape");
  EXPECT_EQ(layers[2]["module"], "keras.layers");  // as its neighbours are written
  EXPECT_EQ(layers[3]["config"]["name"], "dense_1");
  EXPECT_THAT(p.applied, ElementsAre("FC-M202", "FC-M203"));
  const json other = {{"model", {{"insert", {{{"before", "dense_1"}, {"layer", {{"class_name", "Flatten"}, {"config", json::object()}}}}}}}}};
  const auto q = plan(run_document(keras3_model()), {finding("FC-M202", "model.incompatible_layers", insert, Severity::Error),
                                                     finding("FC-M204", "model.incompatible_layers", other, Severity::Error)});
  ASSERT_EQ(q.skipped.size(), 1u);
  EXPECT_THAT(q.skipped[0], HasSubstr("FC-M204: conflicts with FC-M202"));
  const json nowhere = {{"model", {{"insert", {{{"before", "dense_9"}, {"layer", reshape}}}}}}};
  EXPECT_THAT(plan(run_document(), {finding("FC-M202", "model.incompatible_layers", nowhere)}).skipped[0],
              HasSubstr("no layer named \"dense_9\""));
}

TEST(PlanRepairs, AFeatureMapFedToAnLstmGetsAReshape) {
  const auto dir = test::test_case_path("conv2d_into_lstm");
  const auto run = io::load_run_file(dir / "run.json");
  const auto p = plan_repairs(io::read_json_file(dir / "run.json"), run_checks(build_check_context(run)), dir);
  ASSERT_FALSE(p.applied.empty());
  const auto fixed = io::parse_run_spec(p.run, "RUN.fixed.json", dir);
  const auto model = io::load_run_model(fixed);
  bool reshape_before_lstm = false;
  for (std::size_t i = 0; i + 1 < model.layers.size(); ++i) {
    if (model.layers[i].class_name == "Reshape" && model.layers[i + 1].class_name == "LSTM") {
      reshape_before_lstm = model.layers[i].config["target_shape"] == json({26, 832});
    }
  }
  EXPECT_TRUE(reshape_before_lstm) << p.run["model"].dump();
  // The fixed run passes the static checks it failed: no incompatible layers any more.
  for (const auto& f : run_checks(build_check_context(fixed))) EXPECT_NE(f.category, "model.incompatible_layers");
}

// ---- end to end ------------------------------------------------------------------------------

TEST(PlanRepairs, MissingValuesCaseGetsAutoPreprocessing) {
  const auto dir = test::test_case_path("missing_values");
  const auto run = io::load_run_file(dir / "run.json");
  const auto findings = run_checks(build_check_context(run));
  const auto p = plan_repairs(io::read_json_file(dir / "run.json"), findings, dir);
  EXPECT_EQ(p.run["preprocess"], "auto");
  EXPECT_FALSE(p.applied.empty());
  const auto fixed = io::parse_run_spec(p.run, "RUN.fixed.json", dir);
  EXPECT_EQ(fixed.preprocess, "auto");
  EXPECT_EQ(fixed.train.csv, dir / "train.csv");
}

// Whatever the static checks find in the development cases, the fixed run file stays valid.
TEST(PlanRepairs, EveryDevelopmentCaseGetsAValidFixedRunFile) {
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::test_case_path(""))) {
    if (!entry.is_directory()) continue;
    SCOPED_TRACE(entry.path().filename().string());
    const auto run = io::load_run_file(entry.path() / "run.json");
    const auto findings = run_checks(build_check_context(run));
    const auto p = plan_repairs(io::read_json_file(entry.path() / "run.json"), findings, entry.path());
    const auto fixed = io::parse_run_spec(p.run, "RUN.fixed.json", entry.path());
    if (!fixed.model_path) {
      EXPECT_NO_THROW(io::parse_keras_model(fixed.model_inline, "RUN.fixed.json: /model"));
    }
    EXPECT_THAT(p.skipped, IsEmpty());
    ++cases;
  }
  EXPECT_GE(cases, 18);
}

}  // namespace
}  // namespace fitcheck::doctor
