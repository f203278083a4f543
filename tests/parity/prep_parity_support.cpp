#include "prep_parity_support.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace fitcheck::prep::parity {

void write_csv(const std::filesystem::path& path, const core::Table& t) {
  std::ofstream out(path);
  for (int j = 0; j < t.num_columns(); ++j) out << (j ? "," : "") << t.column(j).name;
  out << "\n";
  for (std::int64_t i = 0; i < t.num_rows(); ++i) {
    for (int j = 0; j < t.num_columns(); ++j) {
      const auto& c = t.column(j);
      if (j) out << ",";
      if (!c.is_valid(i)) continue;
      if (c.type == core::ColumnType::Float64) {
        out << fmt::format("{}", c.f64[static_cast<std::size_t>(i)]);  // shortest round-trip
      } else {
        out << c.as_string(i);
      }
    }
    out << "\n";
  }
}

PeerResult run_peer(const std::filesystem::path& script, const std::filesystem::path& dir, const nlohmann::json& spec) {
  const auto spec_path = dir / "spec.json", out_path = dir / "out.json", err_path = dir / "stderr.txt";
  std::ofstream(spec_path) << spec.dump();
  const auto cmd = fmt::format("/usr/bin/python3 '{}' '{}' '{}' 2>'{}'", script.string(), spec_path.string(),
                               out_path.string(), err_path.string());
  const int status = std::system(cmd.c_str());
  PeerResult r;
  std::stringstream err;
  err << std::ifstream(err_path).rdbuf();
  r.message = err.str();
  if (status != 0) {
    r.skipped = WIFEXITED(status) && WEXITSTATUS(status) == 3;
    if (!r.skipped) r.message = fmt::format("peer failed (status {}): {}", status, r.message);
    if (!std::filesystem::exists("/usr/bin/python3")) {
      r.skipped = true;
      r.message = "/usr/bin/python3 is not installed";
    }
    return r;
  }
  r.output = nlohmann::json::parse(std::ifstream(out_path));
  return r;
}

}  // namespace fitcheck::prep::parity
