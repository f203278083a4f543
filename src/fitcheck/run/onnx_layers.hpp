#pragma once
// The ONNX export's layer mappings (internal to run/onnx_export): one function per engine layer,
// listed in one table in onnx_layers.cpp, each emitting the nodes that compute the layer in
// inference mode. docs/onnx.md describes every mapping.

#include <stdexcept>
#include <string>
#include <vector>

#include "fitcheck/nn/layer.hpp"
#include "fitcheck/run/onnx_graph.hpp"

namespace fitcheck::run::onnx_detail {

// A layer to export, and where its variables live: Bidirectional and TimeDistributed own their
// sublayers' variables (the sublayer's own are placeholders), so a sublayer's are read from the
// wrapper under `prefix`.
struct LayerRef {
  const nn::Layer& layer;
  nn::Json config;                          // layer.get_config(): Keras' keys, normalised
  const std::vector<nn::Parameter>& params;
  std::string prefix;                       // "forward_lstm/" for a Bidirectional's sublayer
  std::string scope;                        // node and initializer names start with it

  const core::Tensor* find(const std::string& name) const;
  const core::Tensor& param(const std::string& name) const;  // InternalError when missing
  LayerRef sublayer(const nn::Layer& sub, std::string sub_prefix) const;
};

// A layer or option with no exact ONNX form; what() is the reason, in the user's words.
class Unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Emits `layer` applied to x and returns its output. Throws Unsupported.
Value export_layer(GraphBuilder& g, const LayerRef& layer, const Value& x);

// The classes export_layer maps (docs and tests).
std::vector<std::string> exportable_layer_classes();

}  // namespace fitcheck::run::onnx_detail
