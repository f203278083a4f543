// data.label_loss_mismatch: labels the loss cannot take.
//
// The rules are Keras' loss contracts (reference/keras.md 3.3):
// - sparse_categorical_crossentropy takes one class id per sample (integers >= 0); one-hot rows
//   make Keras fail on the shapes or read them as ids.
// - categorical_crossentropy takes one-hot (or probability) rows; class ids in one column are
//   read as a one-column "distribution".
// - binary_crossentropy takes targets in [0, 1]: ids of more than two classes, -1/1 labels or
//   continuous values outside [0, 1] give a loss without a minimum at the labels (negative
//   cross-entropy terms), so training goes nowhere or diverges.
// - a cross-entropy over continuous targets (non-integer values) treats a regression as classes.
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/keras_names.hpp"

namespace fitcheck::doctor {

namespace {

nlohmann::json loss_repair(const std::string& loss) { return {{"compile", {{"loss", loss}}}}; }

}  // namespace

void check_label_loss_mismatch(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.run || ctx.run->loss.is_null() || !ctx.train || !ctx.train->labels) return;
  const auto loss = resolve_loss(ctx.run->loss);
  if (!loss.known) return;
  const auto& y = *ctx.train->labels;
  if (y.encoding == LabelEncoding::Text) return;  // data.dtype says it
  Finding f;
  f.severity = Severity::Error;
  f.likelihood = 0.95;
  f.where = {{"labels", y.source}, {"loss", loss.name}};
  f.evidence = {{"label_shape", y.shape.str()}, {"label_encoding", label_encoding_name(y.encoding)}, {"loss", loss.name}};
  if (y.min) f.evidence["label_min"] = *y.min;
  if (y.max) f.evidence["label_max"] = *y.max;

  const bool several = y.columns > 1;
  if (loss.name == "sparse_categorical_crossentropy") {
    if (several && (y.encoding == LabelEncoding::OneHot || y.encoding == LabelEncoding::Probabilities)) {
      f.title = fmt::format("One-hot labels {} with sparse_categorical_crossentropy, which expects one class id per sample",
                            y.shape.str());
      f.explanation = "sparse_categorical_crossentropy reads each label as an integer class index; one-hot rows have "
                      "the wrong rank, so Keras fails on the shapes (or, flattened, reads 0/1 entries as class ids).";
      f.fix = "Use loss='categorical_crossentropy' with one-hot labels, or convert the labels to ids with "
              "y.argmax(axis=1) and keep the sparse loss.";
      f.repair = loss_repair("categorical_crossentropy");
    } else if (!several && y.min && (*y.min < 0.0 || !y.integer_valued)) {
      f.title = *y.min < 0.0 ? fmt::format("Negative labels (min {:g}) with sparse_categorical_crossentropy", *y.min)
                             : "Non-integer labels with sparse_categorical_crossentropy";
      f.explanation = "Class ids must be whole numbers 0..K-1; a negative or fractional id has no output unit.";
      f.fix = "Map the labels to 0..K-1 (sklearn's LabelEncoder); for continuous targets use a regression loss "
              "such as mse.";
    } else {
      return;
    }
  } else if (loss.name == "categorical_crossentropy") {
    if (!several && y.encoding == LabelEncoding::ClassIds && y.implied_classes && *y.implied_classes > 1) {
      f.title = fmt::format("Class ids {} with categorical_crossentropy, which expects one-hot rows", y.shape.str());
      f.explanation = "categorical_crossentropy compares a one-hot row per sample with the predicted distribution; a "
                      "column of ids is read as a one-class distribution and the loss carries no information.";
      f.fix = "Use loss='sparse_categorical_crossentropy' with integer ids (or one-hot encode the labels with "
              "keras.utils.to_categorical).";
      f.repair = loss_repair("sparse_categorical_crossentropy");
    } else if (y.encoding == LabelEncoding::Continuous) {
      f.title = "Continuous labels with categorical_crossentropy";
      f.explanation = "Cross-entropy needs class memberships; real-valued targets are a regression problem.";
      f.fix = "Use a regression loss (mse, mae, huber) and a linear output.";
    } else {
      return;
    }
  } else if (loss.name == "binary_crossentropy" || loss.name == "binary_focal_crossentropy") {
    const bool out_of_range = y.min && y.max && (*y.min < 0.0 || *y.max > 1.0);
    if (!out_of_range) return;
    if (!several && y.encoding == LabelEncoding::ClassIds && y.implied_classes && *y.implied_classes > 2 && *y.min >= 0.0) {
      f.title = fmt::format("binary_crossentropy on {} classes (labels {:g}..{:g})", *y.implied_classes, *y.min, *y.max);
      f.explanation = "binary_crossentropy expects targets 0 or 1; labels above 1 make the loss unbounded below, so the "
                      "network is pushed to saturate instead of to separate the classes.";
      f.fix = "For several classes use a softmax output with one unit per class and "
              "loss='sparse_categorical_crossentropy'.";
      f.repair = loss_repair("sparse_categorical_crossentropy");
    } else if (y.min && *y.min == -1.0 && y.max && *y.max == 1.0 && y.integer_valued) {
      f.title = "Labels -1/1 with binary_crossentropy, which expects 0/1";
      f.explanation = "With a target of -1 the cross-entropy term has no minimum: the loss falls without bound as "
                      "the prediction goes to 0, so training diverges instead of learning the class.";
      f.fix = "Map the labels to 0/1 ((y + 1) / 2), or use loss='hinge', which takes -1/1 labels.";
    } else {
      f.title = fmt::format("Labels {:g}..{:g} with binary_crossentropy, which expects targets in [0, 1]", *y.min, *y.max);
      f.explanation = "Targets outside [0, 1] make the cross-entropy unbounded below; the network cannot fit them.";
      f.fix = "For continuous targets use a regression loss (mse, mae, huber) with a linear output; for classes, "
              "encode them as 0/1.";
    }
  } else if (loss.probabilistic() && y.encoding == LabelEncoding::Continuous && !y.integer_valued) {
    f.title = fmt::format("Continuous labels with {}", loss.name);
    f.explanation = "A cross-entropy needs class memberships or probabilities; real-valued targets are a regression.";
    f.fix = "Use a regression loss (mse, mae, huber) with a linear output.";
  } else {
    return;
  }
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
