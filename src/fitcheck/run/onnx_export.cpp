#include "fitcheck/run/onnx_export.hpp"

#include <exception>
#include <limits>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/atomic_write.hpp"
#include "fitcheck/run/onnx_graph.hpp"
#include "fitcheck/run/onnx_layers.hpp"

namespace fitcheck::run {

namespace {

using onnx_detail::GraphBuilder;
using onnx_detail::Value;

// Names the final value "output": renames it where it is produced, or adds an Identity when it
// is the graph input itself (a model of InputLayer and Dropout only).
void name_output(onnx::GraphProto& graph, const std::string& from) {
  if (from == "input") {
    auto* n = graph.add_node();
    n->set_op_type("Identity");
    n->set_name("output/Identity");
    n->add_input("input");
    n->add_output("output");
    return;
  }
  for (auto& n : *graph.mutable_node()) {
    for (auto& s : *n.mutable_output()) {
      if (s == from) s = "output";
    }
    for (auto& s : *n.mutable_input()) {
      if (s == from) s = "output";
    }
  }
}

// ONNX's own checker and strict shape inference (libonnx): a model they refuse is our bug.
void check(const onnx::ModelProto& model) {
  try {
    onnx::checker::check_model(model);
    // Inference annotates the graph it checks, so it works on a copy (weights included: Reshape
    // targets and the like are read from the initializers).
    onnx::ModelProto copy = model;
    onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(/*check_type=*/true, /*strict_mode=*/1));
  } catch (const std::exception& e) {
    throw core::InternalError({.where = "ONNX export", .what = std::string("the exported graph fails ONNX's checker: ") + e.what(),
                               .hint = "This is a bug in fitcheck; please report it with the model."});
  }
}

}  // namespace

std::string to_onnx(const nn::Sequential& model, const std::string& where) {
  const auto input_shape = model.input_shape();
  if (!model.built() || !input_shape) {
    throw core::InputError({.where = where, .what = "the model is not built, so it has no weights to export",
                            .hint = "Declare the input shape (an InputLayer) or fit the model first."});
  }
  onnx::ModelProto m;
  m.set_ir_version(kOnnxIrVersion);
  m.set_producer_name("fitcheck");
  m.set_producer_version(FITCHECK_VERSION);
  m.set_doc_string(fmt::format("Keras-style Sequential model \"{}\" exported by fitcheck", model.name()));
  auto* opset = m.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);
  onnx::GraphProto& graph = *m.mutable_graph();
  graph.set_name(model.name());

  GraphBuilder g(graph);
  core::Shape in_shape = *input_shape;
  in_shape[0] = core::kUnknownDim;  // the batch axis is always dynamic
  std::vector<std::string> dim_names = {"batch"};
  for (int i = 1; i < in_shape.rank(); ++i) dim_names.push_back(fmt::format("input_axis_{}", i));
  onnx_detail::set_tensor_info(*graph.add_input(), g.unique("input"), in_shape, dim_names);
  g.unique("output");

  Value x{"input", in_shape, onnx_detail::keras_layout(in_shape.rank())};
  std::vector<std::string> unsupported;
  for (std::size_t i = 0; i < model.size(); ++i) {
    const nn::Layer& layer = model.layer(i);
    try {
      x = onnx_detail::export_layer(g, {layer, layer.get_config(), layer.parameters(), "", layer.name()}, x);
    } catch (const onnx_detail::Unsupported& e) {
      unsupported.push_back(fmt::format("{}: {}", layer.where(), e.what()));
      // Carry on with a stand-in of the layer's output, to find every other such layer too.
      x = Value{g.unique(layer.name() + "/unsupported"), layer.output_shape(),
                onnx_detail::keras_layout(layer.output_shape().rank())};
    }
  }
  if (!unsupported.empty()) {
    throw core::ConfigError(
        {.where = where,
         .what = fmt::format("{} of the model's layers {} no exact ONNX form: {}", unsupported.size(),
                             unsupported.size() == 1 ? "has" : "have", fmt::join(unsupported, "; ")),
         .hint = "Change them to the forms docs/onnx.md lists, or keep the model in fitcheck's own format."});
  }
  x = g.to_layout(x, onnx_detail::keras_layout(x.rank()), "output");
  name_output(graph, x.name);
  core::Shape out_shape = x.shape;
  out_shape[0] = core::kUnknownDim;
  onnx_detail::set_tensor_info(*graph.add_output(), "output", out_shape, {"batch"});
  // One protobuf message holds at most 2 GB; larger models would need ONNX's external data.
  if (m.ByteSizeLong() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw core::ConfigError({.where = where, .what = "the model is too large for one ONNX file",
                             .expected = "at most 2 GB of weights", .got = fmt::format("{} bytes", m.ByteSizeLong())});
  }
  check(m);
  return m.SerializeAsString();
}

void save_onnx(const std::filesystem::path& path, const nn::Sequential& model) {
  const std::string bytes = to_onnx(model, path.string());
  io::write_file_atomically(path, bytes);
}

}  // namespace fitcheck::run
