#include "fitcheck/profile/value_counts.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace fitcheck::profile {

std::string format_number(double value) {
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<std::int64_t>(value));
  }
  return fmt::format("{}", value);
}

std::string TopValue::display() const { return is_text ? text : format_number(number); }

namespace {

// The (capacity + 1)-th largest of the counts (0 when there are no more than `capacity`).
std::int64_t cut_count(std::vector<std::int64_t> counts, std::size_t capacity) {
  if (counts.size() <= capacity) return 0;
  std::nth_element(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(capacity), counts.end(),
                   std::greater<>());
  return counts[capacity];
}

// Room for `incoming` more entries before a merge in place: up to the exact limit at once, as
// pages are only touched as they fill, while growing by doubling would copy (and touch) every
// smaller array on the way.
template <typename T>
void make_room(std::vector<T>& held, std::size_t incoming, std::size_t exact_limit) {
  const std::size_t n = held.size() + incoming;
  if (held.capacity() < n && n > 4096) held.reserve(std::max(n, exact_limit + incoming));
}

}  // namespace

void ValueCounts::reduce_numbers(std::size_t capacity) {
  if (numbers_.size() <= capacity) return;
  std::vector<std::int64_t> counts;
  counts.reserve(numbers_.size());
  for (const auto& r : numbers_) counts.push_back(r.count);
  const std::int64_t cut = cut_count(std::move(counts), capacity);
  std::size_t out = 0;
  for (const auto& r : numbers_) {
    if (r.count > cut) numbers_[out++] = {r.value, r.count - cut};
  }
  numbers_.resize(out);
  error_ += cut;
}

void ValueCounts::reduce_texts(std::size_t capacity) {
  if (texts_.size() <= capacity) return;
  std::vector<std::int64_t> counts;
  counts.reserve(texts_.size());
  for (const auto& [text, count] : texts_) counts.push_back(count);
  const std::int64_t cut = cut_count(std::move(counts), capacity);
  for (auto it = texts_.begin(); it != texts_.end();) {
    if (it->second > cut) {
      it->second -= cut;
      ++it;
    } else {
      it = texts_.erase(it);
    }
  }
  error_ += cut;
}

std::size_t ValueCounts::size() const {
  if (is_text_) return texts_.size();
  if (!singles_settled()) return settled().size();
  return numbers_.size() + singles_.size();
}

ValueCounts ValueCounts::settled() const {
  ValueCounts copy = *this;
  copy.settle_singles();
  return copy;
}

void ValueCounts::settle_singles() {
  if (singles_settled()) return;
  sort_values(singles_);
  singles_sorted_ = singles_.size();
  if (equal_neighbours(singles_) > 0) {
    collect_runs(singles_, numbers_);
    singles_ = {};
    singles_sorted_ = 0;
  }
}

void ValueCounts::spill_singles() {
  settle_singles();
  if (singles_.empty()) return;
  numbers_.reserve(numbers_.size() + singles_.size());
  for (const double v : singles_) numbers_.push_back({v, 1});
  singles_ = {};
  singles_sorted_ = 0;
}

void ValueCounts::after_add() {
  // The values held bound the distinct count from above: below the limit, no need to settle.
  if (exact_ && numbers_.size() + singles_.size() > exact_limit_) {
    settle_singles();
    if (size() > exact_limit_) exact_ = false;
  }
  if (!exact_ && !singles_.empty()) {
    // Counts of 1 only: a summary of kSummarySize counters cuts them all by the next count, 1.
    if (singles_.size() > kSummarySize) {
      error_ += 1;
      singles_ = {};
      singles_sorted_ = 0;
    } else {
      spill_singles();
    }
  }
  if (!exact_) {
    if (is_text_) {
      reduce_texts(kSummarySize);
    } else {
      reduce_numbers(kSummarySize);
    }
  }
}

void ValueCounts::add_runs(std::span<const ValueRun> runs) {
  if (runs.empty()) return;
  spill_singles();
  if (is_text_) {
    std::vector<std::pair<std::string, std::int64_t>> texts;
    texts.reserve(runs.size());
    for (const auto& r : runs) texts.emplace_back(format_number(r.value), r.count);
    add_texts(texts);
    return;
  }
  std::span<const ValueRun> incoming = runs;
  std::vector<ValueRun> reduced;
  if (!exact_ && runs.size() > kSummarySize) {
    // All distinct (a column of unique floats): the chunk's own summary below would cut every
    // count by the (kSummarySize + 1)-th largest, 1, and keep nothing.
    const bool all_single =
        std::all_of(runs.begin(), runs.end(), [](const ValueRun& r) { return r.count == 1; });
    if (all_single) {
      error_ += 1;
      return;
    }
    // Reduce the chunk to a summary of its own first: without hashing, most singletons drop out
    // here (a column of unique floats costs nothing more once it is summarised).
    std::vector<std::int64_t> counts;
    counts.reserve(runs.size());
    for (const auto& r : runs) counts.push_back(r.count);
    const std::int64_t cut = cut_count(std::move(counts), kSummarySize);
    for (const auto& r : runs) {
      if (r.count > cut) reduced.push_back({r.value, r.count - cut});
    }
    error_ += cut;
    incoming = reduced;
  }
  // Merged in place from the back (numbers_ grows geometrically like any vector): a new array
  // per chunk would touch fresh pages every time while the counts are exact.
  const std::size_t a = numbers_.size(), b = incoming.size();
  make_room(numbers_, b, exact_limit_);
  numbers_.resize(a + b);
  std::size_t i = a, j = b, out = a + b;  // one past the next element to take / write
  while (j > 0) {
    if (i > 0 && numbers_[i - 1].value > incoming[j - 1].value) {
      numbers_[--out] = numbers_[--i];
    } else if (i > 0 && numbers_[i - 1].value == incoming[j - 1].value) {
      --i;
      numbers_[--out] = {numbers_[i].value, numbers_[i].count + incoming[--j].count};
    } else {
      numbers_[--out] = incoming[--j];
    }
  }
  // numbers_[0, i) are still in place; the merged tail starts at `out`. Close the gap that
  // combined equal values left.
  if (out > i) {
    std::move(numbers_.begin() + static_cast<std::ptrdiff_t>(out), numbers_.end(),
              numbers_.begin() + static_cast<std::ptrdiff_t>(i));
    numbers_.resize(numbers_.size() - (out - i));
  }
  after_add();
}

void ValueCounts::add_distinct_sorted(std::span<const double> values) {
  if (values.empty()) return;
  if (!is_text_ && !exact_ && values.size() > kSummarySize) {
    error_ += 1;  // what add_runs does with more than kSummarySize runs of 1
    return;
  }
  if (!is_text_ && exact_ && numbers_.empty()) {
    // Appended; after_add sorts them together once they could pass the exact limit.
    const bool first = singles_.empty();
    const std::size_t a = singles_.size();
    make_room(singles_, values.size(), exact_limit_);
    singles_.resize(a + values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      singles_[a + i] = values[i] == 0.0 ? 0.0 : values[i];  // -0.0 counted as 0.0
    }
    if (first) singles_sorted_ = singles_.size();  // one chunk: ascending and distinct already
    after_add();
    return;
  }
  std::vector<ValueRun> runs;
  runs.reserve(values.size());
  for (const double v : values) runs.push_back({v == 0.0 ? 0.0 : v, 1});
  add_runs(runs);
}

void ValueCounts::add_texts(const std::vector<std::pair<std::string, std::int64_t>>& texts) {
  if (texts.empty()) return;
  if (!is_text_) to_text();
  for (const auto& [text, count] : texts) texts_[text] += count;
  after_add();
}

void ValueCounts::to_text() {
  if (is_text_) return;
  spill_singles();
  is_text_ = true;
  for (const auto& r : numbers_) texts_[format_number(r.value)] += r.count;
  numbers_.clear();
  numbers_.shrink_to_fit();
}

void ValueCounts::merge(const ValueCounts& other) {
  if (!other.singles_.empty()) {
    ValueCounts spilled = other;
    spilled.spill_singles();
    merge(spilled);
    return;
  }
  if (other.is_text_ && !is_text_) to_text();
  const bool was_exact = exact_ && other.exact_;
  exact_ = was_exact;
  error_ += other.error_;
  if (is_text_) {
    if (other.is_text_) {
      for (const auto& [text, count] : other.texts_) texts_[text] += count;
    } else {
      for (const auto& r : other.numbers_) texts_[format_number(r.value)] += r.count;
    }
    after_add();
  } else {
    const bool keep_exact = exact_;
    exact_ = true;  // merge-join without pre-reduction, then decide
    add_runs(other.numbers_);
    exact_ = exact_ && keep_exact;
    after_add();
  }
}

std::vector<TopValue> ValueCounts::top(std::size_t k) const {
  if (!is_text_ && !singles_settled()) return settled().top(k);
  std::vector<TopValue> all;
  if (is_text_) {
    all.reserve(texts_.size());
    for (const auto& [text, count] : texts_) all.push_back({.is_text = true, .text = text, .count = count});
  } else {
    all.reserve(numbers_.size() + singles_.size());
    for (const auto& r : numbers_) all.push_back({.number = r.value, .count = r.count});
    for (const double v : singles_) all.push_back({.number = v, .count = 1});
  }
  auto before = [](const TopValue& a, const TopValue& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.is_text ? a.text < b.text : a.number < b.number;
  };
  const std::size_t n = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(), before);
  all.resize(n);
  return all;
}

}  // namespace fitcheck::profile
