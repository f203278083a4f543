// data.shape_mismatch: the data's per-sample shape differs from the model's input.
//
// Compared axis by axis, batch axis excluded; an axis the model leaves open (None) matches
// anything. When the sizes agree and only the arrangement differs (784 vs 28x28, 28x28 vs
// 28x28x1) the fix is a reshape of the data, written as the run-file repair
// {"data": {"train": {"reshape": [...]}}}; when the sizes differ (5 features vs 10) either the data
// or the model's input is wrong, and both ways out are named. A model that declares no input
// shape is checked through its first layer against the data (model_shapes.hpp).
#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/model_shapes.hpp"

namespace fitcheck::doctor {

namespace {

using core::kUnknownDim;
using core::Shape;

std::int64_t elements(const Shape& s) {
  std::int64_t p = 1;
  for (int i = 1; i < s.rank(); ++i) {
    if (s[i] == kUnknownDim) return kUnknownDim;
    p *= s[i];
  }
  return p;
}

bool fits(const Shape& data, const Shape& model) {
  if (data.rank() != model.rank()) return false;
  for (int i = 1; i < data.rank(); ++i) {
    if (model[i] != kUnknownDim && data[i] != model[i]) return false;
  }
  return true;
}

std::vector<std::int64_t> per_sample(const Shape& s) {
  return std::vector<std::int64_t>(s.dims().begin() + 1, s.dims().end());
}

nlohmann::json reshape_repair(const CheckContext& ctx, const Shape& model) {
  nlohmann::json data = nlohmann::json::object();
  data["train"] = {{"reshape", per_sample(model)}};
  if (ctx.test && ctx.test->data.x.kind == io::DataBlock::Kind::Array) data["test"] = {{"reshape", per_sample(model)}};
  return {{"data", data}};
}

// The test split must have the training split's per-sample shape (columns, for tables), or the
// model trained on one cannot score the other.
void check_test_split_shape(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train || !ctx.test) return;
  const auto train = ctx.train->data.x.shape(), test = ctx.test->data.x.shape();
  if (per_sample(train) == per_sample(test)) return;
  Finding f;
  f.severity = Severity::Error;
  f.likelihood = 0.9;
  f.title = fmt::format("The test data is {} but the training data is {}: their samples differ", test.str(), train.str());
  f.where = {{"train", ctx.train->data.x.source}, {"test", ctx.test->data.x.source}};
  f.evidence = {{"train_shape", train.str()}, {"test_shape", test.str()}};
  f.explanation = "A model trained on one per-sample shape cannot be evaluated on another; Keras stops at evaluate().";
  f.fix = "Prepare the test data exactly as the training data (same columns in the same order, same reshape).";
  out.push_back(std::move(f));
}

}  // namespace

// Features without a single column (a CSV holding only the target, every column named as the
// target or dropped): there is nothing to feed any model.
bool no_feature_columns(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train) return false;
  const auto& x = ctx.train->data.x;
  const std::int64_t columns = x.kind == io::DataBlock::Kind::Table ? x.table.num_columns() : elements(x.shape());
  if (columns != 0) return false;
  Finding f;
  f.severity = Severity::Error;
  f.likelihood = 1.0;
  f.title = fmt::format("The training data has no feature columns: {} holds only the labels", x.source);
  f.where = {{"split", "train"}, {"source", x.source}};
  f.evidence = {{"data_shape", x.shape().str()}};
  f.explanation = "Every column of the file is the target (or was left out), so the model would receive samples "
                  "with zero features.";
  f.fix = "Check that the file is the one with the features and that the target names a single column; for "
          "arrays, check that x is not the label array.";
  out.push_back(std::move(f));
  return true;
}

void check_shape_mismatch(const CheckContext& ctx, std::vector<Finding>& out) {
  check_test_split_shape(ctx, out);
  if (no_feature_columns(ctx, out)) return;
  if (!ctx.model || !ctx.train || !ctx.data_input_shape) return;
  const Shape data = *ctx.data_input_shape;
  const std::int64_t n = ctx.train->data.x.rows();
  Finding f;
  f.severity = Severity::Error;
  f.likelihood = 1.0;
  f.where = {{"split", "train"}, {"source", ctx.train->data.x.source}};

  if (!ctx.model->input_shape) {
    // No declared input: Keras builds the model from the data; the first layer must take it.
    auto shapes = infer_model_shapes(*ctx.model, data, true);
    if (!shapes.problem || shapes.problem->category != "data.shape_mismatch") return;
    const auto& p = *shapes.problem;
    f.title = fmt::format("The data's samples are {} but the first layer, {} \"{}\", needs {}", Shape(per_sample(data)).str(),
                          p.class_name, p.layer, p.expected);
    f.where["layer"] = p.layer;
    f.evidence = {{"data_shape", Shape(std::vector<std::int64_t>{n}).str()}, {"batch_shape", data.str()}, {"expected", p.expected}};
    f.explanation = p.message + ".";
    std::string fix;
    for (const auto& s : p.fixes) fix += (fix.empty() ? "" : "; ") + s;
    f.fix = fix.empty() ? "Reshape the data to what the first layer takes." : fix + ".";
    out.push_back(std::move(f));
    return;
  }

  const Shape model = *ctx.model->input_shape;
  if (fits(data, model)) return;
  const std::int64_t de = elements(data), me = elements(model);
  std::vector<std::int64_t> full_data = {n};
  for (auto d : per_sample(data)) full_data.push_back(d);
  f.evidence = {{"data_shape", Shape(full_data).str()}, {"model_input", model.str()}};
  f.where["model_input"] = model.str();

  if (de != kUnknownDim && de == me) {
    std::vector<std::int64_t> target = {n};
    for (auto d : per_sample(model)) target.push_back(d);
    const Shape want(target);
    const auto d = per_sample(data), m = per_sample(model);
    std::string how;
    if (m.size() == d.size() + 1 && m.back() == 1 && std::equal(d.begin(), d.end(), m.begin())) {
      how = fmt::format("add a channel axis (reshape to {}; numpy: x[..., np.newaxis])", want.str());
    } else if (d.size() == m.size() + 1 && d.back() == 1) {
      how = fmt::format("drop the trailing axis of size 1 (reshape to {}; numpy: x.squeeze(-1))", want.str());
    } else if (d.size() == 1) {
      how = fmt::format("reshape the flat vectors to {}", want.str());
    } else if (m.size() == 1) {
      how = fmt::format("flatten each sample to {} values (reshape to {}), or start the model with Flatten()", me, want.str());
    } else {
      how = fmt::format("reshape the data to {}", want.str());
    }
    f.title = fmt::format("The data is {} but the model expects {}: {}", Shape(full_data).str(), model.str(), how);
    f.explanation = fmt::format("Both hold {} values per sample, arranged differently; Keras refuses the data "
                                "(\"expected shape={}, found shape={}\") before training starts.", de, model.str(),
                                Shape(full_data).str());
    f.fix = fmt::format("Reshape the data: {}.", how);
    f.repair = reshape_repair(ctx, model);
  } else if (data.rank() == model.rank()) {
    int axis = 1;
    while (axis < data.rank() && (model[axis] == kUnknownDim || data[axis] == model[axis])) ++axis;
    const bool features = data.rank() == 2;
    f.evidence["axis"] = axis;
    f.evidence["data_size"] = data[axis];
    f.evidence["model_size"] = model[axis];
    f.title = features ? fmt::format("The model's input takes {} features, the data has {}", model[axis], data[axis])
                       : fmt::format("The data is {} but the model expects {}: axis {} is {} where the model needs {}",
                                     Shape(full_data).str(), model.str(), axis, data[axis], model[axis]);
    f.explanation = "The first layer's weights were sized for a different number of inputs, so Keras stops "
                    "with an incompatible-shape error.";
    f.fix = features ? fmt::format("Either give the model the {} feature columns it was built for (the same columns, "
                                   "in the same order, as when the model was designed), or change its input shape "
                                   "to (None, {}).", model[axis], data[axis])
                     : fmt::format("Resize or crop the data to {} on axis {}, or change the model's input shape.",
                                   model[axis], axis);
    f.repair = nlohmann::json{{"model", {{"input_shape", [&] {
                                 nlohmann::json dims = nlohmann::json::array({nullptr});
                                 for (auto d : per_sample(data)) dims.push_back(d);
                                 return dims;
                               }()}}}};
  } else {
    f.title = fmt::format("The data is {} (rank {}) but the model expects {} (rank {}), and the sizes differ "
                          "({} vs {} values per sample)", Shape(full_data).str(), data.rank(), model.str(), model.rank(),
                          de, me);
    f.explanation = "No reshape turns one into the other: the data or the model belongs to a different problem.";
    f.fix = "Check that the data file and the model go together; then make the model's input shape match the data.";
  }
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
