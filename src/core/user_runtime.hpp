// The engine's side of one simulated user: its instance, its stop token and timer, and its state
// as the runner sees it. Owned by the Worker that runs it; lives and dies on that thread.
#pragma once

#include <hornet/user.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/scenario.hpp"
#include "net/awaitables.hpp"
#include "net/cancellation.hpp"

namespace hornet::core {
class Worker;
}

namespace hornet::detail {

class UserRuntime {
 public:
  /// Locust's user states, for stopping: a waiting user is stopped at once; a running one, with
  /// --stop-timeout, finishes its task first.
  enum class State { kRunning, kWaiting, kStopping };

  UserRuntime(core::Worker& worker, std::shared_ptr<const core::PreparedClass> user_class,
              std::size_t class_index);
  UserRuntime(const UserRuntime&) = delete;
  UserRuntime& operator=(const UserRuntime&) = delete;
  ~UserRuntime();

  /// Runs the user's coroutine until its first suspension. Called once, on the worker thread.
  void start();

  core::Worker& worker() const noexcept { return worker_; }
  User& user() const noexcept { return *user_; }
  const core::PreparedClass& user_class() const noexcept { return *user_class_; }
  std::size_t class_index() const noexcept { return class_index_; }
  const std::string& host() const noexcept { return host_; }

  net::StopToken& stop_token() noexcept { return stop_token_; }
  net::CancellableTimer& timer() noexcept { return timer_; }

  State state() const noexcept { return state_; }
  void set_state(State state) noexcept { state_ = state; }
  /// True once the runner asked this user to stop (it may still be finishing).
  bool stop_requested() const noexcept { return stop_requested_; }
  /// Records the stop request and when the user's time to finish runs out.
  void mark_stop_requested(std::chrono::steady_clock::time_point deadline) noexcept {
    if (!stop_requested_) stop_deadline_ = deadline;
    stop_requested_ = true;
  }
  /// When a stopping user's --stop-timeout runs out (valid once stop_requested()).
  std::chrono::steady_clock::time_point stop_deadline() const noexcept { return stop_deadline_; }

  /// When a paced user is behind schedule, the time its next request should have been sent;
  /// the session times that request from here and clears it (coordinated omission).
  std::optional<std::chrono::steady_clock::time_point>& intended_send() noexcept {
    return intended_send_;
  }
  void set_intended_send(std::chrono::steady_clock::time_point when) noexcept {
    intended_send_ = when;
  }

  /// Names of the user class, task sets and task being run, for exception reports.
  std::vector<std::string>& task_path() noexcept { return task_path_; }

  /// Index in the worker's list of users (maintained by the worker).
  std::size_t slot = 0;

 private:
  core::Worker& worker_;
  std::shared_ptr<const core::PreparedClass> user_class_;
  std::size_t class_index_;
  std::string host_;
  std::unique_ptr<TaskScope> owned_;
  User* user_ = nullptr;
  net::StopToken stop_token_;
  net::CancellableTimer timer_;
  State state_ = State::kRunning;
  bool stop_requested_ = false;
  std::chrono::steady_clock::time_point stop_deadline_{};
  std::vector<std::string> task_path_;
  std::optional<std::chrono::steady_clock::time_point> intended_send_;
};

/// The engine's access to the private binding of scopes.
class ScopeAccess {
 public:
  static void bind_user(User& user, UserRuntime& runtime) {
    user.user_ = &user;
    user.parent_ = nullptr;
    user.runtime_ = &runtime;
  }
  static void bind_task_set(TaskScope& task_set, TaskScope& parent) {
    task_set.user_ = parent.user_;
    task_set.parent_ = &parent;
  }
  static TaskScope* parent(const TaskScope& scope) { return scope.parent_; }
  static WaitState& wait_state(TaskScope& scope) { return scope.wait_state_; }
};

}  // namespace hornet::detail
