// data.label_output_mismatch: the labels imply a number of classes (or target columns) that the
// output layer does not have.
//
// sparse_categorical_crossentropy needs a unit for every id: an id >= units has none (Keras
// fails with an out-of-range index on some backends and silently trains on garbage on others);
// 1-based labels 1..K with K units are the classic form. categorical_crossentropy needs one
// unit per one-hot column. binary_crossentropy and the regression losses compare element by
// element: a (N, 1) target against (N, units > 1) predictions is broadcast silently, training
// every unit on the same target. An output of rank > 2 (a Dense applied to a sequence or an
// image without Flatten) against per-sample labels is the same silent broadcast.
#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/check_support.hpp"
#include "fitcheck/doctor/keras_names.hpp"

namespace fitcheck::doctor {

void check_label_output_mismatch(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.run || ctx.run->loss.is_null() || !ctx.train || !ctx.train->labels) return;
  const auto output = model_output_shape(ctx);
  if (!output || output->rank() < 2) return;
  const auto loss = resolve_loss(ctx.run->loss);
  if (!loss.known) return;
  const auto& y = *ctx.train->labels;
  const std::int64_t units = (*output)[output->rank() - 1];
  if (units == core::kUnknownDim) return;
  Finding f;
  f.severity = Severity::Error;
  f.likelihood = 0.95;
  f.where = {{"labels", y.source}, {"output_layer", ctx.model->layers.back().name}};
  f.evidence = {{"output_shape", output->str()}, {"label_shape", y.shape.str()}, {"loss", loss.name}};

  if (output->rank() > 2 && y.shape.rank() <= 2) {
    f.title = fmt::format("The model outputs {} per batch but the labels are {}: the output still has a "
                          "sequence/spatial axis", output->str(), y.shape.str());
    f.explanation = "Dense acts on the last axis only, so without Flatten or pooling the model predicts one value per "
                    "position; the loss then broadcasts each label over every position.";
    f.fix = "Insert Flatten() (or GlobalAveragePooling) before the output Dense layer.";
    out.push_back(std::move(f));
    return;
  }
  if (loss.labels == LabelContract::Other) return;  // ctc, circle: labels and outputs of their own shapes
  if (loss.labels == LabelContract::ClassIds) {  // sparse CE, generalized CE: one id per sample
    if (y.encoding != LabelEncoding::ClassIds || !y.max || !y.min || y.columns > 1) return;
    const auto top = static_cast<std::int64_t>(*y.max);
    if (top < units) return;
    f.evidence["label_max"] = top;
    f.evidence["output_units"] = units;
    const bool one_based = *y.min == 1.0 && top == units;
    f.title = one_based ? fmt::format("Labels run 1..{} but the {} output units take ids 0..{}: the labels are 1-based",
                                      top, units, units - 1)
                        : fmt::format("Label {} has no output unit: the output layer has {} units (ids 0..{})", top,
                                      units, units - 1);
    f.explanation = fmt::format("{} indexes the output with each label; an id >= the number of units points "
                                "outside it (an error on some backends, a silently wrong loss on others).", loss.name);
    f.fix = one_based ? "Subtract 1 from the labels (y - 1) so they run 0..K-1."
                      : fmt::format("Give the output layer {} units (one per class 0..{}), or check the labels.", top + 1, top);
    if (!one_based) {
      f.repair = nlohmann::json{{"model", {{"layers", {{{"name", ctx.model->layers.back().name}, {"config", {{"units", top + 1}}}}}}}}};
    }
  } else if (loss.labels == LabelContract::OneHot || loss.name == "kl_divergence") {
    if (y.columns <= 1 || y.columns == units) return;
    f.evidence["label_columns"] = y.columns;
    f.evidence["output_units"] = units;
    f.title = fmt::format("The labels have {} columns (classes) but the output layer has {} units", y.columns, units);
    f.explanation = "Each one-hot column must meet one output unit; with different counts Keras fails on the shapes.";
    f.fix = fmt::format("Give the output layer {} units, or check that the labels were encoded for this task.", y.columns);
    f.repair = nlohmann::json{{"model", {{"layers", {{{"name", ctx.model->layers.back().name}, {"config", {{"units", y.columns}}}}}}}}};
  } else {
    // Element-wise losses: the label columns must equal the output units.
    if (y.columns == units) return;
    f.evidence["label_columns"] = y.columns;
    f.evidence["output_units"] = units;
    f.title = fmt::format("{} label column{} against {} output units with {}", y.columns, y.columns == 1 ? "" : "s",
                          units, loss.name);
    f.explanation = y.columns == 1
        ? fmt::format("The loss compares element by element and broadcasts the single target over all {} outputs: every "
                      "unit learns the same thing and the model cannot express classes this way.", units)
        : "The loss compares element by element; with different widths Keras fails on the shapes.";
    f.fix = loss.name == "binary_crossentropy" && y.columns == 1 && units > 1
                ? "For one binary target use Dense(1, activation='sigmoid'); for several classes use softmax with "
                  "sparse_categorical_crossentropy."
                : fmt::format("Give the output layer {} unit{}.", y.columns, y.columns == 1 ? "" : "s");
    f.repair = nlohmann::json{{"model", {{"layers", {{{"name", ctx.model->layers.back().name}, {"config", {{"units", y.columns}}}}}}}}};
  }
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
