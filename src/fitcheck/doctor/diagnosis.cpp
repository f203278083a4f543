#include "fitcheck/doctor/diagnosis.hpp"

#include <algorithm>
#include <new>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/context.hpp"
#include "fitcheck/doctor/overview.hpp"
#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

namespace {

// Data problems that show up in training as NaN, plateaus or saturation: the training finding
// is their consequence, not a second diagnosis.
bool data_root(const std::string& category) {
  static const char* roots[] = {"data.unscaled_features", "data.unnormalized_images", "data.categorical_unencoded",
                                "data.missing_values", "data.non_finite", "data.missing_labels", "data.dtype"};
  return std::find(std::begin(roots), std::end(roots), category) != std::end(roots);
}

nlohmann::json* repair_learning_rate(Finding& f) {
  if (!f.repair || !f.repair->is_object()) return nullptr;
  auto& r = *f.repair;
  if (!r.contains("compile") || !r["compile"].contains("optimizer")) return nullptr;
  auto& o = r["compile"]["optimizer"];
  if (!o.is_object() || !o.contains("config") || !o["config"].contains("learning_rate")) return nullptr;
  return &o["config"]["learning_rate"];
}

// Runs the range test when a warning or error proposes a new learning rate, and puts its
// proposal into those repairs.
void propose_learning_rate(const io::RunSpec& run, Diagnosis& d) {
  bool wanted = false;
  for (auto& f : d.findings) wanted = wanted || (f.severity != Severity::Info && repair_learning_rate(f) != nullptr);
  if (!wanted) return;
  try {
    d.lr_finder = find_learning_rate(run);
  } catch (const core::Error&) {
    return;
  } catch (const std::bad_alloc&) {
    return;
  }
  if (!d.lr_finder->proposed) return;
  const double lr = *d.lr_finder->proposed;
  for (auto& f : d.findings) {
    if (auto* value = repair_learning_rate(f)) {
      *value = lr;
      f.evidence["lr_finder_proposal"] = lr;
      f.fix = fmt::format("Set the learning rate to {:g}: the learning-rate range test found the loss lowest at a rate "
                          "of {:.2g}, and a tenth of that is on the safe side of it.",
                          lr, *d.lr_finder->lowest_at);
    }
  }
}

}  // namespace

Diagnosis diagnose(const io::RunSpec& run, const DiagnosisOptions& options) {
  Diagnosis d;
  auto ctx = build_check_context(run);
  if (options.memory_bytes) ctx.memory_bytes = options.memory_bytes;
  d.findings = run_checks(ctx);
  d.overview = run_overview(ctx);
  if (options.probe) {
    // Training that needs more memory than the machine has (model.memory at error) is not tried:
    // allocating the weights alone would fail, and the static finding already says why.
    const Finding* memory = nullptr;
    for (const auto& f : d.findings) {
      if (f.category == "model.memory" && f.severity == Severity::Error) memory = &f;
    }
    if (memory != nullptr) {
      d.probe_skipped = fmt::format("{} ({}): {}", memory->code, memory->category, memory->title);
    } else {
      try {
        d.probe = run_probe(run, options.probe_options);
      } catch (const core::Error& e) {
        d.probe_skipped = e.what();
      } catch (const std::bad_alloc&) {
        d.probe_skipped = "the machine ran out of memory while training; the run needs more than is available.";
      }
    }
  }
  if (d.probe) {
    TrainingContext tctx{.run = &run, .probe = &*d.probe, .static_findings = &d.findings};
    auto training = run_training_checks(tctx);
    // Follow caused_by to the root (through other training findings); a data root demotes.
    auto root_of = [&](const Finding& f) -> const Finding* {
      std::string code = f.caused_by;
      for (int hops = 0; hops < 8 && !code.empty(); ++hops) {
        for (const auto& s : d.findings) {
          if (s.code == code) return &s;
        }
        const Finding* next = nullptr;
        for (const auto& t : training) {
          if (t.code == code) next = &t;
        }
        if (next == nullptr) return nullptr;
        code = next->caused_by;
      }
      return nullptr;
    };
    for (auto& f : training) {
      if (f.caused_by.empty() || f.severity == Severity::Info) continue;
      const Finding* root = root_of(f);
      if (root != nullptr && data_root(root->category)) {
        f.evidence["reported_as_info_because"] = "a consequence of " + root->code + " (" + root->category + ")";
        f.severity = Severity::Info;
      }
    }
    d.findings.insert(d.findings.end(), std::make_move_iterator(training.begin()),
                      std::make_move_iterator(training.end()));
  }
  if (d.probe && options.lr_finder) propose_learning_rate(run, d);
  sort_findings(d.findings);
  return d;
}

}  // namespace fitcheck::doctor
