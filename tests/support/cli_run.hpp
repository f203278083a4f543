#pragma once
// Runs the fitcheck binary (FITCHECK_BINARY, set by the test's CMake) with arguments: its output
// (stdout and stderr together, or stdout alone) and exit status.
#include <cstdio>
#include <string>

#include <sys/wait.h>

namespace fitcheck::test {

struct CliRun {
  int status = -1;
  std::string out;  // stdout and stderr
};

enum class Output { StdoutAndStderr, StdoutOnly };

inline CliRun run_fitcheck(const std::string& args, Output output = Output::StdoutAndStderr) {
  const std::string cmd = std::string("NO_COLOR= ") + FITCHECK_BINARY + " " + args +
                          (output == Output::StdoutAndStderr ? " 2>&1" : " 2>/dev/null");
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
