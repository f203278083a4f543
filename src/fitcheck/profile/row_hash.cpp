#include "fitcheck/profile/row_hash.hpp"

#include <bit>
#include <unordered_set>

#include "fitcheck/profile/value_hash.hpp"

namespace fitcheck::profile {

namespace {

inline std::uint64_t combine(std::uint64_t row, std::uint64_t cell) { return std::rotl(row, 23) ^ cell; }

// Folds the cells value(i) (hashed with hash_number) into rows, missing cells as `missing`. The
// hash is computed for every cell and then selected, and a column without a mask gets its own
// loop: both vectorise, where a test of the mask before hashing left the loop scalar.
template <typename Value>
void fold_numbers(std::vector<std::uint64_t>& rows, const std::vector<std::uint8_t>& valid, Value value) {
  const std::size_t n = rows.size();
  std::uint64_t* const out = rows.data();
  if (valid.empty()) {
    for (std::size_t i = 0; i < n; ++i) out[i] = combine(out[i], hash_number(value(i)));
    return;
  }
  const std::uint64_t missing = hash_missing();
  const std::uint8_t* const present = valid.data();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t h = hash_number(value(i));
    out[i] = combine(out[i], present[i] != 0 ? h : missing);
  }
}

}  // namespace

// Typed loops: the profile's canonical cell hashes, so that a value hashes alike whatever type a
// column got (1 as an integer and 1.0 as a float are the same cell).
void fold_cell_hashes(const core::Column& c, std::vector<std::uint64_t>& rows) {
  const std::size_t n = rows.size();
  const std::uint64_t missing = hash_missing();
  const bool all_valid = c.valid.empty();
  switch (c.type) {
    case core::ColumnType::Float64: {
      const double* const v = c.f64.data();
      fold_numbers(rows, c.valid, [v](std::size_t i) { return v[i]; });
      break;
    }
    case core::ColumnType::Int64: {
      const std::int64_t* const v = c.i64.data();
      fold_numbers(rows, c.valid, [v](std::size_t i) { return static_cast<double>(v[i]); });
      break;
    }
    case core::ColumnType::Bool: {
      const std::uint8_t* const v = c.b.data();
      fold_numbers(rows, c.valid, [v](std::size_t i) { return v[i] != 0 ? 1.0 : 0.0; });
      break;
    }
    case core::ColumnType::Categorical: {
      // One hash per dictionary entry, not per cell.
      std::vector<std::uint64_t> dictionary(c.dictionary.size());
      for (std::size_t d = 0; d < dictionary.size(); ++d) dictionary[d] = hash_text(c.dictionary[d]);
      for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t code = c.codes[i];
        const bool present = (all_valid || c.valid[i] != 0) && code >= 0 &&
                             static_cast<std::size_t>(code) < dictionary.size();
        rows[i] = combine(rows[i], present ? dictionary[static_cast<std::size_t>(code)] : missing);
      }
      break;
    }
  }
}

std::vector<std::uint64_t> feature_row_hashes(const io::DataBlock& x) {
  const std::int64_t n = x.rows();
  std::vector<std::uint64_t> h(static_cast<std::size_t>(n), 0x84222325cbf29ce4ULL);
  if (x.kind == io::DataBlock::Kind::Table) {
    for (const auto& c : x.table.columns()) fold_cell_hashes(c, h);
  } else {
    const std::int64_t per = n == 0 ? 0 : x.array.size() / n;
    for (std::int64_t i = 0; i < n; ++i) {
      std::uint64_t acc = h[static_cast<std::size_t>(i)];
      for (std::int64_t j = 0; j < per; ++j) acc = combine(acc, hash_number(x.array.value(i * per + j)));
      h[static_cast<std::size_t>(i)] = acc;
    }
  }
  for (auto& v : h) v = mix64(v);
  return h;
}

RowsFound rows_found_in(const io::DataBlock& reference, const io::DataBlock& other) {
  RowsFound r;
  r.found.assign(static_cast<std::size_t>(other.rows()), 0);
  if (reference.shape().rank() != other.shape().rank() || other.rows() == 0 || reference.rows() == 0) return r;
  const auto ref = feature_row_hashes(reference);
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(ref.size() * 2);
  for (auto h : ref) r.reference_repeats += !seen.insert(h).second;
  const auto hashes = feature_row_hashes(other);
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    r.found[i] = seen.contains(hashes[i]) ? 1 : 0;
    r.count += r.found[i];
  }
  return r;
}

}  // namespace fitcheck::profile
