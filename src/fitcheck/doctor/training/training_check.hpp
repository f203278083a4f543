#pragma once
// A training check: a function of the probe (probe.hpp) that appends findings of the train.*
// categories. Each lives in one file under training/checks/ and is registered by one line in
// training/checks/registry.cpp, as the static checks are.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "fitcheck/doctor/finding.hpp"
#include "fitcheck/doctor/training/probe.hpp"
#include "fitcheck/io/run_file.hpp"

namespace fitcheck::doctor {

struct TrainingContext {
  const io::RunSpec* run = nullptr;
  const ProbeResult* probe = nullptr;
  // The static findings, so that a training finding can name its root cause (caused_by).
  const std::vector<Finding>* static_findings = nullptr;

  // The first static finding of `category` at warning or above, if any.
  const Finding* static_finding(std::string_view category) const;
  // The code of the first static finding among `categories` (in the order given: the likeliest
  // root first), or "" — what a training finding puts in caused_by.
  std::string root_code(std::initializer_list<std::string_view> categories) const;
};

using TrainingCheckFunction = void (*)(const TrainingContext& context, std::vector<Finding>& out);

struct TrainingCheck {
  std::string_view code;
  std::string_view category;
  std::string_view summary;
  TrainingCheckFunction run;
};

const std::vector<TrainingCheck>& all_training_checks();

// Runs every training check (check.hpp's run_one_check semantics); the result is not sorted.
std::vector<Finding> run_training_checks(const TrainingContext& context);

}  // namespace fitcheck::doctor
