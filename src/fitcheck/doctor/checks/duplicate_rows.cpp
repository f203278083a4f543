// data.duplicate_rows: the same sample more than once in the training split, and identical
// features with different labels.
//
// One pass hashes every row's features (and, separately, its label) to 64 bits (row_hash.hpp); rows are grouped
// by feature hash. Two different rows collide with probability 2^-64 per pair (~3e-8 false pairs
// in a million rows), so hash equality is taken as equality.
// Chance or copies: in a small discrete feature space identical rows occur by chance. With the
// columns treated as independent, two rows are equal with probability prod_j sum_v p_jv^2 (each
// column's collision probability from its value counts), so n(n-1)/2 times that many equal pairs
// are expected. When at least half the duplicates observed are expected this way they are a
// property of the data, not copies: info.
// Severity of real copies by their share of the rows: >= 5 % is a warning. Copies count twice
// in the loss and, split across training and validation, let validation score memorised rows; at
// a 5 % share that bias is already the size of the differences people read from validation
// curves (a few points). Below it: info. Identical features with different labels bound the
// achievable training loss from below (the model must give both rows one prediction) and point at
// labelling errors: reported with the same threshold on the share of rows involved.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "run_facts.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/profile/row_hash.hpp"

namespace fitcheck::doctor {

namespace {

constexpr double kWarnShare = 0.05;
constexpr std::size_t kCollisionTopValues = 1000;
constexpr std::size_t kExamples = 5;

// Probability that two random rows agree on this column.
double collision_probability(const profile::ColumnStats& c) {
  const double present = static_cast<double>(c.rows());
  if (present <= 0) return 1.0;
  double p2 = 0.0, covered = 0.0;
  for (const auto& t : c.top(kCollisionTopValues)) {
    const double p = static_cast<double>(t.count) / present;
    p2 += p * p;
    covered += static_cast<double>(t.count);
  }
  const double rest = present - covered;
  const double rest_levels = static_cast<double>(std::max<std::int64_t>(1, c.distinct() - static_cast<std::int64_t>(kCollisionTopValues)));
  if (rest > 0) p2 += (rest / present) * (rest / present) / rest_levels;
  const double missing = static_cast<double>(c.missing()) / present;
  return p2 + missing * missing;
}

struct Row {
  std::uint64_t features, label;
  std::int64_t index;
};

}  // namespace

void check_duplicate_rows(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train) return;
  const auto& data = ctx.train->data;
  const std::int64_t n = data.x.rows();
  if (n < 2) return;
  // Rows without a feature are all alike; data.shape_mismatch reports the missing features.
  if (data.x.kind == io::DataBlock::Kind::Table && data.x.table.num_columns() == 0) return;
  // The profile hashed every feature row alike (profile::fold_cell_hashes): when it saw no row
  // twice there is nothing to find, and the rows need not be hashed again.
  const auto& profiled = ctx.train->features;
  if (profiled.has_duplicates_info() && profiled.rows() == n && profiled.duplicates().duplicate_rows == 0) return;
  const auto fh = profile::feature_row_hashes(data.x);
  std::vector<std::uint64_t> lh(fh.size(), 0);
  if (data.y) lh = profile::feature_row_hashes(*data.y);  // the same hashing works for label rows
  std::vector<Row> rows(fh.size());
  for (std::size_t i = 0; i < fh.size(); ++i) rows[i] = {fh[i], lh[i], static_cast<std::int64_t>(i)};
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.features, a.label, a.index) < std::tie(b.features, b.label, b.index);
  });
  std::int64_t feature_dups = 0, exact_dups = 0, conflict_groups = 0, conflict_rows = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;  // (earlier row, its copy)
  nlohmann::json conflicts = nlohmann::json::array();
  for (std::size_t a = 0; a < rows.size();) {
    std::size_t b = a + 1;
    std::int64_t labels = 1;
    while (b < rows.size() && rows[b].features == rows[a].features) {
      if (rows[b].label != rows[b - 1].label) ++labels;
      else pairs.emplace_back(rows[b - 1].index, rows[b].index);
      ++b;
    }
    const auto g = static_cast<std::int64_t>(b - a);
    feature_dups += g - 1;
    exact_dups += g - labels;
    if (labels > 1) {
      ++conflict_groups;
      conflict_rows += g;
      if (conflicts.size() < kExamples) {
        nlohmann::json idx = nlohmann::json::array();
        for (std::size_t k = a; k < b && idx.size() < 4; ++k) idx.push_back(rows[k].index);
        conflicts.push_back(idx);
      }
    }
    a = b;
  }
  if (feature_dups == 0) return;
  // The first copies in row order, as the profile lists duplicates.
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  nlohmann::json examples = nlohmann::json::array();
  for (std::size_t i = 0; i < pairs.size() && i < kExamples; ++i) examples.push_back({pairs[i].first, pairs[i].second});

  double pair_probability = 1.0;
  for (const auto& c : ctx.train->features.columns()) pair_probability *= collision_probability(c);
  const double nd = static_cast<double>(n);
  const double expected_pairs = nd * (nd - 1.0) / 2.0 * pair_probability;
  const bool by_chance = expected_pairs >= 0.5 * static_cast<double>(feature_dups);
  const double exact_share = static_cast<double>(exact_dups) / nd;
  const double conflict_share = static_cast<double>(conflict_rows) / nd;

  const nlohmann::json where = {{"split", "train"}, {"source", data.x.source}};
  nlohmann::json evidence = {{"rows", n},
                             {"duplicate_rows", exact_dups},
                             {"duplicate_share", exact_share},
                             {"duplicate_feature_rows", feature_dups},
                             {"conflicting_label_groups", conflict_groups},
                             {"conflicting_label_rows", conflict_rows},
                             {"expected_by_chance", expected_pairs},
                             {"examples", examples}};
  if (!conflicts.empty()) evidence["conflict_examples"] = conflicts;

  if (exact_dups > 0) {
    Finding f;
    f.where = where;
    f.evidence = evidence;
    f.severity = !by_chance && exact_share >= kWarnShare ? Severity::Warning : Severity::Info;
    f.likelihood = f.severity == Severity::Warning ? 0.3 : 0.05;
    f.title = fmt::format("{} training rows ({:.1f}%) repeat an earlier row, label included", exact_dups,
                          100.0 * exact_share);
    f.explanation = by_chance
        ? fmt::format("The features take few distinct combinations, so about {:.0f} equal pairs are expected by "
                      "chance; these repeats are a property of the data.", expected_pairs)
        : "Repeated samples weigh more in the loss than the others, and when a copy lands in the validation "
          "split the model is scored on rows it has memorised: validation results look better than they are.";
    f.fix = by_chance ? "Nothing to do unless the rows are known to be distinct records."
                      : "Remove the duplicates before splitting (pandas: df.drop_duplicates()), or split by a "
                        "group id so copies stay on one side.";
    out.push_back(std::move(f));
  }
  if (conflict_groups > 0) {
    Finding f;
    f.where = where;
    f.evidence = evidence;
    f.severity = !by_chance && conflict_share >= kWarnShare ? Severity::Warning : Severity::Info;
    f.likelihood = f.severity == Severity::Warning ? 0.35 : 0.05;
    f.title = fmt::format("{} groups of identical samples have different labels ({} rows, {:.1f}%)", conflict_groups,
                          conflict_rows, 100.0 * conflict_share);
    f.explanation = "The model must give identical inputs one prediction, so the training loss cannot fall below "
                    "the disagreement of these labels; unless the features are genuinely too coarse, they are "
                    "labelling errors.";
    f.fix = "Check the labels of the listed rows; keep one label per sample (or the majority label).";
    out.push_back(std::move(f));
  }
}

}  // namespace fitcheck::doctor
