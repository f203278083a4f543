#include "fitcheck/prep/split.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/rng.hpp"

namespace fitcheck::prep {

namespace {

// scikit-learn's _approximate_mode: split n_draws over classes in proportion to counts, giving
// the leftover draws to the largest remainders, ties broken by rng.choice.
std::vector<std::int64_t> approximate_mode(const std::vector<std::int64_t>& counts, std::int64_t n_draws,
                                           core::Rng& rng) {
  double total = 0;
  for (auto c : counts) total += static_cast<double>(c);
  std::vector<double> cont(counts.size()), floored(counts.size());
  double floored_sum = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    cont[i] = static_cast<double>(counts[i]) / total * static_cast<double>(n_draws);
    floored[i] = std::floor(cont[i]);
    floored_sum += floored[i];
  }
  auto need = static_cast<std::int64_t>(static_cast<double>(n_draws) - floored_sum);
  if (need > 0) {
    std::vector<double> remainder(counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i) remainder[i] = cont[i] - floored[i];
    std::vector<double> values = remainder;
    std::sort(values.begin(), values.end(), std::greater<>());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (double value : values) {
      std::vector<std::int64_t> inds;
      for (std::size_t i = 0; i < remainder.size(); ++i) {
        if (remainder[i] == value) inds.push_back(static_cast<std::int64_t>(i));
      }
      const auto add = std::min<std::int64_t>(static_cast<std::int64_t>(inds.size()), need);
      const auto perm = rng.permutation(static_cast<std::int64_t>(inds.size()));  // rng.choice(replace=False)
      for (std::int64_t k = 0; k < add; ++k) floored[static_cast<std::size_t>(inds[static_cast<std::size_t>(perm[static_cast<std::size_t>(k)])])] += 1;
      need -= add;
      if (need == 0) break;
    }
  }
  std::vector<std::int64_t> out(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) out[i] = static_cast<std::int64_t>(floored[i]);
  return out;
}

}  // namespace

SplitIndices train_test_split_indices(std::int64_t n, const TrainTestSplitOptions& options,
                                      const std::vector<std::int64_t>* stratify) {
  std::int64_t n_test = 0;
  if (options.test_count) {
    n_test = *options.test_count;
    if (n_test <= 0 || n_test >= n) {
      throw core::ConfigError({.where = "train_test_split", .what = "test_size must leave rows on both sides",
                               .expected = fmt::format("a count in (0, {}) or a fraction in (0, 1)", n),
                               .got = fmt::format("{}", n_test)});
    }
  } else {
    if (!(options.test_size > 0.0 && options.test_size < 1.0)) {
      throw core::ConfigError({.where = "train_test_split", .what = "test_size must be a fraction in (0, 1)",
                               .got = fmt::format("{}", options.test_size)});
    }
    n_test = static_cast<std::int64_t>(std::ceil(options.test_size * static_cast<double>(n)));
  }
  const std::int64_t n_train = n - n_test;
  if (n_train <= 0) {
    throw core::ConfigError({.where = "train_test_split",
                             .what = fmt::format("with {} rows and test_size {} the training set would be empty", n,
                                                 options.test_size),
                             .hint = "Use a smaller test_size or more data."});
  }
  SplitIndices out;
  if (!options.shuffle) {
    if (stratify) {
      throw core::ConfigError({.where = "train_test_split", .what = "stratified splits need shuffle",
                               .hint = "Set shuffle to true or drop stratify."});
    }
    for (std::int64_t i = 0; i < n_train; ++i) out.train.push_back(i);
    for (std::int64_t i = n_train; i < n; ++i) out.test.push_back(i);
    return out;
  }
  core::Rng rng(options.seed);
  if (!stratify) {
    const auto perm = rng.permutation(n);
    out.test.assign(perm.begin(), perm.begin() + n_test);
    out.train.assign(perm.begin() + n_test, perm.end());
    return out;
  }
  if (static_cast<std::int64_t>(stratify->size()) != n) {
    throw core::InternalError({.where = "train_test_split", .what = "stratify has the wrong length"});
  }
  // Classes in sorted order; each class's rows in ascending order (a stable argsort).
  std::map<std::int64_t, std::vector<std::int64_t>> by_class;
  for (std::int64_t i = 0; i < n; ++i) by_class[(*stratify)[static_cast<std::size_t>(i)]].push_back(i);
  std::vector<std::int64_t> counts;
  for (const auto& [label, rows] : by_class) counts.push_back(static_cast<std::int64_t>(rows.size()));
  const auto n_classes = static_cast<std::int64_t>(counts.size());
  if (*std::min_element(counts.begin(), counts.end()) < 2) {
    throw core::ConfigError({.where = "train_test_split", .what = "the least populated class has only 1 member",
                             .expected = "at least 2 rows per class for a stratified split",
                             .hint = "Remove the rare class or split without stratify."});
  }
  if (n_train < n_classes || n_test < n_classes) {
    throw core::ConfigError({.where = "train_test_split",
                             .what = "each side of a stratified split needs a row of every class",
                             .expected = fmt::format("at least {} rows per side", n_classes),
                             .got = fmt::format("{} train, {} test", n_train, n_test)});
  }
  const auto n_i = approximate_mode(counts, n_train, rng);
  std::vector<std::int64_t> remaining(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) remaining[i] = counts[i] - n_i[i];
  const auto t_i = approximate_mode(remaining, n_test, rng);
  std::size_t c = 0;
  for (const auto& [label, rows] : by_class) {
    const auto perm = rng.permutation(static_cast<std::int64_t>(rows.size()));
    for (std::int64_t k = 0; k < n_i[c]; ++k) out.train.push_back(rows[static_cast<std::size_t>(perm[static_cast<std::size_t>(k)])]);
    for (std::int64_t k = n_i[c]; k < n_i[c] + t_i[c]; ++k) out.test.push_back(rows[static_cast<std::size_t>(perm[static_cast<std::size_t>(k)])]);
    ++c;
  }
  rng.shuffle(std::span<std::int64_t>(out.train));
  rng.shuffle(std::span<std::int64_t>(out.test));
  return out;
}

SplitIndices validation_split_indices(std::int64_t n, double fraction, const std::vector<std::int64_t>* stratify) {
  if (!(fraction >= 0.0 && fraction < 1.0)) {
    throw core::ConfigError({.where = "validation_split", .what = "must be a fraction in [0, 1)",
                             .got = fmt::format("{}", fraction)});
  }
  SplitIndices out;
  if (!stratify) {
    const auto split_at = static_cast<std::int64_t>(std::floor(static_cast<double>(n) * (1.0 - fraction)));
    for (std::int64_t i = 0; i < n; ++i) (i < split_at ? out.train : out.test).push_back(i);
    return out;
  }
  std::map<std::int64_t, std::vector<std::int64_t>> by_class;
  for (std::int64_t i = 0; i < n; ++i) by_class[(*stratify)[static_cast<std::size_t>(i)]].push_back(i);
  std::vector<std::uint8_t> is_val(static_cast<std::size_t>(n), 0);
  for (const auto& [label, rows] : by_class) {
    const auto m = static_cast<std::int64_t>(rows.size());
    const auto split_at = static_cast<std::int64_t>(std::floor(static_cast<double>(m) * (1.0 - fraction)));
    for (std::int64_t k = split_at; k < m; ++k) is_val[static_cast<std::size_t>(rows[static_cast<std::size_t>(k)])] = 1;
  }
  for (std::int64_t i = 0; i < n; ++i) (is_val[static_cast<std::size_t>(i)] ? out.test : out.train).push_back(i);
  return out;
}

core::Table take_rows(const core::Table& table, const std::vector<std::int64_t>& rows) {
  bool leading_run = true;  // rows == 0, 1, ..., k-1
  for (std::size_t i = 0; i < rows.size() && leading_run; ++i) leading_run = rows[i] == static_cast<std::int64_t>(i);
  core::Table out;
  out.set_source(table.source());
  for (const auto& c : table.columns()) {
    core::Column r;
    r.name = c.name;
    r.type = c.type;
    r.source_dtype = c.source_dtype;
    r.dictionary = c.dictionary;
    // Keras' validation split trains on a leading run of rows: a block copy instead of a gather.
    auto pick = [&](const auto& from, auto& to) {
      if (leading_run) {
        to.assign(from.begin(), from.begin() + static_cast<std::ptrdiff_t>(rows.size()));
        return;
      }
      to.resize(rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) to[i] = from[static_cast<std::size_t>(rows[i])];
    };
    switch (c.type) {
      case core::ColumnType::Float64: pick(c.f64, r.f64); break;
      case core::ColumnType::Int64: pick(c.i64, r.i64); break;
      case core::ColumnType::Bool: pick(c.b, r.b); break;
      case core::ColumnType::Categorical: pick(c.codes, r.codes); break;
    }
    if (!c.valid.empty()) pick(c.valid, r.valid);
    out.add_column(std::move(r));
  }
  return out;
}

TableSplit split_table(const core::Table& table, const SplitIndices& indices) {
  return TableSplit{TrainingData(take_rows(table, indices.train)), take_rows(table, indices.test)};
}

TrainingData training_rows(const core::Table& table, const SplitIndices& indices) {
  return TrainingData(take_rows(table, indices.train));
}

std::vector<std::int64_t> class_codes(const core::Column& labels) {
  const auto n = labels.size();
  std::vector<std::int64_t> codes(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    if (!labels.is_valid(i)) {
      throw core::InputError({.where = fmt::format("column \"{}\"", labels.name),
                              .what = fmt::format("label missing in row {}", i),
                              .hint = "Drop the rows without a label before splitting."});
    }
  }
  if (labels.type == core::ColumnType::Categorical) {
    std::vector<std::string> distinct;
    for (std::int64_t i = 0; i < n; ++i) distinct.push_back(labels.dictionary[static_cast<std::size_t>(labels.codes[static_cast<std::size_t>(i)])]);
    std::vector<std::string> sorted = distinct;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    for (std::size_t i = 0; i < distinct.size(); ++i) {
      codes[i] = std::lower_bound(sorted.begin(), sorted.end(), distinct[i]) - sorted.begin();
    }
    return codes;
  }
  std::vector<double> values(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) values[static_cast<std::size_t>(i)] = labels.as_double(i);
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (std::size_t i = 0; i < values.size(); ++i) {
    codes[i] = std::lower_bound(sorted.begin(), sorted.end(), values[i]) - sorted.begin();
  }
  return codes;
}

}  // namespace fitcheck::prep
