// libFuzzer target: bytes → .npz archive (libzip from memory) → every member parsed as .npy.
// Only fitcheck::core::InputError may escape; forged member sizes must not allocate gigabytes.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::byte> content(reinterpret_cast<const std::byte*>(data), size);
  try {
    auto arrays = fitcheck::io::parse_npz(content, "fuzz.npz");
    for (const auto& [key, array] : arrays) (void)array.to_tensor();
  } catch (const fitcheck::core::InputError&) {
  }
  try {
    (void)fitcheck::io::parse_npz_array(content, "fuzz.npz", "x_train");
  } catch (const fitcheck::core::InputError&) {
  }
  return 0;
}
