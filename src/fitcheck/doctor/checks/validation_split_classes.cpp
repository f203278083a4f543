// data.class_imbalance, between the training rows and the validation rows: Keras' validation_split
// takes the last fraction of the rows as they are stored, before any shuffling. A file sorted by
// label (as many datasets are written, class by class) then validates on the last class or two
// only, and the training rows lose most of that class.
//
// Warning when the split leaves a class out of the training rows (the model can never predict it,
// yet it is validated on it) or validates on a single class while training has several (the
// validation accuracy then measures one class: 0 or 100% whatever the model learns). A milder
// shift is a note when the total variation distance between the two class distributions reaches
// kNoteDistance = 0.25 (a quarter of the probability mass would have to move; a random split of a
// few hundred rows stays well below it).
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "run_facts.hpp"

namespace fitcheck::doctor {

namespace {

constexpr double kNoteDistance = 0.25;

// The class of every row as an index into `names` (-1 for a missing label): the code of a text
// label, the rank of a class id among the ids, the column of the 1 in a one-hot row. Empty when the
// labels are not classes.
struct RowClasses {
  std::vector<std::int32_t> of_row;
  std::vector<std::string> names;
};

RowClasses row_classes(const io::DataBlock& block, const LabelFacts& facts) {
  RowClasses out;
  const bool one_hot = facts.encoding == LabelEncoding::OneHot;
  const bool ids = (facts.encoding == LabelEncoding::ClassIds || facts.encoding == LabelEncoding::Text) &&
                   facts.profile && facts.profile->task == profile::LabelTask::Classification;
  if (!one_hot && !ids) return out;
  const core::Table table = block.kind == io::DataBlock::Kind::Array ? block.array.to_table("y") : block.table;
  const std::int64_t n = table.num_rows();
  out.of_row.assign(static_cast<std::size_t>(n), -1);
  if (one_hot) {
    for (int c = 0; c < table.num_columns(); ++c) out.names.push_back(std::to_string(c));
    for (std::int64_t i = 0; i < n; ++i) {
      int best = 0;
      for (int c = 1; c < table.num_columns(); ++c) {
        if (table.column(c).as_double(i) > table.column(best).as_double(i)) best = c;
      }
      out.of_row[static_cast<std::size_t>(i)] = best;
    }
    return out;
  }
  if (table.num_columns() != 1) return {};
  const core::Column& y = table.column(0);
  if (y.type == core::ColumnType::Categorical) {
    out.names = y.dictionary;
    for (std::int64_t i = 0; i < n; ++i) {
      if (y.is_valid(i)) out.of_row[static_cast<std::size_t>(i)] = y.codes[static_cast<std::size_t>(i)];
    }
    return out;
  }
  std::map<double, std::int32_t> index;  // class ids are few (the profile counted them exactly)
  for (std::int64_t i = 0; i < n; ++i) {
    if (!y.is_valid(i)) continue;  // missing labels are data.missing_labels' business
    const auto [it, added] = index.emplace(y.as_double(i), static_cast<std::int32_t>(index.size()));
    if (added) out.names.push_back(fmt::format("{:g}", it->first));
    out.of_row[static_cast<std::size_t>(i)] = it->second;
  }
  return out;
}

std::string class_list(const std::map<std::string, std::int64_t>& counts) {
  std::vector<std::string> parts;
  for (const auto& [name, count] : counts) {
    if (parts.size() == 8) {
      parts.push_back("...");
      break;
    }
    parts.push_back(fmt::format("\"{}\" {}", name, count));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

void check_validation_split_classes(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.run || !ctx.train || !ctx.train->labels || !ctx.train->data.y) return;
  const double fraction = ctx.run->fit.validation_split;
  if (!(fraction > 0.0 && fraction < 1.0)) return;
  const auto classes = row_classes(*ctx.train->data.y, *ctx.train->labels);
  const auto n = static_cast<std::int64_t>(classes.of_row.size());
  const std::int64_t split_at = run_facts::rows_after_validation_split(ctx);
  if (split_at <= 0 || split_at >= n) return;

  std::vector<std::int64_t> train_counts(classes.names.size(), 0), validation_counts(classes.names.size(), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto c = classes.of_row[static_cast<std::size_t>(i)];
    if (c < 0 || static_cast<std::size_t>(c) >= classes.names.size()) continue;
    ++(i < split_at ? train_counts : validation_counts)[static_cast<std::size_t>(c)];
  }
  std::map<std::string, std::int64_t> train, validation, all;
  std::int64_t train_total = 0, validation_total = 0;
  for (std::size_t c = 0; c < classes.names.size(); ++c) {
    if (train_counts[c] > 0) train[classes.names[c]] = train_counts[c];
    if (validation_counts[c] > 0) validation[classes.names[c]] = validation_counts[c];
    if (train_counts[c] + validation_counts[c] > 0) all[classes.names[c]] = train_counts[c] + validation_counts[c];
    train_total += train_counts[c];
    validation_total += validation_counts[c];
  }
  if (train_total == 0 || validation_total == 0) return;
  if (all.size() < 2) return;

  std::vector<std::string> unseen;  // validated on, never trained on
  for (const auto& [c, count] : validation) {
    if (!train.count(c)) unseen.push_back(c);
  }
  double distance = 0.0;  // total variation distance between the two class distributions
  for (const auto& [c, count] : all) {
    const double p = train.count(c) ? static_cast<double>(train.at(c)) / static_cast<double>(train_total) : 0.0;
    const double q = validation.count(c) ? static_cast<double>(validation.at(c)) / static_cast<double>(validation_total) : 0.0;
    distance += 0.5 * std::fabs(p - q);
  }
  const bool single_class_validation = validation.size() == 1 && train.size() >= 2;
  if (unseen.empty() && !single_class_validation && distance < kNoteDistance) return;

  Finding f;
  f.severity = !unseen.empty() || single_class_validation ? Severity::Warning : Severity::Info;
  f.likelihood = 0.5;
  if (!unseen.empty()) {
    f.title = fmt::format("validation_split={} validates on {} class{} the training rows never contain ({})", fraction,
                          unseen.size(), unseen.size() == 1 ? "" : "es", fmt::join(unseen, ", "));
  } else if (single_class_validation) {
    f.title = fmt::format("validation_split={} validates on class \"{}\" only: the rows are ordered by label", fraction,
                          validation.begin()->first);
  } else {
    f.title = fmt::format("validation_split={}: the validation rows' classes differ from the training rows' "
                          "(total variation distance {:.2f})", fraction, distance);
  }
  f.where = {{"split", "validation"}, {"labels", ctx.train->labels->source}, {"rows", fmt::format("{}..{}", split_at, n - 1)}};
  f.evidence = {{"train_class_counts", class_list(train)},
                {"validation_class_counts", class_list(validation)},
                {"total_variation_distance", distance},
                {"validation_rows", validation_total}};
  f.explanation = "Keras' validation_split takes the last rows as they are stored, before shuffling. When the data is "
                  "ordered by label, the validation rows hold other classes than the training rows: val_loss and "
                  "val_accuracy then measure the classes the model barely saw, and early stopping or model selection "
                  "on them is meaningless.";
  f.fix = "Shuffle the rows once before fit (e.g. sklearn.utils.shuffle(x, y, random_state=0)), or pass "
          "validation_data from a stratified train_test_split instead of validation_split.";
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
