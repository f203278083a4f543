// data.class_imbalance: a skewed class distribution.
//
// With a largest-to-smallest class ratio r, always predicting the majority class already scores
// r / (r + 1) accuracy (91% at r = 10) and the rare class contributes about 1 / (r + 1) of the
// gradient, so an unweighted loss lets the network ignore it while the accuracy looks good.
// kImbalanceWarnRatio = 10 is where that happens in practice (majority-only accuracy above 90%); from
// kNoteRatio = 3 it is worth knowing. Already addressed imbalance (class_weight given, or a
// resampling step) is only noted. Whole-number targets under a loss for counts or positive
// quantities (poisson, msle) are not classes: nothing is said (under mse they may be either).
#include <algorithm>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/keras_names.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kImbalanceWarnRatio = 10.0;
constexpr double kNoteRatio = 3.0;

bool imbalance_addressed(const io::RunSpec& run) {
  if (!run.fit.class_weight.is_null()) return true;
  if (run.preprocess.is_array()) {
    for (const auto& item : run.preprocess) {
      if (item.is_object() && item.contains("resample")) return true;
    }
  }
  return false;
}
}  // namespace

void check_class_imbalance(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train || !ctx.train->labels) return;
  if (ctx.run && !ctx.run->loss.is_null()) {
    const auto contract = resolve_loss(ctx.run->loss).labels;
    if (contract == LabelContract::NonNegative || contract == LabelContract::LogNonNegative) return;
  }
  const auto& y = *ctx.train->labels;
  std::vector<std::pair<std::string, std::int64_t>> classes;
  if (y.encoding == LabelEncoding::OneHot) {
    for (std::size_t c = 0; c < y.column_ones.size(); ++c) classes.emplace_back(std::to_string(c), y.column_ones[c]);
  } else if (y.profile && y.profile->task == profile::LabelTask::Classification && y.profile->classes_exact) {
    for (const auto& c : y.profile->classes) classes.emplace_back(c.value, c.count);
  } else {
    return;
  }
  if (classes.size() < 2) return;
  std::sort(classes.begin(), classes.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  const auto& [major, major_count] = classes.front();
  const auto& [minor, minor_count] = classes.back();
  if (minor_count == 0) return;  // an absent one-hot column is a label/output question
  std::int64_t total = 0;
  for (const auto& c : classes) total += c.second;
  const double ratio = static_cast<double>(major_count) / static_cast<double>(minor_count);
  if (ratio < kNoteRatio) return;
  const bool addressed = ctx.run && imbalance_addressed(*ctx.run);
  Finding f;
  f.severity = ratio >= kImbalanceWarnRatio && !addressed ? Severity::Warning : Severity::Info;
  f.likelihood = 0.6;
  const double minority_share = static_cast<double>(minor_count) / static_cast<double>(total);
  const double majority_accuracy = static_cast<double>(major_count) / static_cast<double>(total);
  f.title = fmt::format("Class \"{}\" has {} of {} training samples ({:.1f}%); the largest class outnumbers it {:.1f} to 1",
                        minor, minor_count, total, 100.0 * minority_share, ratio);
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [name, count] : classes) {
    if (counts.size() < 50) counts[name] = count;
  }
  f.where = {{"split", "train"}, {"labels", y.source}};
  f.evidence = {{"class_counts", counts}, {"imbalance_ratio", ratio}, {"minority_share", minority_share},
                {"majority_only_accuracy", majority_accuracy}, {"addressed", addressed}};
  f.explanation = fmt::format("Predicting \"{}\" for every sample already scores {:.1f}% accuracy, and the rare class "
                              "contributes about {:.1f}% of the loss, so the network can learn to ignore it while the "
                              "accuracy looks good.", major, 100.0 * majority_accuracy, 100.0 * minority_share);
  f.fix = "Weight the classes (fit(class_weight='balanced')), or resample the training split (SMOTE or random "
          "oversampling, training split only); judge the model by recall, precision or AUC rather than accuracy.";
  if (!addressed) f.repair = nlohmann::json{{"fit", {{"class_weight", "balanced"}}}};
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
