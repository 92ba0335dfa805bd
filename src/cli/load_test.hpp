// A load test as the program runs it, headless or with the web UI: the runner, the per-second
// statistics (merge, history, CSV files, console table), run-time and autoquit timers, signals,
// and the orderly end (quit, final tables, CSV and HTML report, exit code). It is also the web
// UI's backend. Lives on the control thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "core/run_hooks.hpp"
#include "core/runner.hpp"
#include "stats/csv_writer.hpp"
#include "stats/history.hpp"
#include "web/routes.hpp"
#include "web/server.hpp"

namespace hornet::cli {

class LoadTest final : public web::Backend {
 public:
  /// `runner` runs the users (here or on workers); `host` is the host they start with (the web
  /// form can change it); `scenario_name` names the test in the HTML report.
  LoadTest(boost::asio::io_context& io, Options options,
           std::shared_ptr<const core::Scenario> scenario, std::unique_ptr<core::Runner> runner,
           std::string host, std::optional<stats::CsvWriter> csv, std::string scenario_name);
  ~LoadTest() override;

  /// Opens what can fail before anything runs: the web UI's port. The message says why.
  [[nodiscard]] Result<void> open();
  /// Starts: a headless run swarms at once; with the web UI, --autostart does, else the UI.
  void start();
  /// A headless or --autostart swarm starts when `gate` calls its argument (a master waits for
  /// --expect-workers first). Set before start().
  void set_autostart_gate(std::function<void(std::function<void()>)> gate) {
    autostart_gate_ = std::move(gate);
  }
  /// What the scenario attaches besides its classes (core/run_hooks.hpp); either may be null.
  /// Set before start(). All calls are on the control thread:
  /// - hooks->test_start(): a test starts (the runner leaves ready/stopped for spawning), before
  ///   the first user spawns; test_stop(): that test's users have all stopped (stop from the
  ///   UI, run time, shape end, quit) -- once per test_start, never without one;
  /// - spawning_complete(target users): a ramp reached its target (spawning -> running);
  /// - update(snapshot): every statistics tick, after the merge;
  /// - quitting(snapshot): once, after the final merge, before the exit code is decided and the
  ///   final tables printed (Locust's order); a returned code is the exit code.
  /// With a shape, every test start (headless, --autostart, the UI's swarm) runs the shape as
  /// Locust 2.12's shape_worker: tick(run time) every second, each new stage ramps the runner,
  /// nullopt ends the test (headless: quit; else stop). -u/-r are ignored (with Locust's
  /// warning); unlike Locust 2.12 (which refuses the combination), --run-time still applies.
  void set_scenario_hooks(std::shared_ptr<core::RunHooks> hooks,
                          std::shared_ptr<core::LoadShape> shape);
  /// Ends the test as the run time's end does: quit the runner, final tables and files, exit.
  void shut_down();
  /// The process exit code, once io.run() has returned.
  int exit_code() const noexcept { return exit_code_; }

  // web::Backend
  const stats::Aggregate* stats() const override { return &runner_->stats(); }
  nlohmann::json stats_requests(double now) const override;
  const stats::History& history() const override { return history_; }
  nlohmann::ordered_json tasks() const override;
  nlohmann::json ui_config() const override;
  std::optional<std::string> full_history_csv_path() const override;
  std::string report_html() const override;
  Result<void> swarm(const web::SwarmRequest& request) override;
  std::vector<web::CustomField> custom_fields() const override;
  /// The scenario's own options, shown in the start form with their values (Options::custom,
  /// then the last swarm's). Set before start().
  void set_custom_options(std::vector<CustomOption> options) {
    custom_options_ = std::move(options);
  }
  bool shape_test() const override { return shape_ != nullptr; }
  void stop() override;
  void reset_stats() override;

 private:
  void swarm_now(int users, double spawn_rate, std::optional<std::chrono::seconds> run_time,
                 const std::vector<std::string>& user_classes = {});
  void on_run_time_reached();
  void stop_then_autoquit();
  void on_runner_state(core::RunnerState state);
  void start_shape(std::optional<std::chrono::seconds> run_time, bool autostarted);
  void shape_tick();
  void end_shape();
  core::RunSnapshot snapshot() const;
  void schedule_tick();
  void on_stats_collected(int tick);
  void record_history();
  void write_csv();
  void wait_for_signal();
  void finish();

  boost::asio::io_context& io_;
  Options options_;
  std::shared_ptr<const core::Scenario> scenario_;
  std::vector<CustomOption> custom_options_;
  std::unique_ptr<core::Runner> runner_;
  std::optional<stats::CsvWriter> csv_;
  std::string scenario_name_;
  stats::History history_;
  std::optional<web::Server> web_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer run_time_timer_;
  boost::asio::steady_timer autoquit_timer_;
  boost::asio::steady_timer shape_timer_;
  boost::asio::signal_set signals_;
  std::chrono::steady_clock::time_point first_tick_;
  int ticks_ = 0;
  int name_width_;
  std::string host_;
  nlohmann::json plot_config_;
  double test_start_ = 0;  // epoch seconds of the current test's start (report)
  std::function<void(std::function<void()>)> autostart_gate_;
  bool finishing_ = false;
  std::shared_ptr<core::RunHooks> hooks_;
  std::shared_ptr<core::LoadShape> shape_;
  bool test_started_ = false;  // test_start fired and test_stop not yet
  bool shape_running_ = false;  // the shape is being polled
  bool shape_autostarted_ = false;  // ... for the headless/--autostart test
  std::chrono::steady_clock::time_point shape_started_;
  std::optional<core::ShapeStage> shape_last_;  // the stage last applied
  bool csv_error_logged_ = false;
  int exit_code_ = 0;
};

}  // namespace hornet::cli
