#pragma once
// Memory sizes on the command line: "512M", "16GiB", "1.5G", "800K", "1000000" (bytes).

#include <cstdint>
#include <string>

namespace fitcheck::cli {

// Bytes; InputError naming `option` for anything else.
std::int64_t parse_memory_size(const std::string& text, const std::string& option);

}  // namespace fitcheck::cli
