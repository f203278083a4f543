#include "fitcheck/run/run_splits.hpp"

#include <cstring>
#include <vector>

#include "fitcheck/prep/split.hpp"
#include "fitcheck/profile/row_hash.hpp"

namespace fitcheck::run {

namespace {

io::NdArray take_array_rows(const io::NdArray& a, const std::vector<std::int64_t>& rows) {
  io::NdArray out;
  out.dtype = a.dtype;
  out.source = a.source;
  std::vector<std::int64_t> dims = a.shape.dims();
  if (dims.empty()) return a;  // a scalar has no rows to choose from
  const std::int64_t n = dims[0];
  const std::size_t row_bytes = n == 0 ? 0 : a.bytes.size() / static_cast<std::size_t>(n);
  dims[0] = static_cast<std::int64_t>(rows.size());
  out.shape = core::Shape(dims);
  out.bytes.resize(rows.size() * row_bytes);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::memcpy(out.bytes.data() + i * row_bytes, a.bytes.data() + static_cast<std::size_t>(rows[i]) * row_bytes,
                row_bytes);
  }
  return out;
}

io::DataBlock take_block_rows(const io::DataBlock& b, const std::vector<std::int64_t>& rows) {
  io::DataBlock out;
  out.kind = b.kind;
  out.source = b.source;
  if (b.kind == io::DataBlock::Kind::Table) {
    out.table = prep::take_rows(b.table, rows);
  } else {
    out.array = take_array_rows(b.array, rows);
  }
  return out;
}

}  // namespace

std::int64_t drop_train_copies(const io::Dataset& train, io::Dataset& test) {
  const auto found = profile::rows_found_in(train.x, test.x);
  std::vector<std::int64_t> keep;
  keep.reserve(found.found.size() - static_cast<std::size_t>(found.count));
  for (std::size_t i = 0; i < found.found.size(); ++i) {
    if (!found.found[i]) keep.push_back(static_cast<std::int64_t>(i));
  }
  const auto dropped = test.x.rows() - static_cast<std::int64_t>(keep.size());
  if (dropped == 0) return 0;
  test.x = take_block_rows(test.x, keep);
  if (test.y) test.y = take_block_rows(*test.y, keep);
  return dropped;
}

RunSplits load_run_splits(const io::RunSpec& run) {
  RunSplits s{io::load_dataset(run.train, "train"), std::nullopt};
  if (run.test) {
    s.test = io::load_dataset(*run.test, "test");
    if (run.test->drop_train_copies) drop_train_copies(s.train, *s.test);
  }
  return s;
}

}  // namespace fitcheck::run
