#pragma once
// Quantities as people read them in messages and reports: counts with thousands separators, as
// Keras' summary writes parameter counts, and byte sizes in binary units.

#include <cstdint>
#include <string>

namespace fitcheck::core {

// 1234567 -> "1,234,567"; negative counts keep their sign.
std::string with_thousands(std::int64_t n);
// 1536 -> "1.5 KiB"; one decimal, B up to PiB.
std::string binary_bytes(double bytes);

}  // namespace fitcheck::core
