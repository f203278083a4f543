// libFuzzer target: a Keras model JSON → the engine's layers built from it → one forward and one
// training step on zeros. Only fitcheck::core::Error may escape: a layer config the engine cannot
// take must be refused with a message, never crash, hang or throw anything else.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/tensor.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/nn/sequential.hpp"

namespace {

// Keeps the work per input small: no number in the document beyond ±64 (units, filters, sizes,
// lengths), so a model allocates kilobytes, not the gigabytes a hostile "units" would ask for.
bool small_numbers(const nlohmann::json& j) {
  if (j.is_number()) return std::fabs(j.get<double>()) <= 64.0;
  if (j.is_array() || j.is_object()) {
    for (const auto& v : j) {
      if (!small_numbers(v)) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto doc = fitcheck::io::parse_json_text(text, "fuzz.json");
    if (!small_numbers(doc)) return 0;
    auto model = fitcheck::nn::Sequential::from_config(doc, "fuzz.json");
    const auto input = model.input_shape();
    if (!input || input->rank() < 2 || input->rank() > 5) return 0;
    auto dims = input->dims();
    dims[0] = 2;
    std::int64_t elements = 1;
    for (auto d : dims) {
      if (d <= 0) return 0;
      elements *= d;
    }
    if (elements > 4096) return 0;
    const fitcheck::core::Tensor x{fitcheck::core::Shape(dims)};
    const auto out = model.predict(x);
    model.compile({.optimizer = "sgd", .loss = "mse"});
    const fitcheck::core::Tensor y{out.shape()};
    model.fit(x, y, {.batch_size = 2, .epochs = 1, .verbose = 0, .shuffle = false});
  } catch (const fitcheck::core::Error&) {
  }
  return 0;
}
