#include <algorithm>
#include <hornet/wait_time.hpp>
#include <stdexcept>

namespace hornet {

WaitTime WaitTime::constant(double seconds) {
  WaitTime w;
  w.kind_ = Kind::kConstant;
  w.a_ = std::max(seconds, 0.0);
  return w;
}

WaitTime WaitTime::between(double min_seconds, double max_seconds) {
  if (max_seconds < min_seconds) std::swap(min_seconds, max_seconds);
  WaitTime w;
  w.kind_ = Kind::kBetween;
  w.a_ = std::max(min_seconds, 0.0);
  w.b_ = std::max(max_seconds, 0.0);
  return w;
}

WaitTime WaitTime::constant_pacing(double seconds) {
  WaitTime w;
  w.kind_ = Kind::kPacing;
  w.a_ = std::max(seconds, 0.0);
  return w;
}

WaitTime WaitTime::constant_throughput(double tasks_per_second) {
  if (!(tasks_per_second > 0)) {
    throw std::invalid_argument("constant_throughput: tasks per second must be > 0");
  }
  return constant_pacing(1.0 / tasks_per_second);
}

WaitTime WaitTime::custom(std::function<double()> seconds) {
  WaitTime w;
  w.kind_ = Kind::kCustom;
  w.custom_ = std::move(seconds);
  return w;
}

WaitTime WaitTime::custom_for_scope(std::function<double(TaskScope&)> seconds) {
  WaitTime w;
  w.kind_ = Kind::kScopeCustom;
  w.scope_custom_ = std::move(seconds);
  return w;
}

double WaitTime::next(WaitState& state, double now, double uniform01, TaskScope* scope) const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kBetween:
      return a_ + uniform01 * (b_ - a_);
    case Kind::kPacing: {
      // Locust's constant_pacing: the first wait is the full period; later ones subtract the
      // time the task took (time since the previous wait ended), never going below zero.
      if (!state.started) {
        state.started = true;
        state.last_wait_time = a_;
        state.scheduled_start = now + a_;
      } else {
        // The previous task started at last_run + last_wait_time; the next is due a period later.
        const double previous_start = state.last_run + state.last_wait_time;
        const double run_time = now - previous_start;
        state.last_wait_time = std::max(0.0, a_ - run_time);
        state.scheduled_start = previous_start + a_;
      }
      state.last_run = now;
      return state.last_wait_time;
    }
    case Kind::kCustom:
      return custom_ ? std::max(custom_(), 0.0) : 0.0;
    case Kind::kScopeCustom:
      return scope_custom_ && scope != nullptr ? std::max(scope_custom_(*scope), 0.0) : 0.0;
  }
  return 0;
}

}  // namespace hornet
