// The model and configuration checks on run files: the development cases, and constructed
// models for each rule.
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/categories.hpp"
#include "fitcheck/doctor/keras_names.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/keras_model.hpp"
#include "fitcheck/io/run_file.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

std::set<std::string> categories_at_least_warning(const std::vector<doctor::Finding>& findings) {
  std::set<std::string> out;
  for (const auto& f : findings) {
    if (f.severity != doctor::Severity::Info) out.insert(f.category);
  }
  return out;
}

std::vector<doctor::Finding> check_case(const std::string& name) {
  auto run = io::load_run_file(test::test_case_path(name) / "run.json");
  doctor::CheckContext ctx;
  ctx.run = &run;
  if (run.model_path) ctx.model = io::load_keras_model_json(*run.model_path);
  return doctor::run_checks(ctx);
}

std::vector<doctor::Finding> check(const std::string& compile_json, const std::string& layers_json) {
  auto doc = json::parse(R"({"data": {"train": {"x": "x.npy", "y": "y.npy"}}, "model": {}})");
  auto compile = json::parse(compile_json);
  doc["compile"] = compile;
  auto run = io::parse_run_spec(doc, "run.json", ".");
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.model = io::parse_keras_model(
      json{{"class_name", "Sequential"}, {"config", {{"layers", json::parse(layers_json)}}}}, "model.json");
  return doctor::run_checks(ctx);
}

TEST(ModelConfigChecks, EveryRegisteredCheckHasAKnownCategoryAndUniqueCode) {
  std::set<std::string_view> codes;
  for (const auto& c : doctor::all_checks()) {
    EXPECT_TRUE(doctor::is_known_category(c.category)) << c.code;
    EXPECT_TRUE(codes.insert(c.code).second) << c.code;
  }
}

TEST(ModelConfigChecks, DevelopmentCases) {
  EXPECT_TRUE(categories_at_least_warning(check_case("adam_lr_10")).count("config.learning_rate"));
  EXPECT_TRUE(categories_at_least_warning(check_case("int_features_bce_linear")).count("model.output_activation_loss"));
  for (const char* healthy : {"adam_default_lr_healthy", "pixels_normalized_healthy", "scaled_regression_healthy",
                              "categorical_strings_auto_healthy"}) {
    EXPECT_TRUE(categories_at_least_warning(check_case(healthy)).empty()) << healthy;
  }
}

TEST(ModelConfigChecks, LearningRateRangesPerOptimizer) {
  const char* dense = R"([{"class_name": "Dense", "config": {"name": "d", "units": 1, "activation": "sigmoid"}}])";
  auto cats = [&](const std::string& opt) {
    return categories_at_least_warning(
        check(R"({"optimizer": )" + opt + R"(, "loss": "binary_crossentropy"})", dense));
  };
  EXPECT_TRUE(cats(R"({"class_name": "Adam", "config": {"learning_rate": 0.001}})").empty());
  EXPECT_TRUE(cats(R"({"class_name": "Adam", "config": {"learning_rate": 0.01}})").empty());
  EXPECT_TRUE(cats(R"({"class_name": "Adam", "config": {"learning_rate": 0.5}})").count("config.learning_rate"));
  EXPECT_TRUE(cats(R"({"class_name": "SGD", "config": {"learning_rate": 0.1}})").empty());
  EXPECT_TRUE(cats(R"({"class_name": "SGD", "config": {"learning_rate": 5.0}})").count("config.learning_rate"));
  EXPECT_TRUE(cats(R"({"class_name": "RMSprop", "config": {"learning_rate": 1e-8}})").count("config.learning_rate"));
  EXPECT_TRUE(cats(R"("adam")").empty());
  // A schedule's initial rate counts.
  EXPECT_TRUE(cats(R"({"class_name": "Adam", "config": {"learning_rate": {"class_name": "ExponentialDecay",
      "config": {"initial_learning_rate": 3.0, "decay_steps": 100, "decay_rate": 0.9}}}})").count("config.learning_rate"));
  // A rate written as a string: Keras cannot build the optimizer from it.
  EXPECT_TRUE(cats(R"({"class_name": "Adam", "config": {"learning_rate": "0.001"}})").count("config.learning_rate"));
  EXPECT_TRUE(cats(R"({"class_name": "SGD", "config": {"lr": "fast"}})").count("config.learning_rate"));
}

TEST(ModelConfigChecks, OutputActivationAgainstLoss) {
  auto cats = [&](const std::string& loss, const std::string& act, int units) {
    return categories_at_least_warning(check(
        R"({"optimizer": "adam", "loss": )" + loss + "}",
        R"([{"class_name": "Dense", "config": {"name": "h", "units": 8, "activation": "relu"}},
            {"class_name": "Dense", "config": {"name": "out", "units": )" + std::to_string(units) +
            R"(, "activation": ")" + act + R"("}}])"));
  };
  const std::string c = "model.output_activation_loss";
  EXPECT_FALSE(cats(R"("binary_crossentropy")", "sigmoid", 1).count(c));
  EXPECT_TRUE(cats(R"("binary_crossentropy")", "linear", 1).count(c));
  EXPECT_TRUE(cats(R"("BinaryCrossentropy")", "softmax", 1).count(c));
  EXPECT_FALSE(cats(R"({"class_name": "BinaryCrossentropy", "config": {"from_logits": true}})", "linear", 1).count(c));
  EXPECT_TRUE(cats(R"({"class_name": "BinaryCrossentropy", "config": {"from_logits": true}})", "sigmoid", 1).count(c));
  EXPECT_FALSE(cats(R"("sparse_categorical_crossentropy")", "softmax", 10).count(c));
  EXPECT_TRUE(cats(R"("categorical_crossentropy")", "linear", 10).count(c));
  EXPECT_TRUE(cats(R"("sparse_categorical_crossentropy")", "softmax", 1).count(c));
  EXPECT_FALSE(cats(R"("mse")", "linear", 1).count(c));
  EXPECT_FALSE(cats(R"("mean_squared_error")", "sigmoid", 1).count(c));
}

TEST(ModelConfigChecks, ConsecutiveLinearDenseLayers) {
  auto findings = check(R"({"optimizer": "adam", "loss": "mse"})",
                        R"([{"class_name": "Dense", "config": {"name": "a", "units": 8}},
                            {"class_name": "Dropout", "config": {"name": "drop", "rate": 0.2}},
                            {"class_name": "Dense", "config": {"name": "b", "units": 8, "activation": "relu"}},
                            {"class_name": "Dense", "config": {"name": "out", "units": 1}}])");
  auto cats = categories_at_least_warning(findings);
  ASSERT_TRUE(cats.count("model.missing_activation"));
  for (const auto& f : findings) {
    if (f.category == "model.missing_activation") {
      EXPECT_EQ(f.where["layers"], json({"a"}));
    }
  }
}

TEST(ModelConfigChecks, InvalidLayerArguments) {
  auto findings = check(R"({"optimizer": "adam", "loss": "mse"})",
                        R"([{"class_name": "Dense", "config": {"name": "a", "units": 0, "activation": "rellu"}},
                            {"class_name": "Dropout", "config": {"name": "drop", "rate": 1.0}},
                            {"class_name": "Dense", "config": {"name": "out", "units": 1}}])");
  bool found = false;
  for (const auto& f : findings) {
    if (f.category != "model.invalid_config") continue;
    found = true;
    EXPECT_EQ(f.severity, doctor::Severity::Error);
    EXPECT_EQ(f.evidence["problems"].size(), 3u);
  }
  EXPECT_TRUE(found);
}

TEST(ModelConfigChecks, StridedAndDilatedConvolution) {
  auto problems = [](const std::string& conv) {
    auto findings = check(R"({"optimizer": "adam", "loss": "mse"})",
                          "[" + conv + R"(, {"class_name": "Flatten", "config": {"name": "f"}},
                              {"class_name": "Dense", "config": {"name": "out", "units": 1}}])");
    for (const auto& f : findings) {
      if (f.category == "model.invalid_config") return f.evidence["problems"];
    }
    return nlohmann::json::array();
  };
  const auto both = problems(R"({"class_name": "Conv1D", "config": {"name": "c", "filters": 4, "kernel_size": 3,
                                 "strides": 2, "dilation_rate": [2]}})");
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0]["layer"], "c");
  EXPECT_EQ(both[0]["key"], "strides");
  EXPECT_TRUE(problems(R"({"class_name": "Conv1D", "config": {"name": "c", "filters": 4, "kernel_size": 3,
                           "strides": 1, "dilation_rate": 2}})").empty());
  EXPECT_TRUE(problems(R"({"class_name": "Conv1D", "config": {"name": "c", "filters": 4, "kernel_size": 3,
                           "strides": 2, "dilation_rate": 1}})").empty());
}

TEST(KerasNames, LossAliasesResolve) {
  EXPECT_EQ(doctor::resolve_loss("MeanSquaredError").name, "mean_squared_error");
  EXPECT_EQ(doctor::resolve_loss("mse").name, "mean_squared_error");
  EXPECT_EQ(doctor::resolve_loss("KLDivergence").name, "kl_divergence");
  EXPECT_EQ(doctor::resolve_loss(json::parse(R"({"class_name": "SparseCategoricalCrossentropy",
      "config": {"from_logits": true}})")).name, "sparse_categorical_crossentropy");
  EXPECT_TRUE(doctor::resolve_loss(json::parse(R"({"class_name": "CategoricalCrossentropy",
      "config": {"from_logits": true}})")).from_logits);
  EXPECT_FALSE(doctor::resolve_loss("categorial_crossentropy").known);
}

}  // namespace
