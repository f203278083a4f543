#include "fitcheck/run/onnx_graph.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::run::onnx_detail {

int Value::axis(int keras_axis) const {
  const auto it = std::find(layout.begin(), layout.end(), keras_axis);
  FITCHECK_CHECK(it != layout.end(), fmt::format("axis {} of a rank-{} value", keras_axis, rank()));
  return static_cast<int>(it - layout.begin());
}

core::Shape Value::onnx_shape() const {
  std::vector<std::int64_t> dims;
  for (int k : layout) dims.push_back(shape[k]);
  return core::Shape(std::move(dims));
}

std::vector<int> keras_layout(int rank) {
  std::vector<int> l(static_cast<std::size_t>(rank));
  for (int i = 0; i < rank; ++i) l[static_cast<std::size_t>(i)] = i;
  return l;
}

std::vector<int> channels_first_layout(int rank) {
  std::vector<int> l = {0};
  if (rank > 1) l.push_back(rank - 1);
  for (int i = 1; i < rank - 1; ++i) l.push_back(i);
  return l;
}

std::vector<int> time_major_layout() { return {1, 0, 2}; }

std::string GraphBuilder::unique(const std::string& base) {
  std::string name = base;
  for (int i = 1; names_.count(name) != 0; ++i) name = fmt::format("{}_{}", base, i);
  names_.insert(name);
  return name;
}

std::string GraphBuilder::add_initializer(const std::string& name, const std::vector<std::int64_t>& dims,
                                          const std::vector<float>& data) {
  std::int64_t n = 1;
  for (auto d : dims) n *= d;
  FITCHECK_CHECK(n == static_cast<std::int64_t>(data.size()), "initializer " + name + " size");
  auto* t = graph_.add_initializer();
  t->set_name(unique(name));
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (auto d : dims) t->add_dims(d);
  // raw_data is little-endian float32, as ONNX specifies (and as this machine stores floats).
  t->set_raw_data(std::string(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(float)));
  return t->name();
}

std::string GraphBuilder::add_initializer(const std::string& name, const core::Tensor& t) {
  return add_initializer(name, t.shape().dims(), std::vector<float>(t.values().begin(), t.values().end()));
}

std::string GraphBuilder::add_int64s(const std::string& name, const std::vector<std::int64_t>& values) {
  auto* t = graph_.add_initializer();
  t->set_name(unique(name));
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_dims(static_cast<std::int64_t>(values.size()));
  for (auto v : values) t->add_int64_data(v);
  return t->name();
}

std::string GraphBuilder::scalar(float value) {
  const auto it = scalars_.find(value);
  if (it != scalars_.end()) return it->second;
  auto* t = graph_.add_initializer();
  t->set_name(unique(fmt::format("const/{}", value)));
  t->set_data_type(onnx::TensorProto::FLOAT);
  t->add_float_data(value);
  scalars_[value] = t->name();
  return t->name();
}

onnx::NodeProto& GraphBuilder::node(const std::string& op, const std::vector<std::string>& inputs,
                                    const std::string& scope, int outputs) {
  auto* n = graph_.add_node();
  n->set_op_type(op);
  n->set_name(unique(scope + "/" + op));
  for (const auto& in : inputs) n->add_input(in);
  for (int i = 0; i < outputs; ++i) n->add_output(outputs == 1 ? n->name() : unique(fmt::format("{}:{}", n->name(), i)));
  return *n;
}

Value GraphBuilder::to_layout(const Value& v, const std::vector<int>& layout, const std::string& scope) {
  if (v.layout == layout) return v;
  FITCHECK_CHECK(layout.size() == v.layout.size(), "layout rank");
  // Output axis i holds Keras axis layout[i], which the input stores at v.axis(layout[i]).
  std::vector<std::int64_t> perm;
  for (int k : layout) perm.push_back(v.axis(k));
  auto& n = node("Transpose", {v.name}, scope);
  set_attr(n, "perm", perm);
  return Value{n.output(0), v.shape, layout};
}

void set_attr(onnx::NodeProto& n, const std::string& name, std::int64_t value) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

void set_attr(onnx::NodeProto& n, const std::string& name, float value) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(value);
}

void set_attr(onnx::NodeProto& n, const std::string& name, const std::string& value) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(value);
}

void set_attr(onnx::NodeProto& n, const std::string& name, const std::vector<std::int64_t>& values) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (auto v : values) a->add_ints(v);
}

void set_attr(onnx::NodeProto& n, const std::string& name, const std::vector<std::string>& values) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRINGS);
  for (const auto& v : values) a->add_strings(v);
}

void set_tensor_info(onnx::ValueInfoProto& info, const std::string& name, const core::Shape& shape,
                     const std::vector<std::string>& dim_names) {
  info.set_name(name);
  auto* tensor = info.mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  auto* s = tensor->mutable_shape();
  for (int i = 0; i < shape.rank(); ++i) {
    auto* d = s->add_dim();
    if (shape[i] != core::kUnknownDim) {
      d->set_dim_value(shape[i]);
    } else if (static_cast<std::size_t>(i) < dim_names.size() && !dim_names[static_cast<std::size_t>(i)].empty()) {
      d->set_dim_param(dim_names[static_cast<std::size_t>(i)]);
    }
  }
}

}  // namespace fitcheck::run::onnx_detail
