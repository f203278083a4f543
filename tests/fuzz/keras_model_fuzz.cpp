// libFuzzer target: JSON text → Keras model normalisation. Only fitcheck::core::Error may escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/keras_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto doc = fitcheck::io::parse_json_text(text, "fuzz.json");
    (void)fitcheck::io::parse_keras_model(doc, "fuzz.json");
  } catch (const fitcheck::core::Error&) {
  }
  return 0;
}
