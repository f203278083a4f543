#pragma once
// Building blocks for check tests: a run file, a model and splits constructed in code, and one
// registered check run on the context.
#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/table.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/io/keras_model.hpp"
#include "fitcheck/io/run_file.hpp"

namespace fitcheck::test {

// A run file: `patch` is merged into a minimal document (array data, Adam, mse).
inline io::RunSpec make_run(const nlohmann::json& patch = nlohmann::json::object()) {
  nlohmann::json doc = {{"data", {{"train", {{"x", "x.npy"}, {"y", "y.npy"}}}}},
                        {"model", nlohmann::json::object()},
                        {"compile", {{"optimizer", "adam"}, {"loss", "mse"}}}};
  doc.merge_patch(patch);
  return io::parse_run_spec(doc, "run.json", ".");
}

// A Sequential model; `input` is the per-sample input shape ([] for none declared).
inline io::ModelSpec make_model(const nlohmann::json& layers, const std::vector<std::int64_t>& input = {}) {
  nlohmann::json all = nlohmann::json::array();
  if (!input.empty()) {
    nlohmann::json shape = nlohmann::json::array({nullptr});
    for (auto d : input) shape.push_back(d);
    all.push_back({{"class_name", "InputLayer"}, {"config", {{"name", "input"}, {"batch_shape", shape}}}});
  }
  for (const auto& l : layers) all.push_back(l);
  return io::parse_keras_model({{"class_name", "Sequential"}, {"config", {{"name", "m"}, {"layers", all}}}}, "model.json");
}

// "city_3" (appended: GCC 12 warns falsely about operator+ on a literal and a temporary).
inline std::string indexed(std::string prefix, std::int64_t i) {
  prefix += std::to_string(i);
  return prefix;
}

inline nlohmann::json dense(const std::string& name, int units, const std::string& activation = "linear") {
  return {{"class_name", "Dense"}, {"config", {{"name", name}, {"units", units}, {"activation", activation}}}};
}

inline io::DataBlock table_block(core::Table t, std::string source = "train.csv") {
  io::DataBlock b;
  b.kind = io::DataBlock::Kind::Table;
  b.table = std::move(t);
  b.source = std::move(source);
  return b;
}

inline io::DataBlock array_block(const std::vector<std::int64_t>& shape, const std::vector<float>& values,
                                 std::string source = "x.npy") {
  io::DataBlock b;
  b.kind = io::DataBlock::Kind::Array;
  b.array.dtype = core::DType::Float32;
  b.array.shape = core::Shape(shape);
  b.array.bytes.resize(values.size() * sizeof(float));
  // memcpy from an empty vector's null data() is undefined even for 0 bytes.
  if (!values.empty()) std::memcpy(b.array.bytes.data(), values.data(), b.array.bytes.size());
  b.array.source = source;
  b.source = std::move(source);
  return b;
}

inline core::Table table_of(std::vector<core::Column> columns) {
  core::Table t;
  for (auto& c : columns) t.add_column(std::move(c));
  return t;
}

inline doctor::SplitView make_split(io::DataBlock x, std::optional<io::DataBlock> y, std::string target = "",
                                    std::string split = "train") {
  io::Dataset d;
  d.split = std::move(split);
  d.x = std::move(x);
  d.y = std::move(y);
  d.target = std::move(target);
  return doctor::make_split_view(std::move(d));
}

// The findings of the registered check(s) of `category` only, stamped like run_checks does.
inline std::vector<doctor::Finding> run_category(const doctor::CheckContext& ctx, const std::string& category) {
  std::vector<doctor::Finding> out;
  for (const auto& c : doctor::all_checks()) {
    if (c.category != category) continue;
    std::vector<doctor::Finding> found;
    c.run(ctx, found);
    for (auto& f : found) {
      if (f.category.empty()) f.category = std::string(c.category);
      if (f.code.empty()) f.code = std::string(c.code);
      out.push_back(std::move(f));
    }
  }
  return out;
}

// The most severe finding's severity, or nullopt when nothing was found.
inline std::optional<doctor::Severity> worst(const std::vector<doctor::Finding>& findings) {
  std::optional<doctor::Severity> w;
  for (const auto& f : findings) {
    if (!w || f.severity > *w) w = f.severity;
  }
  return w;
}

inline bool fires(const std::vector<doctor::Finding>& findings) {
  auto w = worst(findings);
  return w && *w != doctor::Severity::Info;
}

}  // namespace fitcheck::test
