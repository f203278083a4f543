#pragma once
// imbalanced-learn's sampling_strategy: which classes a resampler touches and by how much.
// Classes are integers (class codes; see split.hpp class_codes), iterated in sorted order.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fitcheck::prep {

struct SamplingStrategy {
  enum class Kind { Auto, NotMajority, NotMinority, All, Majority, Ratio, Targets };
  Kind kind = Kind::Auto;
  double ratio = 1.0;                             // Kind::Ratio (binary only)
  std::map<std::int64_t, std::int64_t> targets;   // Kind::Targets: class -> wanted count

  // "auto", "not majority", "not minority", "all", "majority", a number, or {"class": count}.
  static SamplingStrategy from_json(const nlohmann::json& j, const std::string& where);
  nlohmann::json to_json() const;
};

// Per class: samples to generate (over-sampling) or to keep (under-sampling), with imbalanced-
// learn's rules and its error conditions (ConfigError).
std::map<std::int64_t, std::int64_t> sampling_targets(const std::map<std::int64_t, std::int64_t>& counts,
                                                      const SamplingStrategy& strategy, bool over_sampling);

std::map<std::int64_t, std::int64_t> class_counts(const std::vector<std::int64_t>& y);

// scikit-learn's compute_class_weight("balanced"): n_samples / (n_classes * count[c]).
std::map<std::int64_t, double> balanced_class_weight(const std::vector<std::int64_t>& y);

}  // namespace fitcheck::prep
