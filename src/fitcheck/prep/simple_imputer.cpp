#include "fitcheck/prep/simple_imputer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/prep/column_values.hpp"
#include "fitcheck/prep/json_values.hpp"

namespace fitcheck::prep {

namespace {

const std::vector<std::string> kStrategyNames = {"mean", "median", "most_frequent", "constant"};

nlohmann::json options_json(const SimpleImputerOptions& o) {
  nlohmann::json j = {{"strategy", kStrategyNames[static_cast<std::size_t>(o.strategy)]},
                      {"add_indicator", o.add_indicator},
                      {"keep_empty_features", o.keep_empty_features}};
  if (o.fill_number) j["fill_value"] = number_to_json(*o.fill_number);
  if (o.fill_string) j["fill_value"] = *o.fill_string;
  return j;
}

SimpleImputerOptions parse_options(StepOptions& o) {
  SimpleImputerOptions s;
  const auto strategy = o.get_string("strategy", "mean", kStrategyNames);
  s.strategy = static_cast<ImputeStrategy>(std::find(kStrategyNames.begin(), kStrategyNames.end(), strategy) -
                                           kStrategyNames.begin());
  const auto& fill = o.get_raw("fill_value");
  if (fill.is_number()) {
    s.fill_number = fill.get<double>();
  } else if (fill.is_string()) {
    s.fill_string = fill.get<std::string>();
  } else if (!fill.is_null()) {
    throw core::ConfigError({.where = o.path("fill_value"), .what = "expected a number or a string", .got = fill.dump()});
  }
  s.add_indicator = o.get_bool("add_indicator", false);
  s.keep_empty_features = o.get_bool("keep_empty_features", false);
  return s;
}

// The most frequent value; ties go to the smallest (scipy.stats.mode / min over ties).
template <typename T>
std::optional<T> most_frequent(const std::map<T, std::int64_t>& counts) {
  std::optional<T> best;
  std::int64_t best_count = 0;
  for (const auto& [value, count] : counts) {  // ascending order: strict > keeps the smallest
    if (count > best_count) {
      best = value;
      best_count = count;
    }
  }
  return best;
}

double median_of(std::vector<double> v) {
  const std::size_t n = v.size();
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2), v.end());
  const double upper = v[n / 2];
  if (n % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2));
  return (lower + upper) / 2.0;
}

}  // namespace

std::unique_ptr<const FittedTransformer> SimpleImputer::fit(const core::Table& x) const {
  std::vector<FittedSimpleImputer::Statistic> stats;
  for (const auto& column : x.columns()) {
    FittedSimpleImputer::Statistic s;
    s.indicator = column.missing_count() > 0;
    if (column.type == core::ColumnType::Float64) {  // NaN without a mask is missing too
      s.indicator = s.indicator || std::any_of(column.f64.begin(), column.f64.end(), [](double v) { return std::isnan(v); });
    }
    if (!column.is_numeric()) {
      if (options_.strategy == ImputeStrategy::Mean || options_.strategy == ImputeStrategy::Median) {
        throw core::InputError({.where = fmt::format("column \"{}\"", column.name),
                                .what = fmt::format("cannot use the {} strategy with non-numeric data",
                                                    kStrategyNames[static_cast<std::size_t>(options_.strategy)]),
                                .expected = "a numeric column", .got = "a categorical (string) column",
                                .hint = "Use strategy \"most_frequent\" or \"constant\" for categorical columns."});
      }
      if (options_.strategy == ImputeStrategy::Constant) {
        s.text = options_.fill_string ? *options_.fill_string
                                      : (options_.fill_number ? python_float_str(*options_.fill_number) : "missing_value");
      } else {
        std::map<std::string, std::int64_t> counts;
        std::vector<std::int64_t> per_code(column.dictionary.size(), 0);
        for (std::int64_t i = 0; i < column.size(); ++i) {
          const auto code = column.codes[static_cast<std::size_t>(i)];
          if (column.is_valid(i) && code >= 0) ++per_code[static_cast<std::size_t>(code)];
        }
        for (std::size_t k = 0; k < per_code.size(); ++k) {
          if (per_code[k] > 0) counts[column.dictionary[k]] += per_code[k];
        }
        const auto mode = most_frequent(counts);
        s.observed = mode.has_value();
        s.text = mode.value_or(std::string());
      }
    } else {
      const auto v = numeric_values(column, class_name());
      std::vector<double> present;
      present.reserve(v.size());
      for (double e : v) {
        if (!std::isnan(e)) present.push_back(e);
      }
      s.observed = !present.empty();
      s.number = std::numeric_limits<double>::quiet_NaN();
      switch (options_.strategy) {
        case ImputeStrategy::Mean:
          if (s.observed) {
            double sum = 0.0;
            for (double e : present) sum += e;
            s.number = sum / static_cast<double>(present.size());
          }
          break;
        case ImputeStrategy::Median:
          if (s.observed) s.number = median_of(std::move(present));
          break;
        case ImputeStrategy::MostFrequent: {
          std::map<double, std::int64_t> counts;
          for (double e : present) ++counts[e];
          s.number = most_frequent(counts).value_or(s.number);
          break;
        }
        case ImputeStrategy::Constant:
          if (options_.fill_string) {
            throw core::ConfigError({.where = fmt::format("column \"{}\"", column.name),
                                     .what = "fill_value must be a number to impute numeric data",
                                     .got = fmt::format("\"{}\"", *options_.fill_string),
                                     .hint = "Give a numeric fill_value, or put this column in a separate step."});
          }
          s.number = options_.fill_number.value_or(0.0);
          break;
      }
    }
    if (!s.observed && options_.strategy != ImputeStrategy::Constant) {
      if (options_.keep_empty_features) {
        s.number = 0.0;  // scikit-learn keeps the column with statistic 0
        s.text = "0";
      } else {
        s.kept = false;
      }
    }
    if (options_.strategy == ImputeStrategy::Constant) s.observed = true;
    stats.push_back(std::move(s));
  }
  return std::make_unique<FittedSimpleImputer>(describe_inputs(x), options_, std::move(stats));
}

nlohmann::json SimpleImputer::get_params() const { return options_json(options_); }

std::unique_ptr<Transformer> SimpleImputer::from_options(const nlohmann::json& options, const std::string& where) {
  StepOptions o(options, where);
  auto s = parse_options(o);
  o.finish();
  return std::make_unique<SimpleImputer>(std::move(s));
}

FittedSimpleImputer::FittedSimpleImputer(std::vector<InputColumn> inputs, SimpleImputerOptions options,
                                         std::vector<Statistic> stats)
    : FittedTransformer(std::move(inputs)), options_(std::move(options)), stats_(std::move(stats)) {}

core::Table FittedSimpleImputer::transform(const core::Table& x) const {
  check_input(x);
  core::Table out;
  out.set_source(x.source());
  const auto n = static_cast<std::size_t>(x.num_rows());
  std::vector<core::Column> indicators;
  for (std::size_t j = 0; j < stats_.size(); ++j) {
    const auto& s = stats_[j];
    const auto& column = x.column(static_cast<int>(j));
    std::vector<double> missing_flags;
    if (options_.add_indicator && s.indicator) missing_flags.assign(n, 0.0);
    if (!column.is_numeric()) {
      core::Column c = column;
      c.valid.clear();
      std::int32_t fill_code = -1;
      for (std::size_t i = 0; i < n; ++i) {
        if (column.is_valid(static_cast<std::int64_t>(i)) && column.codes[i] >= 0) continue;
        if (!missing_flags.empty()) missing_flags[i] = 1.0;
        if (fill_code < 0) {
          const auto it = std::find(c.dictionary.begin(), c.dictionary.end(), s.text);
          fill_code = static_cast<std::int32_t>(it - c.dictionary.begin());
          if (it == c.dictionary.end()) c.dictionary.push_back(s.text);
        }
        c.codes[i] = fill_code;
      }
      if (s.kept) out.add_column(std::move(c));
    } else {
      auto v = numeric_values(column, class_name());
      for (std::size_t i = 0; i < n; ++i) {
        if (!std::isnan(v[i])) continue;
        v[i] = s.number;
        if (!missing_flags.empty()) missing_flags[i] = 1.0;
      }
      // most_frequent and constant keep integer columns integer (scikit-learn keeps the dtype).
      const bool keep_int = (column.type == core::ColumnType::Int64 || column.type == core::ColumnType::Bool) &&
                            (options_.strategy == ImputeStrategy::MostFrequent ||
                             options_.strategy == ImputeStrategy::Constant) &&
                            std::isfinite(s.number) && s.number == std::floor(s.number);
      if (s.kept && keep_int) {
        std::vector<std::int64_t> ints(n);
        for (std::size_t i = 0; i < n; ++i) ints[i] = static_cast<std::int64_t>(v[i]);
        out.add_column(core::Column::int64(column.name, std::move(ints)));
      } else if (s.kept) {
        out.add_column(float_column(column.name, std::move(v)));
      }
    }
    if (!missing_flags.empty()) {
      indicators.push_back(core::Column::float64("missingindicator_" + column.name, std::move(missing_flags)));
    }
  }
  for (auto& c : indicators) out.add_column(std::move(c));
  return out;
}

std::vector<std::string> FittedSimpleImputer::feature_names_out() const {
  std::vector<std::string> names;
  for (std::size_t j = 0; j < stats_.size(); ++j) {
    if (stats_[j].kept) names.push_back(feature_names_in()[j].name);
  }
  if (options_.add_indicator) {
    for (std::size_t j = 0; j < stats_.size(); ++j) {
      if (stats_[j].indicator) names.push_back("missingindicator_" + feature_names_in()[j].name);
    }
  }
  return names;
}

nlohmann::json FittedSimpleImputer::params_json() const { return options_json(options_); }

nlohmann::json FittedSimpleImputer::state_json() const {
  nlohmann::json stats = nlohmann::json::array();
  for (const auto& s : stats_) {
    stats.push_back({{"number", number_to_json(s.number)}, {"text", s.text}, {"observed", s.observed},
                     {"kept", s.kept}, {"indicator", s.indicator}});
  }
  return {{"statistics", stats}};
}

std::unique_ptr<const FittedTransformer> FittedSimpleImputer::from_json(const nlohmann::json& j,
                                                                        const std::string& where) {
  auto inputs = inputs_from_json(j, where);
  StepOptions o(member(j, "params", where), where + "/params");
  auto options = parse_options(o);
  const auto& ss = member(member(j, "state", where), "statistics", where + "/state");
  if (!ss.is_array() || ss.size() != inputs.size()) {
    throw core::InputError({.where = where + "/state/statistics", .what = "does not match the number of inputs"});
  }
  std::vector<Statistic> stats;
  for (std::size_t k = 0; k < ss.size(); ++k) {
    const auto w = fmt::format("{}/state/statistics/{}", where, k);
    stats.push_back({.number = number_member(ss[k], "number", w),
                     .text = string_member(ss[k], "text", w),
                     .observed = bool_member(ss[k], "observed", w),
                     .kept = bool_member(ss[k], "kept", w),
                     .indicator = bool_member(ss[k], "indicator", w)});
  }
  return std::make_unique<FittedSimpleImputer>(std::move(inputs), std::move(options), std::move(stats));
}

}  // namespace fitcheck::prep
