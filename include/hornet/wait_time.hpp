// Wait times between tasks: Locust's between, constant, constant_pacing and constant_throughput.
#pragma once

#include <functional>

namespace hornet {

class TaskScope;

/// Per-instance state a WaitTime keeps (constant_pacing remembers the last run). Each User and
/// TaskSet instance owns one; the engine passes it in.
struct WaitState {
  bool started = false;
  double last_run = 0;        // epoch seconds when the previous wait was computed
  double last_wait_time = 0;  // seconds returned by the previous call
  /// Paced waits: epoch seconds at which the schedule wants the next task to start. When a task
  /// overran its period the next one starts late, and its first request is timed from here
  /// (coordinated omission: the delay the server caused is part of the response time).
  double scheduled_start = 0;
};

/// How long a user waits after each task. A value type: copy it into as many classes as needed.
class WaitTime {
 public:
  /// No wait at all (Locust's default `constant(0)`).
  WaitTime() = default;

  static WaitTime constant(double seconds);
  static WaitTime between(double min_seconds, double max_seconds);
  /// Tasks start every `seconds` (the wait is shortened by the time the task took, never below 0).
  static WaitTime constant_pacing(double seconds);
  /// At most `tasks_per_second` tasks per second per user (constant_pacing(1 / n)).
  static WaitTime constant_throughput(double tasks_per_second);
  /// Any function returning seconds; called on the user's worker thread.
  static WaitTime custom(std::function<double()> seconds);
  /// A function of the User or TaskSet instance whose wait it is (a script's `wait_time`
  /// method); called on the user's worker thread.
  static WaitTime custom_for_scope(std::function<double(TaskScope&)> seconds);

  /// Seconds to wait now. `now` is epoch seconds; `uniform01` a random number in [0, 1);
  /// `scope` the instance whose wait this is (needed by custom_for_scope waits only).
  double next(WaitState& state, double now, double uniform01, TaskScope* scope = nullptr) const;

  /// True when the wait paces tasks to a schedule (constant_pacing / constant_throughput).
  bool paced() const noexcept { return kind_ == Kind::kPacing; }

 private:
  enum class Kind { kConstant, kBetween, kPacing, kCustom, kScopeCustom };
  Kind kind_ = Kind::kConstant;
  double a_ = 0;
  double b_ = 0;
  std::function<double()> custom_;
  std::function<double(TaskScope&)> scope_custom_;
};

inline WaitTime constant(double seconds) { return WaitTime::constant(seconds); }
inline WaitTime between(double min_seconds, double max_seconds) {
  return WaitTime::between(min_seconds, max_seconds);
}
inline WaitTime constant_pacing(double seconds) { return WaitTime::constant_pacing(seconds); }
inline WaitTime constant_throughput(double tasks_per_second) {
  return WaitTime::constant_throughput(tasks_per_second);
}

}  // namespace hornet
