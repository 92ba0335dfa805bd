// A worker thread: its own event loop, its users, its statistics shard. It shares nothing with
// other threads; the control thread talks to it only by posting messages, and it answers the same
// way (through a WorkerListener, on the control thread's loop). No locks on the request path.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/scenario.hpp"
#include "net/thread_context.hpp"
#include "stats/shard.hpp"

namespace hornet::detail {
class UserRuntime;
}

namespace hornet::core {

/// Settings every worker thread runs with.
struct EngineSettings {
  /// --host: overrides the user classes' host when not empty.
  std::string host;
  net::ClientSettings client;
  /// --stop-timeout in seconds: how long stopping users may finish their task (0: stop at once).
  double stop_timeout = 0;
};

/// What a worker sends the control thread when asked for a report.
struct WorkerReport {
  std::size_t worker = 0;
  /// Everything recorded since the previous report.
  stats::Delta delta;
  /// Users per class that run and have not been asked to stop.
  std::vector<int> users_per_class;
  /// Users asked to stop that have not finished yet.
  int stopping_users = 0;
  /// The runner's statistics generation when it asked (reports from before a reset are dropped).
  std::uint64_t generation = 0;
};

/// Receives workers' messages. Called on the control thread.
class WorkerListener {
 public:
  virtual void on_report(WorkerReport report) = 0;
  /// After stop_all_users(): every user of this worker has finished.
  virtual void on_users_stopped(std::size_t worker) = 0;

 protected:
  ~WorkerListener() = default;
};

class Worker {
 public:
  Worker(std::size_t index, std::shared_ptr<const Scenario> scenario, EngineSettings settings,
         boost::asio::io_context& control, WorkerListener& listener);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  /// Stops and joins the thread if shutdown() was not called.
  ~Worker();

  // --- Control thread -------------------------------------------------------------------------
  void start();
  /// --stop-timeout for the next stops (a distributed worker takes its master's).
  void set_stop_timeout(double seconds) noexcept {
    stop_timeout_.store(seconds, std::memory_order_relaxed);
  }
  /// Spawns or stops users to reach these absolute counts, per user class of the scenario
  /// (ramp-down stops the newest users first).
  void set_targets(std::vector<int> users_per_class);
  /// Stops every user (Locust's stop semantics with --stop-timeout); on_users_stopped follows.
  void stop_all_users();
  /// Asks for a WorkerReport (delivered through the listener), tagged with `generation`.
  void request_report(std::uint64_t generation);
  /// Discards what was recorded since the last report (a statistics reset).
  void reset_stats();
  /// The host users spawned from now on request.
  void set_host(std::string host);
  /// Ends every user at its current await, without on_stop requests (a hard stop).
  void hard_stop_users();
  /// Ends every user at once (hard stop), ends the loop and joins the thread.
  void shutdown();

  // --- Worker thread ---------------------------------------------------------------------------
  std::size_t index() const noexcept { return index_; }
  boost::asio::io_context& io() noexcept { return io_; }
  net::ThreadContext& net() noexcept { return net_; }
  stats::Shard& shard() noexcept { return shard_; }
  const EngineSettings& settings() const noexcept { return settings_; }
  /// A uniform random number in [0, 1) from this thread's generator.
  double uniform01() { return uniform_(rng_); }
  /// True the first time this thread sees an exception with this key (to log it once).
  bool first_exception(const std::string& key) { return seen_exceptions_.insert(key).second; }
  /// Called by a user's coroutine when it has ended.
  void user_finished(detail::UserRuntime& user);

  // --- Any thread --------------------------------------------------------------------------------
  /// While a stop is underway, when code that never awaits must give up its task: script code
  /// in an endless loop keeps this thread from ever running the posted stop, so script engines
  /// poll this (a Lua instruction-count hook) instead. now + --stop-timeout after
  /// stop_all_users(), now after hard_stop_users() and shutdown(); nullopt when no stop is
  /// underway (set_targets() clears it). The one piece of worker state shared across threads.
  std::optional<std::chrono::steady_clock::time_point> busy_code_deadline() const noexcept {
    const auto ticks = busy_code_deadline_.load(std::memory_order_relaxed);
    if (ticks == kNoDeadline) return std::nullopt;
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(ticks));
  }

 private:
  void apply_targets(const std::vector<int>& users_per_class);
  void spawn(std::size_t class_index);
  void request_stop(detail::UserRuntime& user);
  void schedule_straggler_stop();
  void stop_everyone(bool hard);
  void maybe_report_stopped();
  /// Control thread: lowers busy_code_deadline() to `deadline` (never raises it).
  void set_busy_code_deadline(std::chrono::steady_clock::time_point deadline) noexcept;

  static constexpr std::chrono::steady_clock::rep kNoDeadline =
      std::numeric_limits<std::chrono::steady_clock::rep>::max();

  std::size_t index_;
  std::shared_ptr<const Scenario> scenario_;
  EngineSettings settings_;
  boost::asio::io_context& control_;
  WorkerListener& listener_;

  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  net::ThreadContext net_;
  stats::Shard shard_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};

  /// Every live user, in any state; UserRuntime::slot is its index here.
  std::vector<std::unique_ptr<detail::UserRuntime>> users_;
  /// Per class, the users not asked to stop, oldest first.
  std::vector<std::vector<detail::UserRuntime*>> active_;
  std::unordered_set<std::string> seen_exceptions_;
  bool stopping_all_ = false;
  bool shutting_down_ = false;
  std::atomic<std::chrono::steady_clock::rep> busy_code_deadline_{kNoDeadline};
  // Read by both threads when users stop (never on the request path); set by the control thread.
  std::atomic<double> stop_timeout_;
  std::thread thread_;
};

}  // namespace hornet::core
