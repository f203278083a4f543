#include "fitcheck/cli/commands/command.hpp"

namespace fitcheck::cli {

void register_check_command(CLI::App& app, CommandAction& action);
void register_profile_command(CLI::App& app, CommandAction& action);
void register_prep_command(CLI::App& app, CommandAction& action);
void register_doctor_command(CLI::App& app, CommandAction& action);
void register_summary_command(CLI::App& app, CommandAction& action);
void register_fit_command(CLI::App& app, CommandAction& action);
void register_predict_command(CLI::App& app, CommandAction& action);
void register_export_command(CLI::App& app, CommandAction& action);

const std::vector<CommandRegistrar>& all_commands() {
  static const std::vector<CommandRegistrar> commands = {
      register_profile_command,
      register_check_command,
      register_doctor_command,
      register_fit_command,
      register_prep_command,
      register_summary_command,
      register_predict_command,
      register_export_command,
  };
  return commands;
}

}  // namespace fitcheck::cli
