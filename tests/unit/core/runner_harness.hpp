// A core::LocalRunner with real worker threads and no network, for task loop and runner tests.
//
// Users derive from TrackedUser and write what they do into a process-wide, thread-safe EventLog
// (their tasks run on worker threads); the test thread drives the runner's control loop with
// run_until(), which returns once a condition holds or a time limit passes. Timing assertions
// built on this are lower bounds (a sleep never ends early) or counts with wide margins.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <hornet/hornet.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/log.hpp"
#include "core/local_runner.hpp"
#include "core/scenario.hpp"

namespace hornet::core::harness {

using Clock = std::chrono::steady_clock;

inline double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

struct Event {
  int user = 0;  // the user instance's id, in order of construction
  std::string what;
  Clock::time_point at;
};

/// Events from every user of every worker thread, in the order they were written.
class EventLog {
 public:
  void add(int user, std::string what) {
    std::lock_guard lock(mutex_);
    events_.push_back({user, std::move(what), Clock::now()});
  }
  void clear() {
    std::lock_guard lock(mutex_);
    events_.clear();
  }
  std::vector<Event> all() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  /// What one user did, in order.
  std::vector<std::string> of(int user) const {
    std::vector<std::string> out;
    for (const Event& e : all()) {
      if (e.user == user) out.push_back(e.what);
    }
    return out;
  }
  /// The events called `what` (of one user, if `user` >= 0).
  std::vector<Event> named(std::string_view what, int user = -1) const {
    std::vector<Event> out;
    for (const Event& e : all()) {
      if (e.what == what && (user < 0 || e.user == user)) out.push_back(e);
    }
    return out;
  }
  int count(std::string_view what, int user = -1) const {
    return static_cast<int>(named(what, user).size());
  }
  /// Users that wrote `what`, in order of their first such event.
  std::vector<int> users_with(std::string_view what) const {
    std::vector<int> out;
    for (const Event& e : named(what)) {
      if (std::find(out.begin(), out.end(), e.user) == out.end()) out.push_back(e.user);
    }
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Event> events_;
};

inline EventLog& events() {
  static EventLog log;
  return log;
}

inline int next_user_id() {
  static std::atomic<int> next{1};
  return next++;
}

/// A User that knows its id and writes events under it.
class TrackedUser : public User {
 public:
  int id() const noexcept { return id_; }
  void note(std::string what) const { events().add(id_, std::move(what)); }

 private:
  const int id_ = next_user_id();
};

/// Writes an event for the user a TaskSet runs as.
inline void note(const TaskScope& scope, std::string what) {
  dynamic_cast<const TrackedUser&>(scope.user()).note(std::move(what));
}

/// A runner on an io_context driven by the test thread.
class RunnerHarness {
 public:
  explicit RunnerHarness(const std::vector<std::shared_ptr<const detail::ClassInfo>>& classes,
                         RunnerSettings settings = {}) {
    Result<Scenario> scenario = Scenario::prepare(classes, {});
    if (!scenario) throw std::runtime_error(scenario.error().message);
    runner_ = std::make_unique<LocalRunner>(
        control_, std::make_shared<const Scenario>(std::move(scenario).value()), settings);
    runner_->on_state_change = [this](RunnerState state) {
      states_.push_back(state);
    };
  }
  RunnerHarness(const RunnerHarness&) = delete;
  RunnerHarness& operator=(const RunnerHarness&) = delete;

  ~RunnerHarness() {
    auto done = std::make_shared<bool>(false);
    runner_->quit([done] { *done = true; });
    run_until([done] { return *done; }, 20);
    runner_.reset();
    work_.reset();
  }

  LocalRunner& runner() noexcept { return *runner_; }
  const std::vector<RunnerState>& states() const noexcept { return states_; }

  /// Runs the control loop until `done()` holds (true) or `timeout` seconds pass (false).
  bool run_until(const std::function<bool()>& done, double timeout) {
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(timeout));
    while (!done()) {
      if (Clock::now() >= deadline) return false;
      control_.run_one_for(std::chrono::milliseconds(2));
    }
    return true;
  }

  /// Runs the control loop for `seconds`.
  void run_for(double seconds) {
    run_until([] { return false; }, seconds);
  }

  bool wait_for_state(RunnerState state, double timeout = 10) {
    return run_until([&] { return runner_->state() == state; }, timeout);
  }

  /// start(), then waits for the running state (spawning complete).
  bool start_and_wait_running(int users, double spawn_rate, double timeout = 10) {
    runner_->start(users, spawn_rate);
    return wait_for_state(RunnerState::kRunning, timeout);
  }

  /// stop(), then waits for its callback; returns false on timeout. (Flags passed to callbacks
  /// are shared: a callback may run after a timed-out wait, while the harness quits.)
  bool stop_and_wait(double timeout = 10) {
    auto done = std::make_shared<bool>(false);
    runner_->stop([done] { *done = true; });
    return run_until([done] { return *done; }, timeout);
  }

  /// Merges every worker's statistics and user counts into the runner (runner.collect()).
  bool collect(double timeout = 10) {
    auto done = std::make_shared<bool>(false);
    runner_->collect([done] { *done = true; });
    return run_until([done] { return *done; }, timeout);
  }

 private:
  boost::asio::io_context control_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      control_.get_executor()};
  std::unique_ptr<LocalRunner> runner_;
  std::vector<RunnerState> states_;
};

/// Test fixture: a clean event log for each test.
class EngineTest : public testing::Test {
 protected:
  void SetUp() override {
    events().clear();
    // The runner logs every ramp and the first of each exception; keep the output readable.
    ASSERT_TRUE(log::configure(log::Level::kCritical, std::nullopt, false).ok());
  }
  void TearDown() override { events().clear(); }
};

}  // namespace hornet::core::harness
