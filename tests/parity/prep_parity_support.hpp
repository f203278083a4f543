#pragma once
// Shared by the prep parity tests: writes Tables as CSV for pandas, runs a Python peer script
// with /usr/bin/python3, reads its JSON answer. A missing Python module makes the script exit
// with status 3, which the tests turn into GTEST_SKIP with the script's message.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "fitcheck/core/table.hpp"

namespace fitcheck::prep::parity {

// Missing cells are empty fields; doubles are written with round-trip digits.
void write_csv(const std::filesystem::path& path, const core::Table& t);

struct PeerResult {
  bool skipped = false;   // the peer lacks a module
  std::string message;    // stderr of the peer when skipped or failed
  nlohmann::json output;  // the JSON it wrote
};

// Runs `/usr/bin/python3 <script> <spec.json> <out.json>` in `dir`.
PeerResult run_peer(const std::filesystem::path& script, const std::filesystem::path& dir, const nlohmann::json& spec);

}  // namespace fitcheck::prep::parity
