#pragma once
// Counts of each value of a column: exact while the column has at most `exact_limit` distinct
// values, then a Misra-Gries frequent-items summary of `summary_size` counters, merged as in
// Agarwal et al., "Mergeable Summaries" (2012): add the counters, subtract the
// (summary_size + 1)-th largest count from all, drop those that fall to zero. A summarised count
// is never more than the true count and at most error_bound() less; any value that occurs more
// than error_bound() times is still held.
//
// Numbers are kept in a sorted array (a chunk's runs arrive sorted, so adding is a merge-join);
// while every number seen is distinct (a continuous column on its way past the exact limit),
// only the values are kept, at half the memory, and chunks of them are appended as they come:
// they are sorted together only once they could exceed the exact limit, or when read (merging
// each chunk into the sorted whole moved every value held again for every chunk). Text values
// are kept in a hash map. A numeric column that turns out to hold text in some chunk (CSV chunks
// infer types one by one) is converted with to_text().

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "fitcheck/profile/sorted_values.hpp"

namespace fitcheck::profile {

struct TopValue {
  bool is_text = false;
  double number = 0.0;
  std::string text;
  std::int64_t count = 0;
  std::string display() const;  // the text, or the number as it would be written
};

class ValueCounts {
 public:
  static constexpr std::size_t kDefaultExactLimit = 65536;
  static constexpr std::size_t kSummarySize = 512;

  explicit ValueCounts(std::size_t exact_limit = kDefaultExactLimit) : exact_limit_(exact_limit) {}

  // A chunk's exact counts: ascending runs of numbers, or text values with counts.
  void add_runs(std::span<const ValueRun> runs);
  // A chunk's values when no two are equal (ascending): add_runs of runs of 1, without building
  // them once the counts are summarised.
  void add_distinct_sorted(std::span<const double> values);
  void add_texts(const std::vector<std::pair<std::string, std::int64_t>>& texts);
  void merge(const ValueCounts& other);
  // Numbers become their text (3.0 -> "3", 0.25 -> "0.25"); used when a column mixes types.
  void to_text();

  bool is_text() const { return is_text_; }
  bool exact() const { return exact_; }
  // Distinct values held: the exact distinct count while exact().
  std::size_t size() const;
  std::int64_t error_bound() const { return error_; }
  // The `k` most frequent values, by count descending then value ascending.
  std::vector<TopValue> top(std::size_t k) const;

 private:
  void reduce_numbers(std::size_t capacity);
  void reduce_texts(std::size_t capacity);
  void after_add();
  void spill_singles();   // singles_ become runs of 1 in numbers_
  void settle_singles();  // singles_ sorted as a whole; to numbers_ as runs if a value repeats
  bool singles_settled() const { return singles_sorted_ == singles_.size(); }
  ValueCounts settled() const;  // a copy with its singles settled, for the const readers

  std::size_t exact_limit_;
  bool is_text_ = false;
  bool exact_ = true;
  std::int64_t error_ = 0;
  std::vector<ValueRun> numbers_;  // ascending by value
  // Only while numbers_ is empty and exact: values each seen once within its chunk. The first
  // singles_sorted_ are ascending and distinct; the chunks appended after them are each ascending.
  std::vector<double> singles_;
  std::size_t singles_sorted_ = 0;
  std::unordered_map<std::string, std::int64_t> texts_;
};

// Text of a number as fitcheck writes it: integers without a decimal point, others shortest
// round-trip.
std::string format_number(double value);

}  // namespace fitcheck::profile
