#pragma once
// What the doctor looked at, for the report: each split's profile (the `fitcheck profile --format
// json` document of its features, with the label profile), the train-vs-test overlap, and the
// model as the checks see it (layers, output shapes, parameters, the training-memory estimate).
// It restates facts the checks used; it judges nothing (the findings do).

#include <nlohmann/json.hpp>

#include "fitcheck/doctor/context.hpp"

namespace fitcheck::doctor {

// {"data": {"train", "test"?, "overlap"?}, "model"?}; see docs/commands.md (doctor JSON).
nlohmann::json run_overview(const CheckContext& ctx);

}  // namespace fitcheck::doctor
