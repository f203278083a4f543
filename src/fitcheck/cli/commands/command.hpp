#pragma once
// A CLI command adds its subcommand, options and action to the app. The action runs after
// parsing and returns the exit status (0 ok, 1 when an error-level finding was reported);
// fitcheck::core::Error escapes to main(), which prints it and exits with 2.

#include <functional>
#include <vector>

namespace CLI {
class App;
}

namespace fitcheck::cli {

using CommandAction = std::function<int()>;
// Registers a subcommand on `app`; when the subcommand is chosen, `action` is set to its body.
using CommandRegistrar = void (*)(CLI::App& app, CommandAction& action);

// The commands, in the order `fitcheck --help` lists them (registry.cpp: one line each).
const std::vector<CommandRegistrar>& all_commands();


}  // namespace fitcheck::cli
