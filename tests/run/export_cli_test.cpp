// `fitcheck export` and `fitcheck summary` through the binary: a `fit --out` directory, a
// ModelCheckpoint-style directory, a .keras and a legacy .h5 file exported to .keras (and .onnx) and read back
// (the weights and predictions are the model's), the summary of each, and the refusals with exit
// status 2 that leave no file behind.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "support/cli_run.hpp"
#include "fitcheck/io/keras_file.hpp"
#include "fitcheck/run/model_file.hpp"
#include "fitcheck/run/saved_model.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;
namespace fs = std::filesystem;
using test::run_fitcheck;

void expect_same_model(const nn::Sequential& a, nn::Sequential& b) {
  const auto wa = a.get_weights(), wb = b.get_weights();
  ASSERT_EQ(wa.size(), wb.size());
  for (std::size_t i = 0; i < wa.size(); ++i) {
    ASSERT_EQ(wa[i].shape(), wb[i].shape()) << i;
    for (std::int64_t k = 0; k < wa[i].size(); ++k) ASSERT_EQ(wa[i][k], wb[i][k]) << i << "[" << k << "]";
  }
}

TEST(ExportCli, FitOutDirectoryToKerasAndBack) {
  test::TempDir dir;
  fs::copy(test::test_case_path("categorical_strings_auto_healthy"), dir.path() / "case", fs::copy_options::recursive);
  const fs::path saved = dir.path() / "saved";
  auto fit =
      run_fitcheck("fit " + (dir.path() / "case" / "run.json").string() + " --out " + saved.string() + " --epochs 2");
  ASSERT_EQ(fit.status, 0) << fit.out;

  const fs::path out = dir.path() / "model.keras";
  auto r = run_fitcheck("export " + saved.string() + " -o " + out.string());
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("fit --out directory"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("compiled"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-> " + out.string() + " (Keras 3)"), std::string::npos) << r.out;

  // What the binary wrote is the saved model, compiled as the run file says.
  auto original = run::load_model(saved);
  auto exported = run::load_model_file(out);
  EXPECT_EQ(exported.kind, "Keras .keras file");
  EXPECT_TRUE(exported.model.compiled()) << exported.compile_note;
  expect_same_model(original, exported.model);
  const auto file = io::read_keras_file(out);
  ASSERT_TRUE(file.training_config.has_value());
  EXPECT_TRUE((*file.training_config)["optimizer"].contains("module"));

  // The same directory as ONNX (its graph and numbers are checked by the run tests and
  // onnx_export_parity_test; here: the command picks the writer from the extension).
  const fs::path onnx = dir.path() / "model.onnx";
  r = run_fitcheck("export " + saved.string() + " -o " + onnx.string());
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("-> " + onnx.string() + " (ONNX opset 17)"), std::string::npos) << r.out;
  EXPECT_GT(fs::file_size(onnx), 1000u);

  // The summary is the same from the directory and from the file.
  auto from_dir = run_fitcheck("summary " + saved.string());
  auto from_file = run_fitcheck("summary " + out.string());
  ASSERT_EQ(from_dir.status, 0) << from_dir.out;
  ASSERT_EQ(from_file.status, 0) << from_file.out;
  EXPECT_EQ(from_dir.out, from_file.out);
  EXPECT_NE(from_file.out.find("Total params:"), std::string::npos) << from_file.out;

  // A ModelCheckpoint directory (model.json and weights/, no run.json): exported, not compiled.
  fs::remove(saved / "run.json");
  const fs::path out2 = dir.path() / "checkpoint.keras";
  r = run_fitcheck("export " + saved.string() + " -o " + out2.string());
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("(model directory,"), std::string::npos) << r.out;
  EXPECT_FALSE(io::read_keras_file(out2).training_config.has_value());

  // .keras to .keras: the same weights again.
  const fs::path again = dir.path() / "again.keras";
  r = run_fitcheck("export " + out.string() + " -o " + again.string());
  ASSERT_EQ(r.status, 0) << r.out;
  auto reread = run::load_model_file(again);
  expect_same_model(original, reread.model);
}

TEST(ExportCli, LegacyH5ToKerasKeepsWeightsAndCompileSettings) {
  test::TempDir dir;
  const fs::path h5 = test::test_data_path("keras/fixtures/dense.h5");
  const fs::path out = dir.path() / "dense.keras";
  auto r = run_fitcheck("export " + h5.string() + " -o " + out.string());
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("Keras .h5 file, 2 layers, 23 params, compiled"), std::string::npos) << r.out;
  const auto source = io::read_keras_file(h5);
  const auto file = io::read_keras_file(out);
  ASSERT_EQ(file.weights.size(), source.weights.size());
  for (std::size_t i = 0; i < file.weights.size(); ++i) {
    EXPECT_EQ(file.weights[i].value.bytes, source.weights[i].value.bytes) << i;
    EXPECT_EQ(file.weights[i].layer, source.weights[i].layer) << i;
  }
  // Keras 2's training_config became Keras 3's compile_config.
  ASSERT_TRUE(file.training_config.has_value());
  const auto& cc = *file.training_config;
  EXPECT_EQ(cc["optimizer"]["class_name"], "Adam");
  EXPECT_EQ(cc["loss"], "categorical_crossentropy");
  EXPECT_EQ(cc["metrics"], nlohmann::json::parse(R"(["accuracy"])"));

  auto summary = run_fitcheck("summary " + h5.string());
  ASSERT_EQ(summary.status, 0) << summary.out;
  EXPECT_NE(summary.out.find("Total params: 23"), std::string::npos) << summary.out;
}

TEST(ExportCli, RefusalsExitWith2AndWriteNothing) {
  test::TempDir dir;
  const fs::path keras = test::test_data_path("keras/fixtures/cnn.keras");
  auto r = run_fitcheck("export " + keras.string() + " -o " + (dir.path() / "m.tflite").string());
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("unknown export format"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(".keras (Keras 3), .onnx (ONNX opset 17)"), std::string::npos)
      << "lists the supported formats: " << r.out;

  r = run_fitcheck("export " + keras.string() + " -o " + (dir.path() / "m").string());
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("no extension"), std::string::npos) << r.out;

  const auto json = dir.write("model.json", R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
      {"class_name": "Dense", "config": {"units": 1, "batch_input_shape": [null, 2]}}]}})");
  r = run_fitcheck("export " + json.string() + " -o " + (dir.path() / "m.keras").string());
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("holds no trained weights"), std::string::npos) << r.out;

  r = run_fitcheck("export " + dir.path().string() + " -o " + (dir.path() / "m.keras").string());
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("model.json"), std::string::npos) << r.out;

  const auto bad = dir.write("bad.keras", "not a zip");
  r = run_fitcheck("export " + bad.string() + " -o " + (dir.path() / "m.keras").string());
  EXPECT_EQ(r.status, 2) << r.out;

  // Nothing but the inputs written above.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"bad.keras", "model.json"}));

  // summary of a JSON that declares its input refuses a different --input-shape.
  r = run_fitcheck("summary " + json.string() + " --input-shape 3");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("declares another input shape"), std::string::npos) << r.out;
  r = run_fitcheck("summary " + json.string() + " --input-shape 2");
  EXPECT_EQ(r.status, 0) << r.out;
}

}  // namespace
