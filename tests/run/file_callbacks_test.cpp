// ModelCheckpoint and CSVLogger: what they write, when, and that it reads back.
#include "fitcheck/run/file_callbacks.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/run/run_data.hpp"
#include "fitcheck/run/run_model.hpp"
#include "fitcheck/run/saved_model.hpp"
#include "fitcheck/io/run_file.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

using test::read_text;

nn::Logs logs(std::initializer_list<std::pair<const char*, double>> values) {
  nn::Logs l;
  for (const auto& [k, v] : values) l.set(k, v);
  return l;
}

struct CaseModel {
  io::RunSpec spec;
  run::RunData data;
  nn::Sequential model;
};

CaseModel case_model(const test::TempDir& dir) {
  fs::copy(test::test_case_path("scaled_regression_healthy"), dir.path() / "case", fs::copy_options::recursive);
  auto spec = io::load_run_file(dir.path() / "case" / "run.json");
  spec.fit.verbose = 0;
  auto data = run::prepare_run_data(spec);
  auto model = run::build_run_model(spec);
  model.build(core::Shape{core::kUnknownDim, data.train.x.dim(1)});
  return {std::move(spec), std::move(data), std::move(model)};
}

TEST(ModelCheckpoint, SavesOnlyImprovementsAndReadsBack) {
  test::TempDir dir;
  auto c = case_model(dir);
  run::ModelCheckpoint ckpt({.filepath = (dir.path() / "best").string(), .save_best_only = true});
  ckpt.on_train_begin(c.model);
  auto l = logs({{"loss", 1.0}, {"val_loss", 0.8}});
  ckpt.on_epoch_end(c.model, 0, l);
  const auto saved_weights = c.model.get_weights();
  l = logs({{"loss", 0.9}, {"val_loss", 0.9}});  // worse: not saved
  // Change the weights, so that a save would be visible.
  auto changed = saved_weights;
  for (auto& w : changed) for (std::int64_t i = 0; i < w.size(); ++i) w.data()[i] += 1.0f;
  c.model.set_weights(changed);
  ckpt.on_epoch_end(c.model, 1, l);
  ASSERT_EQ(ckpt.saved().size(), 1u);
  auto back = run::load_model(dir.path() / "best");
  const auto read = back.get_weights();
  ASSERT_EQ(read.size(), saved_weights.size());
  for (std::size_t k = 0; k < read.size(); ++k) {
    for (std::int64_t i = 0; i < read[k].size(); ++i) ASSERT_EQ(read[k][i], saved_weights[k][i]);
  }
  l = logs({{"loss", 0.5}, {"val_loss", 0.1}});
  ckpt.on_epoch_end(c.model, 2, l);
  EXPECT_EQ(ckpt.saved().size(), 2u);
  EXPECT_EQ(run::load_model(dir.path() / "best").get_weights()[0][0], changed[0][0]);
}

TEST(ModelCheckpoint, FillsTheFilepathAndHonoursTheThresholdAndMode) {
  test::TempDir dir;
  auto c = case_model(dir);
  run::ModelCheckpoint every({.filepath = (dir.path() / "e{epoch:02d}-{loss:.2f}").string(), .save_weights_only = true});
  every.on_train_begin(c.model);
  auto l = logs({{"loss", 0.25}});
  every.on_epoch_end(c.model, 0, l);
  every.on_epoch_end(c.model, 1, l);
  ASSERT_EQ(every.saved().size(), 2u);
  EXPECT_EQ(every.saved()[0].filename(), "e01-0.25");  // Keras counts epochs from 1 here
  EXPECT_TRUE(fs::exists(dir.path() / "e02-0.25" / "weights" / "000.npy"));
  EXPECT_FALSE(fs::exists(dir.path() / "e02-0.25" / "model.json"));  // weights only

  run::ModelCheckpoint acc({.filepath = (dir.path() / "acc").string(), .monitor = "val_accuracy",
                            .save_best_only = true, .initial_value_threshold = 0.9});
  acc.on_train_begin(c.model);
  l = logs({{"val_accuracy", 0.85}});  // below the threshold: accuracy is maximised
  acc.on_epoch_end(c.model, 0, l);
  EXPECT_TRUE(acc.saved().empty());
  l = logs({{"val_accuracy", 0.95}});
  acc.on_epoch_end(c.model, 1, l);
  EXPECT_EQ(acc.saved().size(), 1u);
  l = logs({{"loss", 0.1}});  // the monitor is absent: skipped with a warning, not an error
  acc.on_epoch_end(c.model, 2, l);
  EXPECT_EQ(acc.saved().size(), 1u);

  run::ModelCheckpoint bad({.filepath = (dir.path() / "x{val_los}").string()});
  bad.on_train_begin(c.model);
  l = logs({{"val_loss", 0.1}});
  try {
    bad.on_epoch_end(c.model, 0, l);
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("val_loss"));  // the keys the logs have
  }
  EXPECT_THROW(run::ModelCheckpoint({.filepath = ""}), core::ConfigError);
}

TEST(CSVLogger, SortedKeysNAAndAppend) {
  test::TempDir dir;
  nn::Sequential m;
  const auto file = dir.path() / "log.csv";
  {
    run::CSVLogger log({.filename = file});
    log.on_train_begin(m);
    auto l = logs({{"val_loss", 0.5}, {"loss", 0.75}, {"accuracy", 0.5}});
    log.on_epoch_end(m, 0, l);
    l = logs({{"loss", 0.25}, {"accuracy", 0.75}});
    log.on_epoch_end(m, 1, l);
  }
  EXPECT_EQ(read_text(file), "epoch,accuracy,loss,val_loss\n0,0.5,0.75,0.5\n1,0.75,0.25,NA\n");
  run::CSVLogger more({.filename = file, .separator = ';', .append = true});
  more.on_train_begin(m);
  auto l = logs({{"loss", 0.125}, {"accuracy", 1.0}, {"val_loss", 0.25}});
  more.on_epoch_end(m, 2, l);
  EXPECT_EQ(read_text(file), "epoch,accuracy,loss,val_loss\n0,0.5,0.75,0.5\n1,0.75,0.25,NA\n2;1;0.125;0.25\n");
  run::CSVLogger fresh({.filename = file});
  fresh.on_train_begin(m);
  EXPECT_EQ(read_text(file), "");  // without append, training starts a new log
}

TEST(FileCallbacks, DuringFit) {
  test::TempDir dir;
  auto c = case_model(dir);
  run::ModelCheckpoint ckpt({.filepath = (dir.path() / "ckpt").string(), .monitor = "loss", .save_best_only = true});
  run::CSVLogger log({.filename = dir.path() / "training.csv"});
  auto options = run::fit_options(c.spec, c.data);
  options.epochs = 3;
  options.callbacks = {&ckpt, &log};
  c.model.fit(c.data.train.x, c.data.train.y, options);
  EXPECT_GE(ckpt.saved().size(), 1u);
  EXPECT_TRUE(fs::exists(dir.path() / "ckpt" / "model.json"));
  const auto text = read_text(dir.path() / "training.csv");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);  // header + 3 epochs
  EXPECT_THAT(text, HasSubstr("epoch,loss"));
}

}  // namespace
