// data.unscaled_features: inputs of large magnitude, or features whose scales differ by orders of
// magnitude, fed without scaling.
//
// Thresholds:
// - kLargeScale = 10: initialisers (Glorot, He) size the first layer for inputs of unit scale.
//   A feature whose typical magnitude sqrt(mean^2 + std^2) is 10x that makes pre-activations ~10x
//   too large (sigmoid/tanh saturate) and the loss curvature along its weights ~100x larger than
//   along the others.
// - kSpreadRatio = 100: for a linear layer the Hessian's condition number grows with the square of
//   the ratio between feature scales; at 100 (condition ~1e4) gradient descent needs ~1e4 steps
//   to move the small-scale weights as far as one step moves the large ones.
// - kLargeTarget = 1000: with a regression loss the output must reach the targets' scale; Adam moves
//   each weight ~lr = 1e-3 per step, so targets of magnitude 1e3 take ~1e6 / (hidden units) steps
//   before the loss even starts to fit their variation.
// Binary, constant and image-like features are left out (they have their own checks).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/check_support.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kLargeScale = 10.0;
constexpr double kSpreadRatio = 100.0;
constexpr double kLargeTarget = 1000.0;

struct Scale {
  std::string name;
  double magnitude;  // sqrt(mean^2 + std^2): the typical size of a value
  double spread;     // standard deviation
};
}  // namespace

void check_unscaled_features(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train || !ctx.raw_input()) return;
  std::vector<Scale> scales;
  // Pixels have their own check; ids into an Embedding are indices, their size the vocabulary's,
  // not a scale. The regression target's scale counts for both.
  const bool skip_features = is_image_like(*ctx.train) || feeds_embedding(ctx);
  for (const auto& c : ctx.train->features.columns()) {
    if (skip_features) break;
    if (c.is_text()) continue;
    const auto role = c.role();
    if (role == profile::ColumnRole::Binary || role == profile::ColumnRole::Constant) continue;
    auto mean = c.mean(), sd = c.std();
    if (!mean || !sd || *sd <= 0.0) continue;
    scales.push_back({c.name(), std::sqrt(*mean * *mean + *sd * *sd), *sd});
  }
  const auto& labels = ctx.train->labels;
  const bool regression = labels && labels->profile && labels->profile->task == profile::LabelTask::Regression &&
                          labels->profile->mean && labels->profile->std;
  double target_magnitude = 0.0;
  std::string target_column;  // with several target columns, the largest one's index
  if (regression) {
    target_magnitude = std::sqrt(*labels->profile->mean * *labels->profile->mean + *labels->profile->std * *labels->profile->std);
  } else if (labels && labels->columns > 1 && labels->encoding == LabelEncoding::Continuous) {
    // Several regression targets (N, K): the largest column dominates a mean squared error.
    for (std::size_t c = 0; c < labels->column_rms.size(); ++c) {
      if (labels->column_rms[c] > target_magnitude) {
        target_magnitude = labels->column_rms[c];
        target_column = fmt::format("target column {}", c);
      }
    }
  }
  if (scales.empty() && target_magnitude < kLargeTarget) return;

  std::vector<std::string> large;
  double mag_max = 0.0, sd_max = 0.0, sd_min = INFINITY;
  std::string widest, narrowest;
  for (const auto& s : scales) {
    if (s.magnitude >= kLargeScale) large.push_back(s.name);
    mag_max = std::max(mag_max, s.magnitude);
    if (s.spread > sd_max) {
      sd_max = s.spread;
      widest = s.name;
    }
    if (s.spread < sd_min) {
      sd_min = s.spread;
      narrowest = s.name;
    }
  }
  const double ratio = scales.size() >= 2 ? sd_max / sd_min : 1.0;
  const bool spread = ratio >= kSpreadRatio;
  const bool target = target_magnitude >= kLargeTarget;
  if (large.empty() && !spread && !target) return;

  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.75;
  std::vector<std::string> columns = large;
  if (spread && std::find(columns.begin(), columns.end(), widest) == columns.end()) columns.push_back(widest);
  if (spread && std::find(columns.begin(), columns.end(), narrowest) == columns.end()) columns.push_back(narrowest);
  f.where = {{"split", "train"}, {"columns", columns}};
  f.evidence = {{"magnitude_max", mag_max}, {"std_max", sd_max}, {"std_min", std::isfinite(sd_min) ? sd_min : 0.0},
                {"scale_ratio", ratio}, {"large_columns", large}};
  if (target) f.evidence["target_magnitude"] = target_magnitude;
  if (target && !target_column.empty()) f.evidence["target_column"] = target_column;
  if (spread) {
    f.title = fmt::format("Features differ in scale by a factor of {:.2g} (std of \"{}\" {:.3g} vs \"{}\" {:.3g})", ratio,
                          widest, sd_max, narrowest, sd_min);
  } else if (!large.empty()) {
    f.title = fmt::format("{} feature{} of typical size up to {:.3g} (root mean square) go{} to the network unscaled",
                          large.size(), large.size() == 1 ? "" : "s", mag_max, large.size() == 1 ? "es" : "");
  } else {
    f.title = target_column.empty()
                  ? fmt::format("The regression targets are of magnitude {:.3g} and unscaled", target_magnitude)
                  : fmt::format("The regression targets are unscaled: {} is of magnitude {:.3g}", target_column,
                                target_magnitude);
  }
  f.explanation = "Gradient descent takes steps dominated by the largest-scale inputs: their weights oscillate while "
                  "the others barely move, and inputs far from unit size saturate activations from the first step. "
                  "The loss falls slowly or not at all.";
  f.fix = "Standardize the numeric features (StandardScaler: zero mean, unit variance), fitted on the training split "
          "only and applied to validation and test data";
  f.fix += target ? "; scale the regression target too (and invert the scaling of predictions)." : ".";
  if (!columns.empty()) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& s : scales) all.push_back(s.name);
    f.repair = nlohmann::json{{"preprocess", {{{"columns", all}, {"steps", {{{"scale", "standard"}}}}}}}};
  }
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
