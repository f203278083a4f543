#pragma once
// Writing zip archives (.keras) in memory through libzip. The members are stored uncompressed,
// in the order given, as Python's zipfile.ZipFile(path, "w") writes them (Keras' writer). Internal
// to io: the caller writes the bytes out (atomically).

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace fitcheck::io::detail {

struct ZipMember {
  std::string name;                 // "config.json"
  std::span<const std::byte> data;  // must stay valid during build_zip
};

// The whole archive as bytes. `target` names the archive in error messages (InternalError when
// libzip fails: with every input in memory there is no user-side cause).
std::vector<std::byte> build_zip(const std::vector<ZipMember>& members, const std::string& target);

}  // namespace fitcheck::io::detail
