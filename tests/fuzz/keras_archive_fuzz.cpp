// libFuzzer target: bytes → .keras archive (zip, config.json, model.weights.h5 opened from memory).
// Only fitcheck::core::InputError may escape. Inputs that reach a mangled HDF5 image exercise the
// HDF5 library as well; a crash inside libhdf5 is reported, but is HDF5's to fix.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/keras_file.hpp"

// libhdf5 leaks internal state on some malformed files (its error paths); those leaks are
// HDF5's, and are suppressed so that leaks in fitcheck's own code still stop the fuzzer.
extern "C" const char* __lsan_default_suppressions() { return "leak:libhdf5\n"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::byte> content(reinterpret_cast<const std::byte*>(data), size);
  try {
    (void)fitcheck::io::parse_keras_archive(content, "fuzz.keras");
  } catch (const fitcheck::core::InputError&) {
  }
  return 0;
}
