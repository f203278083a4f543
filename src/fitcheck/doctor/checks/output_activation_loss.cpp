// model.output_activation_loss: the output layer's activation and the loss do not fit.
//
// Keras' probabilistic losses with from_logits=False clip predictions to [1e-7, 1 - 1e-7]
// (reference/keras.md 3.3). Outside (0, 1) the clip has zero gradient, so a linear or ReLU output
// under binary/categorical cross-entropy stops learning wherever it leaves that interval; a
// softmax over one unit is the constant 1; a squashing activation under from_logits=True squeezes
// the logits into (0, 1) and the loss cannot go below log(1 + e^-1). Each rule below is one of
// those facts. poisson takes log(y_pred + 1e-7) and categorical_generalized_cross_entropy
// y_pred^q, unclipped: an output that can be negative makes them NaN. cosine_similarity over one
// unit is sign(y)·sign(y_pred), constant wherever it is defined. A regression loss on an output
// whose activation cannot reach the targets (a sigmoid's (0, 1) against prices, a ReLU's [0, inf)
// against standardized targets) leaves a floor under the loss that no training removes: the
// share of targets outside the activation's range is the evidence.
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "run_facts.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/keras_names.hpp"

namespace fitcheck::doctor {

namespace {

bool is_squashing(const std::string& a) { return a == "sigmoid" || a == "softmax" || a == "hard_sigmoid"; }

// Activations whose outputs go below 0 (the others in Keras are >= 0: relu, relu6, softplus,
// exponential, sigmoid, hard_sigmoid, softmax, ...). Unknown names are not assumed negative.
bool can_be_negative(const std::string& a) {
  static const std::set<std::string> negative = {"linear",     "tanh",      "elu",       "selu",     "leaky_relu",
                                                 "softsign",   "gelu",      "swish",     "silu",     "mish",
                                                 "hard_tanh",  "hard_silu", "hard_swish", "celu",    "log_softmax",
                                                 "log_sigmoid", "tanh_shrink", "soft_shrink", "hard_shrink", "glu"};
  return negative.count(a) > 0;
}

// The closed range of an activation's outputs, for the bounded ones (unknown names: none).
std::optional<std::pair<double, double>> output_range(const std::string& a) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (a == "sigmoid" || a == "hard_sigmoid") return std::pair{0.0, 1.0};
  if (a == "tanh" || a == "softsign" || a == "hard_tanh") return std::pair{-1.0, 1.0};
  if (a == "relu" || a == "softplus" || a == "exponential") return std::pair{0.0, inf};
  if (a == "relu6") return std::pair{0.0, 6.0};
  if (a == "elu") return std::pair{-1.0, inf};
  if (a == "selu") return std::pair{-1.7581, inf};  // -scale * alpha
  return std::nullopt;
}

// Below this share of targets out of reach the floor is small next to the noise of real data.
constexpr double kOutOfReachShare = 0.05;

nlohmann::json set_output_activation(const io::ModelSpec& model, const std::string& activation) {
  for (auto it = model.layers.rbegin(); it != model.layers.rend(); ++it) {
    if (it->config.contains("activation")) {
      return {{"model", {{"layers", {{{"name", it->name}, {"config", {{"activation", activation}}}}}}}}};
    }
  }
  return nullptr;
}

}  // namespace

void check_output_activation_loss(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.run || !ctx.model || ctx.model->layers.empty() || ctx.run->loss.is_null()) return;
  const auto loss = resolve_loss(ctx.run->loss);
  if (!loss.known) return;
  const std::string act = output_activation(*ctx.model);
  const auto units = output_units(*ctx.model);
  const auto& last = ctx.model->layers.back();

  Finding f;
  f.where = {{"layer", last.name}, {"loss", loss.name}};
  f.evidence = {{"output_activation", act}, {"loss", loss.name}, {"from_logits", loss.from_logits}};
  if (units) f.evidence["output_units"] = *units;
  f.likelihood = 0.85;

  const bool bce = loss.name == "binary_crossentropy" || loss.name == "binary_focal_crossentropy";
  const bool cce = loss.name == "categorical_crossentropy" || loss.name == "sparse_categorical_crossentropy" ||
                   loss.name == "categorical_focal_crossentropy";
  if (loss.from_logits && (bce || cce) && is_squashing(act)) {
    f.severity = Severity::Warning;
    f.title = fmt::format("{} output with {}(from_logits=True): the activation is applied twice", act, loss.name);
    f.explanation = "from_logits=True makes the loss apply its own sigmoid/softmax; a squashing output layer "
                    "first limits the logits to (0, 1), so predictions cannot become confident and gradients shrink.";
    f.fix = "Either remove the output activation (use 'linear') or set from_logits=False.";
    f.repair = set_output_activation(*ctx.model, "linear");
  } else if (!loss.from_logits && bce && act == "softmax" && units && *units == 1) {
    f.severity = Severity::Error;
    f.title = "softmax over a single output unit with binary_crossentropy: the prediction is always 1";
    f.explanation = "softmax normalises over the units; with one unit every prediction is exactly 1.0, the loss "
                    "is constant and no gradient flows.";
    f.fix = "Use activation='sigmoid' on the single output unit.";
    f.repair = set_output_activation(*ctx.model, "sigmoid");
    f.likelihood = 0.99;
  } else if (!loss.from_logits && bce && !is_squashing(act)) {
    f.severity = act == "linear" ? Severity::Error : Severity::Warning;
    f.title = fmt::format("binary_crossentropy on a '{}' output: predictions are not probabilities", act);
    f.explanation = fmt::format("binary_crossentropy expects probabilities in (0, 1); Keras clips the '{}' outputs "
                                "to [1e-7, 1 - 1e-7], and wherever an output leaves that interval its gradient is "
                                "zero, so those samples stop teaching the model.", act);
    f.fix = "Use activation='sigmoid' on the output layer, or keep it linear and pass "
            "BinaryCrossentropy(from_logits=True).";
    f.repair = set_output_activation(*ctx.model, "sigmoid");
  } else if (!loss.from_logits && cce && act == "softmax" && units && *units == 1) {
    f.severity = Severity::Error;
    f.title = fmt::format("softmax over a single output unit with {}: the prediction is always 1", loss.name);
    f.explanation = "With one unit softmax is the constant 1: the loss cannot change. A classifier over K "
                    "classes needs K output units; two classes are better served by one sigmoid unit and "
                    "binary_crossentropy.";
    f.fix = "Give the output layer one unit per class, or use one sigmoid unit with binary_crossentropy.";
    f.likelihood = 0.99;
  } else if (!loss.from_logits && cce && act != "softmax") {
    f.severity = is_squashing(act) ? Severity::Warning : Severity::Error;
    f.title = fmt::format("{} on a '{}' output: predictions are not a probability distribution", loss.name, act);
    f.explanation = is_squashing(act)
        ? "Keras divides the outputs by their sum before the loss; independent sigmoids then compete in a way "
          "the model cannot see, which slows and distorts training."
        : "Keras divides the outputs by their sum and clips them to [1e-7, 1]; negative or unbounded outputs make "
          "that sum meaningless and the gradient vanishes wherever the clip is active.";
    f.fix = "Use activation='softmax' on the output layer, or keep it linear and pass from_logits=True.";
    f.repair = set_output_activation(*ctx.model, "softmax");
  } else if (loss.name == "poisson" && can_be_negative(act)) {
    f.severity = Severity::Error;
    f.likelihood = 0.95;
    f.title = fmt::format("poisson on a '{}' output: a negative rate makes the loss NaN", act);
    f.explanation = fmt::format("The Poisson loss is y_pred - y*log(y_pred + 1e-7) and Keras does not clip y_pred: "
                                "wherever the '{}' output goes below -1e-7 (about half of the outputs of a freshly "
                                "initialised layer) the log is NaN and so is the loss.", act);
    f.fix = "Give the output layer a positive activation: activation='softplus' (or 'exponential', the log link of "
            "a Poisson regression).";
    f.repair = set_output_activation(*ctx.model, "softplus");
  } else if (loss.name == "categorical_generalized_cross_entropy" && can_be_negative(act)) {
    f.severity = Severity::Error;
    f.likelihood = 0.95;
    f.title = fmt::format("categorical_generalized_cross_entropy on a '{}' output: y_pred^q is NaN below 0", act);
    f.explanation = "The loss is (1 - y_pred^q)/q on the labelled class's output, unclipped: a negative output to a "
                    "fractional power is NaN.";
    f.fix = "Use activation='softmax' on the output layer.";
    f.repair = set_output_activation(*ctx.model, "softmax");
  } else if (loss.name == "cosine_similarity" && units && *units == 1) {
    f.severity = Severity::Error;
    f.likelihood = 0.99;
    f.title = "cosine_similarity over a single output unit: the loss is -1 or 1 and has no gradient";
    f.explanation = "Cosine similarity compares directions; along one axis every vector points one of two ways, so "
                    "the loss is -sign(y)*sign(y_pred), constant wherever it is defined: nothing can be learned.";
    f.fix = "Use a regression loss (mse, mae, huber) for a single target; cosine_similarity needs several output "
            "units (an embedding or a direction).";
  } else if ((loss.name == "mean_squared_error" || loss.name == "mean_absolute_error" || loss.name == "huber") &&
             act == "softmax") {
    f.severity = Severity::Warning;
    f.title = fmt::format("{} on a softmax output", loss.name);
    f.explanation = "A regression loss on outputs forced to sum to 1 fits only targets that are distributions; "
                    "for classification the cross-entropy gives far stronger gradients.";
    f.fix = "For classes use categorical_crossentropy; for regression use a linear output.";
    f.likelihood = 0.6;
  } else if (const auto range = output_range(act); range && loss.labels == LabelContract::Real &&
             loss.name != "cosine_similarity" && ctx.train &&
             ctx.train->data.y && ctx.train->labels && ctx.train->labels->encoding == LabelEncoding::Continuous) {
    const auto labels = run_facts::label_values(*ctx.train->data.y);
    std::int64_t finite = 0, outside = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (const double v : labels) {
      if (!std::isfinite(v)) continue;
      ++finite;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      if (v < range->first || v > range->second) ++outside;
    }
    const double share = finite > 0 ? static_cast<double>(outside) / static_cast<double>(finite) : 0.0;
    if (share < kOutOfReachShare) return;
    f.severity = share >= 0.5 ? Severity::Error : Severity::Warning;
    f.likelihood = share >= 0.5 ? 0.95 : 0.7;
    const auto bound = [](double v) { return std::isinf(v) ? std::string(v > 0 ? "inf" : "-inf") : fmt::format("{:g}", v); };
    f.title = fmt::format("'{}' output with {}: {:.0f}% of the targets ({:.3g}..{:.3g}) are outside its range [{}, {}]",
                          act, loss.name, 100.0 * share, lo, hi, bound(range->first), bound(range->second));
    f.evidence["targets_outside_share"] = share;
    f.evidence["target_min"] = lo;
    f.evidence["target_max"] = hi;
    f.evidence["activation_range"] = {bound(range->first), bound(range->second)};
    f.explanation = fmt::format("A '{}' output can only produce values in [{}, {}]; every target outside is missed "
                                "by at least its distance to that range, whatever the weights, so the loss has a "
                                "floor no training removes (and saturated units pass back almost no gradient).",
                                act, bound(range->first), bound(range->second));
    f.fix = "Use a linear output (activation='linear') for regression targets; bounded outputs fit only targets "
            "scaled into their range.";
    f.repair = set_output_activation(*ctx.model, "linear");
  } else {
    return;
  }
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
