// model.incompatible_layers: a layer receives a tensor of a rank or size it cannot take
// (Conv2D → LSTM, Dense → Conv2D, a pooling window larger than its input). Found by the static
// shape pass (model_shapes.hpp) from the model's declared input, or from the data's shape when
// the model declares none. Problems at the model's first layer against the data are left to the
// data.shape_mismatch check, which knows the data.
#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/model_shapes.hpp"

namespace fitcheck::doctor {

void check_incompatible_layers(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.model || ctx.model->layers.empty()) return;
  const bool from_data = !ctx.model->input_shape.has_value();
  if (from_data && !ctx.data_input_shape) return;
  const auto input = from_data ? *ctx.data_input_shape : *ctx.model->input_shape;
  const auto shapes = infer_model_shapes(*ctx.model, input, from_data);
  if (!shapes.problem || shapes.problem->category == "data.shape_mismatch") return;
  const auto& p = *shapes.problem;
  Finding f;
  f.category = p.category;
  f.severity = Severity::Error;
  const std::string previous = p.layer_index == 0 ? std::string("the input")
                                                  : fmt::format("\"{}\" ({})", ctx.model->layers[p.layer_index - 1].name,
                                                                ctx.model->layers[p.layer_index - 1].class_name);
  f.title = p.category == "model.incompatible_layers"
                ? fmt::format("{} \"{}\" cannot take the output of {}: {} where it needs {}", p.class_name, p.layer,
                              previous, p.received.str(), p.expected)
                : p.message;
  f.where = {{"layer", p.layer}, {"layer_index", p.layer_index + 1}, {"class_name", p.class_name}};
  if (p.layer_index > 0) f.where["after"] = ctx.model->layers[p.layer_index - 1].name;
  f.evidence = {{"received_shape", p.received.str()}, {"expected", p.expected}};
  if (p.axis) f.evidence["axis"] = *p.axis;
  f.explanation = p.message + ". Keras refuses to build this model, so training never starts.";
  std::string fix;
  for (const auto& s : p.fixes) fix += (fix.empty() ? "" : "; ") + s;
  f.fix = fix.empty() ? "Change the layer or the one before it so that the shapes fit." : fix + ".";
  // A feature map (batch, h, w, c) where a sequence (batch, steps, features) is needed: the first
  // of the usual fixes, reading each row of the map as a time step, is a repair the doctor can
  // apply and prove by training.
  const auto& r = p.received;
  if (p.category == "model.incompatible_layers" && p.expected.starts_with("rank 3") && r.rank() == 4 && r[1] > 0 &&
      r[2] > 0 && r[3] > 0) {
    f.repair = nlohmann::json{
        {"model",
         {{"insert",
           {{{"before", p.layer},
             {"layer", {{"class_name", "Reshape"},
                        {"config", {{"name", "reshape_for_" + p.layer}, {"target_shape", {r[1], r[2] * r[3]}}}}}}}}}}}};
  }
  f.likelihood = 1.0;
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
