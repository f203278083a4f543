#pragma once
// The .npy preamble (magic, version, header length) and the header dict, parsed as data: the
// dict is a small Python-literal grammar (strings, True/False/None, integers, tuples, lists,
// dicts) read by a bounded recursive-descent parser, never evaluated. Internal to io.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fitcheck/core/dtype.hpp"
#include "fitcheck/core/shape.hpp"

namespace fitcheck::io::detail {

// Magic (6) + version (2) + header length (2 or 4).
inline constexpr std::size_t kNpyMaxPreambleSize = 12;

struct NpyPreamble {
  int major = 1;
  int minor = 0;
  std::size_t header_offset = 0;  // where the header dict starts
  std::size_t header_length = 0;  // its length in bytes, padding included
};

// `first_bytes` holds the first min(file_size, kNpyMaxPreambleSize) bytes of the file.
NpyPreamble parse_npy_preamble(std::span<const std::byte> first_bytes, std::uint64_t file_size,
                               const std::string& source);

struct NpyHeader {
  core::DType dtype = core::DType::Float32;
  bool byte_swap = false;      // the stored byte order differs from this machine's
  bool fortran_order = false;
  core::Shape shape;
  std::int64_t num_elements = 0;
  std::uint64_t data_bytes = 0;  // num_elements * item size; overflow is refused
  std::size_t data_offset = 0;
};

// Parses the header dict; byte offsets in messages count from the start of the file.
NpyHeader parse_npy_header(std::string_view header_text, const NpyPreamble& preamble,
                           const std::string& source);

// Half-precision bits to double (exact).
double half_to_double(std::uint16_t bits);

}  // namespace fitcheck::io::detail
