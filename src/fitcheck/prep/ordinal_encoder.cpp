#include "fitcheck/prep/ordinal_encoder.hpp"

#include <cmath>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/prep/column_values.hpp"
#include "fitcheck/prep/json_values.hpp"

namespace fitcheck::prep {

namespace {

nlohmann::json options_json(const OrdinalEncoderOptions& o) {
  nlohmann::json j = {{"handle_unknown", o.use_encoded_value ? "use_encoded_value" : "error"},
                      {"encoded_missing_value", number_to_json(o.encoded_missing_value)}};
  if (o.use_encoded_value) j["unknown_value"] = number_to_json(o.unknown_value);
  return j;
}

OrdinalEncoderOptions parse_ordinal_options(StepOptions& o) {
  OrdinalEncoderOptions s;
  s.use_encoded_value = o.get_string("handle_unknown", "error", {"error", "use_encoded_value"}) == "use_encoded_value";
  const auto& unknown = o.get_raw("unknown_value");
  if (s.use_encoded_value) {
    if (unknown.is_null()) {
      throw core::ConfigError({.where = o.path("unknown_value"), .what = "missing",
                               .expected = "an integer or \"NaN\" with handle_unknown \"use_encoded_value\""});
    }
    s.unknown_value = number_from_json(unknown, o.path("unknown_value"));
  } else if (!unknown.is_null()) {
    throw core::ConfigError({.where = o.path("unknown_value"),
                             .what = "unknown_value is only used with handle_unknown \"use_encoded_value\"",
                             .got = unknown.dump(), .hint = "Set handle_unknown to \"use_encoded_value\" or remove it."});
  }
  const auto& missing = o.get_raw("encoded_missing_value");
  if (!missing.is_null()) s.encoded_missing_value = number_from_json(missing, o.path("encoded_missing_value"));
  return s;
}

}  // namespace

std::unique_ptr<const FittedTransformer> OrdinalEncoder::fit(const core::Table& x) const {
  std::vector<Categories> categories;
  for (const auto& column : x.columns()) {
    categories.push_back(Categories::of(column));
    const auto n = static_cast<double>(categories.back().size());
    if (options_.use_encoded_value && options_.unknown_value >= 0.0 && options_.unknown_value < n) {
      throw core::ConfigError({.where = fmt::format("OrdinalEncoder: column \"{}\"", column.name),
                               .what = fmt::format("unknown_value {} is already the code of a seen category",
                                                   options_.unknown_value),
                               .expected = fmt::format("a negative number, NaN or at least {}", n),
                               .hint = "Use -1 or NaN for unknown categories."});
    }
  }
  return std::make_unique<FittedOrdinalEncoder>(describe_inputs(x), options_, std::move(categories));
}

nlohmann::json OrdinalEncoder::get_params() const { return options_json(options_); }

std::unique_ptr<Transformer> OrdinalEncoder::from_options(const nlohmann::json& options, const std::string& where) {
  StepOptions o(options, where);
  auto s = parse_ordinal_options(o);
  o.finish();
  return std::make_unique<OrdinalEncoder>(s);
}

FittedOrdinalEncoder::FittedOrdinalEncoder(std::vector<InputColumn> inputs, OrdinalEncoderOptions options,
                                           std::vector<Categories> categories)
    : FittedTransformer(std::move(inputs)), options_(options), categories_(std::move(categories)) {}

core::Table FittedOrdinalEncoder::transform(const core::Table& x) const {
  check_input(x);
  core::Table out;
  out.set_source(x.source());
  for (std::size_t j = 0; j < categories_.size(); ++j) {
    const auto& column = x.column(static_cast<int>(j));
    const auto& cats = categories_[j];
    const auto idx = cats.lookup(column);
    std::vector<double> v(idx.size());
    for (std::size_t i = 0; i < idx.size(); ++i) {
      if (idx[i] == Categories::kUnknown) {
        // A missing cell unseen in the fit still encodes as missing (scikit-learn does the same).
        if (!column.is_valid(static_cast<std::int64_t>(i))) {
          v[i] = options_.encoded_missing_value;
          continue;
        }
        if (!options_.use_encoded_value) {
          throw core::InputError(
              {.where = fmt::format("{}column \"{}\"", x.source().empty() ? "" : x.source() + ": ", column.name),
               .what = fmt::format("found unknown category \"{}\" in row {}",
                                   Categories::cell_text(column, static_cast<std::int64_t>(i)), i),
               .hint = "Use handle_unknown \"use_encoded_value\" with unknown_value -1, or fit on data that has it."});
        }
        v[i] = options_.unknown_value;
      } else if (cats.is_missing(static_cast<std::size_t>(idx[i]))) {
        v[i] = options_.encoded_missing_value;
      } else {
        v[i] = static_cast<double>(idx[i]);
      }
    }
    out.add_column(float_column(column.name, std::move(v)));
  }
  return out;
}

core::Table FittedOrdinalEncoder::inverse_transform(const core::Table& y) const {
  check_input(y, false);
  core::Table out;
  for (std::size_t j = 0; j < categories_.size(); ++j) {
    const auto& cats = categories_[j];
    const auto codes = numeric_values(y.column(static_cast<int>(j)), "OrdinalEncoder.inverse_transform");
    const std::size_t known = cats.size() - (cats.has_missing() ? 1 : 0);
    std::vector<std::int32_t> idx(codes.size(), -1);
    std::vector<std::uint8_t> valid(codes.size(), 0);
    for (std::size_t i = 0; i < codes.size(); ++i) {
      const double c = codes[i];
      if (c >= 0.0 && c < static_cast<double>(known) && c == std::floor(c)) {
        idx[i] = static_cast<std::int32_t>(c);
        valid[i] = 1;
      }
    }
    const auto& name = feature_names_in()[j].name;
    if (cats.numeric()) {
      std::vector<double> v(codes.size(), std::nan(""));
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (valid[i]) v[i] = cats.numbers()[static_cast<std::size_t>(idx[i])];
      }
      out.add_column(core::Column::float64(name, std::move(v), std::move(valid)));
    } else {
      out.add_column(core::Column::categorical(name, std::move(idx), cats.strings(), std::move(valid)));
    }
  }
  return out;
}

std::vector<std::string> FittedOrdinalEncoder::feature_names_out() const {
  std::vector<std::string> names;
  for (const auto& in : feature_names_in()) names.push_back(in.name);
  return names;
}

nlohmann::json FittedOrdinalEncoder::params_json() const { return options_json(options_); }

nlohmann::json FittedOrdinalEncoder::state_json() const {
  nlohmann::json cats = nlohmann::json::array();
  for (const auto& c : categories_) cats.push_back(c.to_json());
  return {{"categories", cats}};
}

std::unique_ptr<const FittedTransformer> FittedOrdinalEncoder::from_json(const nlohmann::json& j,
                                                                         const std::string& where) {
  auto inputs = inputs_from_json(j, where);
  StepOptions o(member(j, "params", where), where + "/params");
  const auto options = parse_ordinal_options(o);
  const auto& cs = member(member(j, "state", where), "categories", where + "/state");
  if (!cs.is_array() || cs.size() != inputs.size()) {
    throw core::InputError({.where = where + "/state/categories", .what = "does not match the number of inputs"});
  }
  std::vector<Categories> categories;
  for (std::size_t k = 0; k < cs.size(); ++k) {
    categories.push_back(Categories::from_json(cs[k], fmt::format("{}/state/categories/{}", where, k)));
  }
  return std::make_unique<FittedOrdinalEncoder>(std::move(inputs), options, std::move(categories));
}

}  // namespace fitcheck::prep
