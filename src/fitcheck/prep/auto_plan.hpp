#pragma once
// The `auto` preprocessing plan: one readable decision per column, made from the training split's
// column facts. The plan is data: print it, edit a decision's steps, then build the Pipeline
// from it (Pipeline::from_plan), or write it out as an explicit run-file "preprocess" list.
//
// Rules (in order):
//   constant (<= 1 distinct value)               -> dropped
//   identifier-like (every value distinct: strings, or whole numbers forming a row counter
//     or named like an id)                       -> dropped
//   pixel-like (table of >= 64 numeric columns, all whole numbers in [0, 255], max > 1)
//                                                -> pixels (/255)
//   bool                                         -> kept as 0/1 (most_frequent impute if missing)
//   numeric                                      -> median impute (+ indicator when missing) -> standard scale
//   categorical, <= kMaxOneHotLevels levels      -> most_frequent impute -> one-hot (ignore unknown)
//   categorical, more levels                     -> ordinal (unknown -1), with a note

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/table.hpp"

namespace fitcheck::prep {

inline constexpr std::int64_t kMaxOneHotLevels = 20;

enum class AutoKind { Numeric, Boolean, LowCardinality, HighCardinality, Constant, Identifier, Pixels };

struct AutoDecision {
  std::string column;
  AutoKind kind = AutoKind::Numeric;
  nlohmann::json steps = nlohmann::json::array();  // run-file steps; empty with drop = true
  bool drop = false;
  std::string reason;  // one sentence for the user
};

std::string_view auto_kind_name(AutoKind k);  // "numeric", "low_cardinality", ...

std::vector<AutoDecision> plan_auto(const core::Table& train);

// The plan as the explicit run-file "preprocess" list (dropped columns are left out, with
// {"remainder": "drop"} so that they stay out).
nlohmann::json plan_to_preprocess(const std::vector<AutoDecision>& plan);
// The plan for humans and JSON reports: [{"column", "kind", "steps", "drop", "reason"}].
nlohmann::json plan_to_json(const std::vector<AutoDecision>& plan);

}  // namespace fitcheck::prep
