// The user classes of a run, ready to spawn: selected by name, filtered by tags, with their
// task-picking tables built once (a user picks a task per iteration; that must be cheap).
#pragma once

#include <hornet/result.hpp>
#include <hornet/user.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hornet::core {

struct PreparedClass;

/// A task that survived tag filtering.
struct PreparedTask {
  const detail::TaskInfo* info = nullptr;               // name and method
  std::shared_ptr<const PreparedClass> task_set;        // for a nested TaskSet
};

/// A User or TaskSet class as the engine runs it.
struct PreparedClass {
  std::shared_ptr<const detail::ClassInfo> info;
  std::vector<PreparedTask> tasks;
  /// Random picks: cumulative weights, one per task (uniform over the weight-expanded list, as
  /// Locust's random.choice over its task list).
  std::vector<long long> cumulative_weights;
  /// Sequential task sets: task indices in order, each repeated `weight` times.
  std::vector<std::size_t> sequence;

  const std::string& name() const { return info->name; }
  bool sequential() const { return info->kind == detail::ClassKind::kSequentialTaskSet; }
  /// Index of the task for a uniform number in [0, 1).
  std::size_t pick(double uniform01) const;
};

struct ScenarioOptions {
  /// User class names from the command line; empty means all.
  std::vector<std::string> selected_classes;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::vector<std::string>> exclude_tags;
  /// --equal-weights: every class weight 1.
  bool equal_weights = false;
};

/// The user classes of a run. Immutable once prepared; shared read-only by all worker threads.
class Scenario {
 public:
  /// Fails, with Locust's messages, when a selected class does not exist, when no class is
  /// left, or when a class has no task after tag filtering.
  static Result<Scenario> prepare(const std::vector<std::shared_ptr<const detail::ClassInfo>>& classes,
                                  const ScenarioOptions& options);

  const std::vector<std::shared_ptr<const PreparedClass>>& user_classes() const {
    return user_classes_;
  }
  /// Effective weight of user class `i` (1 with --equal-weights).
  double weight(std::size_t i) const { return weights_[i]; }

 private:
  std::vector<std::shared_ptr<const PreparedClass>> user_classes_;
  std::vector<double> weights_;
};

}  // namespace hornet::core
