#pragma once
// The repair planner of `fitcheck doctor --fix`: applies the `repair` patches of findings to a
// run document and returns the fixed document (written as RUN.fixed.json next to run.json), with
// the codes of the repairs it applied and the reasons it skipped the others.
//
// Patch language (what the checks emit):
//   {"preprocess": "auto"}                      replaces any preprocessing
//   {"preprocess": [{"columns", "steps"}, ...]} merged group by group into an explicit list
//   {"data"|"fit"|"compile": {...}}             JSON merge patch (RFC 7386)
//   {"model": {"layers": [{"name", "config"}]}} merged into the named layers' configs
//   {"model": {"input_shape": [null, ...]}}     the model's declared input shape
//   {"model": {"insert": [{"before", "layer"}]}} a layer ({"class_name", "config"}) put in front
//                                               of the named one
// A model given as a .json file is inlined into the fixed document when a model patch applies.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/doctor/finding.hpp"

namespace fitcheck::doctor {

struct RepairPlan {
  nlohmann::json run;                // the fixed run document (a patched model inlined as JSON)
  std::vector<std::string> applied;  // codes of findings whose repair was applied, in order applied
  std::vector<std::string> skipped;  // "FC-xxx: reason" for patches that could not be applied
};

// Applies the repairs of `findings` (severity warning or error, with a repair) to `run_document`
// as loaded from run_dir/run.json. Order: data first (category data.*), then the model (model.*),
// then optimisation (config.*, train.*); findings keep their given order within each group.
// A repair applies whole or not at all. For a leaf of fit, compile, data or a layer config that
// an earlier repair set, the first one wins: a later repair wanting another value is skipped
// ("conflicts with FC-xxx"). Feature selections (data.*.features) combine by intersection.
// Pure: reads the model file when it must patch it, writes nothing.
// Throws core::ConfigError when `run_document` is not a JSON object.
RepairPlan plan_repairs(const nlohmann::json& run_document, const std::vector<Finding>& findings,
                        const std::filesystem::path& run_dir);

}  // namespace fitcheck::doctor
