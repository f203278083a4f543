#include "fitcheck/doctor/repair_loop.hpp"

#include <cmath>

#include "fitcheck/doctor/repair.hpp"
#include "fitcheck/io/atomic_write.hpp"

namespace fitcheck::doctor {

namespace {

// A fixed run must beat the baseline by this much to count as having learned something.
constexpr double kAccuracyMargin = 0.01;
constexpr double kBalancedMargin = 0.05;
constexpr double kLossShare = 0.95;

std::optional<double> last_of(const nn::History& h, const std::string& key) {
  auto it = h.history.find(key);
  if (it == h.history.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

bool has_problems(const Diagnosis& d) {
  for (const auto& f : d.findings) {
    if (f.severity != Severity::Info) return true;
  }
  return false;
}

}  // namespace

nlohmann::json RunScore::to_json() const {
  nlohmann::json j = {{"trained", trained}, {"finite", finite}};
  if (loss) j["loss"] = *loss;
  if (val_loss) j["val_loss"] = *val_loss;
  if (accuracy) j["accuracy"] = *accuracy;
  if (balanced_accuracy) j["balanced_accuracy"] = *balanced_accuracy;
  if (baseline_balanced_accuracy) j["baseline_balanced_accuracy"] = *baseline_balanced_accuracy;
  if (baseline_loss) j["baseline_loss"] = *baseline_loss;
  if (baseline_accuracy) j["baseline_accuracy"] = *baseline_accuracy;
  return j;
}

RunScore score_of(const Diagnosis& d) {
  RunScore s;
  if (!d.probe) return s;
  const auto& p = *d.probe;
  s.trained = p.signals.steps > 0;
  s.finite = !p.signals.non_finite;
  s.loss = last_of(p.signals.history, "loss");
  s.val_loss = last_of(p.signals.history, "val_loss");
  s.accuracy = p.final_accuracy;
  s.balanced_accuracy = p.balanced_accuracy;
  s.baseline_balanced_accuracy = p.baseline.balanced_accuracy;
  s.baseline_loss = p.baseline.loss;
  s.baseline_floor = p.baseline.floor;
  s.baseline_accuracy = p.baseline.accuracy;
  if (s.loss && !std::isfinite(*s.loss)) s.finite = false;
  return s;
}

bool beats_baseline(const RunScore& s) {
  if (!s.trained || !s.finite) return false;
  if (s.balanced_accuracy && s.baseline_balanced_accuracy) {
    return *s.balanced_accuracy >= *s.baseline_balanced_accuracy + kBalancedMargin;
  }
  const auto loss = s.val_loss ? s.val_loss : s.loss;
  if (loss && s.baseline_loss) return *loss - s.baseline_floor <= kLossShare * (*s.baseline_loss - s.baseline_floor);
  return false;
}

bool no_worse(const RunScore& before, const RunScore& after) {
  if (!after.trained || !after.finite) return false;
  if (!before.trained || !before.finite) return true;
  if (before.balanced_accuracy && after.balanced_accuracy) {
    return *after.balanced_accuracy >= *before.balanced_accuracy - kAccuracyMargin;
  }
  const auto b = before.val_loss ? before.val_loss : before.loss;
  const auto a = after.val_loss ? after.val_loss : after.loss;
  return !b || !a || *a <= *b * 1.05;
}

std::filesystem::path fixed_run_path(const std::filesystem::path& run_path) {
  auto name = run_path.stem().string();
  if (name.size() > 6 && name.ends_with(".fixed")) name.resize(name.size() - 6);
  return run_path.parent_path() / (name + ".fixed.json");
}

std::vector<RepairRound> repair_and_retrain(const io::RunSpec& run, const Diagnosis& first,
                                            const RepairOptions& options) {
  std::vector<RepairRound> rounds;
  nlohmann::json document = run.document;
  const Diagnosis* current = &first;
  const auto fixed = fixed_run_path(run.path.empty() ? run.base_dir / "run.json" : run.path);
  for (int r = 0; r < options.max_rounds && has_problems(*current); ++r) {
    auto plan = plan_repairs(document, current->findings, run.base_dir);
    if (plan.applied.empty()) break;
    RepairRound round;
    round.applied = std::move(plan.applied);
    round.skipped = std::move(plan.skipped);
    round.fixed_path = fixed;
    round.before = score_of(*current);
    auto spec = io::parse_run_spec(plan.run, fixed.filename().string(), run.base_dir);
    round.diagnosis = diagnose(spec, options.diagnosis);
    // A repair can leave the run unable to train in a way the next repair fixes (imputation
    // with indicator columns widens the input the model declares): settle those first.
    for (int settle = 0; settle < 3 && !round.diagnosis.probe && !round.diagnosis.probe_skipped.empty(); ++settle) {
      auto next = plan_repairs(plan.run, round.diagnosis.findings, run.base_dir);
      if (next.applied.empty()) break;
      round.applied.insert(round.applied.end(), next.applied.begin(), next.applied.end());
      round.skipped.insert(round.skipped.end(), next.skipped.begin(), next.skipped.end());
      plan.run = std::move(next.run);
      spec = io::parse_run_spec(plan.run, fixed.filename().string(), run.base_dir);
      round.diagnosis = diagnose(spec, options.diagnosis);
    }
    io::write_file_atomically(fixed, plan.run.dump(2) + "\n");
    round.after = score_of(round.diagnosis);
    round.proven = beats_baseline(round.after) && no_worse(round.before, round.after);
    const bool improved = no_worse(round.before, round.after);
    document = std::move(plan.run);
    rounds.push_back(std::move(round));
    if (!improved) break;
    current = &rounds.back().diagnosis;
  }
  return rounds;
}

nlohmann::json to_json(const RepairRound& round) {
  nlohmann::json remaining = nlohmann::json::array();
  for (const auto& f : round.diagnosis.findings) {
    if (f.severity != Severity::Info) remaining.push_back({{"code", f.code}, {"category", f.category}, {"title", f.title}});
  }
  nlohmann::json j = {{"applied", round.applied},
                      {"skipped", round.skipped},
                      {"fixed_run", round.fixed_path.string()},
                      {"before", round.before.to_json()},
                      {"after", round.after.to_json()},
                      {"proven", round.proven},
                      {"remaining", remaining}};
  if (!round.diagnosis.probe_skipped.empty()) j["probe_skipped"] = round.diagnosis.probe_skipped;
  // The fixed run's loss per epoch, so that the report draws it on the same axes as the first run's.
  if (round.diagnosis.probe) {
    nlohmann::json history = nlohmann::json::object();
    for (const char* key : {"loss", "val_loss"}) {
      const auto& h = round.diagnosis.probe->signals.history.history;
      if (auto it = h.find(key); it != h.end()) {
        nlohmann::json values = nlohmann::json::array();
        for (double v : it->second) values.push_back(std::isfinite(v) ? nlohmann::json(v) : nlohmann::json());
        history[key] = values;
      }
    }
    j["history"] = history;
  }
  return j;
}

}  // namespace fitcheck::doctor
