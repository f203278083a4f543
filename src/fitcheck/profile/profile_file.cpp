#include "fitcheck/profile/table_profile.hpp"

#include <algorithm>
#include <exception>
#include <mutex>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/npy.hpp"

namespace fitcheck::profile {

TableProfile profile_csv(const std::filesystem::path& path, const FileProfileOptions& options) {
  const int workers = std::max(1, io::csv_worker_count(options.csv));
  // One partial profile and one set of buffers per worker: no locks on the per-value path.
  std::vector<TableProfile> partial(static_cast<std::size_t>(workers), TableProfile(options.profile));
  std::vector<ChunkScratch> scratch(static_cast<std::size_t>(workers));
  const auto result = io::read_csv_chunks(
      path, options.chunk_bytes,
      [&](const io::CsvChunk& chunk) {
        FITCHECK_CHECK(chunk.worker >= 0 && chunk.worker < workers, "CSV worker index out of range");
        const auto w = static_cast<std::size_t>(chunk.worker);
        partial[w].add_chunk(chunk.table, chunk.index, scratch[w]);
      },
      options.csv, io::ChunkOrder::AnyOrder);
  TableProfile total(options.profile);
  for (auto& p : partial) {
    total.merge(std::move(p));
    p = TableProfile();  // free each worker's state as soon as it is merged
  }
  total.source = path.string();
  total.notes = result.notes;
  if (total.columns().empty()) {
    // A header without rows: still list the columns.
    core::Table empty;
    for (const auto& name : result.column_names) empty.add_column(core::Column::float64(name, {}));
    ChunkScratch s;
    total.add_chunk(empty, 0, s);
  }
  return total;
}

namespace {

// Rank-1 arrays become one column named `name`; others keep to_table's names with `name` as
// prefix.
core::Table array_table(const io::NdArray& array, const std::string& name, const std::string& prefix) {
  core::Table table = array.to_table(prefix);
  if (array.shape.rank() == 1 && table.num_columns() == 1) {
    core::Column c = table.take(table.column(0).name);
    c.name = name;
    core::Table renamed;
    renamed.set_source(table.source());
    renamed.add_column(std::move(c));
    return renamed;
  }
  return table;
}

}  // namespace

TableProfile profile_npy(const std::filesystem::path& path, const FileProfileOptions& options) {
  const io::NdArray array = io::read_npy(path);
  core::Table table = array_table(array, path.stem().string(), "x");
  table.set_source(path.string());
  return profile_table(table, options.profile);
}

TableProfile profile_npz(const std::filesystem::path& path, const FileProfileOptions& options) {
  auto arrays = io::read_npz(path);
  std::vector<std::string> keys = options.npz_keys;
  if (keys.empty()) {
    for (const auto& [key, array] : arrays) keys.push_back(key);
  }
  core::Table combined;
  combined.set_source(path.string());
  std::string first_key;
  std::int64_t first_rows = -1;
  for (const auto& key : keys) {
    auto it = arrays.find(key);
    if (it == arrays.end()) {
      std::vector<std::string> have;
      for (const auto& [k, a] : arrays) have.push_back(k);
      throw core::InputError({.where = path.string(),
                              .what = fmt::format("no array named \"{}\" in the archive", key),
                              .hint = fmt::format("The arrays are: {}.", fmt::join(have, ", "))});
    }
    const io::NdArray& array = it->second;
    const std::int64_t rows = array.shape.rank() == 0 ? 1 : array.shape[0];
    if (first_rows >= 0 && rows != first_rows) {
      throw core::InputError({.where = fmt::format("{}[{}]", path.string(), key),
                              .what = "arrays profiled together must have the same number of rows",
                              .expected = fmt::format("{} rows as \"{}\"", first_rows, first_key),
                              .got = fmt::format("{}", rows),
                              .hint = "Choose arrays of one split, e.g. --npz-keys x_train,y_train."});
    }
    if (first_rows < 0) {
      first_rows = rows;
      first_key = key;
    }
    core::Table t = array_table(array, key, key + "_");
    for (int c = 0; c < t.num_columns(); ++c) combined.add_column(std::move(t.column(c)));
  }
  return profile_table(combined, options.profile);
}

TableProfile profile_file(const std::filesystem::path& path, const FileProfileOptions& options) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".npy") return profile_npy(path, options);
  if (ext == ".npz") return profile_npz(path, options);
  return profile_csv(path, options);
}

}  // namespace fitcheck::profile
