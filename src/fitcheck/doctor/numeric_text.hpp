#pragma once
// Numbers that a CSV holds as text: "1,288" with a decimal comma, "1,234,567" or "1 234" with
// thousands separators, "$12.50", "45%". A reader without the file's conventions (pandas'
// read_csv with its defaults, as Keras users load data) gets strings, and Keras stops with
// "could not convert string to float"; fitcheck's auto preprocessing would take them for
// categories. The checks report such columns as data.dtype rather than as categorical data.

#include <optional>
#include <string>

#include "fitcheck/core/table.hpp"
#include "fitcheck/io/dataset.hpp"

namespace fitcheck::doctor {

struct NumericText {
  std::string format;   // "a decimal comma", "thousands separators", "currency symbols", "percent signs"
  std::string example;  // one of the column's values, as written
  double share = 0.0;   // of the non-missing rows whose value reads as a number once normalised
};

// For a text (categorical) column whose values are, in at least 90% of its non-missing rows,
// numbers written in one of those conventions: how they are written. nullopt otherwise, and for
// columns that are not text.
std::optional<NumericText> numbers_written_as_text(const core::Column& column);

// The same for a column found by name in a split's feature table (nullopt for arrays).
std::optional<NumericText> numbers_written_as_text(const io::DataBlock& x, const std::string& column);

}  // namespace fitcheck::doctor
