// fitcheck's side of bench/prep_vs_sklearn.py. Prints "<seconds> <what>" lines, best of `repeat`.
//   prep_bench table TABLE.csv [repeat]   impute+scale numeric, impute+one-hot categorical
//                                         (fit + transform, like ColumnTransformer.fit_transform)
//   prep_bench smote X.f32 Y.i64 ROWS COLS [repeat]   SMOTE(k=5, seed 0)
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/io/csv_reader.hpp"
#include "fitcheck/prep/pipeline.hpp"
#include "fitcheck/prep/smote.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
// Process CPU seconds (all threads): on a shared, loaded machine wall time mostly measures waiting.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

int bench_table(const std::string& path, int repeat) {
  auto t0 = Clock::now();
  auto table = fitcheck::io::read_csv(path).table;
  std::printf("%.4f fitcheck read_csv\n", seconds_since(t0));
  if (table.find("label")) table.take("label");
  nlohmann::json num = nlohmann::json::array(), cat = nlohmann::json::array();
  for (const auto& c : table.columns()) (c.is_numeric() ? num : cat).push_back(c.name);
  const nlohmann::json spec = {
      {{"columns", num}, {"steps", {{{"impute", "median"}}, {{"scale", "standard"}}}}},
      {{"columns", cat}, {"steps", {{{"impute", "most_frequent"}}, {{"onehot", {{"handle_unknown", "ignore"}}}}}}}};
  const auto pipeline = fitcheck::prep::Pipeline::from_json(spec, "bench");
  const auto train = fitcheck::prep::TrainingData::whole(table);
  double best = 1e9, best_cpu = 1e9;
  std::int64_t width = 0;
  for (int r = 0; r < repeat; ++r) {
    t0 = Clock::now();
    const double c0 = cpu_seconds();
    const auto fitted = pipeline.fit(train);
    const auto out = fitted.transform(table);
    best = std::min(best, seconds_since(t0));
    best_cpu = std::min(best_cpu, cpu_seconds() - c0);
    width = out.x.dim(1);
  }
  std::printf("%.4f fitcheck pipeline fit + transform (%lld features)\n", best, static_cast<long long>(width));
  std::printf("%.4f fitcheck pipeline cpu\n", best_cpu);
  return 0;
}

constexpr int kWarmUp = 2;

int bench_smote(const std::string& xp, const std::string& yp, std::int64_t rows, std::int64_t cols, int repeat) {
  fitcheck::core::Tensor x(fitcheck::core::Shape({rows, cols}));
  std::ifstream(xp, std::ios::binary).read(reinterpret_cast<char*>(x.data()), rows * cols * 4);
  std::vector<std::int64_t> y(static_cast<std::size_t>(rows));
  std::ifstream(yp, std::ios::binary).read(reinterpret_cast<char*>(y.data()), rows * 8);
  double best = 1e9, best_cpu = 1e9, first = 0.0;
  std::int64_t out_rows = 0;
  // Two untimed warm-up calls before the timed ones, as the Python side does: a fresh process
  // pays its first page faults and thread start-ups there (the first call is printed apart).
  for (int r = 0; r < repeat + kWarmUp; ++r) {
    const auto t0 = Clock::now();
    const double c0 = cpu_seconds();
    const auto res = fitcheck::prep::Smote({.random_state = 0, .k_neighbors = 5}).fit_resample(x, y);
    if (r == 0) first = seconds_since(t0);
    if (r >= kWarmUp) {
      best = std::min(best, seconds_since(t0));
      best_cpu = std::min(best_cpu, cpu_seconds() - c0);
    }
    out_rows = res.x.dim(0);
  }
  std::printf("%.4f fitcheck SMOTE (%lld rows out)\n", best, static_cast<long long>(out_rows));
  std::printf("%.4f fitcheck SMOTE cpu\n", best_cpu);
  std::printf("%.4f fitcheck SMOTE first call\n", first);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "table" && argc >= 3) return bench_table(argv[2], argc > 3 ? std::stoi(argv[3]) : 3);
  if (mode == "smote" && argc >= 6) {
    return bench_smote(argv[2], argv[3], std::stoll(argv[4]), std::stoll(argv[5]), argc > 6 ? std::stoi(argv[6]) : 3);
  }
  std::fprintf(stderr, "usage: prep_bench table TABLE.csv [repeat] | smote X.f32 Y.i64 ROWS COLS [repeat]\n");
  return 2;
}
