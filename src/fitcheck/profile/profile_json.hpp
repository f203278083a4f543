#pragma once
// The profile as a JSON document for programs: stable field names, documented field by field in
// docs/profile-json.md. "version" changes only when a field changes meaning or disappears.

#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "fitcheck/profile/label_profile.hpp"
#include "fitcheck/profile/table_profile.hpp"

namespace fitcheck::profile {

inline constexpr const char* kProfileJsonVersion = "1";

nlohmann::ordered_json profile_to_json(const TableProfile& profile, const std::optional<LabelProfile>& label);

}  // namespace fitcheck::profile
