#include "fitcheck/nn/detail/names.hpp"

#include <algorithm>
#include <cctype>

namespace fitcheck::nn::detail {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  if (!best.empty() && best_distance <= std::max<std::size_t>(2, name.size() / 3)) {
    return "Did you mean \"" + best + "\"?";
  }
  std::string list;
  for (const auto& c : candidates) list += (list.empty() ? "" : ", ") + c;
  return "Use one of: " + list + ".";
}

std::string to_snake_case(const std::string& camel) {
  std::string out;
  for (std::size_t i = 0; i < camel.size(); ++i) {
    const char c = camel[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      const bool prev_lower = i > 0 && !std::isupper(static_cast<unsigned char>(camel[i - 1]));
      const bool next_lower = i + 1 < camel.size() && std::islower(static_cast<unsigned char>(camel[i + 1]));
      if (i > 0 && (prev_lower || next_lower) && camel[i - 1] != '_') out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

std::string normalized_key(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<KerasSpec> keras_spec(const nlohmann::json& spec) {
  if (spec.is_string()) return KerasSpec{spec.get<std::string>()};
  if (!spec.is_object() || !spec.contains("class_name") || !spec["class_name"].is_string()) return std::nullopt;
  KerasSpec out{spec["class_name"].get<std::string>()};
  if (spec.contains("config") && spec["config"].is_object()) out.config = spec["config"];
  return out;
}

}  // namespace fitcheck::nn::detail
