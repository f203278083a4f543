#pragma once
// The whole diagnosis of a run, as `fitcheck doctor` gives it: the static checks, then the probe
// (the run's own training, bounded, with the monitors attached) and the training checks. A
// training symptom whose root is a problem in the data (unscaled, unencoded or missing values,
// NaN labels)
// is kept as info under that root: the data finding is the diagnosis, the symptom its evidence.
// When a finding's repair sets the learning rate, the learning-rate range test proposes the rate.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/doctor/finding.hpp"
#include "fitcheck/doctor/training/lr_finder.hpp"
#include "fitcheck/doctor/training/probe.hpp"
#include "fitcheck/io/run_file.hpp"

namespace fitcheck::doctor {

struct DiagnosisOptions {
  bool probe = true;
  bool lr_finder = true;  // run the range test when a finding's repair sets the learning rate
  ProbeOptions probe_options;
  std::optional<std::uint64_t> memory_bytes;  // as `check --memory`
};

struct Diagnosis {
  std::vector<Finding> findings;     // static and training, sorted
  std::optional<ProbeResult> probe;  // when the probe ran
  std::string probe_skipped;         // why it did not (the run cannot train as it is), else empty
  // The learning-rate range test, when a finding concerns the learning rate; its proposal
  // replaces the rate in those findings' repairs.
  std::optional<LrFinderResult> lr_finder;
  // What the checks looked at (doctor/overview.hpp): the splits' profiles and the model.
  nlohmann::json overview;
};

Diagnosis diagnose(const io::RunSpec& run, const DiagnosisOptions& options = {});

}  // namespace fitcheck::doctor
