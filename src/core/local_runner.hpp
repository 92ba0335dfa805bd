// Locust's LocalRunner for a process with several worker threads. It lives on the control
// thread, owns the workers, ramps users up and down with Locust's dispatcher (the threads are its
// "workers") and merges the workers' statistics when collected.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/dispatch.hpp"
#include "core/dispatch_cycle.hpp"
#include "core/runner.hpp"
#include "core/scenario.hpp"
#include "core/worker.hpp"
#include "stats/aggregate.hpp"

namespace hornet::core {

struct RunnerSettings {
  /// Worker threads (>= 1).
  int threads = 1;
  EngineSettings engine;
  /// --reset-stats: reset the statistics once all users are spawned.
  bool reset_stats = false;
};

/// Thread affinity: every member function is called on the control thread, whose io_context the
/// runner was given; callbacks run there too.
class LocalRunner final : public Runner, public WorkerListener {
 public:
  LocalRunner(boost::asio::io_context& control, std::shared_ptr<const Scenario> scenario,
              RunnerSettings settings);
  ~LocalRunner() override;
  LocalRunner(const LocalRunner&) = delete;
  LocalRunner& operator=(const LocalRunner&) = delete;

  /// Starts the worker threads (no users yet).
  void launch() override;

  /// Starts a swarm or changes a running one: ramps to `user_count` at `spawn_rate` users per
  /// second. From ready or stopped, the statistics are cleared first (a new test).
  /// `user_classes`: see Runner::start.
  void start(int user_count, double spawn_rate,
             const std::vector<std::string>& user_classes = {}) override;

  /// Stops every user; `done` runs once all have ended and their last statistics are merged.
  void stop(std::function<void()> done) override;

  /// Stops, then ends the worker threads; `done` runs after.
  void quit(std::function<void()> done) override;

  /// Resets the statistics now (Locust's /stats/reset): the aggregate is zeroed and what the
  /// workers recorded since their last report is discarded, so nothing from before the reset
  /// arrives after it.
  void reset_stats() override;

  /// The host new users will request (the web form's host); running users keep theirs.
  void set_host(std::string host) override;

  /// Ends every user now, at its current await (a second Ctrl-C): a stop in progress completes
  /// without waiting for tasks or on_stop.
  void hurry() override;

  /// Collects every worker's statistics since the last collection and merges them; `done` runs
  /// after the merge (collections requested meanwhile share one round).
  void collect(std::function<void()> done) override;

  /// A distributed worker's spawn: runs exactly `users_per_class` users (absolute counts, by
  /// class name; classes not named get 0) at once, spread evenly over the threads, without the
  /// dispatcher's pacing (the master paces). Unknown class names are ignored.
  void apply_targets(const std::map<std::string, int>& users_per_class);

  /// --stop-timeout for the next stops (a distributed worker takes its master's).
  void set_stop_timeout(double seconds);

  /// Called with every thread's delta as it is merged (a distributed worker forwards them).
  std::function<void(const stats::Delta&)> on_delta;

  RunnerState state() const noexcept override { return state_; }
  /// Running users, as last reported by the workers (including those finishing after a stop).
  int user_count() const override;
  /// Users per class name, as last reported.
  std::map<std::string, int> user_classes_count() const override;
  /// Users per class when the last stop began (Locust's final_user_classes_count).
  const std::map<std::string, int>& final_user_classes_count() const noexcept override {
    return final_user_classes_count_;
  }
  int target_user_count() const noexcept override { return target_user_count_; }

  const stats::Aggregate& stats() const noexcept override { return aggregate_; }
  stats::Aggregate& stats() noexcept override { return aggregate_; }
  const Scenario& scenario() const noexcept override { return *scenario_; }

 private:
  void on_report(WorkerReport report) override;
  void on_users_stopped(std::size_t worker) override;
  void set_state(RunnerState state);
  void apply_iteration(const UsersOnWorkers& targets);
  void spawning_complete();

  boost::asio::io_context& control_;
  std::shared_ptr<const Scenario> scenario_;
  RunnerSettings settings_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::string> worker_ids_;
  DispatchCycle cycle_;
  stats::Aggregate aggregate_;
  RunnerState state_ = RunnerState::kReady;
  int target_user_count_ = 0;
  std::map<std::string, int> final_user_classes_count_;

  // Per worker, users per class: the last report, or the last targets sent since then.
  std::vector<std::vector<int>> users_per_worker_;
  std::vector<int> stopping_per_worker_;

  int reports_pending_ = 0;
  std::uint64_t stats_generation_ = 0;  // reports from an older generation are discarded
  std::vector<std::function<void()>> collect_waiters_;
  std::vector<std::function<void()>> next_collect_waiters_;

  int stops_pending_ = 0;
  std::function<void()> stop_done_;
  bool launched_ = false;
};

}  // namespace hornet::core
