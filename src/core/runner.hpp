// The runner interface: what the program (console, CSV, web UI) drives and reads, whether the
// users run in this process (LocalRunner) or on distributed workers (dist::MasterRunner). As
// Locust's Runner, it moves through Locust's states: ready -> spawning -> running -> stopping ->
// stopped.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stats/aggregate.hpp"

namespace hornet::core {

class Scenario;

enum class RunnerState { kReady, kSpawning, kRunning, kStopping, kStopped };

/// Locust's state names: "ready", "spawning", "running", "stopping", "stopped".
const char* to_string(RunnerState state) noexcept;

/// Locust's log form of user counts: json.dumps(user_classes_count) + " (N total users)".
std::string format_user_classes_count(const std::map<std::string, int>& counts);

/// Appends `next` to the callback in `slot`: both run, `slot`'s first (a stop requested while
/// one is in progress completes with it).
void chain_callback(std::function<void()>& slot, std::function<void()> next);

/// A distributed run's worker as the master sees it (/stats/requests' "workers").
struct WorkerInfo {
  std::string id;
  std::string state;  // "ready", "spawning", "running", "stopped", "missing"
  int user_count = 0;
  double cpu_usage = 0;          // percent
  std::uint64_t memory_usage = 0;  // bytes
};

/// Thread affinity: every member function is called on the control thread; callbacks run there.
class Runner {
 public:
  virtual ~Runner() = default;

  /// Starts what the runner needs before a swarm (worker threads; a master's socket).
  virtual void launch() = 0;
  /// Starts a swarm or changes a running one: ramps to `user_count` at `spawn_rate` users per
  /// second. From ready or stopped, the statistics are cleared first (a new test).
  /// `user_classes` (a load shape's stage): new users are only of these classes; empty: any
  /// (UsersDispatcher::new_dispatch). Overrides keep this default.
  virtual void start(int user_count, double spawn_rate,
                     const std::vector<std::string>& user_classes = {}) = 0;
  /// Stops every user; `done` runs once all have ended and their last statistics are merged.
  virtual void stop(std::function<void()> done) = 0;
  /// Stops, then ends the workers; `done` runs after.
  virtual void quit(std::function<void()> done) = 0;
  /// Resets the statistics now (Locust's /stats/reset).
  virtual void reset_stats() = 0;
  /// The host new users will request (the web form's host).
  virtual void set_host(std::string host) = 0;
  /// Ends every user now, at its current await (a second Ctrl-C).
  virtual void hurry() = 0;
  /// Brings the statistics up to date; `done` runs after the merge.
  virtual void collect(std::function<void()> done) = 0;

  virtual RunnerState state() const noexcept = 0;
  /// Running users, as last reported.
  virtual int user_count() const = 0;
  /// Users per class name, as last reported.
  virtual std::map<std::string, int> user_classes_count() const = 0;
  /// Users per class when the last stop began (Locust's final_user_classes_count).
  virtual const std::map<std::string, int>& final_user_classes_count() const noexcept = 0;
  virtual int target_user_count() const noexcept = 0;
  /// A master's workers, every state included; nullopt when the run is not distributed.
  virtual std::optional<std::vector<WorkerInfo>> workers() const { return std::nullopt; }

  virtual const stats::Aggregate& stats() const noexcept = 0;
  virtual stats::Aggregate& stats() noexcept = 0;
  virtual const Scenario& scenario() const noexcept = 0;

  /// Called after every state change.
  std::function<void(RunnerState)> on_state_change;
};

}  // namespace hornet::core
