#pragma once
// The finding categories of design.md: what tests and evaluations match on. A check may only
// report a category listed here (the registry test enforces it).

#include <string_view>
#include <vector>

namespace fitcheck::doctor {

struct CategoryInfo {
  std::string_view name;     // "data.unscaled_features"
  std::string_view meaning;  // one line, as design.md defines it
};

const std::vector<CategoryInfo>& all_categories();
bool is_known_category(std::string_view name);

}  // namespace fitcheck::doctor
