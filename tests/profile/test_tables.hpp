#pragma once
// Small tables built in code for the profile tests.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "fitcheck/core/table.hpp"

namespace fitcheck::test {

// Rows [begin, end) of a table (all column types), as a new table.
inline core::Table slice_rows(const core::Table& t, std::int64_t begin, std::int64_t end) {
  core::Table out;
  out.set_source(t.source());
  const auto b = static_cast<std::size_t>(begin), e = static_cast<std::size_t>(end);
  for (const auto& c : t.columns()) {
    core::Column s = c;
    auto cut = [&](auto& v) {
      if (!v.empty()) v = std::vector<typename std::decay_t<decltype(v)>::value_type>(v.begin() + static_cast<std::ptrdiff_t>(b), v.begin() + static_cast<std::ptrdiff_t>(e));
    };
    cut(s.f64);
    cut(s.i64);
    cut(s.b);
    cut(s.codes);
    cut(s.valid);
    out.add_column(std::move(s));
  }
  return out;
}

// A mixed table: floats with missing values and infinities, ints, bools, categories.
inline core::Table mixed_table(std::int64_t n, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal(50.0, 20.0);
  std::uniform_int_distribution<int> small(0, 9), cat(0, 4), pct(0, 99);
  std::vector<double> f(static_cast<std::size_t>(n));
  std::vector<std::uint8_t> f_valid(f.size(), 1);
  std::vector<std::int64_t> ints(f.size());
  std::vector<std::uint8_t> flags(f.size());
  std::vector<std::int32_t> codes(f.size());
  std::vector<std::uint8_t> codes_valid(f.size(), 1);
  for (std::size_t i = 0; i < f.size(); ++i) {
    f[i] = normal(gen);
    const int p = pct(gen);
    if (p < 3) f_valid[i] = 0;
    if (p == 3) f[i] = (i % 2 == 0) ? INFINITY : -INFINITY;
    ints[i] = small(gen);
    flags[i] = static_cast<std::uint8_t>(pct(gen) < 10);
    codes[i] = cat(gen);
    if (pct(gen) < 2) {
      codes[i] = -1;
      codes_valid[i] = 0;
    }
  }
  core::Table t;
  t.set_source("mixed");
  t.add_column(core::Column::float64("f", std::move(f), std::move(f_valid)));
  t.add_column(core::Column::int64("i", std::move(ints)));
  t.add_column(core::Column::boolean("b", std::move(flags)));
  t.add_column(core::Column::categorical("c", std::move(codes), {"red", "green", "blue", "cyan", "plum"},
                                         std::move(codes_valid)));
  return t;
}

}  // namespace fitcheck::test
