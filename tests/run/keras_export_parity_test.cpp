// The .keras files of run::save_keras checked by /usr/bin/python3 with h5py (label "parity"): the
// zip members, metadata.json, config.json's Keras 3 structure and the weights file's groups,
// dataset shapes, dtypes and values, against the format as shared/reference/keras.md documents it
// (keras_export_check.py derives the expected layout from config.json by Keras' rules; it does
// not use fitcheck's reader). Keras itself is not installed, so no file is loaded by Keras.
// Skipped, with a message, without h5py.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "fitcheck/run/keras_export.hpp"
#include "fitcheck/run/saved_model.hpp"
#include "keras_zoo.hpp"
#include "support/test_data.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace fitcheck;

using fitcheck::test::kPython;

bool h5py_available() {
  static const bool ok = std::system((std::string(kPython) + " -c 'import h5py, numpy' >/dev/null 2>&1").c_str()) == 0;
  return ok;
}

TEST(KerasExportParity, H5pyFindsKeras3LayoutShapesAndValues) {
  if (!h5py_available()) GTEST_SKIP() << kPython << " with h5py is needed (apt-get install python3-h5py)";
  test::TempDir dir;
  std::string names;
  for (const auto& z : test::zoo()) {
    auto model = test::model_of(z.name, z.layers);
    test::randomize(model, 5);
    if (z.name == "mlp") {  // one compiled model: compile_config is written
      model.compile({.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
    }
    run::save_keras(dir.path() / (z.name + ".keras"), model);
    run::save_model(dir.path() / z.name, model);  // weights/NNN.npy in get_weights() order
    names += " " + z.name;
  }
  const std::string log = (dir.path() / "check.log").string();
  const std::string cmd = std::string(kPython) + " " + FITCHECK_KERAS_CHECK_SCRIPT + " " + dir.path().string() + names +
                          " > " + log + " 2>&1";
  const int status = std::system(cmd.c_str());
  std::ifstream in(log);
  std::stringstream out;
  out << in.rdbuf();
  EXPECT_EQ(status, 0) << out.str();
  for (const auto& z : test::zoo()) EXPECT_NE(out.str().find("ok " + z.name + ":"), std::string::npos) << out.str();
}

}  // namespace
