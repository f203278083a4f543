// fitcheck: parse the command line, run one command, turn errors into messages and exit codes.
// Exit status (design.md): 0 no error-level finding, 1 an error-level finding, 2 unusable input.

#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "fitcheck/cli/commands/command.hpp"
#include "fitcheck/core/error.hpp"

namespace {
constexpr int kExitUnusableInput = 2;
constexpr int kExitInternal = 3;
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fitcheck: finds out why a model is not training, and how to fix it."};
  app.set_version_flag("--version", "fitcheck " FITCHECK_VERSION);
  app.require_subcommand(1);
  fitcheck::cli::CommandAction action;
  for (auto registrar : fitcheck::cli::all_commands()) registrar(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUnusableInput;
  }

  try {
    return action ? action() : 0;
  } catch (const fitcheck::core::InternalError& e) {
    fmt::print(stderr, "fitcheck: internal error: {}\n", e.what());
    return kExitInternal;
  } catch (const fitcheck::core::Error& e) {
    fmt::print(stderr, "fitcheck: {}\n", e.what());
    return kExitUnusableInput;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "fitcheck: out of memory. Try a smaller input or the streaming mode (--chunk-size).\n");
    return kExitUnusableInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "fitcheck: internal error: {}\n", e.what());
    return kExitInternal;
  }
}
