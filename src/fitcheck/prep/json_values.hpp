#pragma once
// Reading and writing the numbers and members of saved pipelines and step options. Doubles are
// written as JSON numbers in shortest round-trip form (so a reloaded pipeline is bit-identical);
// NaN and ±inf, which JSON lacks, are written as the strings "NaN", "Infinity", "-Infinity".
// Every reader throws InputError (saved files) or ConfigError (options) naming the JSON path.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace fitcheck::prep {

nlohmann::json number_to_json(double v);
nlohmann::json numbers_to_json(const std::vector<double>& v);
double number_from_json(const nlohmann::json& j, const std::string& where);
std::vector<double> numbers_from_json(const nlohmann::json& j, const std::string& where);

// The member `key` of object `j`; InputError "<where>/<key>: missing" when absent.
const nlohmann::json& member(const nlohmann::json& j, std::string_view key, const std::string& where);
std::string string_member(const nlohmann::json& j, std::string_view key, const std::string& where);
std::vector<std::string> strings_from_json(const nlohmann::json& j, const std::string& where);
std::int64_t integer_from_json(const nlohmann::json& j, const std::string& where);
bool bool_member(const nlohmann::json& j, std::string_view key, const std::string& where);
double number_member(const nlohmann::json& j, std::string_view key, const std::string& where);

// Options of one run-file step ({"impute": {"strategy": "median", "add_indicator": true}}).
// Each getter marks its key as used; finish() rejects keys nobody asked for, with did-you-mean.
// Errors are ConfigErrors with the JSON path ("run.json: /preprocess/0/steps/1/onehot/drop").
class StepOptions {
 public:
  // `options` may be an object, or null for "no options".
  StepOptions(const nlohmann::json& options, std::string where);

  bool has(std::string_view key) const;
  bool get_bool(std::string_view key, bool fallback);
  double get_number(std::string_view key, double fallback);
  std::string get_string(std::string_view key, std::string fallback,
                         const std::vector<std::string>& allowed = {});
  // The raw value (marks the key used); null when absent.
  const nlohmann::json& get_raw(std::string_view key);
  std::string path(std::string_view key) const { return where_ + "/" + std::string(key); }
  void finish() const;

 private:
  const nlohmann::json* options_;
  std::string where_;
  std::vector<std::string> used_;
};

}  // namespace fitcheck::prep
