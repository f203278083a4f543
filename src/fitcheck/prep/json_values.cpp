#include "fitcheck/prep/json_values.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/table.hpp"

namespace fitcheck::prep {

using nlohmann::json;

json number_to_json(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

json numbers_to_json(const std::vector<double>& v) {
  json out = json::array();
  for (double x : v) out.push_back(number_to_json(x));
  return out;
}

double number_from_json(const json& j, const std::string& where) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  throw core::InputError({.where = where, .what = "not a number", .expected = "a number, \"NaN\" or \"Infinity\"",
                          .got = j.dump()});
}

std::vector<double> numbers_from_json(const json& j, const std::string& where) {
  if (!j.is_array()) {
    throw core::InputError({.where = where, .what = "not a list of numbers", .expected = "an array", .got = j.dump()});
  }
  std::vector<double> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(number_from_json(j[i], fmt::format("{}/{}", where, i)));
  return out;
}

const json& member(const json& j, std::string_view key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) {
    throw core::InputError({.where = fmt::format("{}/{}", where, key), .what = "missing",
                            .hint = "The file was not written by this version of fitcheck, or it was edited."});
  }
  return j.at(std::string(key));
}

std::string string_member(const json& j, std::string_view key, const std::string& where) {
  const json& v = member(j, key, where);
  if (!v.is_string()) {
    throw core::InputError({.where = fmt::format("{}/{}", where, key), .what = "not a string",
                            .expected = "a string", .got = v.dump()});
  }
  return v.get<std::string>();
}

std::vector<std::string> strings_from_json(const json& j, const std::string& where) {
  if (!j.is_array()) {
    throw core::InputError({.where = where, .what = "not a list of strings", .expected = "an array", .got = j.dump()});
  }
  std::vector<std::string> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) {
      throw core::InputError({.where = fmt::format("{}/{}", where, i), .what = "not a string",
                              .expected = "a string", .got = j[i].dump()});
    }
    out.push_back(j[i].get<std::string>());
  }
  return out;
}

std::int64_t integer_from_json(const json& j, const std::string& where) {
  if (!j.is_number_integer()) {
    throw core::InputError({.where = where, .what = "not an integer", .expected = "an integer", .got = j.dump()});
  }
  return j.get<std::int64_t>();
}

bool bool_member(const json& j, std::string_view key, const std::string& where) {
  const json& v = member(j, key, where);
  if (!v.is_boolean()) {
    throw core::InputError({.where = fmt::format("{}/{}", where, key), .what = "not a boolean",
                            .expected = "true or false", .got = v.dump()});
  }
  return v.get<bool>();
}

double number_member(const json& j, std::string_view key, const std::string& where) {
  return number_from_json(member(j, key, where), fmt::format("{}/{}", where, key));
}

StepOptions::StepOptions(const json& options, std::string where) : options_(&options), where_(std::move(where)) {
  if (!options.is_null() && !options.is_object()) {
    throw core::ConfigError({.where = where_, .what = "step options must be an object",
                             .expected = "{\"option\": value, ...}", .got = options.dump()});
  }
}

bool StepOptions::has(std::string_view key) const {
  return options_->is_object() && options_->contains(key);
}

const json& StepOptions::get_raw(std::string_view key) {
  static const json null_value;
  used_.emplace_back(key);
  if (!has(key)) return null_value;
  return options_->at(std::string(key));
}

bool StepOptions::get_bool(std::string_view key, bool fallback) {
  const json& v = get_raw(key);
  if (v.is_null()) return fallback;
  if (!v.is_boolean()) {
    throw core::ConfigError({.where = path(key), .what = "expected true or false", .expected = "a boolean", .got = v.dump()});
  }
  return v.get<bool>();
}

double StepOptions::get_number(std::string_view key, double fallback) {
  const json& v = get_raw(key);
  if (v.is_null()) return fallback;
  if (!v.is_number()) {
    throw core::ConfigError({.where = path(key), .what = "expected a number", .expected = "a number", .got = v.dump()});
  }
  return v.get<double>();
}

std::string StepOptions::get_string(std::string_view key, std::string fallback, const std::vector<std::string>& allowed) {
  const json& v = get_raw(key);
  if (v.is_null()) return fallback;
  if (!v.is_string()) {
    throw core::ConfigError({.where = path(key), .what = "expected a string", .expected = "a string", .got = v.dump()});
  }
  auto s = v.get<std::string>();
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
    const auto near = core::nearest_name(s, allowed);
    throw core::ConfigError({.where = path(key), .what = fmt::format("unknown value \"{}\"", s),
                             .expected = fmt::format("one of {}", fmt::join(allowed, ", ")), .got = s,
                             .hint = near ? fmt::format("Did you mean \"{}\"?", *near) : std::string()});
  }
  return s;
}

void StepOptions::finish() const {
  if (!options_->is_object()) return;
  for (const auto& [key, value] : options_->items()) {
    if (std::find(used_.begin(), used_.end(), key) != used_.end()) continue;
    const auto near = core::nearest_name(key, used_);
    throw core::ConfigError({.where = path(key), .what = fmt::format("unknown option \"{}\"", key),
                             .expected = fmt::format("one of {}", fmt::join(used_, ", ")), .got = key,
                             .hint = near ? fmt::format("Did you mean \"{}\"?", *near) : std::string()});
  }
}

}  // namespace fitcheck::prep
