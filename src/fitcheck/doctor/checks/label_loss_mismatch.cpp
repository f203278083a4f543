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
// - categorical_focal_crossentropy and categorical_hinge take one-hot rows as categorical_crossentropy
//   does; categorical_generalized_cross_entropy takes class ids as the sparse loss does.
// - poisson is y_pred − y·log(y_pred): a negative y has its minimum at y_pred → 0 (below 0 the
//   log is NaN), so negative targets cannot be fitted.
// - mean_squared_logarithmic_error reads every label below ε as ε (log(max(y, ε) + 1)): negative
//   targets are trained toward 0; below −1 not even log(1 + y) exists.
// - hinge and squared_hinge read labels as −1/1 (0/1 are converted only when every label is 0 or
//   1): a 0 among −1/1 labels has margin 1 whatever the output (no gradient), more than two
//   classes or continuous targets have no sign to learn.
#include <cmath>
#include <cstdlib>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/keras_names.hpp"

namespace fitcheck::doctor {

namespace {

nlohmann::json loss_repair(const std::string& loss) { return {{"compile", {{"loss", loss}}}}; }

// The distinct label values of one column when the profile counted them exactly.
std::optional<std::set<double>> label_values(const LabelFacts& y) {
  if (!y.profile || !y.profile->classes_exact || y.profile->classes.empty()) return std::nullopt;
  std::set<double> values;
  for (const auto& c : y.profile->classes) {
    char* end = nullptr;
    const double v = std::strtod(c.value.c_str(), &end);
    if (end == c.value.c_str()) return std::nullopt;  // text classes
    values.insert(v);
  }
  return values;
}

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
  if (loss.labels == LabelContract::ClassIds) {
    const bool sparse = loss.name == "sparse_categorical_crossentropy";
    if (several && (y.encoding == LabelEncoding::OneHot || y.encoding == LabelEncoding::Probabilities)) {
      f.title = fmt::format("One-hot labels {} with {}, which expects one class id per sample", y.shape.str(), loss.name);
      f.explanation = fmt::format("{} reads each label as an integer class index; one-hot rows have the wrong rank, "
                                  "so Keras fails on the shapes (or, flattened, reads 0/1 entries as class ids).",
                                  loss.name);
      f.fix = sparse ? "Use loss='categorical_crossentropy' with one-hot labels, or convert the labels to ids with "
                       "y.argmax(axis=1) and keep the sparse loss."
                     : "Convert the labels to class ids with y.argmax(axis=1).";
      if (sparse) f.repair = loss_repair("categorical_crossentropy");
    } else if (!several && y.min && (*y.min < 0.0 || !y.integer_valued)) {
      f.title = *y.min < 0.0 ? fmt::format("Negative labels (min {:g}) with {}", *y.min, loss.name)
                             : fmt::format("Non-integer labels with {}", loss.name);
      f.explanation = "Class ids must be whole numbers 0..K-1; a negative or fractional id has no output unit.";
      f.fix = "Map the labels to 0..K-1 (sklearn's LabelEncoder); for continuous targets use a regression loss "
              "such as mse.";
    } else {
      return;
    }
  } else if (loss.labels == LabelContract::OneHot) {
    const bool cce = loss.name == "categorical_crossentropy";
    if (!several && y.encoding == LabelEncoding::ClassIds && y.implied_classes && *y.implied_classes > 1) {
      f.title = fmt::format("Class ids {} with {}, which expects one-hot rows", y.shape.str(), loss.name);
      f.explanation = fmt::format("{} compares a one-hot row per sample with the model's outputs; a column of ids is "
                                  "read as a one-class row and the loss carries no information.", loss.name);
      f.fix = cce ? "Use loss='sparse_categorical_crossentropy' with integer ids (or one-hot encode the labels with "
                    "keras.utils.to_categorical)."
                  : "One-hot encode the labels (keras.utils.to_categorical) and give the output one unit per class.";
      if (cce) f.repair = loss_repair("sparse_categorical_crossentropy");
    } else if (y.encoding == LabelEncoding::Continuous) {
      f.title = fmt::format("Continuous labels with {}", loss.name);
      f.explanation = fmt::format("{} needs class memberships; real-valued targets are a regression problem.", loss.name);
      f.fix = "Use a regression loss (mse, mae, huber) and a linear output.";
    } else {
      return;
    }
  } else if (loss.labels == LabelContract::NonNegative && y.min && *y.min < 0.0) {
    f.title = fmt::format("Negative labels (min {:g}) with poisson, which models counts or rates >= 0", *y.min);
    f.explanation = "The Poisson loss is y_pred - y*log(y_pred + 1e-7). For a negative y it falls as y_pred goes to "
                    "0, whatever the label's size, and below 0 the log is NaN: negative targets cannot be fitted.";
    f.fix = "For targets that can be negative use a regression loss (mse, huber); for counts, find where the "
            "negative values come from (a shift, a sign, a sentinel such as -1 for missing).";
  } else if (loss.labels == LabelContract::LogNonNegative && y.min && *y.min < 0.0) {
    // Below -1, log(1 + y) does not exist at all; above, the clamp still erases the value.
    f.severity = *y.min <= -1.0 ? Severity::Error : Severity::Warning;
    f.title = fmt::format("Negative labels (min {:g}) with mean_squared_logarithmic_error", *y.min);
    f.explanation = "Keras computes log(max(y, 1e-7) + 1): every label below 1e-7 is read as 0, so the model is "
                    "trained toward 0 for all negative targets and cannot learn their values.";
    f.fix = "Use msle only for targets >= 0 (prices, counts); for signed targets use mse, mae or huber.";
  } else if (loss.labels == LabelContract::SignedBinary) {
    if (several || !y.min || !y.max) return;
    const auto values = label_values(y);
    const bool zero_one = *y.min >= 0.0 && *y.max <= 1.0 && y.integer_valued;
    const bool has_zero = values && values->count(0.0) > 0;
    if (zero_one || (*y.min == -1.0 && *y.max == 1.0 && y.integer_valued && !has_zero)) return;
    f.fix = "For two classes use labels -1/1 (or 0/1); for more classes use one-hot labels with categorical_hinge, "
            "or class ids with a softmax output and sparse_categorical_crossentropy.";
    if (*y.min == -1.0 && *y.max == 1.0 && y.integer_valued) {
      if (!values) return;  // a 0 among -1/1 cannot be told from the range alone
      f.title = fmt::format("Labels -1/0/1 with {}: the 0 labels teach nothing", loss.name);
      f.explanation = fmt::format("{} converts 0/1 labels to -1/1 only when every label is 0 or 1; here the 0s stay "
                                  "0, whose margin 1 - 0*y_pred is 1 whatever the output, so those samples give no "
                                  "gradient, and a third class cannot be a sign.", loss.name);
    } else if (y.encoding == LabelEncoding::ClassIds && y.implied_classes && *y.implied_classes > 2 && *y.min >= 0.0) {
      f.title = fmt::format("{} on {} classes (labels {:g}..{:g})", loss.name, *y.implied_classes, *y.min, *y.max);
      f.explanation = fmt::format("{} separates two classes by the sign of the output; ids above 1 are read as "
                                  "margins of the positive class, so the classes cannot be told apart.", loss.name);
    } else if (!y.integer_valued) {
      f.title = fmt::format("Continuous labels with {}", loss.name);
      f.explanation = fmt::format("{} is a classification loss on -1/1 labels; real-valued targets are a "
                                  "regression problem.", loss.name);
      f.fix = "Use a regression loss (mse, mae, huber) with a linear output.";
    } else {
      f.title = fmt::format("Labels {:g}..{:g} with {}, which expects -1/1 (or 0/1)", *y.min, *y.max, loss.name);
      f.explanation = fmt::format("{} reads the sign of a label as its class; labels that are not -1/1 (or all "
                                  "0/1) do not give two opposite signs, so the output cannot separate the classes.",
                                  loss.name);
    }
  } else if (loss.name == "binary_crossentropy" || loss.name == "binary_focal_crossentropy") {
    const bool out_of_range = y.min && y.max && (*y.min < 0.0 || *y.max > 1.0);
    if (!out_of_range) return;
    const auto values = several ? std::nullopt : label_values(y);
    const bool minus_one_one = y.min && *y.min == -1.0 && y.max && *y.max == 1.0;  // its own case below
    if (values && values->size() == 2 && y.integer_valued && !minus_one_one) {
      // Two classes coded with other numbers than 0/1 (1/2, 0/2, ...): a recoding, not another loss.
      const double low = *values->begin(), high = *values->rbegin();
      f.title = fmt::format("Two classes coded {:g}/{:g} with binary_crossentropy, which expects 0/1", low, high);
      f.explanation = "binary_crossentropy reads a label as the probability of the positive class; a label outside "
                      "[0, 1] makes the loss unbounded below, so the network is pushed to saturate instead of to "
                      "separate the two classes.";
      f.fix = fmt::format("Recode the labels to 0/1 (y = (y == {:g}).astype(int)) and keep the sigmoid output.", high);
    } else if (!several && y.encoding == LabelEncoding::ClassIds && y.implied_classes && *y.implied_classes > 2 && *y.min >= 0.0) {
      f.title = values ? fmt::format("binary_crossentropy on {} classes (labels {:g}..{:g})", values->size(), *y.min, *y.max)
                       : fmt::format("binary_crossentropy on class ids {:g}..{:g}", *y.min, *y.max);
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
