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

// The class of every row as a key: the code of a text label, the value of a class id, the column
// of the 1 in a one-hot row. Empty when the labels are not classes.
std::vector<std::string> row_classes(const io::DataBlock& block, const LabelFacts& facts) {
  const bool one_hot = facts.encoding == LabelEncoding::OneHot;
  const bool ids = (facts.encoding == LabelEncoding::ClassIds || facts.encoding == LabelEncoding::Text) &&
                   facts.profile && facts.profile->task == profile::LabelTask::Classification;
  if (!one_hot && !ids) return {};
  const core::Table table = block.kind == io::DataBlock::Kind::Array ? block.array.to_table("y") : block.table;
  const std::int64_t n = table.num_rows();
  std::vector<std::string> out(static_cast<std::size_t>(n));
  if (one_hot) {
    for (std::int64_t i = 0; i < n; ++i) {
      int best = 0;
      for (int c = 1; c < table.num_columns(); ++c) {
        if (table.column(c).as_double(i) > table.column(best).as_double(i)) best = c;
      }
      out[static_cast<std::size_t>(i)] = std::to_string(best);
    }
    return out;
  }
  if (table.num_columns() != 1) return {};
  const core::Column& y = table.column(0);
  for (std::int64_t i = 0; i < n; ++i) {
    if (!y.is_valid(i)) continue;  // missing labels are data.missing_labels' business
    const auto k = static_cast<std::size_t>(i);
    out[k] = y.type == core::ColumnType::Categorical ? y.dictionary[static_cast<std::size_t>(y.codes[k])]
                                                      : fmt::format("{:g}", y.as_double(i));
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
  const auto n = static_cast<std::int64_t>(classes.size());
  const std::int64_t split_at = run_facts::rows_after_validation_split(ctx);
  if (split_at <= 0 || split_at >= n) return;

  std::map<std::string, std::int64_t> train, validation;
  std::int64_t train_total = 0, validation_total = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto& c = classes[static_cast<std::size_t>(i)];
    if (c.empty()) continue;
    if (i < split_at) {
      ++train[c];
      ++train_total;
    } else {
      ++validation[c];
      ++validation_total;
    }
  }
  if (train_total == 0 || validation_total == 0) return;
  std::map<std::string, std::int64_t> all = train;
  for (const auto& [c, count] : validation) all[c] += count;
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
