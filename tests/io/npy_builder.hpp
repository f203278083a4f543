#pragma once
// Hand-built .npy bytes for tests: a header dict as text plus a payload, so each test states
// exactly the bytes it feeds the reader.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fitcheck::test {

// "\x93NUMPY" + version + little-endian header length + `dict` padded with spaces to a
// 64-byte boundary and a newline (as numpy writes it) + `payload`.
inline std::string make_npy(std::string_view dict, std::string_view payload, int major = 1) {
  const std::size_t preamble = major == 1 ? 10 : 12;
  std::string header(dict);
  std::size_t total = preamble + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(major);
  out += '\0';
  const std::size_t len_bytes = major == 1 ? 2 : 4;
  for (std::size_t i = 0; i < len_bytes; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  out += header;
  out += payload;
  return out;
}

inline std::span<const std::byte> as_bytes(const std::string& s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

template <typename T>
std::string raw_bytes(std::initializer_list<T> values) {
  std::string out;
  for (T v : values) out.append(reinterpret_cast<const char*>(&v), sizeof(T));
  return out;
}

}  // namespace fitcheck::test
