// data.categorical_unencoded: text columns, or integer columns that are nominal codes, fed to the
// network as they are.
//
// Text cannot become a float tensor: Keras stops with a conversion error (error). Integer codes
// convert silently, but a network reads them as quantities — store 7 becomes "more" than store 3,
// and zip codes become huge magnitudes — so the model learns an order that does not exist
// (warning). A column is taken for codes when its name says so (id, code, zip, store, ...) and it
// holds whole numbers with at least 3 distinct values, or when it is identifier-like (a distinct
// whole number in nearly every row, profile/column_role.hpp) and either named so or numbered
// consecutively like a row index, which carries no learnable signal.
#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/check_support.hpp"
#include "fitcheck/doctor/numeric_text.hpp"

namespace fitcheck::doctor {

namespace {

// Name tokens that announce a nominal code rather than a quantity.
bool name_says_code(const std::string& name) {
  static const std::set<std::string> tokens = {
      "id", "ids", "code", "codes", "zip", "zipcode", "postal", "postcode", "store", "shop", "category", "cat",
      "type", "class", "region", "state", "country", "city", "brand", "product", "sku", "user", "customer",
      "dept", "department", "station", "branch", "site", "vendor", "supplier", "district", "county", "label_id"};
  std::vector<std::string> words;
  std::string w;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool upper_start = std::isupper(static_cast<unsigned char>(c)) && i > 0 &&
                             std::islower(static_cast<unsigned char>(name[i - 1]));
    if (!std::isalnum(static_cast<unsigned char>(c)) || upper_start) {
      if (!w.empty()) words.push_back(w);
      w.clear();
      if (!std::isalnum(static_cast<unsigned char>(c))) continue;
    }
    w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!w.empty()) words.push_back(w);
  for (const auto& word : words) {
    if (tokens.count(word)) return true;
  }
  return false;
}

// "2019-01-31", "2019/1/31", "31/01/2019", "1.31.19", optionally followed by a time: a date, by
// its digits and separators, with a month or day field in range.
bool looks_like_date(std::string_view v) {
  std::size_t i = 0, count = 0;
  std::array<int, 3> fields{}, widths{};
  char separator = 0;
  while (count < 3) {
    int value = 0, width = 0;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])) && width < 5) {
      value = value * 10 + (v[i] - '0');
      ++width;
      ++i;
    }
    if (width == 0) return false;
    fields[count] = value;
    widths[count] = width;
    if (++count == 3) break;
    if (i >= v.size() || (v[i] != '-' && v[i] != '/' && v[i] != '.')) return false;
    if (separator != 0 && v[i] != separator) return false;
    separator = v[i++];
  }
  if (i < v.size() && v[i] != ' ' && v[i] != 'T') return false;  // a time may follow
  const auto in = [](int x, int lo, int hi) { return x >= lo && x <= hi; };
  if (widths[0] == 4) return in(fields[1], 1, 12) && in(fields[2], 1, 31);                   // year first
  if (widths[2] == 4 || widths[2] == 2) {
    return (in(fields[0], 1, 31) && in(fields[1], 1, 12)) || (in(fields[0], 1, 12) && in(fields[1], 1, 31));
  }
  return false;
}

// A text column of dates: at least 90 % of the first distinct values (up to 200) read as dates.
bool dates_written_as_text(const io::DataBlock& x, const std::string& name) {
  if (x.kind != io::DataBlock::Kind::Table) return false;
  const auto index = x.table.find(name);
  if (!index) return false;
  const auto& c = x.table.column(*index);
  if (c.type != core::ColumnType::Categorical || c.dictionary.empty()) return false;
  const std::size_t n = std::min<std::size_t>(c.dictionary.size(), 200);
  std::size_t dates = 0;
  for (std::size_t k = 0; k < n; ++k) dates += looks_like_date(c.dictionary[k]) ? 1 : 0;
  return static_cast<double>(dates) >= 0.9 * static_cast<double>(n);
}

}  // namespace

void check_categorical_unencoded(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train || !ctx.raw_input()) return;
  const auto& split = *ctx.train;
  if (is_image_like(split)) return;
  std::vector<std::string> text, codes, identifiers;
  nlohmann::json levels = nlohmann::json::object();
  for (const auto& c : split.features.columns()) {
    if (c.is_text()) {
      if (numbers_written_as_text(split.data.x, c.name())) continue;  // data.dtype's: numbers, not categories
      text.push_back(c.name());
      levels[c.name()] = c.distinct();
      continue;
    }
    if (!c.integer_valued() || feeds_embedding(ctx)) continue;  // integer codes into an Embedding are the fix
    // Distinct whole numbers in nearly every row are an identifier only if the name says so or
    // they are (nearly) consecutive like a row number; a unique salary per row is a quantity.
    const bool sequential = c.min() && c.max() &&
                            (*c.max() - *c.min() + 1.0) <= 1.5 * static_cast<double>(c.distinct());
    if (c.role() == profile::ColumnRole::IdentifierLike && (sequential || name_says_code(c.name()))) {
      identifiers.push_back(c.name());
    } else if (c.distinct() >= 3 && name_says_code(c.name())) {
      codes.push_back(c.name());
      levels[c.name()] = c.distinct();
    }
  }
  if (!text.empty()) {
    Finding f;
    f.severity = Severity::Error;
    f.likelihood = 1.0;
    f.title = fmt::format("{} text column{} ({}) go{} to the network unencoded", text.size(), text.size() == 1 ? "" : "s",
                          name_columns(text), text.size() == 1 ? "es" : "");
    f.where = {{"split", "train"}, {"columns", text}};
    f.evidence = {{"text_columns", text}, {"levels", levels}};
    f.explanation = "A neural network computes with numbers; Keras cannot convert strings to a float tensor and "
                    "fit stops (\"could not convert string to float\" / \"Failed to convert a NumPy array to a Tensor\").";
    f.fix = "One-hot encode the text columns (OneHotEncoder(handle_unknown='ignore'), fitted on the training split), "
            "or use an ordinal encoding with an Embedding layer when they have many levels.";
    // Dates are not categories: one-hot encoding gives a column per day, none seen again later.
    std::vector<std::string> dates, categories;
    for (const auto& name : text) (dates_written_as_text(split.data.x, name) ? dates : categories).push_back(name);
    if (!dates.empty()) {
      f.evidence["date_columns"] = dates;
      f.fix = fmt::format("{} hold{} dates, which are not categories: turn them into numbers (year, month, day of "
                          "week, days since the first date) or drop them{}",
                          name_columns(dates), dates.size() == 1 ? "s" : "",
                          categories.empty() ? "." : fmt::format("; one-hot encode {} (OneHotEncoder("
                                                                 "handle_unknown='ignore'), fitted on the training "
                                                                 "split).", name_columns(categories)));
    }
    nlohmann::json groups = nlohmann::json::array();
    if (!categories.empty()) {
      groups.push_back({{"columns", categories},
                        {"steps", {{{"impute", "most_frequent"}}, {{"onehot", {{"handle_unknown", "ignore"}}}}}}});
    }
    nlohmann::json repair = nlohmann::json::object();
    if (!groups.empty()) repair["preprocess"] = groups;
    // The repair drops the dates (a step that parses them is not one fitcheck's pipeline has).
    if (const auto drop = dates.empty() ? std::nullopt : drop_features_repair(ctx, dates)) repair["data"] = (*drop)["data"];
    if (!repair.empty()) f.repair = repair;
    out.push_back(std::move(f));
  }
  if (!codes.empty() || !identifiers.empty()) {
    Finding f;
    f.severity = Severity::Warning;
    f.likelihood = 0.5;
    std::vector<std::string> all = codes;
    all.insert(all.end(), identifiers.begin(), identifiers.end());
    f.title = fmt::format("{} integer column{} ({}) look{} like codes, not quantities, and go{} to the network as numbers",
                          all.size(), all.size() == 1 ? "" : "s", name_columns(all), all.size() == 1 ? "s" : "",
                          all.size() == 1 ? "es" : "");
    f.where = {{"split", "train"}, {"columns", all}};
    f.evidence = {{"code_columns", codes}, {"identifier_columns", identifiers}, {"levels", levels}};
    f.explanation = "The network treats these integers as magnitudes: code 7 becomes 'more' than code 3, and large "
                    "codes dominate the first layer, so it learns an order that does not exist. Identifiers, "
                    "different in every row, carry nothing a model can generalise from.";
    f.fix = "One-hot encode the codes (or use an Embedding for many levels); drop identifier columns.";
    nlohmann::json groups = nlohmann::json::array();
    if (!codes.empty()) groups.push_back({{"columns", codes}, {"steps", {{{"onehot", {{"handle_unknown", "ignore"}}}}}}});
    if (!groups.empty()) f.repair = nlohmann::json{{"preprocess", groups}};
    out.push_back(std::move(f));
  }
}

}  // namespace fitcheck::doctor
