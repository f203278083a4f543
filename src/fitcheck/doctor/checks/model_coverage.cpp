// What the static model checks could not look at, said as info so that silence is not mistaken
// for a clean bill: a model structure fitcheck cannot analyse (a branching Functional model), and
// layer classes the static shape pass does not know (shapes after them are not checked).
#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/model_shapes.hpp"

namespace fitcheck::doctor {

void check_model_coverage(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.model_error.empty()) {
    Finding f;
    f.severity = Severity::Info;
    f.likelihood = 0.0;
    f.title = "The model was not analysed; only the data and the configuration were checked";
    f.evidence = {{"reason", ctx.model_error}};
    f.explanation = "fitcheck analyses Sequential models and Functional models whose graph is a chain.";
    f.fix = "Nothing to fix for training; to have the model checked, express it as a Sequential model.";
    out.push_back(std::move(f));
    return;
  }
  if (!ctx.model) return;
  std::optional<core::Shape> input = ctx.model->input_shape ? ctx.model->input_shape : ctx.data_input_shape;
  if (!input) return;
  auto shapes = infer_model_shapes(*ctx.model, *input, !ctx.model->input_shape.has_value());
  if (shapes.unknown_layers.empty()) return;
  Finding f;
  f.severity = Severity::Info;
  f.likelihood = 0.0;
  f.title = fmt::format("Shapes after layer class {} were not checked", shapes.unknown_layers.front());
  f.where = {{"layer_classes", shapes.unknown_layers}};
  f.evidence = {{"checked_layers", shapes.layers.size()}, {"model_layers", ctx.model->layers.size()}};
  f.explanation = "fitcheck's static shape pass does not know these layer classes, so the layers from the first "
                  "of them on were not checked against each other or against the labels.";
  f.fix = "Nothing to fix; the other checks are unaffected.";
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
