// Parity of every transformer and option with scikit-learn 1.2 on the same random data:
// missing values, ties, constant and all-missing columns, unseen categories. Values must agree
// to 1e-12 relative (plus 1e-12 absolute for results near zero); feature names exactly.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/prep/registry.hpp"
#include "prep_parity_support.hpp"
#include "support/temp_dir.hpp"

namespace fitcheck::prep {
namespace {

using nlohmann::json;

struct Row {
  const char* id;
  json step;           // fitcheck run-file step
  const char* klass;   // scikit-learn class
  json params;         // scikit-learn parameters
  const char* data;    // "numeric", "categorical" or "unknown" (categorical with unseen values)
};

core::Column numeric_column(std::string name, core::Rng& rng, std::int64_t n, double scale, double offset,
                            double missing_rate) {
  std::vector<double> v(static_cast<std::size_t>(n));
  std::vector<std::uint8_t> valid(v.size(), 1);
  for (auto& e : v) e = offset + scale * rng.standard_normal();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (rng.random_sample() < missing_rate) {
      v[i] = 0.0;
      valid[i] = 0;
    }
  }
  return core::Column::float64(std::move(name), std::move(v), std::move(valid));
}

core::Column string_column(std::string name, core::Rng& rng, std::int64_t n, const std::vector<std::string>& levels,
                           const std::vector<double>& weights, double missing_rate) {
  std::vector<std::int32_t> codes(static_cast<std::size_t>(n));
  std::vector<std::uint8_t> valid(codes.size(), 1);
  double total = 0;
  for (double w : weights) total += w;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    double u = rng.random_sample() * total;
    std::size_t k = 0;
    while (k + 1 < weights.size() && u >= weights[k]) u -= weights[k++];
    codes[i] = static_cast<std::int32_t>(k);
    if (rng.random_sample() < missing_rate) {
      codes[i] = -1;
      valid[i] = 0;
    }
  }
  return core::Column::categorical(std::move(name), std::move(codes), levels, std::move(valid));
}

core::Table numeric_table(std::uint32_t seed, std::int64_t n) {
  core::Rng rng(seed);
  core::Table t;
  t.add_column(numeric_column("income", rng, n, 20000, 50000, 0.1));
  t.add_column(numeric_column("tiny", rng, n, 1e-4, 0, 0.0));
  t.add_column(numeric_column("half", rng, n, 3, -1, 0.5));
  t.add_column(core::Column::float64("const", std::vector<double>(static_cast<std::size_t>(n), 7.25)));
  std::vector<std::int64_t> ints(static_cast<std::size_t>(n));
  for (auto& e : ints) e = rng.randint(0, 5);
  t.add_column(core::Column::int64("level", std::move(ints)));
  std::vector<double> steps(static_cast<std::size_t>(n));
  for (auto& e : steps) e = 0.5 * static_cast<double>(rng.randint(0, 6));  // many ties
  t.add_column(core::Column::float64("steps", std::move(steps)));
  t.add_column(numeric_column("empty", rng, n, 1, 0, 1.1));  // every cell missing
  return t;
}

core::Table categorical_table(std::uint32_t seed, std::int64_t n, bool unseen) {
  core::Rng rng(seed);
  core::Table t;
  std::vector<std::string> cities = {"Paris", "Berlin", "Zürich", "amsterdam", "Oslo", "Rome"};
  std::vector<double> weights = {30, 25, 3, 20, 4, 18};
  if (unseen) {
    cities.push_back("Tokyo");
    weights.push_back(10);
  }
  t.add_column(string_column("city", rng, n, cities, weights, 0.1));
  t.add_column(string_column("grade", rng, n, {"b", "a", "c", "d"}, {5, 5, 1, 1}, 0.0));
  std::vector<std::int64_t> ints(static_cast<std::size_t>(n));
  for (auto& e : ints) e = 10 * rng.randint(0, unseen ? 5 : 4);
  t.add_column(core::Column::int64("size", std::move(ints)));
  return t;
}

const std::vector<Row>& rows() {
  static const std::vector<Row> table = {
      {"standard", {{"scale", "standard"}}, "StandardScaler", json::object(), "numeric"},
      {"standard_nomean", {{"scale", {{"method", "standard"}, {"with_mean", false}}}}, "StandardScaler",
       {{"with_mean", false}}, "numeric"},
      {"standard_nostd", {{"scale", {{"method", "standard"}, {"with_std", false}}}}, "StandardScaler",
       {{"with_std", false}}, "numeric"},
      {"minmax", {{"scale", "minmax"}}, "MinMaxScaler", json::object(), "numeric"},
      {"minmax_range", {{"scale", {{"method", "minmax"}, {"feature_range", {-1, 2}}, {"clip", true}}}}, "MinMaxScaler",
       {{"feature_range", {-1, 2}}, {"clip", true}}, "numeric"},
      {"robust", {{"scale", "robust"}}, "RobustScaler", json::object(), "numeric"},
      {"robust_q", {{"scale", {{"method", "robust"}, {"quantile_range", {10.0, 85.0}}, {"unit_variance", true}}}},
       "RobustScaler", {{"quantile_range", {10.0, 85.0}}, {"unit_variance", true}}, "numeric"},
      {"robust_nocenter", {{"scale", {{"method", "robust"}, {"with_centering", false}}}}, "RobustScaler",
       {{"with_centering", false}}, "numeric"},
      {"maxabs", {{"scale", "maxabs"}}, "MaxAbsScaler", json::object(), "numeric"},
      {"impute_mean", {{"impute", "mean"}}, "SimpleImputer", {{"strategy", "mean"}}, "numeric"},
      {"impute_median", {{"impute", {{"strategy", "median"}, {"add_indicator", true}}}}, "SimpleImputer",
       {{"strategy", "median"}, {"add_indicator", true}}, "numeric"},
      {"impute_mode", {{"impute", "most_frequent"}}, "SimpleImputer", {{"strategy", "most_frequent"}}, "numeric"},
      {"impute_const", {{"impute", {{"strategy", "constant"}, {"fill_value", -3.5}}}}, "SimpleImputer",
       {{"strategy", "constant"}, {"fill_value", -3.5}}, "numeric"},
      {"impute_mode_str", {{"impute", {{"strategy", "most_frequent"}, {"add_indicator", true}}}}, "SimpleImputer",
       {{"strategy", "most_frequent"}, {"add_indicator", true}}, "categorical_strings"},
      {"onehot", {{"onehot", json::object()}}, "OneHotEncoder", {{"sparse_output", false}}, "categorical"},
      {"onehot_ignore", {{"onehot", {{"handle_unknown", "ignore"}}}}, "OneHotEncoder",
       {{"sparse_output", false}, {"handle_unknown", "ignore"}}, "unknown"},
      {"onehot_minfreq", {{"onehot", {{"handle_unknown", "infrequent_if_exist"}, {"min_frequency", 20}}}},
       "OneHotEncoder", {{"sparse_output", false}, {"handle_unknown", "infrequent_if_exist"}, {"min_frequency", 20}},
       "unknown"},
      {"onehot_minfrac", {{"onehot", {{"handle_unknown", "ignore"}, {"min_frequency", 0.15}}}}, "OneHotEncoder",
       {{"sparse_output", false}, {"handle_unknown", "ignore"}, {"min_frequency", 0.15}}, "unknown"},
      {"onehot_maxcat", {{"onehot", {{"max_categories", 3}}}}, "OneHotEncoder",
       {{"sparse_output", false}, {"max_categories", 3}}, "categorical"},
      {"onehot_maxcat1", {{"onehot", {{"max_categories", 1}}}}, "OneHotEncoder",
       {{"sparse_output", false}, {"max_categories", 1}}, "categorical"},
      {"onehot_first", {{"onehot", {{"drop", "first"}}}}, "OneHotEncoder", {{"sparse_output", false}, {"drop", "first"}},
       "categorical"},
      {"onehot_first_infreq", {{"onehot", {{"drop", "first"}, {"min_frequency", 30}}}}, "OneHotEncoder",
       {{"sparse_output", false}, {"drop", "first"}, {"min_frequency", 30}}, "categorical"},
      {"onehot_if_binary", {{"onehot", {{"drop", "if_binary"}, {"max_categories", 2}}}}, "OneHotEncoder",
       {{"sparse_output", false}, {"drop", "if_binary"}, {"max_categories", 2}}, "categorical"},
      {"onehot_numeric", {{"onehot", {{"handle_unknown", "ignore"}}}}, "OneHotEncoder",
       {{"sparse_output", false}, {"handle_unknown", "ignore"}}, "numeric_categories"},
      {"ordinal", {{"ordinal", json::object()}}, "OrdinalEncoder", json::object(), "categorical"},
      {"ordinal_unknown", {{"ordinal", {{"handle_unknown", "use_encoded_value"}, {"unknown_value", -1}}}},
       "OrdinalEncoder", {{"handle_unknown", "use_encoded_value"}, {"unknown_value", -1}}, "unknown"},
      {"ordinal_unknown_nan", {{"ordinal", {{"handle_unknown", "use_encoded_value"}, {"unknown_value", "NaN"}}}},
       "OrdinalEncoder", {{"handle_unknown", "use_encoded_value"}, {"unknown_value", "NaN"}}, "unknown"},
  };
  return table;
}

// The data of one kind: (fit table, apply table).
std::pair<core::Table, core::Table> data_for(const std::string& kind) {
  if (kind == "numeric") return {numeric_table(1, 200), numeric_table(2, 60)};
  if (kind == "categorical") return {categorical_table(3, 200, false), categorical_table(4, 60, false)};
  if (kind == "categorical_strings") {
    return {categorical_table(3, 200, false).select({"city", "grade"}), categorical_table(4, 60, false).select({"city", "grade"})};
  }
  if (kind == "numeric_categories") {
    return {numeric_table(5, 200).select({"level", "steps"}), numeric_table(6, 60).select({"level", "steps"})};
  }
  return {categorical_table(3, 200, false), categorical_table(4, 60, true)};
}

json column_types(const core::Table& t) {
  json types = json::array();  // [name, dtype] pairs, in column order
  for (const auto& c : t.columns()) {
    types.push_back({c.name, c.type == core::ColumnType::Categorical ? "object"
                    : c.type == core::ColumnType::Int64     ? "int64"
                                                            : "float64"});
  }
  return types;
}

TEST(PrepParity, EveryTransformerMatchesScikitLearn) {
  test::TempDir dir;
  json spec = {{"cases", json::array()}};
  for (const auto& row : rows()) {
    const auto [fit, apply] = data_for(row.data);
    const auto fit_path = dir.path() / (std::string(row.id) + "_fit.csv");
    const auto apply_path = dir.path() / (std::string(row.id) + "_apply.csv");
    parity::write_csv(fit_path, fit);
    parity::write_csv(apply_path, apply);
    spec["cases"].push_back({{"id", row.id}, {"class", row.klass}, {"params", row.params}, {"fit", fit_path.string()},
                             {"apply", apply_path.string()}, {"columns", column_types(fit)}});
  }
  const auto peer = parity::run_peer(FITCHECK_PREP_PARITY_DIR "/prep_sklearn.py", dir.path(), spec);
  if (peer.skipped) GTEST_SKIP() << "scikit-learn parity skipped: " << peer.message;
  ASSERT_TRUE(peer.message.empty() || !peer.output.is_null()) << peer.message;

  for (const auto& row : rows()) {
    SCOPED_TRACE(row.id);
    const auto& expected = peer.output.at(row.id);
    ASSERT_FALSE(expected.contains("error")) << expected["error"];
    const auto [fit, apply] = data_for(row.data);
    const auto fitted = make_transformer(row.step, "/step")->fit(fit);
    const auto y = fitted->transform(apply);
    std::vector<std::string> names = expected["names"];
    EXPECT_EQ(fitted->feature_names_out(), names);
    EXPECT_EQ(y.column_names(), names);
    const auto& values = expected["values"];
    ASSERT_EQ(values.size(), static_cast<std::size_t>(y.num_rows()));
    int bad = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      ASSERT_EQ(values[i].size(), static_cast<std::size_t>(y.num_columns()));
      for (std::size_t j = 0; j < values[i].size(); ++j) {
        const double ours = y.column(static_cast<int>(j)).as_double(static_cast<std::int64_t>(i));
        const auto& theirs = values[i][j];
        if (theirs.is_null()) {
          if (!std::isnan(ours) && bad++ < 5) ADD_FAILURE() << "row " << i << " col " << names[j] << ": expected NaN, got " << ours;
          continue;
        }
        if (theirs.is_string()) {
          const auto text = y.column(static_cast<int>(j)).as_string(static_cast<std::int64_t>(i));
          if (text != theirs.get<std::string>() && bad++ < 5) {
            ADD_FAILURE() << "row " << i << " col " << names[j] << ": ours \"" << text << "\", scikit-learn " << theirs;
          }
          continue;
        }
        const double t = theirs.get<double>();
        if (!(std::fabs(ours - t) <= 1e-12 * std::max(std::fabs(ours), std::fabs(t)) + 1e-12) && bad++ < 5) {
          ADD_FAILURE() << "row " << i << " col " << names[j] << ": ours " << ours << ", scikit-learn " << t;
        }
      }
    }
  }
}

}  // namespace
}  // namespace fitcheck::prep
