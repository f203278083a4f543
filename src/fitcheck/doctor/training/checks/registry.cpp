// The training checks, one line each, in the order they run.
#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

void check_divergence(const TrainingContext&, std::vector<Finding>&);
void check_exploding_gradient(const TrainingContext&, std::vector<Finding>&);
void check_vanishing_gradient(const TrainingContext&, std::vector<Finding>&);
void check_dying_relu(const TrainingContext&, std::vector<Finding>&);
void check_saturated_activation(const TrainingContext&, std::vector<Finding>&);
void check_loss_plateau(const TrainingContext&, std::vector<Finding>&);
void check_loss_oscillation(const TrainingContext&, std::vector<Finding>&);
void check_majority_collapse(const TrainingContext&, std::vector<Finding>&);
void check_overfitting(const TrainingContext&, std::vector<Finding>&);
void check_unchanged_weights(const TrainingContext&, std::vector<Finding>&);

const std::vector<TrainingCheck>& all_training_checks() {
  static const std::vector<TrainingCheck> checks = {
      {"FC-T401", "train.divergence", "non-finite values and a growing loss", check_divergence},
      {"FC-T402", "train.exploding_gradient", "gradient norms growing by orders of magnitude", check_exploding_gradient},
      {"FC-T403", "train.vanishing_gradient", "early layers' gradients far below the last layer's", check_vanishing_gradient},
      {"FC-T404", "train.dying_relu", "ReLU units that never activate", check_dying_relu},
      {"FC-T405", "train.saturated_activation", "sigmoid / tanh units stuck at their limits", check_saturated_activation},
      {"FC-T406", "train.loss_plateau", "a loss that does not decrease", check_loss_plateau},
      {"FC-T407", "train.loss_oscillation", "a loss that swings without trend", check_loss_oscillation},
      {"FC-T408", "train.majority_collapse", "a classifier that predicts one class", check_majority_collapse},
      {"FC-T409", "train.overfitting", "validation loss rising while training loss falls", check_overfitting},
      {"FC-T410", "train.unchanged_weights", "layers whose weights never change", check_unchanged_weights},
  };
  return checks;
}

}  // namespace fitcheck::doctor
