#pragma once
// The profile for people: aligned tables that fit a 100-column terminal. One overview table
// (type, role, missing, distinct, what stands out), one table of the numeric distributions, the
// duplicate rows, the reader's notes and, with a target, the label profile.

#include <optional>
#include <string>

#include "fitcheck/profile/label_profile.hpp"
#include "fitcheck/profile/table_profile.hpp"

namespace fitcheck::profile {

struct ProfileTextStyle {
  bool colour = false;  // ANSI colour; the CLI sets it only on a TTY without NO_COLOR
  int width = 100;
};

std::string profile_to_text(const TableProfile& profile, const std::optional<LabelProfile>& label,
                            const ProfileTextStyle& style = {});

}  // namespace fitcheck::profile
