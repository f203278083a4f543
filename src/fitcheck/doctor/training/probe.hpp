#pragma once
// The doctor's probe: the user's own training — same data, preprocessing, model, optimizer and
// fit settings — run for a bounded budget with the training monitors attached (signals.hpp), plus
// what the training checks compare it with: the loss and accuracy of the best constant predictor
// (the majority class, the mean) and, for classifiers, what the trained model predicts.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/doctor/training/signals.hpp"
#include "fitcheck/io/run_file.hpp"

namespace fitcheck::doctor {

enum class Task { Binary, Multiclass, Regression, Other };

// The best prediction that ignores the features, scored with the run's loss.
struct Baseline {
  std::string kind;                // "majority class" or "mean"
  std::optional<double> loss;      // the run's loss of that constant prediction, when computable
  std::optional<double> accuracy;  // classification: the majority class's share
  std::optional<double> balanced_accuracy;  // classification: 1 / the number of classes present
  // The run's loss of a perfect prediction (y_pred = y): 0 for most losses; Poisson's is
  // mean(y − y·log y). The training checks measure progress as the way from the baseline down to it.
  double floor = 0.0;
};

struct ProbeOptions {
  ProbeBudget budget;
  int max_epochs = 100;  // the run's epochs, capped
};

struct ProbeResult {
  Task task = Task::Other;
  std::string loss_name;        // canonical Keras name
  std::string optimizer_name;
  double learning_rate = 0.0;   // as training started
  std::int64_t train_rows = 0;  // rows trained on (after the validation split)
  bool has_validation = false;
  std::string validation_source;  // "validation_split 0.2", "the test split"
  Baseline baseline;
  TrainingSignals signals;
  // Classifiers: predicted and true class counts over (up to 20000 of) the training rows, after the probe.
  std::vector<std::int64_t> predicted_counts;
  std::vector<std::int64_t> label_counts;
  std::optional<double> final_accuracy;     // on those rows
  std::optional<double> balanced_accuracy;  // mean recall over the classes, on those rows

  nlohmann::json to_json() const;
};

// Runs the probe. Throws core::Error when the run cannot train at all (the static checks say why).
ProbeResult run_probe(const io::RunSpec& run, const ProbeOptions& options = {});

std::string_view task_name(Task t);

}  // namespace fitcheck::doctor
