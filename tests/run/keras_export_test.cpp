// run::save_keras: a zoo of engine models written as Keras 3 .keras archives and read back with
// fitcheck's own .keras reader (io::read_keras_file) must give the same layers, the same weights
// bit for bit, in the same order, and the same predictions. The layout itself is checked against
// the documented format (not against our reader) by keras_export_parity_test.cpp with h5py.
#include "fitcheck/run/keras_export.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/rng.hpp"
#include "fitcheck/io/keras_file.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/registry.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "keras_zoo.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace fitcheck;
namespace fs = std::filesystem;
using nlohmann::json;
using test::model_of;
using test::randomize;
using test::Zoo;
using test::zoo;

core::Tensor inputs(const nn::Sequential& model, std::int64_t n, bool integer_ids = false) {
  auto dims = model.input_shape()->dims();
  dims[0] = n;
  core::Tensor x{core::Shape(dims)};
  core::Rng rng(7);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    x[i] =
        integer_ids ? static_cast<float>(static_cast<int>(rng.uniform(0, 20))) : static_cast<float>(rng.uniform(-1, 1));
  }
  return x;
}

std::set<std::string> classes_in(const std::string& layers) {
  std::set<std::string> out;
  const auto doc = json::parse("[" + layers + "]");
  std::function<void(const json&)> visit = [&](const json& l) {
    out.insert(l["class_name"].get<std::string>());
    if (l["config"].contains("layer")) visit(l["config"]["layer"]);
  };
  for (const auto& l : doc) visit(l);
  return out;
}

class KerasExportZoo : public ::testing::TestWithParam<Zoo> {};

TEST_P(KerasExportZoo, ReadsBackWithTheSameWeightsAndPredictions) {
  const Zoo& z = GetParam();
  auto model = model_of(z.name, z.layers);
  ASSERT_TRUE(model.built());
  randomize(model, 11);
  test::TempDir dir;
  const fs::path out = dir.path() / (z.name + ".keras");
  run::save_keras(out, model);

  const auto file = io::read_keras_file(out);
  EXPECT_EQ(file.format, "keras");
  EXPECT_EQ(file.keras_version, run::kKerasExportVersion);
  EXPECT_FALSE(file.training_config.has_value());  // not compiled
  auto back = nn::Sequential::from_config(file.model_config, out.string());
  ASSERT_TRUE(back.built());

  const auto want = model.get_weights();
  ASSERT_EQ(file.weights.size(), want.size());
  std::vector<core::Tensor> stored;
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("weight " + std::to_string(i) + " " + file.weights[i].layer + "/" + file.weights[i].name);
    EXPECT_EQ(file.weights[i].value.dtype, core::DType::Float32);
    if (i < z.weight_names.size()) {
      EXPECT_EQ(file.weights[i].name, z.weight_names[i]);
    }
    stored.push_back(file.weights[i].value.to_tensor());
    ASSERT_EQ(stored.back().shape(), want[i].shape());
    for (std::int64_t k = 0; k < want[i].size(); ++k) ASSERT_EQ(stored.back()[k], want[i][k]) << "element " << k;
  }
  EXPECT_EQ(file.weights.size(), z.weight_names.size());
  back.set_weights(stored);

  // Layers: the same classes in the same order (the export adds an InputLayer when the model
  // declared its input on the first layer), under the model's names made unique as Keras requires.
  std::vector<std::string> a, b;
  std::set<std::string> names;
  for (std::size_t i = 0; i < model.size(); ++i) {
    if (model.layer(i).class_name() != "InputLayer") a.push_back(model.layer(i).class_name());
  }
  for (std::size_t i = 0; i < back.size(); ++i) {
    EXPECT_TRUE(names.insert(back.layer(i).name()).second) << "repeated layer name " << back.layer(i).name();
    if (back.layer(i).class_name() != "InputLayer") b.push_back(back.layer(i).class_name());
  }
  EXPECT_EQ(a, b);
  EXPECT_EQ(back.count_params(), model.count_params());
  // Exporting the model read back gives the same config.json: nothing was lost on the way.
  EXPECT_EQ(run::keras3_model_config(back), run::keras3_model_config(model));

  const core::Tensor x = inputs(model, 4, z.integer_inputs);
  const core::Tensor y1 = model.predict(x), y2 = back.predict(x);
  ASSERT_EQ(y1.shape(), y2.shape());
  for (std::int64_t k = 0; k < y1.size(); ++k) {
    ASSERT_TRUE(std::isfinite(y1[k]));
    ASSERT_EQ(y1[k], y2[k]) << "output " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(Models, KerasExportZoo, ::testing::ValuesIn(zoo()),
                         [](const ::testing::TestParamInfo<Zoo>& p) { return p.param.name; });

TEST(KerasExport, TheZooCoversEveryLayerTheEngineHasAndEveryOneExports) {
  std::set<std::string> covered;
  for (const auto& z : zoo()) {
    auto c = classes_in(z.layers);
    covered.insert(c.begin(), c.end());
  }
  const auto exportable = run::keras_exportable_classes();
  for (const auto& cls : nn::registered_layer_classes()) {
    EXPECT_TRUE(std::find(exportable.begin(), exportable.end(), cls) != exportable.end()) << cls << " does not export";
    EXPECT_TRUE(covered.contains(cls)) << cls << " is in no model of the round-trip zoo";
  }
  const auto registered = nn::registered_layer_classes();
  for (const auto& cls : exportable) {
    EXPECT_TRUE(std::find(registered.begin(), registered.end(), cls) != registered.end())
        << cls << " is not an engine layer";
  }
}

TEST(KerasExport, ConfigHasKeras3Structure) {
  auto model =
      model_of("m", R"({"class_name": "Dense", "config": {"name": "fc", "units": 4, "batch_input_shape": [null, 3]}},
                                 {"class_name": "Dense", "config": {"units": 1}})");
  const json c = run::keras3_model_config(model);
  EXPECT_EQ(c["module"], "keras");
  EXPECT_EQ(c["class_name"], "Sequential");
  EXPECT_TRUE(c["registered_name"].is_null());
  EXPECT_EQ(c["build_config"], json::parse(R"({"input_shape": [null, 3]})"));
  EXPECT_EQ(c["config"]["build_input_shape"], json::parse("[null, 3]"));
  EXPECT_FALSE(c.contains("compile_config"));
  const auto& layers = c["config"]["layers"];
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_EQ(layers[0]["class_name"], "InputLayer");
  EXPECT_EQ(layers[0]["config"]["batch_shape"], json::parse("[null, 3]"));
  EXPECT_EQ(layers[0]["config"]["name"], "input_layer");
  EXPECT_FALSE(layers[0].contains("build_config"));
  const auto& fc = layers[1];
  EXPECT_EQ(fc["module"], "keras.layers");
  EXPECT_EQ(fc["config"]["name"], "fc");
  EXPECT_FALSE(fc["config"].contains("batch_input_shape"));
  EXPECT_EQ(fc["config"]["dtype"]["class_name"], "DTypePolicy");
  EXPECT_EQ(fc["config"]["kernel_initializer"]["module"], "keras.initializers");
  EXPECT_EQ(fc["config"]["kernel_initializer"]["class_name"], "GlorotUniform");
  EXPECT_EQ(fc["build_config"]["input_shape"], json::parse("[null, 3]"));
  EXPECT_EQ(layers[2]["build_config"]["input_shape"], json::parse("[null, 4]"));
}

TEST(KerasExport, RepeatedLayerNamesGetKerasSuffixesAndTheInputLayerYields) {
  // Configs without names give the engine's default name twice; Keras refuses repeated names.
  auto model = model_of(
      "m", R"({"class_name": "Dense", "config": {"name": "input_layer", "units": 3, "batch_input_shape": [null, 2]}},
                                 {"class_name": "Dense", "config": {"units": 3}},
                                 {"class_name": "Dense", "config": {"units": 1}})");
  ASSERT_EQ(model.layer(1).name(), model.layer(2).name());
  const json layers = run::keras3_model_config(model)["config"]["layers"];
  std::vector<std::string> names;
  for (const auto& l : layers) names.push_back(l["config"]["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"input_layer_1", "input_layer", "dense", "dense_1"}));
}

TEST(KerasExport, CompileConfigRecordsOptimizerLossAndMetrics) {
  auto model = model_of("m", R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 3]}},
                                 {"class_name": "Dense", "config": {"units": 2, "activation": "softmax"}})");
  model.compile(
      {.optimizer = json::parse(R"({"class_name": "Adam", "config": {"learning_rate": 0.01}})"),
       .loss = json::parse(R"({"class_name": "CategoricalCrossentropy", "config": {"label_smoothing": 0.1}})"),
       .metrics = {"accuracy", json::parse(R"({"class_name": "AUC", "config": {"num_thresholds": 50}})")}});
  const json cc = run::keras3_model_config(model)["compile_config"];
  EXPECT_EQ(cc["optimizer"]["module"], "keras.optimizers");
  EXPECT_EQ(cc["optimizer"]["class_name"], "Adam");
  EXPECT_DOUBLE_EQ(cc["optimizer"]["config"]["learning_rate"].get<double>(), 0.01);
  EXPECT_EQ(cc["optimizer"]["config"]["name"], "adam");
  EXPECT_EQ(cc["optimizer"]["config"]["use_ema"], false);
  EXPECT_EQ(cc["loss"]["module"], "keras.losses");
  EXPECT_EQ(cc["loss"]["class_name"], "CategoricalCrossentropy");
  EXPECT_DOUBLE_EQ(cc["loss"]["config"]["label_smoothing"].get<double>(), 0.1);
  EXPECT_EQ(cc["loss"]["config"]["reduction"], "sum_over_batch_size");
  ASSERT_EQ(cc["metrics"].size(), 2u);
  EXPECT_EQ(cc["metrics"][0], "accuracy");
  EXPECT_EQ(cc["metrics"][1]["module"], "keras.metrics");
  EXPECT_EQ(cc["metrics"][1]["config"]["num_thresholds"], 50);
  for (const char* key : {"loss_weights", "weighted_metrics"}) EXPECT_TRUE(cc[key].is_null()) << key;
  EXPECT_EQ(cc["steps_per_execution"], 1);

  // Read back: the reader hands compile_config over as the training config.
  test::TempDir dir;
  run::save_keras(dir.path() / "m.keras", model);
  const auto file = io::read_keras_file(dir.path() / "m.keras");
  ASSERT_TRUE(file.training_config.has_value());
  EXPECT_EQ(*file.training_config, cc);

  model.compile({.optimizer = "sgd", .loss = "mse"});
  const json plain = run::keras3_model_config(model)["compile_config"];
  EXPECT_EQ(plain["loss"], "mse");
  EXPECT_TRUE(plain["metrics"].is_null());
  EXPECT_EQ(plain["optimizer"]["class_name"], "SGD");

  // Keras 3's reference to a loss function is written back as it was, and a focal loss keeps its options.
  const json function = json::parse(R"({"module": "keras.losses", "class_name": "function", "config": "log_cosh",
                                         "registered_name": "log_cosh"})");
  model.compile({.optimizer = "sgd", .loss = function});
  EXPECT_EQ(run::keras3_model_config(model)["compile_config"]["loss"], function);
  model.compile({.optimizer = "sgd",
                 .loss = json::parse(R"({"class_name": "CategoricalFocalCrossentropy", "config": {"gamma": 1.5}})")});
  const json focal = run::keras3_model_config(model)["compile_config"]["loss"];
  EXPECT_EQ(focal["class_name"], "CategoricalFocalCrossentropy");
  EXPECT_DOUBLE_EQ(focal["config"]["gamma"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(focal["config"]["alpha"].get<double>(), 0.25);
}

TEST(KerasExport, ATrainedModelExportsItsTrainedWeights) {
  auto model = model_of("t", R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 4]}},
                                 {"class_name": "Dense", "config": {"units": 8, "activation": "relu"}},
                                 {"class_name": "BatchNormalization", "config": {}},
                                 {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}})");
  model.compile({.optimizer = "adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  core::Tensor x{core::Shape{64, 4}}, y{core::Shape{64, 1}};
  core::Rng rng(3);
  for (std::int64_t i = 0; i < 64; ++i) {
    float s = 0;
    for (int j = 0; j < 4; ++j) s += x[i * 4 + j] = static_cast<float>(rng.uniform(-1, 1));
    y[i] = s > 0 ? 1.0f : 0.0f;
  }
  model.fit(x, y, {.batch_size = 16, .epochs = 3, .verbose = 0, .seed = 1});
  test::TempDir dir;
  run::save_keras(dir.path() / "t.keras", model);
  const auto file = io::read_keras_file(dir.path() / "t.keras");
  auto back = nn::Sequential::from_config(file.model_config);
  std::vector<core::Tensor> stored;
  for (const auto& w : file.weights) stored.push_back(w.value.to_tensor());
  back.set_weights(stored);
  // The BatchNormalization moving statistics moved during training and travel with the model.
  const auto moving_mean = model.get_weights()[4];
  EXPECT_NE(moving_mean[0], 0.0f);
  const core::Tensor y1 = model.predict(x), y2 = back.predict(x);
  for (std::int64_t k = 0; k < y1.size(); ++k) ASSERT_EQ(y1[k], y2[k]) << k;
}

TEST(KerasExport, WeightTreeFollowsKerasObjectPaths) {
  auto model = model_of("w", R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 5, 3]}},
                                 {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2, "return_sequences": true}}}},
                                 {"class_name": "LSTM", "config": {"units": 1}},
                                 {"class_name": "Dropout", "config": {"rate": 0.1}},
                                 {"class_name": "Dense", "config": {"name": "out", "units": 1}},
                                 {"class_name": "Dense", "config": {"units": 1}})");
  const auto content = run::keras_archive_content(model);
  std::vector<std::string> paths;
  for (const auto& [path, value] : content.datasets) paths.push_back(path + " " + value.shape().str());
  const std::vector<std::string> want = {"layers/bidirectional/forward_layer/cell/vars/0 (3, 8)",
                                         "layers/bidirectional/forward_layer/cell/vars/1 (2, 8)",
                                         "layers/bidirectional/forward_layer/cell/vars/2 (8,)",
                                         "layers/bidirectional/backward_layer/cell/vars/0 (3, 8)",
                                         "layers/bidirectional/backward_layer/cell/vars/1 (2, 8)",
                                         "layers/bidirectional/backward_layer/cell/vars/2 (8,)",
                                         "layers/lstm/cell/vars/0 (4, 4)",
                                         "layers/lstm/cell/vars/1 (1, 4)",
                                         "layers/lstm/cell/vars/2 (4,)",
                                         "layers/dense/vars/0 (1, 1)",
                                         "layers/dense/vars/1 (1,)",
                                         "layers/dense_1/vars/0 (1, 1)",
                                         "layers/dense_1/vars/1 (1,)"};
  EXPECT_EQ(paths, want);
  // Every saveable object has its vars group, empty or not, as Keras 3.0-3.15 write them; the
  // model's own "vars" must exist for Keras' loader.
  for (const char* g : {"vars", "layers/bidirectional/vars", "layers/bidirectional/forward_layer/vars",
                        "layers/lstm/vars", "layers/dropout/vars"}) {
    EXPECT_TRUE(std::find(content.groups.begin(), content.groups.end(), g) != content.groups.end()) << g;
  }
}

// A layer class Keras does not have: the engine trains it, the export must refuse it.
class Doubler final : public nn::Layer {
 public:
  explicit Doubler(std::string cls) : cls_(std::move(cls)) { set_name("my_" + cls_); }
  std::string class_name() const override { return cls_; }
  core::Shape compute_output_shape(const core::Shape& input) const override { return input; }
  void forward(const core::Tensor& x, core::Tensor& y, const nn::ForwardContext&) override {
    y = x;
    for (std::int64_t i = 0; i < y.size(); ++i) y[i] *= 2.0f;
  }
  void backward(const core::Tensor&, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) override {
    if (dx == nullptr) return;
    *dx = dy;
    for (std::int64_t i = 0; i < dx->size(); ++i) (*dx)[i] *= 2.0f;
  }

 private:
  std::string cls_;
};

nn::Sequential model_with_custom_layers() {
  nn::Sequential model("custom");
  model.add(nn::InputLayer(core::Shape{3}));
  model.add(std::make_unique<Doubler>("Doubler"));
  model.add(nn::Dense({.units = 2}));
  model.add(std::make_unique<Doubler>("Tripler"));
  model.build(core::Shape{core::kUnknownDim, 3});
  return model;
}

std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(KerasExport, RefusesEveryLayerItCannotWriteAndWritesNothing) {
  auto model = model_with_custom_layers();
  test::TempDir dir;
  const fs::path out = dir.path() / "m.keras";
  try {
    run::save_keras(out, model);
    FAIL() << "exported a model with layers Keras does not have";
  } catch (const core::ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("2 layers cannot be exported to Keras 3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("layers[1] Doubler \"my_Doubler\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("layers[3] Tripler \"my_Tripler\""), std::string::npos) << msg;
    EXPECT_EQ(msg.find("Dense \"dense\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("Bidirectional"), std::string::npos) << "the hint lists what exports: " << msg;
  }
  EXPECT_TRUE(listing(dir.path()).empty());
}

TEST(KerasExport, AnUnbuiltModelIsRefused) {
  nn::Sequential model("unbuilt");
  model.add(nn::Dense({.units = 2}));
  test::TempDir dir;
  EXPECT_THROW(run::save_keras(dir.path() / "m.keras", model), core::ConfigError);
  EXPECT_TRUE(listing(dir.path()).empty());
}

TEST(KerasExport, AFailedExportLeavesAnExistingFileUnchanged) {
  test::TempDir dir;
  const fs::path out = dir.write("m.keras", "the previous export");
  auto bad = model_with_custom_layers();
  EXPECT_THROW(run::save_keras(out, bad), core::ConfigError);
  EXPECT_EQ(listing(dir.path()), std::vector<std::string>{"m.keras"});
  std::ifstream in(out);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_EQ(s.str(), "the previous export");

  // A directory that does not exist: an InputError naming the path, nothing created.
  auto good = model_of("g", R"({"class_name": "Dense", "config": {"units": 1, "batch_input_shape": [null, 2]}})");
  EXPECT_THROW(run::save_keras(dir.path() / "missing" / "m.keras", good), core::InputError);
  EXPECT_FALSE(fs::exists(dir.path() / "missing"));

  // A successful export replaces the file whole, with no temporary file left beside it.
  run::save_keras(out, good);
  EXPECT_EQ(listing(dir.path()), std::vector<std::string>{"m.keras"});
  EXPECT_EQ(io::read_keras_file(out).weights.size(), 2u);
}

}  // namespace
