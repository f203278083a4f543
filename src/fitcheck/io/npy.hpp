#pragma once
// NumPy .npy (format versions 1-3) and .npz (zip, stored or deflated) reading and .npy writing.
// The header is parsed as data (a small dict grammar), never evaluated. Every numeric dtype
// (b1 i1 i2 i4 i8 u1 u2 u4 u8 f2 f4 f8, either byte order), C and Fortran order, any rank.
// Object arrays, truncated files and absurd shapes are refused with an InputError that names the
// file (and the archive member) and the byte offset or header key.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "fitcheck/core/dtype.hpp"
#include "fitcheck/core/shape.hpp"
#include "fitcheck/core/table.hpp"
#include "fitcheck/core/tensor.hpp"

namespace fitcheck::io {

// An array as it was stored: its dtype is kept so that the doctor can report it (data.dtype).
// `bytes` holds the elements in C (row-major) order and native byte order; bools as 0/1 bytes,
// float16 as raw IEEE half bits.
struct NdArray {
  core::DType dtype = core::DType::Float32;
  core::Shape shape;
  std::vector<std::byte> bytes;
  std::string source;  // "x_train.npy" or "data.npz[x_train]", for messages

  std::int64_t size() const { return shape.num_elements(); }
  // Element i (flat, C order) as double; float16 is decoded.
  double value(std::int64_t i) const;
  // All elements converted to float32 in the same shape.
  core::Tensor to_tensor() const;
  // Rank 1 → one column; rank 2 → one column per feature; rank > 2 → trailing axes flattened
  // into columns. Column names are `<prefix><index>` (e.g. "x0", "x1", ...). Integer dtypes
  // become Int64 columns, bool Bool, floats Float64 with NaN marked missing; source_dtype keeps
  // the stored dtype.
  core::Table to_table(const std::string& prefix = "x") const;
};

NdArray read_npy(const std::filesystem::path& path);
// Parses .npy content already in memory; `source_name` is used in messages.
NdArray parse_npy(std::span<const std::byte> content, const std::string& source_name);

// All arrays of an .npz archive, by key (the member name without ".npy").
std::map<std::string, NdArray> read_npz(const std::filesystem::path& path);
// One array of an .npz archive; an unknown key is an InputError listing the keys there are.
NdArray read_npz_array(const std::filesystem::path& path, const std::string& key);

// The same from an archive already in memory (fuzzing, archives inside archives); `source_name`
// is used in messages. Members that do not end in ".npy" are not arrays and are skipped.
std::map<std::string, NdArray> parse_npz(std::span<const std::byte> content, const std::string& source_name);
NdArray parse_npz_array(std::span<const std::byte> content, const std::string& source_name, const std::string& key);
// The keys of an .npz archive, in archive order, without reading the arrays.
std::vector<std::string> npz_keys(const std::filesystem::path& path);

// Writes a float32 .npy (format 1.0, C order; 2.0 only if the header needs more than 64 KiB)
// atomically (temp file + rename).
void write_npy(const std::filesystem::path& path, const core::Tensor& tensor);

}  // namespace fitcheck::io
