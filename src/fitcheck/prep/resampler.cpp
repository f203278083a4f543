#include "fitcheck/prep/resampler.hpp"

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/table.hpp"
#include "fitcheck/prep/json_values.hpp"
#include "fitcheck/prep/random_over_sampler.hpp"
#include "fitcheck/prep/random_under_sampler.hpp"
#include "fitcheck/prep/smote.hpp"

namespace fitcheck::prep {

std::unique_ptr<Resampler> make_resampler(const nlohmann::json& spec, const std::string& where) {
  if (!spec.is_object() || spec.size() != 1) {
    throw core::ConfigError({.where = where, .what = "a resample step names one resampler",
                             .expected = "{\"smote\": {...}}, {\"random_over\": {...}} or {\"random_under\": {...}}",
                             .got = spec.dump()});
  }
  const std::string name = spec.begin().key();
  const auto path = where + "/" + name;
  StepOptions o(spec.begin().value(), path);
  const auto strategy = SamplingStrategy::from_json(o.get_raw("sampling_strategy"), o.path("sampling_strategy"));
  const auto seed = static_cast<std::uint32_t>(o.get_number("random_state", 0));
  std::unique_ptr<Resampler> r;
  if (name == "smote") {
    const auto k = static_cast<std::int64_t>(o.get_number("k_neighbors", 5));
    if (k < 1) throw core::ConfigError({.where = o.path("k_neighbors"), .what = "must be at least 1"});
    r = std::make_unique<Smote>(SmoteOptions{.sampling_strategy = strategy, .random_state = seed, .k_neighbors = k});
  } else if (name == "random_over") {
    r = std::make_unique<RandomOverSampler>(RandomOverSamplerOptions{.sampling_strategy = strategy, .random_state = seed});
  } else if (name == "random_under") {
    const bool replacement = o.get_bool("replacement", false);
    r = std::make_unique<RandomUnderSampler>(
        RandomUnderSamplerOptions{.sampling_strategy = strategy, .random_state = seed, .replacement = replacement});
  } else {
    const auto near = core::nearest_name(name, {"smote", "random_over", "random_under"});
    throw core::ConfigError({.where = path, .what = fmt::format("unknown resampler \"{}\"", name),
                             .expected = "smote, random_over or random_under", .got = name,
                             .hint = near ? fmt::format("Did you mean \"{}\"?", *near) : std::string()});
  }
  o.finish();
  return r;
}

}  // namespace fitcheck::prep
