// The shape the model receives after the run's preprocessing: auto mode one-hot encodes a text
// column, so a model declared for the raw column count no longer fits.
#include <gtest/gtest.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/context.hpp"
#include "fitcheck/io/run_file.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace fitcheck;

TEST(PreparedShape, AutoPreprocessingWidthIsComparedWithTheModel) {
  test::TempDir dir;
  std::string csv = "a,b,colour,label\n";
  const char* colours[] = {"red", "green", "blue"};
  for (int i = 0; i < 60; ++i) {
    csv += std::to_string(i % 7) + "." + std::to_string(i % 3) + "," + std::to_string((i * 13) % 11) + ".5," +
           colours[i % 3] + "," + std::to_string(i % 2) + "\n";
  }
  dir.write("train.csv", csv);
  auto make_run = [&](int declared) {
    return nlohmann::json{
        {"data", {{"train", {{"csv", "train.csv"}, {"target", "label"}}}}},
        {"preprocess", "auto"},
        {"model", {{"class_name", "Sequential"},
                   {"config", {{"layers", {{{"class_name", "Dense"},
                                            {"config", {{"name", "d"}, {"units", 1}, {"activation", "sigmoid"},
                                                        {"batch_input_shape", {nullptr, declared}}}}}}}}}}},
        {"compile", {{"optimizer", "adam"}, {"loss", "binary_crossentropy"}}}};
  };
  for (int declared : {3, 5}) {
    auto run = io::parse_run_spec(make_run(declared), "run.json", dir.path());
    auto ctx = doctor::build_check_context(run);
    ASSERT_TRUE(ctx.data_input_shape.has_value());
    EXPECT_EQ(ctx.data_input_shape->str(), "(None, 5)");  // a, b, colour_blue, colour_green, colour_red
    bool mismatch = false;
    for (const auto& f : doctor::run_checks(ctx)) mismatch = mismatch || f.category == "data.shape_mismatch";
    EXPECT_EQ(mismatch, declared != 5) << declared;
  }
}

}  // namespace
