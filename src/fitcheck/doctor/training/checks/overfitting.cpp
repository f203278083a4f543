// train.overfitting: the validation loss rises while the training loss keeps falling.
//
// Per epoch, with validation (the run's validation_split, else its test split): the best
// validation epoch is at least 2 epochs before the end, the final validation loss is 20% or more
// above that best, the training loss fell by 10% or more since then, and the final validation
// loss is at least 1.5x the training loss (a real gap, not two curves wobbling together). UMLAUT
// and SageMaker's overfit rule compare the same two curves; the 20% rise, the gap and the
// 2-epoch persistence keep noisy validation sets from raising the alarm. A smaller rise (5%), or
// a rise without the gap, is reported as info.
#include <fmt/format.h>

#include "fitcheck/doctor/training/series.hpp"
#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kRiseWarning = 1.20;
constexpr double kRiseInfo = 1.05;
constexpr double kTrainFall = 0.90;
constexpr double kGap = 1.5;
constexpr std::size_t kAfterBest = 2;
constexpr std::size_t kMinEpochs = 4;
}  // namespace

void check_overfitting(const TrainingContext& ctx, std::vector<Finding>& out) {
  const auto& p = *ctx.probe;
  const auto& h = p.signals.history;
  if (p.signals.non_finite || !h.history.count("val_loss") || !h.history.count("loss")) return;
  const auto& val = h.history.at("val_loss");
  const auto& train = h.history.at("loss");
  if (val.size() < kMinEpochs || train.size() != val.size()) return;
  const std::size_t best = series::argmin(val);
  if (best + kAfterBest >= val.size() || !(val[best] > 0.0)) return;
  const double rise = val.back() / val[best];
  if (rise < kRiseInfo || !(train.back() <= kTrainFall * train[best])) return;
  Finding f;
  const bool gap = val.back() >= kGap * train.back();
  f.severity = rise >= kRiseWarning && gap ? Severity::Warning : Severity::Info;
  f.likelihood = 0.7;
  f.title = fmt::format("Validation loss rose {:.0f}% after epoch {} while the training loss kept falling",
                        100.0 * (rise - 1.0), best + 1);
  f.where = {{"series", "val_loss"}, {"best_epoch", best + 1}, {"validation", p.validation_source}};
  f.evidence = {{"best_epoch", best + 1},         {"best_val_loss", val[best]},  {"final_val_loss", val.back()},
                {"train_loss_at_best", train[best]}, {"final_train_loss", train.back()}, {"val_loss", val},
                {"loss", train}};
  f.explanation = "The model is memorising the training rows: what it learns after the best epoch fits their noise "
                  "and makes it worse on rows it has not seen.";
  f.fix = fmt::format("Stop at epoch {} (EarlyStopping on val_loss with restore_best_weights), add Dropout or "
                      "weight decay, or make the model smaller.",
                      best + 1);
  f.repair = nlohmann::json{{"fit", {{"epochs", static_cast<std::int64_t>(best + 1) + ctx.run->fit.initial_epoch}}}};
  if (const Finding* cap = ctx.static_finding("model.capacity")) f.caused_by = cap->code;
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
