#pragma once
// Outputs are written atomically: to a temporary file in the same directory, flushed, then
// renamed over the target, so a crash or a full disk never leaves a half-written file behind.

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string_view>

namespace fitcheck::io {

// Calls `write` with a stream to a temporary file, then renames it to `path`. Throws
// InputError naming `path` if the directory is not writable or the write fails.
void write_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace fitcheck::io
