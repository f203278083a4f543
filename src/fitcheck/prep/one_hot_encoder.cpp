#include "fitcheck/prep/one_hot_encoder.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/prep/json_values.hpp"

namespace fitcheck::prep {

namespace {

const std::vector<std::string> kUnknownNames = {"error", "ignore", "infrequent_if_exist"};
const std::vector<std::string> kDropNames = {"none", "first", "if_binary"};

nlohmann::json options_json(const OneHotEncoderOptions& o) {
  nlohmann::json j = {{"handle_unknown", kUnknownNames[static_cast<std::size_t>(o.handle_unknown)]},
                      {"drop", kDropNames[static_cast<std::size_t>(o.drop)]}};
  if (o.min_frequency) {
    j["min_frequency"] = o.min_frequency_is_fraction ? nlohmann::json(*o.min_frequency)
                                                     : nlohmann::json(static_cast<std::int64_t>(*o.min_frequency));
  }
  if (o.max_categories) j["max_categories"] = *o.max_categories;
  return j;
}

OneHotEncoderOptions parse_one_hot_options(StepOptions& o) {
  OneHotEncoderOptions s;
  const auto unknown = o.get_string("handle_unknown", "error", kUnknownNames);
  s.handle_unknown = static_cast<HandleUnknown>(std::find(kUnknownNames.begin(), kUnknownNames.end(), unknown) -
                                                kUnknownNames.begin());
  const auto& drop = o.get_raw("drop");
  if (!drop.is_null()) {
    const std::string d = drop.is_string() ? drop.get<std::string>() : std::string();
    const auto it = std::find(kDropNames.begin(), kDropNames.end(), d);
    if (it == kDropNames.end()) {
      throw core::ConfigError({.where = o.path("drop"), .what = "unsupported drop", .expected = "\"first\" or \"if_binary\"",
                               .got = drop.dump()});
    }
    s.drop = static_cast<OneHotDrop>(it - kDropNames.begin());
  }
  const auto& mf = o.get_raw("min_frequency");
  if (!mf.is_null()) {
    if (mf.is_number_integer() && mf.get<std::int64_t>() >= 1) {
      s.min_frequency = static_cast<double>(mf.get<std::int64_t>());
    } else if (mf.is_number_float() && mf.get<double>() > 0.0 && mf.get<double>() < 1.0) {
      s.min_frequency = mf.get<double>();
      s.min_frequency_is_fraction = true;
    } else {
      throw core::ConfigError({.where = o.path("min_frequency"), .what = "invalid min_frequency",
                               .expected = "an integer >= 1 or a fraction in (0, 1)", .got = mf.dump()});
    }
  }
  const auto& mc = o.get_raw("max_categories");
  if (!mc.is_null()) {
    if (!mc.is_number_integer() || mc.get<std::int64_t>() < 1) {
      throw core::ConfigError({.where = o.path("max_categories"), .what = "invalid max_categories",
                               .expected = "an integer >= 1", .got = mc.dump()});
    }
    s.max_categories = mc.get<std::int64_t>();
  }
  return s;
}

// scikit-learn's _identify_infrequent, including its max_categories=1 quirk (no grouping).
std::vector<std::uint8_t> find_infrequent(const std::vector<std::int64_t>& counts, std::int64_t n_samples,
                                          const OneHotEncoderOptions& o) {
  const std::size_t k = counts.size();
  std::vector<std::uint8_t> infrequent(k, 0);
  if (o.min_frequency) {
    const double threshold = o.min_frequency_is_fraction ? static_cast<double>(n_samples) * *o.min_frequency
                                                         : *o.min_frequency;
    for (std::size_t i = 0; i < k; ++i) infrequent[i] = static_cast<double>(counts[i]) < threshold;
  }
  const auto n_infrequent = static_cast<std::int64_t>(std::count(infrequent.begin(), infrequent.end(), 1));
  const std::int64_t n_current = static_cast<std::int64_t>(k) - n_infrequent + 1;
  if (o.max_categories && *o.max_categories < n_current) {
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts[a] < counts[b]; });
    const std::int64_t take = *o.max_categories == 1 ? 0 : static_cast<std::int64_t>(k) - *o.max_categories + 1;
    for (std::int64_t i = 0; i < take; ++i) infrequent[order[static_cast<std::size_t>(i)]] = 1;
  }
  return infrequent;
}

// Assigns output columns: frequent categories in order, then the infrequent group, then drop.
void layout(FittedOneHotEncoder::Feature& f, OneHotDrop drop) {
  const std::size_t k = f.categories.size();
  f.output_of.assign(k, -1);
  std::int32_t next = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (!f.infrequent[i]) f.output_of[i] = next++;
  }
  const bool any_infrequent = std::find(f.infrequent.begin(), f.infrequent.end(), 1) != f.infrequent.end();
  f.infrequent_output = any_infrequent ? next++ : -1;
  for (std::size_t i = 0; i < k; ++i) {
    if (f.infrequent[i]) f.output_of[i] = f.infrequent_output;
  }
  f.width = next;
  const bool drop_first = drop == OneHotDrop::First || (drop == OneHotDrop::IfBinary && next == 2);
  if (drop_first && next > 0) {
    // Output column 0 of the collapsed layout disappears and encodes as all zeros.
    for (auto& o : f.output_of) o = o == 0 ? -1 : (o > 0 ? o - 1 : o);
    if (f.infrequent_output == 0) {
      f.infrequent_output = -2;  // the infrequent group itself was dropped: it encodes as zeros
    } else if (f.infrequent_output > 0) {
      --f.infrequent_output;
    }
    f.width = next - 1;
  }
}

}  // namespace

std::unique_ptr<const FittedTransformer> OneHotEncoder::fit(const core::Table& x) const {
  std::vector<FittedOneHotEncoder::Feature> features;
  for (const auto& column : x.columns()) {
    FittedOneHotEncoder::Feature f;
    std::vector<std::int64_t> counts;
    f.categories = Categories::of(column, &counts);
    const bool grouping = options_.min_frequency || (options_.max_categories && *options_.max_categories >= 1);
    f.infrequent = grouping ? find_infrequent(counts, x.num_rows(), options_)
                            : std::vector<std::uint8_t>(counts.size(), 0);
    layout(f, options_.drop);
    features.push_back(std::move(f));
  }
  return std::make_unique<FittedOneHotEncoder>(describe_inputs(x), options_, std::move(features));
}

nlohmann::json OneHotEncoder::get_params() const { return options_json(options_); }

std::unique_ptr<Transformer> OneHotEncoder::from_options(const nlohmann::json& options, const std::string& where) {
  StepOptions o(options, where);
  auto s = parse_one_hot_options(o);
  o.finish();
  return std::make_unique<OneHotEncoder>(s);
}

FittedOneHotEncoder::FittedOneHotEncoder(std::vector<InputColumn> inputs, OneHotEncoderOptions options,
                                         std::vector<Feature> features)
    : FittedTransformer(std::move(inputs)), options_(options), features_(std::move(features)) {}

void FittedOneHotEncoder::encode_feature(const core::Table& x, std::size_t j,
                                         const std::function<void(std::size_t, std::int32_t)>& set) const {
  const auto& f = features_[j];
  const auto& column = x.column(static_cast<int>(j));
  const auto cats = f.categories.lookup(column);
  std::vector<std::size_t> unknown_rows;
  for (std::size_t i = 0; i < cats.size(); ++i) {
    std::int32_t o = -1;
    if (cats[i] == Categories::kUnknown) {
      if (options_.handle_unknown == HandleUnknown::Error) {
        unknown_rows.push_back(i);
        continue;
      }
      if (options_.handle_unknown == HandleUnknown::InfrequentIfExist) o = f.infrequent_output;
    } else {
      o = f.output_of[static_cast<std::size_t>(cats[i])];
    }
    if (o >= 0) set(i, o);
  }
  if (!unknown_rows.empty()) {
    const auto first = static_cast<std::int64_t>(unknown_rows.front());
    throw core::InputError(
        {.where = fmt::format("{}column \"{}\"", x.source().empty() ? "" : x.source() + ": ", column.name),
         .what = fmt::format("found unknown category \"{}\" in row {} ({} row{} with categories not seen in the fit)",
                             Categories::cell_text(column, first), first, unknown_rows.size(),
                             unknown_rows.size() == 1 ? "" : "s"),
         .hint = "Use handle_unknown \"ignore\" (all zeros) or \"infrequent_if_exist\", or fit on data that has it."});
  }
}

core::Table FittedOneHotEncoder::transform(const core::Table& x) const {
  check_input(x);
  core::Table out;
  out.set_source(x.source());
  const auto names = feature_names_out();
  std::size_t name_at = 0;
  const auto n = static_cast<std::size_t>(x.num_rows());
  for (std::size_t j = 0; j < features_.size(); ++j) {
    std::vector<std::vector<double>> block(static_cast<std::size_t>(features_[j].width), std::vector<double>(n, 0.0));
    encode_feature(x, j, [&](std::size_t i, std::int32_t o) { block[static_cast<std::size_t>(o)][i] = 1.0; });
    for (auto& values : block) out.add_column(core::Column::float64(names[name_at++], std::move(values)));
  }
  return out;
}

void FittedOneHotEncoder::transform_into(const core::Table& x, float* out, std::int64_t stride,
                                         std::int64_t offset) const {
  check_input(x);
  std::int64_t at = offset;
  for (std::size_t j = 0; j < features_.size(); ++j) {
    encode_feature(x, j, [&](std::size_t i, std::int32_t o) { out[static_cast<std::int64_t>(i) * stride + at + o] = 1.0f; });
    at += features_[j].width;
  }
}

core::Table FittedOneHotEncoder::inverse_transform(const core::Table& y) const {
  const auto names = feature_names_out();
  if (y.num_columns() != static_cast<int>(names.size())) {
    throw core::InputError({.where = "OneHotEncoder.inverse_transform", .what = "wrong number of columns",
                            .expected = fmt::format("{}", names.size()), .got = fmt::format("{}", y.num_columns())});
  }
  core::Table out;
  const auto n = y.num_rows();
  int at = 0;
  for (std::size_t j = 0; j < features_.size(); ++j) {
    const auto& f = features_[j];
    // The category of each output column (the infrequent column has none: it becomes missing).
    std::vector<std::int32_t> category_of(static_cast<std::size_t>(f.width), -1);
    std::int32_t dropped = -1;
    for (std::size_t c = 0; c < f.output_of.size(); ++c) {
      const auto o = f.output_of[c];
      if (o >= 0 && !f.infrequent[c]) category_of[static_cast<std::size_t>(o)] = static_cast<std::int32_t>(c);
      if (o == -1 && !f.infrequent[c] && dropped < 0) dropped = static_cast<std::int32_t>(c);
    }
    std::vector<std::int32_t> chosen(static_cast<std::size_t>(n), dropped);
    for (std::int32_t k = 0; k < f.width; ++k) {
      const auto& col = y.column(at + k);
      for (std::int64_t i = 0; i < n; ++i) {
        if (col.as_double(i) == 1.0) chosen[static_cast<std::size_t>(i)] = category_of[static_cast<std::size_t>(k)];
      }
    }
    at += f.width;
    const auto& name = feature_names_in()[j].name;
    std::vector<std::uint8_t> valid(static_cast<std::size_t>(n), 1);
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      if (chosen[i] < 0 || f.categories.is_missing(static_cast<std::size_t>(chosen[i]))) valid[i] = 0;
    }
    if (f.categories.numeric()) {
      std::vector<double> v(chosen.size(), std::nan(""));
      for (std::size_t i = 0; i < chosen.size(); ++i) {
        if (valid[i]) v[i] = f.categories.numbers()[static_cast<std::size_t>(chosen[i])];
      }
      out.add_column(core::Column::float64(name, std::move(v), std::move(valid)));
    } else {
      std::vector<std::int32_t> codes(chosen.size(), -1);
      for (std::size_t i = 0; i < chosen.size(); ++i) {
        if (valid[i]) codes[i] = chosen[i];
      }
      out.add_column(core::Column::categorical(name, std::move(codes), f.categories.strings(), std::move(valid)));
    }
  }
  return out;
}

std::vector<std::string> FittedOneHotEncoder::feature_names_out() const {
  std::vector<std::string> names;
  for (std::size_t j = 0; j < features_.size(); ++j) {
    const auto& f = features_[j];
    std::vector<std::string> block(static_cast<std::size_t>(f.width));
    const auto& in = feature_names_in()[j].name;
    for (std::size_t c = 0; c < f.output_of.size(); ++c) {
      if (f.output_of[c] >= 0 && !f.infrequent[c]) {
        block[static_cast<std::size_t>(f.output_of[c])] = in + "_" + f.categories.label(c);
      }
    }
    if (f.infrequent_output >= 0) block[static_cast<std::size_t>(f.infrequent_output)] = in + "_infrequent_sklearn";
    names.insert(names.end(), block.begin(), block.end());
  }
  return names;
}

nlohmann::json FittedOneHotEncoder::params_json() const { return options_json(options_); }

nlohmann::json FittedOneHotEncoder::state_json() const {
  nlohmann::json features = nlohmann::json::array();
  for (const auto& f : features_) {
    nlohmann::json infrequent = nlohmann::json::array();
    for (std::size_t c = 0; c < f.infrequent.size(); ++c) {
      if (f.infrequent[c]) infrequent.push_back(c);
    }
    features.push_back({{"categories", f.categories.to_json()}, {"infrequent", infrequent}});
  }
  return {{"features", features}};
}

std::unique_ptr<const FittedTransformer> FittedOneHotEncoder::from_json(const nlohmann::json& j,
                                                                        const std::string& where) {
  auto inputs = inputs_from_json(j, where);
  StepOptions o(member(j, "params", where), where + "/params");
  const auto options = parse_one_hot_options(o);
  const auto& fs = member(member(j, "state", where), "features", where + "/state");
  if (!fs.is_array() || fs.size() != inputs.size()) {
    throw core::InputError({.where = where + "/state/features", .what = "does not match the number of inputs"});
  }
  std::vector<Feature> features;
  for (std::size_t k = 0; k < fs.size(); ++k) {
    const auto w = fmt::format("{}/state/features/{}", where, k);
    Feature f;
    f.categories = Categories::from_json(member(fs[k], "categories", w), w + "/categories");
    f.infrequent.assign(f.categories.size(), 0);
    const auto& infrequent = member(fs[k], "infrequent", w);
    for (std::size_t i = 0; i < infrequent.size(); ++i) {
      const auto c = integer_from_json(infrequent[i], fmt::format("{}/infrequent/{}", w, i));
      if (c < 0 || c >= static_cast<std::int64_t>(f.categories.size())) {
        throw core::InputError({.where = fmt::format("{}/infrequent/{}", w, i), .what = "category index out of range"});
      }
      f.infrequent[static_cast<std::size_t>(c)] = 1;
    }
    layout(f, options.drop);
    features.push_back(std::move(f));
  }
  return std::make_unique<FittedOneHotEncoder>(std::move(inputs), options, std::move(features));
}

}  // namespace fitcheck::prep
