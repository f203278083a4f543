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
  // poisson and the generalized cross-entropy take the log / a power of the unclipped output.
  for (const char* act : {"linear", "tanh", "elu", "leaky_relu"}) EXPECT_TRUE(cats(R"("poisson")", act, 1).count(c)) << act;
  for (const char* act : {"softplus", "exponential", "relu", "sigmoid"}) EXPECT_FALSE(cats(R"("Poisson")", act, 1).count(c)) << act;
  EXPECT_TRUE(cats(R"("categorical_generalized_cross_entropy")", "linear", 4).count(c));
  EXPECT_FALSE(cats(R"("categorical_generalized_cross_entropy")", "softmax", 4).count(c));
  // cosine similarity of scalars is a sign: one output unit cannot learn.
  EXPECT_TRUE(cats(R"("cosine_similarity")", "linear", 1).count(c));
  EXPECT_FALSE(cats(R"("cosine_similarity")", "linear", 8).count(c));
  // The focal losses follow their cross-entropies; log_cosh, hinge and categorical_hinge take any output.
  EXPECT_TRUE(cats(R"("binary_focal_crossentropy")", "linear", 1).count(c));
  EXPECT_FALSE(cats(R"("binary_focal_crossentropy")", "sigmoid", 1).count(c));
  EXPECT_TRUE(cats(R"("categorical_focal_crossentropy")", "softmax", 1).count(c));
  EXPECT_FALSE(cats(R"("categorical_focal_crossentropy")", "softmax", 4).count(c));
  for (const char* loss : {R"("log_cosh")", R"("hinge")", R"("squared_hinge")"}) EXPECT_FALSE(cats(loss, "linear", 1).count(c)) << loss;
  EXPECT_FALSE(cats(R"("categorical_hinge")", "linear", 4).count(c));
}

TEST(ModelConfigChecks, PoissonOnALinearOutputIsRepairedWithSoftplus) {
  auto findings = check(R"({"optimizer": "adam", "loss": "poisson"})",
                        R"([{"class_name": "Dense", "config": {"name": "h", "units": 8, "activation": "relu"}},
                            {"class_name": "Dense", "config": {"name": "out", "units": 1}}])");
  for (const auto& f : findings) {
    if (f.category != "model.output_activation_loss") continue;
    EXPECT_EQ(f.severity, doctor::Severity::Error);
    ASSERT_TRUE(f.repair.has_value());
    EXPECT_EQ((*f.repair)["model"]["layers"][0]["config"]["activation"], "softplus");
    return;
  }
  FAIL() << "no model.output_activation_loss finding";
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

TEST(KerasNames, EveryKeras3LossHasATaskAndALabelContract) {
  using doctor::LabelContract;
  using doctor::LossTask;
  struct Row {
    std::vector<json> spellings;
    std::string name;
    LossTask task;
    LabelContract labels;
  };
  const std::vector<Row> rows = {
      {{"log_cosh", "logcosh", "LogCosh"}, "log_cosh", LossTask::Regression, LabelContract::Real},
      {{"poisson", "Poisson"}, "poisson", LossTask::Regression, LabelContract::NonNegative},
      {{"mape", "MAPE", "MeanAbsolutePercentageError"}, "mean_absolute_percentage_error", LossTask::Regression,
       LabelContract::Real},
      {{"msle", "MSLE", "MeanSquaredLogarithmicError"}, "mean_squared_logarithmic_error", LossTask::Regression,
       LabelContract::LogNonNegative},
      {{"cosine_similarity", "CosineSimilarity"}, "cosine_similarity", LossTask::Regression, LabelContract::Real},
      {{"hinge", "Hinge"}, "hinge", LossTask::Binary, LabelContract::SignedBinary},
      {{"squared_hinge", "SquaredHinge"}, "squared_hinge", LossTask::Binary, LabelContract::SignedBinary},
      {{"binary_focal_crossentropy", "BinaryFocalCrossentropy"}, "binary_focal_crossentropy", LossTask::Binary,
       LabelContract::Probability},
      {{"categorical_hinge", "CategoricalHinge"}, "categorical_hinge", LossTask::Multiclass, LabelContract::OneHot},
      {{"categorical_focal_crossentropy", "CategoricalFocalCrossentropy"}, "categorical_focal_crossentropy",
       LossTask::Multiclass, LabelContract::OneHot},
      {{"CategoricalGeneralizedCrossEntropy"}, "categorical_generalized_cross_entropy", LossTask::Multiclass,
       LabelContract::ClassIds},
      {{"Dice", "Tversky"}, "", LossTask::Other, LabelContract::Mask},
      {{json::parse(R"({"module": "keras.losses", "class_name": "function", "config": "log_cosh", "registered_name": "log_cosh"})"),
        json::parse(R"({"class_name": "LogCosh", "config": {"reduction": "auto", "name": "log_cosh"}})"),
        json::parse(R"({"class_name": "LossFunctionWrapper", "config": {"fn": {"class_name": "function", "config": "logcosh"}}})")},
       "log_cosh", LossTask::Regression, LabelContract::Real},
  };
  for (const auto& row : rows) {
    for (const auto& s : row.spellings) {
      const auto info = doctor::resolve_loss(s);
      SCOPED_TRACE(s.dump());
      EXPECT_TRUE(info.known);
      if (!row.name.empty()) {
        EXPECT_EQ(info.name, row.name);
      }
      EXPECT_EQ(info.task, row.task);
      EXPECT_EQ(info.labels, row.labels);
    }
  }
  EXPECT_TRUE(doctor::resolve_loss(json::parse(R"({"class_name": "BinaryFocalCrossentropy", "config": {"from_logits": true}})"))
                  .from_logits);
}

}  // namespace
