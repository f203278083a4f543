#include "fitcheck/io/npy.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/atomic_write.hpp"
#include "fitcheck/io/npy_header.hpp"

namespace fitcheck::io {
namespace {

void swap_bytes_in_place(std::vector<std::byte>& data, std::size_t item) {
  for (std::size_t i = 0; i + item <= data.size(); i += item) {
    std::reverse(data.begin() + static_cast<std::ptrdiff_t>(i), data.begin() + static_cast<std::ptrdiff_t>(i + item));
  }
}

// Fortran (column-major) element order to C (row-major) order.
std::vector<std::byte> fortran_to_c(const std::vector<std::byte>& src, const std::vector<std::int64_t>& dims,
                                    std::size_t item) {
  std::vector<std::byte> dst(src.size());
  const std::size_t rank = dims.size();
  // Column-major strides (in elements) of the source.
  std::vector<std::int64_t> stride(rank, 1);
  for (std::size_t k = 1; k < rank; ++k) stride[k] = stride[k - 1] * dims[k - 1];
  std::vector<std::int64_t> index(rank, 0);
  std::int64_t src_offset = 0;
  const std::size_t n = src.size() / item;
  for (std::size_t out = 0; out < n; ++out) {
    std::memcpy(dst.data() + out * item, src.data() + static_cast<std::size_t>(src_offset) * item, item);
    // Advance the C-order odometer (last axis fastest), keeping the source offset in step.
    for (std::size_t k = rank; k-- > 0;) {
      if (++index[k] < dims[k]) {
        src_offset += stride[k];
        break;
      }
      src_offset -= stride[k] * (dims[k] - 1);
      index[k] = 0;
    }
  }
  return dst;
}

NdArray finish_array(const detail::NpyHeader& h, std::vector<std::byte> data, std::string source) {
  const std::size_t item = core::dtype_size(h.dtype);
  if (h.byte_swap) swap_bytes_in_place(data, item);
  if (h.dtype == core::DType::Bool) {
    // NumPy reads any non-zero byte as True; keep the documented 0/1 representation.
    for (auto& b : data) b = b != std::byte{0} ? std::byte{1} : std::byte{0};
  }
  if (h.fortran_order && h.shape.rank() > 1 && h.num_elements > 0) data = fortran_to_c(data, h.shape.dims(), item);
  NdArray a;
  a.dtype = h.dtype;
  a.shape = h.shape;
  a.bytes = std::move(data);
  a.source = std::move(source);
  return a;
}

[[noreturn]] void throw_truncated(const detail::NpyHeader& h, std::uint64_t available, const std::string& source) {
  throw core::InputError({.where = fmt::format("{}: byte {}", source, h.data_offset),
                          .what = fmt::format("truncated data for shape {} of {}", h.shape.str(), core::dtype_name(h.dtype)),
                          .expected = fmt::format("{} bytes of data", h.data_bytes),
                          .got = fmt::format("{} bytes", available),
                          .hint = "The file was cut short (an interrupted copy or download?); write it again."});
}

template <typename T>
T load(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <typename T, typename Out>
void convert_all(const std::vector<std::byte>& bytes, Out* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<Out>(load<T>(bytes.data() + i * sizeof(T)));
}

}  // namespace

double NdArray::value(std::int64_t i) const {
  FITCHECK_CHECK(i >= 0 && i < size(), fmt::format("element {} of an array of {} elements", i, size()));
  const std::byte* p = bytes.data() + static_cast<std::size_t>(i) * core::dtype_size(dtype);
  switch (dtype) {
    case core::DType::Bool: return load<std::uint8_t>(p) != 0 ? 1.0 : 0.0;
    case core::DType::Int8: return load<std::int8_t>(p);
    case core::DType::Int16: return load<std::int16_t>(p);
    case core::DType::Int32: return load<std::int32_t>(p);
    case core::DType::Int64: return static_cast<double>(load<std::int64_t>(p));
    case core::DType::UInt8: return load<std::uint8_t>(p);
    case core::DType::UInt16: return load<std::uint16_t>(p);
    case core::DType::UInt32: return load<std::uint32_t>(p);
    case core::DType::UInt64: return static_cast<double>(load<std::uint64_t>(p));
    case core::DType::Float16: return detail::half_to_double(load<std::uint16_t>(p));
    case core::DType::Float32: return load<float>(p);
    case core::DType::Float64: return load<double>(p);
    case core::DType::String: break;
  }
  FITCHECK_CHECK(false, "NdArray with a non-numeric dtype");
}

core::Tensor NdArray::to_tensor() const {
  core::Tensor t(shape);
  const auto n = static_cast<std::size_t>(size());
  FITCHECK_CHECK(bytes.size() == n * core::dtype_size(dtype), "NdArray byte count does not match its shape");
  float* out = t.data();
  switch (dtype) {
    case core::DType::Bool: convert_all<std::uint8_t>(bytes, out, n); break;
    case core::DType::Int8: convert_all<std::int8_t>(bytes, out, n); break;
    case core::DType::Int16: convert_all<std::int16_t>(bytes, out, n); break;
    case core::DType::Int32: convert_all<std::int32_t>(bytes, out, n); break;
    case core::DType::Int64: convert_all<std::int64_t>(bytes, out, n); break;
    case core::DType::UInt8: convert_all<std::uint8_t>(bytes, out, n); break;
    case core::DType::UInt16: convert_all<std::uint16_t>(bytes, out, n); break;
    case core::DType::UInt32: convert_all<std::uint32_t>(bytes, out, n); break;
    case core::DType::UInt64: convert_all<std::uint64_t>(bytes, out, n); break;
    case core::DType::Float32: convert_all<float>(bytes, out, n); break;
    case core::DType::Float64: convert_all<double>(bytes, out, n); break;
    case core::DType::Float16:
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(detail::half_to_double(load<std::uint16_t>(bytes.data() + 2 * i)));
      break;
    case core::DType::String: FITCHECK_CHECK(false, "NdArray with a non-numeric dtype");
  }
  return t;
}

core::Table NdArray::to_table(const std::string& prefix) const {
  const std::int64_t n = size();
  const std::int64_t rows = shape.rank() == 0 ? 1 : shape[0];
  std::int64_t cols = 1;
  for (int k = 1; k < shape.rank(); ++k) cols *= shape[k];
  // An empty array can declare any number of columns; building millions of empty ones is useless.
  constexpr std::int64_t kMaxEmptyColumns = 1 << 16;
  if (n == 0 && cols > kMaxEmptyColumns) {
    throw core::InputError({.where = source, .what = "an empty array with too many columns for a table",
                            .expected = fmt::format("at most {} columns", kMaxEmptyColumns), .got = shape.str()});
  }
  // uint64 values above 2^63-1 do not fit an Int64 column: then the whole array becomes Float64
  // columns (values rounded to the nearest double) and source_dtype still says uint64.
  bool uint64_overflow = false;
  if (dtype == core::DType::UInt64) {
    for (std::int64_t i = 0; i < n && !uint64_overflow; ++i) {
      uint64_overflow = load<std::uint64_t>(bytes.data() + 8 * static_cast<std::size_t>(i)) >
                        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    }
  }
  const auto r = static_cast<std::size_t>(rows);
  const auto c = static_cast<std::size_t>(cols);
  enum class Kind { Bool, Int, Float } kind = dtype == core::DType::Bool ? Kind::Bool
                                              : core::dtype_is_integer(dtype) && !uint64_overflow ? Kind::Int
                                                                                                  : Kind::Float;
  std::vector<std::vector<std::uint8_t>> bools(kind == Kind::Bool ? c : 0, std::vector<std::uint8_t>(r));
  std::vector<std::vector<std::int64_t>> ints(kind == Kind::Int ? c : 0, std::vector<std::int64_t>(r));
  std::vector<std::vector<double>> floats(kind == Kind::Float ? c : 0, std::vector<double>(r));
  // Rows are read in blocks that stay in cache, every column filled from each block: a column at
  // a time would stride through the whole array once per column (784 passes over an image set).
  constexpr std::size_t kBlockRows = 256;
  const std::size_t item = core::dtype_size(dtype);
  auto fill = [&](auto convert) {
    for (std::size_t i0 = 0; i0 < r; i0 += kBlockRows) {
      const std::size_t i1 = std::min(r, i0 + kBlockRows);
      for (std::size_t j = 0; j < c; ++j) {
        for (std::size_t i = i0; i < i1; ++i) convert(j, i, bytes.data() + (i * c + j) * item);
      }
    }
  };
  auto fill_ints = [&]<typename T>(T) {
    fill([&](std::size_t j, std::size_t i, const std::byte* p) { ints[j][i] = static_cast<std::int64_t>(load<T>(p)); });
  };
  switch (kind) {
    case Kind::Bool:
      fill([&](std::size_t j, std::size_t i, const std::byte* p) { bools[j][i] = load<std::uint8_t>(p); });
      break;
    case Kind::Int:
      switch (dtype) {
        case core::DType::Int8: fill_ints(std::int8_t{}); break;
        case core::DType::Int16: fill_ints(std::int16_t{}); break;
        case core::DType::Int32: fill_ints(std::int32_t{}); break;
        case core::DType::Int64: fill_ints(std::int64_t{}); break;
        case core::DType::UInt8: fill_ints(std::uint8_t{}); break;
        case core::DType::UInt16: fill_ints(std::uint16_t{}); break;
        case core::DType::UInt32: fill_ints(std::uint32_t{}); break;
        default: fill_ints(std::uint64_t{}); break;
      }
      break;
    case Kind::Float:
      if (dtype == core::DType::Float32) {
        fill([&](std::size_t j, std::size_t i, const std::byte* p) { floats[j][i] = load<float>(p); });
      } else if (dtype == core::DType::Float64) {
        fill([&](std::size_t j, std::size_t i, const std::byte* p) { floats[j][i] = load<double>(p); });
      } else {
        fill([&](std::size_t j, std::size_t i, const std::byte*) {
          floats[j][i] = value(static_cast<std::int64_t>(i * c + j));
        });
      }
      break;
  }
  std::vector<core::Column> columns;
  columns.reserve(c);
  for (std::size_t j = 0; j < c; ++j) {
    std::string name = prefix + std::to_string(j);
    if (kind == Kind::Bool) {
      columns.push_back(core::Column::boolean(std::move(name), std::move(bools[j]), {}, dtype));
    } else if (kind == Kind::Int) {
      columns.push_back(core::Column::int64(std::move(name), std::move(ints[j]), {}, dtype));
    } else {
      std::vector<std::uint8_t> valid;
      const auto& v = floats[j];
      for (std::size_t i = 0; i < r; ++i) {
        if (std::isnan(v[i])) {
          if (valid.empty()) valid.assign(r, 1);
          valid[i] = 0;
        }
      }
      columns.push_back(core::Column::float64(std::move(name), std::move(floats[j]), std::move(valid), dtype));
    }
  }
  core::Table table;
  table.set_source(source);
  table.add_columns(std::move(columns));  // linear; adding wide arrays column by column is quadratic
  return table;
}

NdArray parse_npy(std::span<const std::byte> content, const std::string& source_name) {
  auto preamble = detail::parse_npy_preamble(content.first(std::min(content.size(), detail::kNpyMaxPreambleSize)),
                                             content.size(), source_name);
  std::string_view header_text(reinterpret_cast<const char*>(content.data()) + preamble.header_offset,
                               preamble.header_length);
  auto header = detail::parse_npy_header(header_text, preamble, source_name);
  const std::uint64_t available = content.size() - header.data_offset;
  if (header.data_bytes > available) throw_truncated(header, available, source_name);
  auto data = content.subspan(header.data_offset, static_cast<std::size_t>(header.data_bytes));
  return finish_array(header, std::vector<std::byte>(data.begin(), data.end()), source_name);
}

NdArray read_npy(const std::filesystem::path& path) {
  const std::string source = path.string();
  std::error_code ec;
  const std::uint64_t file_size = std::filesystem::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in) {
    throw core::InputError({.where = source, .what = "cannot open the file" + (ec ? ": " + ec.message() : std::string()),
                            .hint = "Check the path."});
  }
  auto read_exactly = [&](std::byte* dst, std::size_t n) {
    in.read(reinterpret_cast<char*>(dst), static_cast<std::streamsize>(n));
    if (static_cast<std::size_t>(in.gcount()) != n) {
      throw core::InputError({.where = source, .what = "reading the file failed (was it changed while being read?)"});
    }
  };
  std::vector<std::byte> first(static_cast<std::size_t>(std::min<std::uint64_t>(file_size, detail::kNpyMaxPreambleSize)));
  read_exactly(first.data(), first.size());
  auto preamble = detail::parse_npy_preamble(first, file_size, source);
  // The header length was checked against the file size, so this allocation is bounded by it.
  std::string header_text(preamble.header_length, '\0');
  in.seekg(static_cast<std::streamoff>(preamble.header_offset));
  read_exactly(reinterpret_cast<std::byte*>(header_text.data()), header_text.size());
  auto header = detail::parse_npy_header(header_text, preamble, source);
  const std::uint64_t available = file_size - header.data_offset;
  if (header.data_bytes > available) throw_truncated(header, available, source);
  std::vector<std::byte> data(static_cast<std::size_t>(header.data_bytes));
  read_exactly(data.data(), data.size());
  return finish_array(header, std::move(data), source);
}

void write_npy(const std::filesystem::path& path, const core::Tensor& tensor) {
  const char* descr = std::endian::native == std::endian::little ? "<f4" : ">f4";
  // Python tuple syntax: "()", "(3,)", "(3, 4)".
  std::string shape = "(";
  for (int k = 0; k < tensor.rank(); ++k) shape += (k > 0 ? ", " : "") + std::to_string(tensor.dim(k));
  shape += tensor.rank() == 1 ? ",)" : ")";
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", descr, shape);
  // Version 1.0 unless the header does not fit its 2-byte length (a very high rank): then 2.0.
  // The data starts on a 64-byte boundary, as NumPy writes it, so readers can map it aligned.
  const bool v1 = dict.size() + 1 + 10 <= 65535;
  const std::size_t preamble = v1 ? 10 : 12;
  std::size_t total = preamble + dict.size() + 1;
  const std::size_t padded = (total + 63) / 64 * 64;
  dict.append(padded - total, ' ');
  dict += '\n';
  std::string head = std::string("\x93NUMPY", 6);
  head += static_cast<char>(v1 ? 1 : 2);
  head += '\0';
  const std::size_t len = dict.size();
  head += static_cast<char>(len & 0xff);
  head += static_cast<char>((len >> 8) & 0xff);
  if (!v1) {
    head += static_cast<char>((len >> 16) & 0xff);
    head += static_cast<char>((len >> 24) & 0xff);
  }
  write_atomically(path, [&](std::ostream& out) {
    out.write(head.data(), static_cast<std::streamsize>(head.size()));
    out.write(dict.data(), static_cast<std::streamsize>(dict.size()));
    if (tensor.size() > 0) {
      out.write(reinterpret_cast<const char*>(tensor.data()), static_cast<std::streamsize>(tensor.size() * sizeof(float)));
    }
  });
}

}  // namespace fitcheck::io
