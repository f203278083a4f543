#include "fitcheck/doctor/label_facts.hpp"

#include <cmath>

#include "fitcheck/profile/table_profile.hpp"

namespace fitcheck::doctor {

std::string_view label_encoding_name(LabelEncoding e) {
  switch (e) {
    case LabelEncoding::ClassIds: return "class ids";
    case LabelEncoding::OneHot: return "one-hot";
    case LabelEncoding::MultiHot: return "multi-hot";
    case LabelEncoding::Probabilities: return "probabilities";
    case LabelEncoding::Continuous: return "continuous";
    case LabelEncoding::Text: return "text";
  }
  return "continuous";
}

namespace {

// Several label columns: read row by row from the array.
void matrix_facts(const io::NdArray& a, LabelFacts& f) {
  const std::int64_t n = f.rows, k = f.columns;
  bool all_binary = true, all_unit = true, all_integer = true;
  std::int64_t not_one_hot = 0, not_distribution = 0;
  double lo = INFINITY, hi = -INFINITY;
  f.column_ones.assign(static_cast<std::size_t>(k), 0);
  std::vector<double> squares(static_cast<std::size_t>(k), 0.0);
  std::vector<std::int64_t> finite(static_cast<std::size_t>(k), 0);
  for (std::int64_t r = 0; r < n; ++r) {
    double sum = 0.0;
    int ones = 0;
    bool row_binary = true;
    for (std::int64_t c = 0; c < k; ++c) {
      const double v = a.value(r * k + c);
      if (std::isnan(v)) {
        ++f.missing;
        row_binary = false;
        continue;
      }
      if (!std::isfinite(v)) {
        ++f.non_finite;
        row_binary = false;
        continue;
      }
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      sum += v;
      squares[static_cast<std::size_t>(c)] += v * v;
      ++finite[static_cast<std::size_t>(c)];
      if (v == 1.0) {
        ++ones;
        ++f.column_ones[static_cast<std::size_t>(c)];
      }
      if (v != 0.0 && v != 1.0) row_binary = false;
      if (v < 0.0 || v > 1.0) all_unit = false;
      if (v != std::floor(v)) all_integer = false;
    }
    if (!row_binary) all_binary = false;
    if (!row_binary || ones != 1) ++not_one_hot;
    if (std::fabs(sum - 1.0) > 1e-3) ++not_distribution;
  }
  if (lo <= hi) {
    f.min = lo;
    f.max = hi;
  }
  f.integer_valued = all_integer && f.min.has_value();
  f.rows_not_one_hot = not_one_hot;
  f.column_rms.resize(static_cast<std::size_t>(k));
  for (std::size_t c = 0; c < squares.size(); ++c) {
    f.column_rms[c] = finite[c] > 0 ? std::sqrt(squares[c] / static_cast<double>(finite[c])) : 0.0;
  }
  if (all_binary && not_one_hot == 0) {
    f.encoding = LabelEncoding::OneHot;
  } else if (all_binary) {
    f.encoding = LabelEncoding::MultiHot;
  } else if (all_unit && not_distribution == 0) {
    f.encoding = LabelEncoding::Probabilities;
  } else {
    f.encoding = LabelEncoding::Continuous;
  }
  if (f.encoding == LabelEncoding::OneHot || f.encoding == LabelEncoding::Probabilities ||
      f.encoding == LabelEncoding::MultiHot) {
    f.implied_classes = k;
  }
}

}  // namespace

LabelFacts label_facts(const io::DataBlock& labels) {
  LabelFacts f;
  f.source = labels.source;
  f.shape = labels.shape();
  f.dtype = labels.dtype();
  f.rows = labels.rows();
  if (labels.kind == io::DataBlock::Kind::Array) {
    const auto& s = labels.array.shape;
    f.columns = s.rank() <= 1 ? 1 : s.num_elements() / std::max<std::int64_t>(1, s[0]);
  } else {
    f.columns = labels.table.num_columns();
  }
  if (f.columns > 1 && labels.kind == io::DataBlock::Kind::Array) {
    matrix_facts(labels.array, f);
    return f;
  }
  core::Table table = labels.kind == io::DataBlock::Kind::Array ? labels.array.to_table("y") : labels.table;
  profile::ProfileOptions options;
  options.duplicates = false;
  auto prof = profile::profile_table(table, options);
  if (prof.columns().empty()) return f;
  const auto& stats = prof.columns()[0];
  f.missing = stats.missing();
  f.non_finite = stats.non_finite();
  f.min = stats.min();
  f.max = stats.max();
  f.integer_valued = stats.integer_valued();
  f.profile = profile::label_profile(stats);
  if (stats.is_text()) {
    f.encoding = LabelEncoding::Text;
    f.implied_classes = stats.distinct();
  } else if (f.profile->task == profile::LabelTask::Classification && f.integer_valued) {
    f.encoding = LabelEncoding::ClassIds;
    if (f.max) f.implied_classes = static_cast<std::int64_t>(*f.max) + 1;
  } else if (f.profile->task == profile::LabelTask::Classification) {
    f.encoding = LabelEncoding::ClassIds;  // booleans
    f.implied_classes = 2;
  } else {
    f.encoding = LabelEncoding::Continuous;
  }
  return f;
}

}  // namespace fitcheck::doctor
