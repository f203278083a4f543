// Keras model files written by tests/data/keras/make_fixtures.py (h5py + zipfile, the layouts
// Keras writes): config, compile settings and every weight in Keras' order, and the refusals.
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/keras_file.hpp"
#include "support/test_data.hpp"

namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

using fitcheck::test::keras_fixture_path;

const nlohmann::json& expected(const std::string& file) {
  static const nlohmann::json doc = [] {
    std::ifstream in(fitcheck::test::test_data_path("keras/expected.json"));
    return nlohmann::json::parse(in);
  }();
  return doc.at(file);
}

void expect_weights(const fitcheck::io::KerasFile& k, const std::string& file) {
  const auto& want = expected(file);
  ASSERT_EQ(k.weights.size(), want.size()) << file;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& w = k.weights[i];
    SCOPED_TRACE(file + " weight " + std::to_string(i) + " " + w.layer + "/" + w.name);
    EXPECT_EQ(w.layer, want[i].at("layer").get<std::string>());
    EXPECT_EQ(w.name, want[i].at("name").get<std::string>());
    EXPECT_EQ(w.value.dtype, fitcheck::core::DType::Float32);
    EXPECT_EQ(w.value.shape.dims(), want[i].at("shape").get<std::vector<std::int64_t>>());
    const auto values = want[i].at("values").get<std::vector<double>>();
    ASSERT_EQ(w.value.size(), static_cast<std::int64_t>(values.size()));
    for (std::size_t j = 0; j < values.size(); ++j) EXPECT_EQ(w.value.value(static_cast<std::int64_t>(j)), values[j]) << j;
  }
}

std::string keras_error_of(const std::filesystem::path& path) {
  try {
    (void)fitcheck::io::read_keras_file(path);
  } catch (const fitcheck::core::InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << path;
  return "";
}

TEST(KerasFile, LegacyH5HoldsConfigTrainingConfigAndWeightsInLayerNamesOrder) {
  auto k = fitcheck::io::read_keras_file(keras_fixture_path("dense_bn.h5"));
  EXPECT_EQ(k.format, "h5");
  EXPECT_EQ(k.keras_version, "2.15.0");
  EXPECT_EQ(k.model_config.at("class_name"), "Sequential");
  EXPECT_EQ(k.model_config.at("config").at("layers").size(), 5u);
  ASSERT_TRUE(k.training_config.has_value());
  EXPECT_EQ(k.training_config->at("loss"), "categorical_crossentropy");
  EXPECT_EQ(k.training_config->at("optimizer_config").at("class_name"), "Adam");
  // HDF5 stores the groups sorted by name (batch_normalization first); layer_names gives the
  // model order and weight_names the order inside a layer (gamma before beta).
  expect_weights(k, "dense_bn.h5");
}

TEST(KerasFile, KerasArchiveOfACnnKeepsKerasKernelLayouts) {
  auto k = fitcheck::io::read_keras_file(keras_fixture_path("cnn.keras"));
  expect_weights(k, "cnn.keras");
  EXPECT_EQ(k.weights[0].value.shape.dims(), (std::vector<std::int64_t>{3, 3, 2, 3}));  // (kh, kw, in, out)
}

TEST(KerasFile, LegacyH5WithSplitLayerNamesAttribute) {
  expect_weights(fitcheck::io::read_keras_h5(keras_fixture_path("split_names.h5")), "split_names.h5");
}

TEST(KerasFile, KerasArchiveHoldsConfigCompileConfigAndWeightsByVarIndex) {
  auto k = fitcheck::io::read_keras_file(keras_fixture_path("dense_bn.keras"));
  EXPECT_EQ(k.format, "keras");
  EXPECT_EQ(k.keras_version, "3.6.0");
  EXPECT_EQ(k.model_config.at("module"), "keras");
  ASSERT_TRUE(k.training_config.has_value());
  EXPECT_EQ(k.training_config->at("optimizer").at("config").at("name"), "adam");
  EXPECT_EQ(k.source, keras_fixture_path("dense_bn.keras").string());
  // Empty groups (Dropout, the top-level vars) and the optimizer's variables are not weights.
  expect_weights(k, "dense_bn.keras");
}

TEST(KerasFile, KerasArchiveGroupsFollowTheClassNamingRuleInModelOrder) {
  // Twelve Dense layers named fc0..fc11 are stored as dense, dense_1, ..., dense_11.
  auto k = fitcheck::io::read_keras_archive(keras_fixture_path("deep.keras"));
  EXPECT_FALSE(k.training_config.has_value());
  expect_weights(k, "deep.keras");
}

TEST(KerasFile, KerasArchiveNestedCellsWithForwardBeforeBackward) {
  expect_weights(fitcheck::io::read_keras_file(keras_fixture_path("rnn.keras")), "rnn.keras");
}

TEST(KerasFile, InMemoryArchiveEqualsFile) {
  std::ifstream in(keras_fixture_path("dense_bn.keras"), std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto k = fitcheck::io::parse_keras_archive(std::as_bytes(std::span<const char>(bytes)), "mem.keras");
  EXPECT_EQ(k.source, "mem.keras");
  expect_weights(k, "dense_bn.keras");
}

TEST(KerasSnakeCase, MatchesKerasGroupNames) {
  using fitcheck::io::keras_snake_case;
  EXPECT_EQ(keras_snake_case("Dense"), "dense");
  EXPECT_EQ(keras_snake_case("BatchNormalization"), "batch_normalization");
  EXPECT_EQ(keras_snake_case("Conv2D"), "conv2d");
  EXPECT_EQ(keras_snake_case("Conv2DTranspose"), "conv2d_transpose");
  EXPECT_EQ(keras_snake_case("LSTM"), "lstm");
  EXPECT_EQ(keras_snake_case("GRU"), "gru");
  EXPECT_EQ(keras_snake_case("GlobalAveragePooling2D"), "global_average_pooling2d");
  EXPECT_EQ(keras_snake_case("PReLU"), "p_re_lu");
  EXPECT_EQ(keras_snake_case("LayerNormalization"), "layer_normalization");
  // Values from Keras' regular expressions run in Python, including the overlapping cases.
  EXPECT_EQ(keras_snake_case("SimpleRNN"), "simple_rnn");
  EXPECT_EQ(keras_snake_case("ReLU"), "re_lu");
  EXPECT_EQ(keras_snake_case("UpSampling2D"), "up_sampling2d");
  EXPECT_EQ(keras_snake_case("MultiHeadAttention"), "multi_head_attention");
  EXPECT_EQ(keras_snake_case("XAbCd"), "x_ab_cd");
  EXPECT_EQ(keras_snake_case("ABCdef"), "ab_cdef");
  EXPECT_EQ(keras_snake_case("aB_cD"), "a_b_c_d");
  EXPECT_EQ(keras_snake_case("My-Layer"), "my_layer");
}

TEST(KerasFileErrors, NotAKerasFile) {
  EXPECT_THAT(keras_error_of(keras_fixture_path("not_hdf5.h5")),
              AllOf(HasSubstr("not_hdf5.h5: byte 0"), HasSubstr("not a Keras model file"), HasSubstr("'this is")));
  try {
    (void)fitcheck::io::read_keras_h5(keras_fixture_path("not_hdf5.h5"));
    ADD_FAILURE();
  } catch (const fitcheck::core::InputError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("not_hdf5.h5"), HasSubstr("not an HDF5 file")));
  }
  try {
    (void)fitcheck::io::read_keras_archive(keras_fixture_path("not_hdf5.h5"));
    ADD_FAILURE();
  } catch (const fitcheck::core::InputError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("not_hdf5.h5"), HasSubstr("not a .keras archive")));
  }
  EXPECT_THAT(keras_error_of("/nonexistent/m.keras"), HasSubstr("cannot open"));
}

TEST(KerasFileErrors, MissingModelConfig) {
  EXPECT_THAT(keras_error_of(keras_fixture_path("weights_only.h5")),
              AllOf(HasSubstr("weights_only.h5: attribute 'model_config'"), HasSubstr("missing model config"),
                    HasSubstr("weights-only file")));
  EXPECT_THAT(keras_error_of(keras_fixture_path("no_config.keras")),
              AllOf(HasSubstr("no_config.keras[config.json]"), HasSubstr("missing model config"),
                    HasSubstr("metadata.json, model.weights.h5")));
}

TEST(KerasFileErrors, InvalidConfigJson) {
  EXPECT_THAT(keras_error_of(keras_fixture_path("bad_config.h5")), AllOf(HasSubstr("bad_config.h5: attribute 'model_config'"), HasSubstr("1:")));
  EXPECT_THAT(keras_error_of(keras_fixture_path("bad_json.keras")), AllOf(HasSubstr("bad_json.keras[config.json]:2:")));
}

TEST(KerasFileErrors, WeightListedButAbsent) {
  EXPECT_THAT(keras_error_of(keras_fixture_path("missing_weight.h5")),
              AllOf(HasSubstr("missing_weight.h5: model_weights/dense_1/dense_1/bias:0"),
                    HasSubstr("weight 'dense_1/bias:0' is listed in weight_names of layer 'dense_1' but absent")));
}

TEST(KerasFileErrors, ArchiveWithoutWeightsOrWithForeignWeights) {
  EXPECT_THAT(keras_error_of(keras_fixture_path("no_weights.keras")), AllOf(HasSubstr("no_weights.keras[model.weights.h5]"), HasSubstr("missing weights")));
  EXPECT_THAT(keras_error_of(keras_fixture_path("stray_group.keras")),
              AllOf(HasSubstr("stray_group.keras[model.weights.h5][layers/conv2d]"),
                    HasSubstr("weights of a layer that the model config does not have")));
}

}  // namespace
