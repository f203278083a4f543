#pragma once
// Runs the fitcheck binary (FITCHECK_BINARY, set by CMake) with arguments; stdout and stderr
// together, and the exit status.
#include <cstdio>
#include <string>

#include <sys/wait.h>

namespace fitcheck::test {

struct CliRun {
  int status = -1;
  std::string out;  // stdout and stderr
};

inline CliRun run_fitcheck(const std::string& args) {
  const std::string cmd = std::string("NO_COLOR= ") + FITCHECK_BINARY + " " + args + " 2>&1";
  CliRun r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace fitcheck::test
