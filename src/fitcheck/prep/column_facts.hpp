#pragma once
// The few per-column facts the `auto` plan needs (kind, missing count, distinct count, integer
// valued, range). A small local pass; the profile module's ColumnStats carry the same facts.

#include <cstdint>
#include <string>
#include <vector>

#include "fitcheck/core/table.hpp"

namespace fitcheck::prep {

struct ColumnFacts {
  std::string name;
  core::ColumnType type = core::ColumnType::Float64;
  std::int64_t rows = 0;
  std::int64_t missing = 0;
  // Distinct non-missing values. Exact for categorical, boolean and whole-number columns (where it
  // decides identifier, constant and one-hot); a column with a fractional value is never an
  // identifier or a level set, only its constancy matters, so there it is 1 or 2 ("two or more").
  std::int64_t distinct = 0;
  bool integer_valued = true;  // every present value is a whole number (numeric columns)
  double min = 0.0, max = 0.0; // numeric columns, over present values
};

ColumnFacts column_facts(const core::Column& column);

}  // namespace fitcheck::prep
