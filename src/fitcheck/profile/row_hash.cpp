#include "fitcheck/profile/row_hash.hpp"

#include "fitcheck/profile/value_hash.hpp"

namespace fitcheck::profile {

// The profile's canonical cell hashes, so that a value hashes alike whatever type a column got.
std::vector<std::uint64_t> feature_row_hashes(const io::DataBlock& x) {
  const std::int64_t n = x.rows();
  std::vector<std::uint64_t> h(static_cast<std::size_t>(n), 0x84222325cbf29ce4ULL);
  if (x.kind == io::DataBlock::Kind::Table) {
    for (const auto& c : x.table.columns()) {
      std::vector<std::uint64_t> dict_hash;
      for (const auto& s : c.dictionary) dict_hash.push_back(hash_text(s));
      for (std::int64_t i = 0; i < n; ++i) {
        const auto u = static_cast<std::size_t>(i);
        std::uint64_t v;
        if (!c.is_valid(i) || (c.type == core::ColumnType::Categorical && c.codes[u] < 0)) {
          v = hash_missing();
        } else if (c.type == core::ColumnType::Categorical) {
          v = dict_hash[static_cast<std::size_t>(c.codes[u])];
        } else {
          v = hash_number(c.as_double(i));
        }
        h[u] = hash_combine(h[u], v);
      }
    }
  } else {
    const std::int64_t per = n == 0 ? 0 : x.array.size() / n;
    for (std::int64_t i = 0; i < n; ++i) {
      std::uint64_t acc = h[static_cast<std::size_t>(i)];
      for (std::int64_t j = 0; j < per; ++j) acc = hash_combine(acc, hash_number(x.array.value(i * per + j)));
      h[static_cast<std::size_t>(i)] = acc;
    }
  }
  return h;
}

}  // namespace fitcheck::profile
