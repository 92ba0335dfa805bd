// What a scenario may attach to a run besides its user classes: Locust's run events and a load
// shape. C++ and Lua scenarios attach nothing; Python locustfiles attach their `events`
// listeners and their LoadTestShape class (src/python). The program (cli::LoadTest and the
// runners) calls these on the control thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hornet::core {

/// The run as a scenario's code sees it (Locust's `environment.runner` and `.stats.total`),
/// refreshed once per statistics tick.
struct RunSnapshot {
  std::string state;  // Locust's runner state: "ready", "spawning", "running", "stopped"...
  int user_count = 0;
  long long num_requests = 0;
  long long num_failures = 0;
  double avg_response_time = 0;  // milliseconds
  double min_response_time = 0;
  double max_response_time = 0;
  double median_response_time = 0;
  double avg_content_length = 0;
  double current_rps = 0;
  double current_fail_per_sec = 0;
  double total_rps = 0;
  double fail_ratio = 0;
  /// Response time (ms) at each of Locust's percentiles (0.5, 0.66, ... 1.0), keyed by fraction.
  std::map<double, double> percentiles;
};

/// What a scenario's code may ask of the run (Locust's `runner.quit()`, `runner.stop()`).
/// Callable from any thread: they post to the control thread.
struct RunControl {
  std::function<void()> quit;
  std::function<void()> stop;
};

/// Locust's run events, fired by the program on the control thread. Every method may block
/// briefly (a Python listener runs); none may throw.
class RunHooks {
 public:
  virtual ~RunHooks() = default;
  /// Called once, before the run starts, with what the scenario's code may ask of it.
  virtual void attach(RunControl control) { (void)control; }
  /// The web UI's start form changed the scenario's own options (dest -> value as text),
  /// before the test it starts.
  virtual void update_options(const std::map<std::string, std::string>& values) { (void)values; }
  /// A test starts (swarm from the UI, headless start): before the first user spawns.
  virtual void test_start() {}
  /// The test stopped (all users stopped), before the final statistics.
  virtual void test_stop() {}
  /// Ramp-up reached its target.
  virtual void spawning_complete(int user_count) { (void)user_count; }
  /// Each statistics tick, with the run as it stands.
  virtual void update(const RunSnapshot& snapshot) { (void)snapshot; }
  /// The program is about to exit, after the final statistics; a listener may set the exit code
  /// (Locust's `environment.process_exit_code`): returned when set.
  virtual std::optional<int> quitting(const RunSnapshot& snapshot) {
    (void)snapshot;
    return std::nullopt;
  }
};

/// One step of a load shape: the users to run and how fast to get there, optionally per class.
struct ShapeStage {
  int users = 0;
  double spawn_rate = 1;
  /// Names of the user classes to run (Locust 2.12's third tuple item); empty: all.
  std::vector<std::string> user_classes;
};

/// Locust's LoadTestShape: asked once per second while a test runs; nullopt ends the test.
class LoadShape {
 public:
  virtual ~LoadShape() = default;
  /// `run_time`: seconds since the test started (as Locust's get_run_time()).
  virtual std::optional<ShapeStage> tick(double run_time) = 0;
  /// A new test starts (the shape's clock restarts).
  virtual void reset() {}
};

}  // namespace hornet::core
