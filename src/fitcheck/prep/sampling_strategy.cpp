#include "fitcheck/prep/sampling_strategy.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::prep {

namespace {
const std::vector<std::pair<std::string, SamplingStrategy::Kind>> kNames = {
    {"auto", SamplingStrategy::Kind::Auto},
    {"not majority", SamplingStrategy::Kind::NotMajority},
    {"not minority", SamplingStrategy::Kind::NotMinority},
    {"all", SamplingStrategy::Kind::All},
    {"majority", SamplingStrategy::Kind::Majority}};
}  // namespace

SamplingStrategy SamplingStrategy::from_json(const nlohmann::json& j, const std::string& where) {
  SamplingStrategy s;
  if (j.is_null()) return s;
  if (j.is_string()) {
    for (const auto& [name, kind] : kNames) {
      if (j == name) {
        s.kind = kind;
        return s;
      }
    }
    throw core::ConfigError({.where = where, .what = fmt::format("unknown sampling_strategy {}", j.dump()),
                             .expected = "\"auto\", \"not majority\", \"not minority\", \"all\", \"majority\", a "
                                         "ratio or {\"class\": count}",
                             .got = j.dump()});
  }
  if (j.is_number()) {
    s.kind = Kind::Ratio;
    s.ratio = j.get<double>();
    if (!(s.ratio > 0.0 && s.ratio <= 1.0)) {
      throw core::ConfigError({.where = where, .what = "sampling_strategy ratio out of range", .expected = "(0, 1]",
                               .got = j.dump()});
    }
    return s;
  }
  if (j.is_object()) {
    s.kind = Kind::Targets;
    for (const auto& [key, value] : j.items()) {
      std::int64_t cls = 0;
      try {
        std::size_t used = 0;
        cls = std::stoll(key, &used);
        if (used != key.size()) throw std::invalid_argument(key);
      } catch (const std::exception&) {
        throw core::ConfigError({.where = where + "/" + key, .what = "class keys must be class codes (integers)",
                                 .got = key});
      }
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
        throw core::ConfigError({.where = where + "/" + key, .what = "expected a sample count", .got = value.dump()});
      }
      s.targets[cls] = value.get<std::int64_t>();
    }
    return s;
  }
  throw core::ConfigError({.where = where, .what = "invalid sampling_strategy", .got = j.dump()});
}

nlohmann::json SamplingStrategy::to_json() const {
  if (kind == Kind::Ratio) return ratio;
  if (kind == Kind::Targets) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [c, n] : targets) j[std::to_string(c)] = n;
    return j;
  }
  for (const auto& [name, k] : kNames) {
    if (k == kind) return name;
  }
  return "auto";
}

std::map<std::int64_t, std::int64_t> class_counts(const std::vector<std::int64_t>& y) {
  // Class codes are nearly always small: those are counted in arrays (four, interleaved, so that
  // runs of one label do not wait on each other's increments), the rest in the map.
  constexpr std::size_t kSmall = 256, kWays = 4;
  std::vector<std::int64_t> small(kSmall * kWays, 0);
  std::map<std::int64_t, std::int64_t> counts;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const auto c = static_cast<std::uint64_t>(y[i]);
    if (c < kSmall) {
      ++small[(i % kWays) * kSmall + c];
    } else {
      ++counts[y[i]];
    }
  }
  for (std::size_t c = 0; c < kSmall; ++c) {
    std::int64_t n = 0;
    for (std::size_t w = 0; w < kWays; ++w) n += small[w * kSmall + c];
    if (n > 0) counts[static_cast<std::int64_t>(c)] = n;
  }
  return counts;
}

std::map<std::int64_t, std::int64_t> sampling_targets(const std::map<std::int64_t, std::int64_t>& counts,
                                                      const SamplingStrategy& s, bool over) {
  if (counts.size() < 2) {
    throw core::ConfigError({.where = "sampling_strategy", .what = "the target needs more than one class",
                             .got = fmt::format("{} class", counts.size()),
                             .hint = "Resampling balances classes; check the label column."});
  }
  // Majority and minority: the first (smallest) class wins ties, as imbalanced-learn's max/min.
  std::int64_t majority = counts.begin()->first, minority = counts.begin()->first;
  for (const auto& [c, n] : counts) {
    if (n > counts.at(majority)) majority = c;
    if (n < counts.at(minority)) minority = c;
  }
  const auto n_maj = counts.at(majority), n_min = counts.at(minority);
  std::map<std::int64_t, std::int64_t> out;
  using Kind = SamplingStrategy::Kind;
  if (s.kind == Kind::Targets) {
    for (const auto& [c, want] : s.targets) {
      if (!counts.count(c)) {
        throw core::ConfigError({.where = "sampling_strategy", .what = fmt::format("class {} is not in the target", c)});
      }
      const auto have = counts.at(c);
      if (over && want < have) {
        throw core::ConfigError({.where = "sampling_strategy",
                                 .what = fmt::format("over-sampling cannot shrink class {}", c),
                                 .expected = fmt::format("at least the original {} samples", have),
                                 .got = fmt::format("{}", want)});
      }
      if (!over && want > have) {
        throw core::ConfigError({.where = "sampling_strategy",
                                 .what = fmt::format("under-sampling cannot grow class {}", c),
                                 .expected = fmt::format("at most the original {} samples", have),
                                 .got = fmt::format("{}", want)});
      }
      out[c] = over ? want - have : want;
    }
    return out;
  }
  if (s.kind == Kind::Ratio) {
    if (counts.size() != 2) {
      throw core::ConfigError({.where = "sampling_strategy", .what = "a ratio works for two classes only",
                               .hint = "For several classes, give {\"class\": count}."});
    }
    if (over) {
      const auto n = static_cast<std::int64_t>(static_cast<double>(n_maj) * s.ratio - static_cast<double>(n_min));
      if (n <= 0) {
        throw core::ConfigError({.where = "sampling_strategy",
                                 .what = "the ratio would remove minority samples instead of generating them",
                                 .hint = "Increase the ratio."});
      }
      out[minority] = n;
    } else {
      for (const auto& [c, n] : counts) {
        if (c == minority) continue;
        const auto keep = static_cast<std::int64_t>(static_cast<double>(n_min) / s.ratio);
        if (keep > n) {
          throw core::ConfigError({.where = "sampling_strategy", .what = "the ratio would generate samples instead of removing them",
                                   .hint = "Decrease the ratio."});
        }
        out[c] = keep;
      }
    }
    return out;
  }
  Kind kind = s.kind;
  if (kind == Kind::Auto) kind = over ? Kind::NotMajority : Kind::NotMinority;
  if (over && kind == Kind::Majority) {
    throw core::ConfigError({.where = "sampling_strategy", .what = "\"majority\" cannot be used with an over-sampler"});
  }
  for (const auto& [c, n] : counts) {
    const bool chosen = kind == Kind::All || (kind == Kind::NotMajority && c != majority) ||
                        (kind == Kind::NotMinority && c != minority) || (kind == Kind::Majority && c == majority);
    if (chosen) out[c] = over ? n_maj - n : n_min;
  }
  return out;
}

std::map<std::int64_t, double> balanced_class_weight(const std::vector<std::int64_t>& y) {
  const auto counts = class_counts(y);
  std::map<std::int64_t, double> w;
  for (const auto& [c, n] : counts) {
    w[c] = static_cast<double>(y.size()) / (static_cast<double>(counts.size()) * static_cast<double>(n));
  }
  return w;
}

}  // namespace fitcheck::prep
