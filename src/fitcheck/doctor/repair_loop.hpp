#pragma once
// `fitcheck doctor --fix`: compose the repairs of the findings into a fixed run file, train it
// with the same probe, and repeat while findings remain and the result improves. A round is
// proven when the fixed run beats the best constant prediction (the majority class or the mean)
// and is no worse than the run before it; a round that cannot show that is reported as unproven.
// Classifiers are compared on balanced accuracy (mean recall per class), where every constant
// prediction scores 1/K: plain accuracy rewards the majority-class collapse that class weights
// or resampling undo.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/doctor/diagnosis.hpp"

namespace fitcheck::doctor {

// What one trained run achieved, read from its probe.
struct RunScore {
  bool trained = false;
  bool finite = false;
  std::optional<double> loss;        // last epoch's training loss
  std::optional<double> val_loss;    // last epoch's validation loss
  std::optional<double> accuracy;    // classifiers: on the training rows after the probe
  std::optional<double> balanced_accuracy;
  std::optional<double> baseline_balanced_accuracy;
  std::optional<double> baseline_loss;
  double baseline_floor = 0.0;  // the loss of a perfect fit (Baseline::floor)
  std::optional<double> baseline_accuracy;
  nlohmann::json to_json() const;
};
RunScore score_of(const Diagnosis& d);
// Whether `after` beats the constant-prediction baseline.
bool beats_baseline(const RunScore& s);
// Whether `after` is at least as good as `before` (a run that could not train is worse than any).
bool no_worse(const RunScore& before, const RunScore& after);

struct RepairRound {
  std::vector<std::string> applied;
  std::vector<std::string> skipped;
  std::filesystem::path fixed_path;
  RunScore before, after;
  Diagnosis diagnosis;  // of the fixed run
  bool proven = false;
};

struct RepairOptions {
  int max_rounds = 3;
  DiagnosisOptions diagnosis;
};

// Rounds of repair on `run` (whose diagnosis is `first`); RUN.fixed.json is written next to the
// run file (atomically) after each round that applied something.
std::vector<RepairRound> repair_and_retrain(const io::RunSpec& run, const Diagnosis& first,
                                            const RepairOptions& options = {});

nlohmann::json to_json(const RepairRound& round);

// RUN.json → RUN.fixed.json, beside it.
std::filesystem::path fixed_run_path(const std::filesystem::path& run_path);

}  // namespace fitcheck::doctor
