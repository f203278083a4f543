#include "fitcheck/io/dataset.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::io {

std::int64_t DataBlock::rows() const {
  if (kind == Kind::Table) return table.num_rows();
  return array.shape.rank() == 0 ? 1 : array.shape[0];
}

core::Shape DataBlock::shape() const {
  if (kind == Kind::Array) return array.shape;
  return core::Shape{table.num_rows(), table.num_columns()};
}

core::DType DataBlock::dtype() const {
  if (kind == Kind::Array) return array.dtype;
  bool any_float = false, any_int = false;
  for (const auto& c : table.columns()) {
    switch (c.type) {
      case core::ColumnType::Categorical: return core::DType::String;
      case core::ColumnType::Float64: any_float = true; break;
      case core::ColumnType::Int64: any_int = true; break;
      case core::ColumnType::Bool: break;
    }
  }
  if (any_float) return core::DType::Float64;
  if (any_int) return core::DType::Int64;
  return core::DType::Bool;
}

namespace {

DataBlock array_block(NdArray array) {
  DataBlock b;
  b.kind = DataBlock::Kind::Array;
  b.source = array.source;
  b.array = std::move(array);
  return b;
}

void check_same_rows(const Dataset& d) {
  if (!d.y || d.x.rows() == d.y->rows()) return;
  throw core::InputError({.where = d.y->source,
                          .what = fmt::format("the labels do not match the features of the {} split", d.split),
                          .expected = fmt::format("{} rows, as {} has", d.x.rows(), d.x.source),
                          .got = fmt::format("{} rows", d.y->rows()),
                          .hint = "Each label must belong to one sample: check that x and y come from the same split."});
}

// Applies the run file's per-sample "reshape" to an array (the batch axis is kept).
void reshape_samples(NdArray& a, const std::vector<std::int64_t>& per_sample, const std::string& where) {
  if (per_sample.empty()) return;
  const std::int64_t n = a.shape.rank() == 0 ? 1 : a.shape[0];
  const std::int64_t total = a.shape.num_elements();
  const std::int64_t per = n == 0 ? 0 : total / n;
  std::int64_t known = 1;
  int free_axis = -1;
  for (std::size_t i = 0; i < per_sample.size(); ++i) {
    if (per_sample[i] == -1) free_axis = static_cast<int>(i);
    else known *= per_sample[i];
  }
  std::vector<std::int64_t> dims = {n};
  dims.insert(dims.end(), per_sample.begin(), per_sample.end());
  if (free_axis >= 0 && known > 0 && per % known == 0) dims[static_cast<std::size_t>(free_axis) + 1] = per / known;
  std::int64_t want = 1;
  for (std::size_t i = 1; i < dims.size(); ++i) want *= dims[i];
  if (want != per || dims[1] < 0) {
    throw core::InputError({.where = where + "/reshape",
                            .what = fmt::format("cannot reshape the samples of {}", a.source),
                            .expected = fmt::format("a shape with {} values per sample, as {} has", per, a.shape.str()),
                            .got = core::Shape(std::vector<std::int64_t>(per_sample)).str()});
  }
  a.shape = core::Shape(dims);
}

}  // namespace

Dataset load_dataset(const DataSource& source, const std::string& split) {
  Dataset d;
  d.split = split;
  switch (source.kind) {
    case DataSource::Kind::Csv: {
      auto csv = read_csv(source.csv);
      d.notes = std::move(csv.notes);
      core::Table table = std::move(csv.table);
      const std::string name = source.csv.filename().string();
      if (!source.target.empty()) {
        DataBlock y;
        y.kind = DataBlock::Kind::Table;
        y.source = name;
        y.table.set_source(name);
        core::Column label = table.take(source.target);
        // A feature list copied from all the columns names the target too: the model would then
        // see its label as an input. Kept as a feature, so that the doctor reports the leak
        // (data.leakage_target) rather than a missing column.
        if (std::find(source.features.begin(), source.features.end(), source.target) != source.features.end()) {
          table.add_column(label);
        }
        y.table.add_column(std::move(label));
        d.y = std::move(y);
        d.target = source.target;
      }
      if (!source.features.empty()) table = table.select(source.features);
      table.set_source(name);
      d.x.kind = DataBlock::Kind::Table;
      d.x.source = name;
      d.x.table = std::move(table);
      break;
    }
    case DataSource::Kind::Npy:
      d.x = array_block(read_npy(source.x));
      reshape_samples(d.x.array, source.reshape, source.where);
      if (!source.y.empty()) d.y = array_block(read_npy(source.y));
      break;
    case DataSource::Kind::Npz:
      d.x = array_block(read_npz_array(source.npz, source.x_key));
      reshape_samples(d.x.array, source.reshape, source.where);
      if (!source.y_key.empty()) d.y = array_block(read_npz_array(source.npz, source.y_key));
      break;
  }
  check_same_rows(d);
  return d;
}

}  // namespace fitcheck::io
