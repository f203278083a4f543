// A training program written the way a Keras user writes the script: read the data, split it
// before anything is fitted, fit the preprocessing on the training rows only, build, compile,
// fit with callbacks, evaluate, predict.
//
//   build/release/examples/train_breast_cancer [examples/data/breast_cancer.csv] [out_dir]
//
// The Keras script it mirrors:
//   x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, stratify=y, random_state=0)
//   scaler = StandardScaler().fit(x_train)
//   model = keras.Sequential([keras.Input((30,)), layers.Dense(16, activation="relu"),
//                             layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
//   model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", "auc"])
//   model.fit(scaler.transform(x_train), y_train, epochs=100, validation_split=0.2,
//             callbacks=[EarlyStopping(patience=10, restore_best_weights=True),
//                        CSVLogger("training.csv"), ModelCheckpoint("best", save_best_only=True)])
//   model.evaluate(scaler.transform(x_test), y_test); model.predict(...)
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/csv_reader.hpp"
#include "fitcheck/nn/callbacks.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "fitcheck/prep/pipeline.hpp"
#include "fitcheck/prep/split.hpp"
#include "fitcheck/run/file_callbacks.hpp"
#include "fitcheck/run/saved_model.hpp"

using namespace fitcheck;

namespace {

// The label of the given rows, as the model's targets.
core::Tensor targets(const core::Column& label, const std::vector<std::int64_t>& rows) {
  core::Tensor y(core::Shape{static_cast<std::int64_t>(rows.size())});
  for (std::size_t i = 0; i < rows.size(); ++i) y.data()[i] = static_cast<float>(label.as_double(rows[i]));
  return y;
}

int train(const std::filesystem::path& csv, const std::filesystem::path& out) {
  // 569 tumours, 30 measurements, the label "benign".
  core::Table table = io::read_csv(csv).table;
  const core::Column label = table.take("benign");

  // Split first (stratified and seeded, scikit-learn's indices), then fit the scaler on the
  // training rows only: prep::Pipeline::fit accepts nothing but the training side of a split.
  const auto classes = prep::class_codes(label);
  const auto split = prep::train_test_split_indices(table.num_rows(), {.test_size = 0.2, .seed = 0}, &classes);
  const auto parts = prep::split_table(table, split);
  const nlohmann::json steps = {{{"columns", table.column_names()}, {"steps", {{{"scale", "standard"}}}}}};
  const auto scaler = prep::Pipeline::from_json(steps, "scaler").fit(parts.train);
  const core::Tensor x_train = scaler.transform(parts.train.table()).x;
  const core::Tensor x_test = scaler.transform(parts.held_out).x;
  const core::Tensor y_train = targets(label, split.train), y_test = targets(label, split.test);

  nn::Sequential model("breast_cancer", /*seed=*/0);
  model.add(nn::InputLayer(core::Shape{x_train.dim(1)}));
  model.add(nn::Dense({.units = 16, .activation = "relu"}));
  model.add(nn::Dense({.units = 8, .activation = "relu"}));
  model.add(nn::Dense({.units = 1, .activation = "sigmoid"}));
  model.compile({.optimizer = "adam", .loss = "binary_crossentropy", .metrics = {"accuracy", "auc"}});

  std::filesystem::create_directories(out);
  nn::EarlyStopping early({.patience = 10, .restore_best_weights = true});
  run::CSVLogger log({.filename = out / "training.csv"});
  run::ModelCheckpoint best({.filepath = (out / "best").string(), .save_best_only = true});
  const auto history = model.fit(x_train, y_train,
                                 {.epochs = 100, .verbose = 2, .validation_split = 0.2, .seed = 0,
                                  .callbacks = {&early, &log, &best}});

  // fit() builds the model (its seed sets the initial weights), so the summary comes after it.
  std::printf("%s\n", model.summary().c_str());
  const auto test = model.evaluate(x_test, y_test);
  std::printf("trained %zu epochs (early stopping at %d); test loss %.4f, accuracy %.4f, AUC %.4f\n",
              history.epoch.size(), early.stopped_epoch(), *test.get("loss"), *test.get("accuracy"),
              *test.get("auc"));
  const core::Tensor p = model.predict(x_test);
  std::printf("first test tumours: p(benign) = %.3f %.3f %.3f (labels %g %g %g)\n", p[0], p[1], p[2], y_test[0],
              y_test[1], y_test[2]);
  // The best checkpoint reads back as a model of its own.
  nn::Sequential restored = run::load_model(out / "best");
  restored.compile({.optimizer = "adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  std::printf("best checkpoint (%zu saved): test accuracy %.4f; log in %s\n", best.saved().size(),
              *restored.evaluate(x_test, y_test).get("accuracy"), (out / "training.csv").c_str());
  return *test.get("accuracy") >= 0.9 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path csv = argc > 1 ? argv[1] : "examples/data/breast_cancer.csv";
  const std::filesystem::path out = argc > 2 ? argv[2] : "train_breast_cancer.out";
  try {
    return train(csv, out);
  } catch (const core::Error& e) {
    std::fprintf(stderr, "train_breast_cancer: %s\n", e.what());
    return 2;
  }
}
