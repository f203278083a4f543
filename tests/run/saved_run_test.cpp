// A run trained and saved as `fitcheck fit --out DIR` does it, read back and applied to data as
// `fitcheck predict` does: the predictions equal the trained model's on the prepared features.
#include "fitcheck/run/saved_run.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/csv_reader.hpp"
#include "fitcheck/io/npy.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/run/run_data.hpp"
#include "fitcheck/run/run_model.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;
namespace fs = std::filesystem;

struct Trained {
  io::RunSpec spec;
  run::RunData data;
  nn::Sequential model;
  nn::History history;
};

// Copies a test case into `dir`/case (optionally with a changed run file), trains it for a few
// epochs and saves it to `dir`/out as fit --out does.
Trained train_and_save(const test::TempDir& dir, const std::string& name, int epochs = 3) {
  fs::copy(test::test_case_path(name), dir.path() / "case", fs::copy_options::recursive);
  auto spec = io::load_run_file(dir.path() / "case" / "run.json");
  spec.fit.epochs = epochs;
  spec.fit.verbose = 0;
  auto data = run::prepare_run_data(spec);
  auto model = run::build_run_model(spec);
  auto history = model.fit(data.train.x, data.train.y, run::fit_options(spec, data));
  run::save_run(dir.path() / "out", spec, data, model, history);
  return {std::move(spec), std::move(data), std::move(model), std::move(history)};
}

using test::read_text;

void expect_same(const core::Tensor& a, const core::Tensor& b) {
  ASSERT_EQ(a.shape(), b.shape());
  for (std::int64_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << "at " << i;
}

TEST(SavedRun, CsvRunPredictsAsTheTrainedModel) {
  test::TempDir dir;
  auto trained = train_and_save(dir, "categorical_strings_auto_healthy");
  for (const char* f : {"model.json", "weights/000.npy", "pipeline.json", "columns.json", "history.csv", "run.json"}) {
    EXPECT_TRUE(fs::exists(dir.path() / "out" / f)) << f;
  }
  // The saved run must not need the training data: move it away.
  fs::rename(dir.path() / "case", dir.path() / "moved");
  const fs::path csv = dir.path() / "moved" / "train.csv";

  auto saved = run::load_saved_run(dir.path() / "out");
  EXPECT_TRUE(saved.table_input);
  EXPECT_EQ(saved.feature_columns, (std::vector<std::string>{"color", "size"}));
  EXPECT_EQ(saved.target, "label");
  EXPECT_EQ(saved.output_kind, run::OutputKind::Binary);

  const auto x = run::prepare_inputs(saved, csv);
  expect_same(x, trained.data.train.x);
  const auto expected = trained.model.predict(trained.data.train.x);
  const auto got = saved.model.predict(x);
  expect_same(got, expected);

  run::write_predictions(saved, got, dir.path() / "p.csv");
  const auto table = io::read_csv(dir.path() / "p.csv").table;
  EXPECT_EQ(table.column_names(), (std::vector<std::string>{"prediction", "class"}));
  ASSERT_EQ(table.num_rows(), x.dim(0));
  const auto& p = table.column(0);
  const auto& cls = table.column(1);
  for (std::int64_t i = 0; i < table.num_rows(); ++i) {
    ASSERT_EQ(static_cast<float>(p.as_double(i)), expected[i]) << "row " << i;
    ASSERT_EQ(cls.as_double(i), expected[i] >= 0.5f ? 1.0 : 0.0) << "row " << i;
  }

  run::write_predictions(saved, got, dir.path() / "p.npy");
  expect_same(io::read_npy(dir.path() / "p.npy").to_tensor(), expected);
}

TEST(SavedRun, ExtraColumnsAndColumnOrderDoNotMatterAMissingOneIsNamed) {
  test::TempDir dir;
  train_and_save(dir, "categorical_strings_auto_healthy", 1);
  auto saved = run::load_saved_run(dir.path() / "out");
  // Reordered, with an extra column and without the target.
  const auto reordered = dir.write("new.csv", "id,size,color\n1,0.5,green\n2,-1.25,red\n3,2,blue\n");
  const auto x = run::prepare_inputs(saved, reordered);
  EXPECT_EQ(x.dim(0), 3);
  const auto from_expected_order =
      run::prepare_inputs(saved, dir.write("same.csv", "color,size\ngreen,0.5\nred,-1.25\nblue,2\n"));
  expect_same(x, from_expected_order);

  const auto missing = dir.write("missing.csv", "color,label\ngreen,1\n");
  try {
    (void)run::prepare_inputs(saved, missing);
    FAIL() << "a missing feature column must be refused";
  } catch (const core::InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("missing.csv"), std::string::npos) << msg;
    EXPECT_NE(msg.find("\"size\""), std::string::npos) << msg;
  }
}

TEST(SavedRun, TextLabelsComeBackAsText) {
  // binary_focal_crossentropy's sigmoid output is read as binary_crossentropy's.
  for (const char* loss : {"binary_crossentropy", "binary_focal_crossentropy"}) {
    SCOPED_TRACE(loss);
    test::TempDir dir;
    fs::create_directories(dir.path() / "src");
    std::string csv = "a,b,label\n";
    for (int i = 0; i < 200; ++i) {
      const double a = (i % 20) / 10.0 - 1.0, b = ((i * 7) % 13) / 6.0 - 1.0;
      csv += std::to_string(a) + "," + std::to_string(b) + "," + (a + b > 0 ? "spam" : "ham") + "\n";
    }
    dir.write("src/train.csv", csv);
    const nlohmann::json doc = {
        {"data", {{"train", {{"csv", "train.csv"}, {"target", "label"}}}}},
        {"model",
         {{"class_name", "Sequential"},
          {"config",
           {{"layers",
             {{{"class_name", "InputLayer"}, {"config", {{"batch_shape", {nullptr, 2}}}}},
              {{"class_name", "Dense"}, {"config", {{"units", 1}, {"activation", "sigmoid"}}}}}}}}}},
        {"compile", {{"optimizer", "adam"}, {"loss", loss}}},
        {"fit", {{"epochs", 5}, {"seed", 1}, {"verbose", 0}}}};
    auto spec = io::parse_run_spec(doc, "run.json", dir.path() / "src");
    auto data = run::prepare_run_data(spec);
    auto model = run::build_run_model(spec);
    auto history = model.fit(data.train.x, data.train.y, run::fit_options(spec, data));
    run::save_run(dir.path() / "out", spec, data, model, history);

    auto saved = run::load_saved_run(dir.path() / "out");
    EXPECT_FALSE(saved.pipeline.has_value());
    EXPECT_EQ(saved.label_classes, (std::vector<std::string>{"ham", "spam"}));
    const auto out = saved.model.predict(run::prepare_inputs(saved, dir.path() / "src" / "train.csv"));
    const auto classes = run::predicted_classes(saved, out);
    ASSERT_EQ(classes.size(), 200u);
    for (std::size_t i = 0; i < classes.size(); ++i) {
      ASSERT_EQ(classes[i], out[static_cast<std::int64_t>(i)] >= 0.5f ? "spam" : "ham");
    }
  }
}

TEST(SavedRun, NpyRunPredictsAsTheTrainedModel) {
  test::TempDir dir;
  auto trained = train_and_save(dir, "pixels_normalized_healthy", 1);
  auto saved = run::load_saved_run(dir.path() / "out");
  EXPECT_FALSE(saved.table_input);
  EXPECT_EQ(saved.output_kind, run::OutputKind::Classes);
  const auto x = run::prepare_inputs(saved, dir.path() / "case" / "x_train.npy");
  const auto expected = trained.model.predict(trained.data.train.x);
  const auto got = saved.model.predict(x);
  expect_same(got, expected);
  EXPECT_EQ(run::prediction_columns(saved).front(), "p0");
  EXPECT_EQ(run::prediction_columns(saved).back(), "class");

  run::write_predictions(saved, got, dir.path() / "p.csv");
  const auto table = io::read_csv(dir.path() / "p.csv").table;
  ASSERT_EQ(table.num_rows(), got.dim(0));
  ASSERT_EQ(table.num_columns(), got.dim(1) + 1);
  for (std::int64_t i = 0; i < table.num_rows(); ++i) {
    std::int64_t best = 0;
    for (std::int64_t k = 1; k < got.dim(1); ++k) {
      if (got[i * got.dim(1) + k] > got[i * got.dim(1) + best]) best = k;
    }
    ASSERT_EQ(table.column(table.num_columns() - 1).as_double(i), static_cast<double>(best)) << "row " << i;
  }

  // Samples of the wrong shape, and a CSV for an array run, are refused naming the file.
  io::write_npy(dir.path() / "wrong.npy", core::Tensor(core::Shape{4, 10}));
  try {
    (void)run::prepare_inputs(saved, dir.path() / "wrong.npy");
    FAIL() << "wrong sample shape must be refused";
  } catch (const core::InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("wrong.npy"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(10,)"), std::string::npos) << msg;
  }
  EXPECT_THROW((void)run::prepare_inputs(saved, dir.write("x.csv", "x0\n1\n")), core::InputError);
}

TEST(SavedRun, NpyDataIsReshapedAsTheRunFileSays) {
  test::TempDir dir;
  train_and_save(dir, "pixels_normalized_healthy", 1);
  const fs::path out = dir.path() / "out";
  io::write_npy(dir.path() / "images.npy", core::Tensor(core::Shape{5, 28, 28}, 0.25f));
  auto saved = run::load_saved_run(out);
  EXPECT_THROW((void)run::prepare_inputs(saved, dir.path() / "images.npy"), core::InputError);
  // The run file in DIR says how samples are reshaped ("reshape", as doctor --fix writes it).
  auto doc = nlohmann::json::parse(read_text(out / "run.json"));
  doc["data"]["train"]["reshape"] = {784};
  std::ofstream(out / "run.json") << doc.dump(2);
  saved = run::load_saved_run(out);
  const auto x = run::prepare_inputs(saved, dir.path() / "images.npy");
  EXPECT_EQ(x.shape(), (core::Shape{5, 784}));
  EXPECT_EQ(saved.model.predict(x).shape(), (core::Shape{5, 10}));
}

TEST(SavedRun, MissingFilesAreNamed) {
  test::TempDir dir;
  train_and_save(dir, "categorical_strings_auto_healthy", 1);
  fs::remove(dir.path() / "out" / "weights" / "000.npy");
  try {
    (void)run::load_saved_run(dir.path() / "out");
    FAIL() << "a missing weight file must be refused";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("000.npy"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)run::load_saved_run(dir.path() / "nowhere"), core::InputError);
}

TEST(SavedRun, SavingAgainRemovesFilesOfAnEarlierFit) {
  test::TempDir dir;
  auto trained = train_and_save(dir, "categorical_strings_auto_healthy", 1);
  const fs::path out = dir.path() / "out";
  const auto count = trained.model.get_weights().size();
  char extra[16];
  std::snprintf(extra, sizeof extra, "%03zu.npy", count);
  io::write_npy(out / "weights" / extra, core::Tensor(core::Shape{1}));
  try {
    (void)run::load_saved_run(out);
    FAIL() << "a weight file the model does not have must be refused";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(extra), std::string::npos) << e.what();
  }
  // A second fit into the same directory, without preprocessing this time.
  trained.data.pipeline.reset();
  run::save_run(out, trained.spec, trained.data, trained.model, trained.history);
  EXPECT_FALSE(fs::exists(out / "weights" / extra));
  EXPECT_FALSE(fs::exists(out / "pipeline.json"));
}

}  // namespace
