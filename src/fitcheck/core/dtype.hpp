#pragma once
// The element types user data arrives in. Kept through loading so that the doctor can say "your
// array is uint8" (data.dtype), even after the values were converted for the network.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fitcheck::core {

enum class DType {
  Bool,
  Int8, Int16, Int32, Int64,
  UInt8, UInt16, UInt32, UInt64,
  Float16, Float32, Float64,
  String,  // text (CSV fields that are not numbers)
};

// NumPy's names: "bool", "int8", ..., "float64"; "string" for text.
std::string_view dtype_name(DType t);
std::optional<DType> dtype_from_name(std::string_view name);

// Bytes per element in a binary array; 0 for String.
std::size_t dtype_size(DType t);

bool dtype_is_integer(DType t);   // signed or unsigned integers (not bool)
bool dtype_is_unsigned(DType t);
bool dtype_is_float(DType t);

}  // namespace fitcheck::core
