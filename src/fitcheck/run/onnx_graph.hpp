#pragma once
// The ONNX export's graph builder (internal to run/onnx_export): names, float32 and int64
// initializers, nodes with their attributes, and the layout of every value.
//
// A value's `layout` says in which order its Keras axes are stored: layout[i] is the Keras axis
// at ONNX axis i. Keras is channels_last (N, H, W, C) and ONNX's Conv, pooling and
// BatchNormalization want the channels at axis 1, its LSTM wants time first. Rather than
// transposing around every such layer, a value keeps the layout its producer left it in, and
// to_layout() inserts a Transpose only where a consumer needs another order (element-wise ops
// take any). Flatten, Reshape and the model's output ask for Keras' order, so that flattened
// features come out in Keras' order.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "fitcheck/core/shape.hpp"
#include "fitcheck/core/tensor.hpp"

namespace fitcheck::run::onnx_detail {

struct Value {
  std::string name;
  core::Shape shape;        // Keras shape, batch axis None
  std::vector<int> layout;  // ONNX axis i holds Keras axis layout[i]

  int rank() const { return shape.rank(); }
  // Where Keras axis `keras_axis` is stored.
  int axis(int keras_axis) const;
  // The ONNX shape: `shape` in layout order.
  core::Shape onnx_shape() const;
};

// Keras' own order (identity), channels first (0, r−1, 1, ..., r−2), time first (1, 0, 2).
std::vector<int> keras_layout(int rank);
std::vector<int> channels_first_layout(int rank);
std::vector<int> time_major_layout();

class GraphBuilder {
 public:
  explicit GraphBuilder(onnx::GraphProto& graph) : graph_(graph) {}

  // `base`, or `base` with a suffix when the name is taken: every value, node and initializer
  // name in a graph is unique.
  std::string unique(const std::string& base);

  // A float32 initializer with the given dims and row-major data.
  std::string add_initializer(const std::string& name, const std::vector<std::int64_t>& dims,
                              const std::vector<float>& data);
  std::string add_initializer(const std::string& name, const core::Tensor& t);
  // A 1-D int64 initializer (shapes, axes, pads, ...).
  std::string add_int64s(const std::string& name, const std::vector<std::int64_t>& values);
  // A float32 scalar, shared by every node that uses the same value.
  std::string scalar(float value);

  // A node `op` named `scope/op`, with `outputs` outputs named after it; inputs may be "" for an
  // optional input left out.
  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs, const std::string& scope,
                        int outputs = 1);
  // A one-output node; returns the output's name.
  std::string op(const std::string& op, const std::vector<std::string>& inputs, const std::string& scope) {
    return node(op, inputs, scope).output(0);
  }

  // `v` stored in `layout` (one Transpose, or none when it already is).
  Value to_layout(const Value& v, const std::vector<int>& layout, const std::string& scope);

  onnx::GraphProto& graph() { return graph_; }

 private:
  onnx::GraphProto& graph_;
  std::set<std::string> names_;
  std::map<float, std::string> scalars_;
};

// Node attributes.
void set_attr(onnx::NodeProto& n, const std::string& name, std::int64_t value);
void set_attr(onnx::NodeProto& n, const std::string& name, float value);
void set_attr(onnx::NodeProto& n, const std::string& name, const std::string& value);
void set_attr(onnx::NodeProto& n, const std::string& name, const std::vector<std::int64_t>& values);
void set_attr(onnx::NodeProto& n, const std::string& name, const std::vector<std::string>& values);

// A value_info of a float32 tensor; unknown axes get the symbolic name `dim_names[i]` when it is
// not empty (the batch axis: "batch"), no size otherwise.
void set_tensor_info(onnx::ValueInfoProto& info, const std::string& name, const core::Shape& shape,
                     const std::vector<std::string>& dim_names);

}  // namespace fitcheck::run::onnx_detail
