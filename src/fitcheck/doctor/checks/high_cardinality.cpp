// data.high_cardinality: a categorical feature with too many levels for one-hot encoding.
//
// A one-hot column's weights are learned only from the rows that have its level. Thresholds:
// - at most kMaxCheapLevels (20) levels is never reported: that is the limit under which
//   fitcheck's auto plan one-hot encodes (prep/auto_plan.hpp), a few dozen inputs at most;
// - above it, the column is reported when it has more than kMaxOneHotLevels (100) levels — the
//   first layer then gets levels x units weights from this one column, more than the rest of a
//   typical tabular input — or fewer than kMinRowsPerLevel (10) rows per level on average: a
//   weight estimated from fewer than 10 samples has a standard error above sigma / sqrt(10),
//   about a third of the spread it should explain, so the model memorises levels instead of
//   learning from them.
// It is reported when the column reaches the model one-hot encoded (an explicit onehot step), as
// raw text (preprocess none: it cannot be fed at all, and encoding it one-hot is the usual next
// mistake), or under preprocess auto (which falls back to ordinal codes above 20 levels — codes
// that impose an order the categories do not have). An explicit ordinal step is the user's
// informed choice: info. Identifier-like columns (a distinct value in nearly every row) are named
// as such: no encoding makes them useful.
#include <algorithm>

#include <fmt/format.h>

#include "run_facts.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/numeric_text.hpp"

namespace fitcheck::doctor {

namespace {

constexpr std::int64_t kMaxCheapLevels = 20;
constexpr std::int64_t kMaxOneHotLevels = 100;
constexpr double kMinRowsPerLevel = 10.0;
constexpr double kBytesPerFloat = 4.0;

enum class Encoding { Raw, Auto, OneHot, Ordinal, Other };

// How the run's preprocessing treats the column.
Encoding encoding_of(const CheckContext& ctx, const std::string& column) {
  if (ctx.raw_input()) return Encoding::Raw;
  const auto& p = ctx.run->preprocess;
  if (p.is_string()) return p.get<std::string>() == "auto" ? Encoding::Auto : Encoding::Other;
  if (!p.is_array()) return Encoding::Other;
  for (const auto& group : p) {
    if (!group.is_object() || !group.contains("columns") || !group["columns"].is_array()) continue;
    const auto& cols = group["columns"];
    if (std::find(cols.begin(), cols.end(), nlohmann::json(column)) == cols.end()) continue;
    if (!group.contains("steps") || !group["steps"].is_array()) return Encoding::Other;
    for (const auto& step : group["steps"]) {
      if (step.is_object() && step.contains("onehot")) return Encoding::OneHot;
      if (step.is_object() && step.contains("ordinal")) return Encoding::Ordinal;
    }
    return Encoding::Other;
  }
  return Encoding::Other;
}

const nlohmann::json kOrdinalStep = {{"ordinal", {{"handle_unknown", "use_encoded_value"}, {"unknown_value", -1}}}};

// The explicit preprocess list with one-hot replaced by ordinal codes for `columns`.
nlohmann::json ordinal_instead(const nlohmann::json& preprocess, const std::vector<std::string>& columns) {
  nlohmann::json list = preprocess;
  for (auto& group : list) {
    if (!group.is_object() || !group.contains("columns") || !group.contains("steps")) continue;
    bool concerned = false;
    for (const auto& c : group["columns"]) {
      if (c.is_string() && std::find(columns.begin(), columns.end(), c.get<std::string>()) != columns.end()) concerned = true;
    }
    if (!concerned) continue;
    for (auto& step : group["steps"]) {
      if (step.is_object() && step.contains("onehot")) step = kOrdinalStep;
    }
  }
  return list;
}

}  // namespace

void check_high_cardinality(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.run || !ctx.train) return;
  const auto& x = ctx.train->data.x;
  if (x.kind != io::DataBlock::Kind::Table) return;  // arrays hold numbers, not category names
  for (const auto& stats : ctx.train->features.columns()) {
    const Encoding enc = encoding_of(ctx, stats.name());
    // Text columns are categorical whatever the preprocessing; numbers only when the user asks
    // for one-hot (zip codes, store ids).
    if (!stats.is_text() && enc != Encoding::OneHot) continue;
    if (enc == Encoding::Other) continue;
    if (stats.is_text() && numbers_written_as_text(x, stats.name())) continue;  // numbers: data.dtype's
    const std::int64_t levels = stats.distinct();
    const std::int64_t present = stats.count();
    if (levels <= kMaxCheapLevels || present <= 0) continue;
    const double rows_per_level = static_cast<double>(present) / static_cast<double>(levels);
    if (levels <= kMaxOneHotLevels && rows_per_level >= kMinRowsPerLevel) continue;
    const bool identifier = stats.role() == profile::ColumnRole::IdentifierLike;
    if (identifier && enc == Encoding::Auto) continue;  // auto drops identifier-like columns

    Finding f;
    f.severity = enc == Encoding::Ordinal ? Severity::Info : Severity::Warning;
    f.likelihood = identifier ? 0.5 : 0.35;
    const double width_bytes = static_cast<double>(stats.rows()) * static_cast<double>(levels) * kBytesPerFloat;
    f.title = identifier
        ? fmt::format("Column \"{}\" has {} distinct values in {} rows: an identifier, not a category", stats.name(),
                      levels, present)
        : fmt::format("Column \"{}\" has {} levels ({:.1f} rows per level): too many for one-hot encoding",
                      stats.name(), levels, rows_per_level);
    f.where = {{"columns", {stats.name()}}};
    f.evidence = {{"levels", levels},
                  {"rows", present},
                  {"rows_per_level", rows_per_level},
                  {"onehot_width", levels},
                  {"onehot_bytes", width_bytes},
                  {"levels_exact", stats.distinct_exact()},
                  {"encoding", enc == Encoding::Raw ? "none" : enc == Encoding::Auto ? "auto" : enc == Encoding::OneHot ? "onehot" : "ordinal"}};
    if (!stats.distinct_exact()) f.evidence["levels_relative_error"] = stats.distinct_standard_error();
    const std::string why_onehot = fmt::format(
        "One-hot encoding turns it into {} input columns ({:.1f} MiB as float32 for the training rows), and the "
        "weight of each is learned from about {:.1f} rows, so the network memorises levels instead of learning "
        "from them, and levels unseen in training get no signal.",
        levels, width_bytes / (1024.0 * 1024.0), rows_per_level);
    switch (enc) {
      case Encoding::Raw:
        f.explanation = "The column is text and goes to the network as it is, which Keras cannot take. " + why_onehot;
        break;
      case Encoding::OneHot: f.explanation = why_onehot; break;
      case Encoding::Auto:
        f.explanation = "The auto preprocessing falls back to ordinal codes for this many levels; the codes "
                        "impose an order and distances the categories do not have.";
        break;
      default:
        f.explanation = "Ordinal codes impose an order and distances the categories do not have; the model "
                        "has to carve the code range into many pieces to use them.";
    }
    f.fix = identifier
        ? "Drop the column (it identifies rows; nothing learned from it carries over to new rows)."
        : "Use an Embedding layer on integer codes (a few dimensions instead of one per level), hash the "
          "levels into a fixed number of buckets, group rare levels into \"other\", or target-encode it "
          "(fitted on the training split only).";
    if (identifier && x.kind == io::DataBlock::Kind::Table && ctx.train->data.target.size()) {
      f.repair = drop_features_repair(ctx, {stats.name()});
    } else if (enc == Encoding::Raw) {
      f.repair = nlohmann::json{{"preprocess", "auto"}};
    } else if (enc == Encoding::OneHot) {
      f.repair = nlohmann::json{{"preprocess", ordinal_instead(ctx.run->preprocess, {stats.name()})}};
    }
    out.push_back(std::move(f));
  }
}

}  // namespace fitcheck::doctor
