// run::to_onnx / save_onnx: the ModelProto's structure read back with libonnx's protobuf classes
// (nodes, attributes, initializer shapes and values, the gate reorder), the one error listing every
// layer that cannot be exported, and the atomic write. The numbers the graph computes are checked
// by tests/parity/onnx_export_parity_test.cpp.
#include "fitcheck/run/onnx_export.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/layers/batch_normalization.hpp"
#include "fitcheck/nn/layers/conv.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/dropout.hpp"
#include "fitcheck/nn/layers/flatten.hpp"
#include "fitcheck/nn/layers/gru.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/lstm.hpp"
#include "fitcheck/nn/layers/pooling.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace fitcheck;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

onnx::ModelProto parse(const std::string& bytes) {
  onnx::ModelProto m;
  EXPECT_TRUE(m.ParseFromString(bytes));
  return m;
}

std::vector<std::string> op_types(const onnx::ModelProto& m) {
  std::vector<std::string> ops;
  for (const auto& n : m.graph().node()) ops.push_back(n.op_type());
  return ops;
}

const onnx::TensorProto& initializer(const onnx::ModelProto& m, const std::string& name) {
  for (const auto& t : m.graph().initializer()) {
    if (t.name() == name) return t;
  }
  ADD_FAILURE() << "no initializer " << name;
  static const onnx::TensorProto none;
  return none;
}

std::vector<std::int64_t> dims(const onnx::TensorProto& t) { return {t.dims().begin(), t.dims().end()}; }

std::vector<float> floats(const onnx::TensorProto& t) {
  std::vector<float> v(t.raw_data().size() / sizeof(float));
  std::memcpy(v.data(), t.raw_data().data(), t.raw_data().size());
  return v;
}

const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

void build(nn::Sequential& model) { model.build(*model.input_shape()); }

// The model built, every variable set to distinct values, so that a misplaced element shows.
void number_weights(nn::Sequential& model) {
  build(model);
  float next = 0.01f;
  for (std::size_t i = 0; i < model.size(); ++i) {
    for (auto& p : model.layer(i).parameters()) {
      for (auto& v : p.value.values()) {
        v = next;
        next += 0.01f;
      }
    }
  }
}

TEST(OnnxExport, AnMlpIsMatMulAddAndActivationsWithItsWeightsAsInitializers) {
  nn::Sequential model("mlp");
  model.add(nn::InputLayer(core::Shape{4}));
  model.add(nn::Dense({.units = 3, .activation = "relu", .name = "hidden"}));
  model.add(nn::Dropout({.rate = 0.5}));
  model.add(nn::Dense({.units = 2, .activation = "softmax", .name = "out"}));
  number_weights(model);
  const auto m = parse(run::to_onnx(model));

  EXPECT_EQ(m.ir_version(), 8);
  ASSERT_EQ(m.opset_import_size(), 1);
  EXPECT_EQ(m.opset_import(0).domain(), "");
  EXPECT_EQ(m.opset_import(0).version(), 17);
  EXPECT_EQ(m.producer_name(), "fitcheck");
  EXPECT_EQ(m.graph().name(), "mlp");
  EXPECT_THAT(op_types(m), ElementsAre("MatMul", "Add", "Relu", "MatMul", "Add", "Softmax"));
  EXPECT_EQ(m.graph().node(5).output(0), "output");
  EXPECT_EQ(attribute(m.graph().node(5), "axis")->i(), 1);

  ASSERT_EQ(m.graph().input_size(), 1);
  const auto& in = m.graph().input(0);
  EXPECT_EQ(in.name(), "input");
  EXPECT_EQ(in.type().tensor_type().elem_type(), onnx::TensorProto::FLOAT);
  ASSERT_EQ(in.type().tensor_type().shape().dim_size(), 2);
  EXPECT_EQ(in.type().tensor_type().shape().dim(0).dim_param(), "batch");  // dynamic batch axis
  EXPECT_EQ(in.type().tensor_type().shape().dim(1).dim_value(), 4);
  const auto& out = m.graph().output(0);
  EXPECT_EQ(out.name(), "output");
  EXPECT_EQ(out.type().tensor_type().shape().dim(0).dim_param(), "batch");
  EXPECT_EQ(out.type().tensor_type().shape().dim(1).dim_value(), 2);

  const auto& kernel = initializer(m, "hidden/kernel");
  EXPECT_EQ(kernel.data_type(), onnx::TensorProto::FLOAT);
  EXPECT_THAT(dims(kernel), ElementsAre(4, 3));
  const auto& k = model.layer(1).parameters()[0].value;
  EXPECT_EQ(floats(kernel), std::vector<float>(k.values().begin(), k.values().end()));
  EXPECT_THAT(dims(initializer(m, "hidden/bias")), ElementsAre(3));
  EXPECT_THAT(dims(initializer(m, "out/kernel")), ElementsAre(3, 2));
  EXPECT_THAT(dims(initializer(m, "out/bias")), ElementsAre(2));
  EXPECT_EQ(m.graph().initializer_size(), 4);
}

TEST(OnnxExport, ConvolutionsRunChannelsFirstBetweenTwoTransposes) {
  nn::Sequential model("cnn");
  model.add(nn::InputLayer(core::Shape{6, 6, 2}));
  model.add(nn::Conv2D({.filters = 3, .kernel_size = {3}, .padding = "same", .name = "conv"}));
  model.add(nn::BatchNormalization({.name = "bn"}));
  model.add(nn::MaxPooling2D());
  model.add(nn::Flatten());
  model.add(nn::Dense({.units = 2, .name = "head"}));
  number_weights(model);
  const auto m = parse(run::to_onnx(model));

  // NHWC → NCHW once, and back before Flatten so that features are flattened in Keras' order.
  EXPECT_THAT(op_types(m), ElementsAre("Transpose", "Conv", "BatchNormalization", "MaxPool", "Transpose", "Flatten",
                                       "MatMul", "Add"));
  const auto& g = m.graph();
  EXPECT_THAT(std::vector<std::int64_t>(attribute(g.node(0), "perm")->ints().begin(), attribute(g.node(0), "perm")->ints().end()),
              ElementsAre(0, 3, 1, 2));
  EXPECT_THAT(std::vector<std::int64_t>(attribute(g.node(4), "perm")->ints().begin(), attribute(g.node(4), "perm")->ints().end()),
              ElementsAre(0, 2, 3, 1));
  const auto* pads = attribute(g.node(1), "pads");
  ASSERT_NE(pads, nullptr);
  EXPECT_THAT(std::vector<std::int64_t>(pads->ints().begin(), pads->ints().end()), ElementsAre(1, 1, 1, 1));

  // Keras kernel (kh, kw, in, out) → ONNX (out, in, kh, kw).
  const auto& w = initializer(m, "conv/kernel");
  EXPECT_THAT(dims(w), ElementsAre(3, 2, 3, 3));
  const auto& k = model.layer(1).parameters()[0].value;  // (3, 3, 2, 3)
  const auto values = floats(w);
  for (int o = 0; o < 3; ++o) {
    for (int i = 0; i < 2; ++i) {
      for (int y = 0; y < 3; ++y) {
        for (int x = 0; x < 3; ++x) {
          EXPECT_EQ(values[static_cast<std::size_t>(((o * 2 + i) * 3 + y) * 3 + x)], k[((y * 3 + x) * 2 + i) * 3 + o]);
        }
      }
    }
  }
  EXPECT_THAT(dims(initializer(m, "head/kernel")), ElementsAre(27, 2));
  const auto* eps = attribute(g.node(2), "epsilon");
  ASSERT_NE(eps, nullptr);
  EXPECT_FLOAT_EQ(eps->f(), 1e-3f);
}

TEST(OnnxExport, LstmGateBlocksAreReorderedFromKerasIfcoToOnnxIofc) {
  nn::Sequential model("seq");
  model.add(nn::InputLayer(core::Shape{5, 3}));
  model.add(nn::LSTM({.units = 2, .name = "lstm"}));
  number_weights(model);
  const auto m = parse(run::to_onnx(model));
  // Time-major for the op, then Y_h without its direction axis.
  EXPECT_THAT(op_types(m), ElementsAre("Transpose", "LSTM", "Squeeze"));
  const auto& node = m.graph().node(1);
  EXPECT_EQ(attribute(node, "hidden_size")->i(), 2);
  EXPECT_EQ(node.output(0), "");  // Y is not used

  const auto& params = model.layer(1).parameters();
  const auto& kernel = params[0].value;     // (3, 8), blocks i f c o
  const auto& recurrent = params[1].value;  // (2, 8)
  const auto& bias = params[2].value;       // (8)
  const int order[4] = {0, 3, 1, 2};        // ONNX block j is Keras block order[j]
  const auto w = floats(initializer(m, "lstm/W"));
  const auto r = floats(initializer(m, "lstm/R"));
  const auto b = floats(initializer(m, "lstm/B"));
  EXPECT_THAT(dims(initializer(m, "lstm/W")), ElementsAre(1, 8, 3));
  EXPECT_THAT(dims(initializer(m, "lstm/R")), ElementsAre(1, 8, 2));
  EXPECT_THAT(dims(initializer(m, "lstm/B")), ElementsAre(1, 16));
  for (int j = 0; j < 4; ++j) {
    for (int u = 0; u < 2; ++u) {
      const int row = j * 2 + u, col = order[j] * 2 + u;
      for (int f = 0; f < 3; ++f) EXPECT_EQ(w[static_cast<std::size_t>(row * 3 + f)], kernel[f * 8 + col]);
      for (int h = 0; h < 2; ++h) EXPECT_EQ(r[static_cast<std::size_t>(row * 2 + h)], recurrent[h * 8 + col]);
      EXPECT_EQ(b[static_cast<std::size_t>(row)], bias[col]);
      EXPECT_EQ(b[static_cast<std::size_t>(8 + row)], 0.0f);  // the recurrent bias Keras does not have
    }
  }
}

TEST(OnnxExport, GruResetAfterKeepsBothBiasesAndResetsAfterTheProduct) {
  nn::Sequential model("seq");
  model.add(nn::InputLayer(core::Shape{4, 3}));
  model.add(nn::GRU({.units = 2, .return_sequences = true, .name = "gru"}));
  number_weights(model);
  const auto m = parse(run::to_onnx(model));
  // Y (T, 1, B, U) squeezed and stored time-major; back to (B, T, U) for the output.
  EXPECT_THAT(op_types(m), ElementsAre("Transpose", "GRU", "Squeeze", "Transpose"));
  const auto& node = m.graph().node(1);
  EXPECT_EQ(attribute(node, "linear_before_reset")->i(), 1);
  EXPECT_EQ(node.output_size(), 1);
  const auto& bias = model.layer(1).parameters()[2].value;  // (2, 6): input bias, recurrent bias
  EXPECT_EQ(floats(initializer(m, "gru/B")), std::vector<float>(bias.values().begin(), bias.values().end()));
}

TEST(OnnxExport, EveryLayerWithoutAnExactOnnxFormIsListedInOneError) {
  nn::Sequential model("seq");
  model.add(nn::InputLayer(core::Shape{5, 3}));
  model.add(nn::LSTM({.units = 4, .activation = "gelu", .return_sequences = true, .name = "lstm_a"}));
  model.add(nn::Dense({.units = 3}));
  model.add(nn::GRU({.units = 2, .recurrent_activation = "hard_sigmoid", .name = "gru_b"}));
  build(model);
  try {
    run::to_onnx(model, "model.onnx");
    FAIL() << "exported";
  } catch (const core::ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_THAT(msg, HasSubstr("model.onnx: 2 of the model's layers have no exact ONNX form"));
    EXPECT_THAT(msg, HasSubstr("layers[1] LSTM \"lstm_a\": activation \"gelu\" inside the LSTM cell"));
    EXPECT_THAT(msg, HasSubstr("; layers[3] GRU \"gru_b\": recurrent_activation \"hard_sigmoid\" inside the GRU cell"));
    EXPECT_THAT(msg, HasSubstr("docs/onnx.md"));
  }
}

TEST(OnnxExport, AFailedSaveLeavesNoFileAndKeepsTheOldOne) {
  test::TempDir dir;
  nn::Sequential model("seq");
  model.add(nn::InputLayer(core::Shape{5, 3}));
  model.add(nn::LSTM({.units = 2, .activation = "swish"}));
  build(model);
  const fs::path fresh = dir.path() / "new.onnx";
  EXPECT_THROW(run::save_onnx(fresh, model), core::ConfigError);
  EXPECT_FALSE(fs::exists(fresh));

  const fs::path old = dir.write("old.onnx", "old contents");
  EXPECT_THROW(run::save_onnx(old, model), core::ConfigError);
  std::ifstream in(old);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "old contents");
  // No temporary file left behind either.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(OnnxExport, SaveWritesTheModelToOnnxReturns) {
  test::TempDir dir;
  nn::Sequential model("mlp");
  model.add(nn::InputLayer(core::Shape{3}));
  model.add(nn::Dense({.units = 2}));
  build(model);
  const fs::path path = dir.path() / "model.onnx";
  run::save_onnx(path, model);
  std::ifstream in(path, std::ios::binary);
  const std::string bytes(std::istreambuf_iterator<char>(in), {});
  EXPECT_EQ(bytes, run::to_onnx(model));
  EXPECT_THAT(op_types(parse(bytes)), ElementsAre("MatMul", "Add"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(OnnxExport, AModelOfIdentitiesIsOneIdentityNode) {
  nn::Sequential model("id");
  model.add(nn::InputLayer(core::Shape{3}));
  model.add(nn::Dropout({.rate = 0.2}));
  build(model);
  const auto m = parse(run::to_onnx(model));
  ASSERT_THAT(op_types(m), ElementsAre("Identity"));
  EXPECT_EQ(m.graph().node(0).input(0), "input");
  EXPECT_EQ(m.graph().node(0).output(0), "output");
}

TEST(OnnxExport, AnUnbuiltModelHasNothingToExport) {
  nn::Sequential model("lazy");
  model.add(nn::Dense({.units = 2}));
  try {
    run::to_onnx(model, "out.onnx");
    FAIL() << "exported";
  } catch (const core::InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("out.onnx: the model is not built"));
  }
}

}  // namespace
