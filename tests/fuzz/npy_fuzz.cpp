// libFuzzer target: bytes → .npy parsing, then every conversion. Only fitcheck::core::Error may
// escape the reader; nothing may crash, read out of bounds or allocate more than the input implies.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::byte> content(reinterpret_cast<const std::byte*>(data), size);
  try {
    auto array = fitcheck::io::parse_npy(content, "fuzz.npy");
    auto tensor = array.to_tensor();
    auto table = array.to_table();
    if (array.size() > 0) (void)array.value(array.size() - 1);
    (void)tensor;
    (void)table;
  } catch (const fitcheck::core::InputError&) {
  }
  return 0;
}
