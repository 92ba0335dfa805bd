#include "cli/load_test.hpp"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <hornet/hornet.hpp>

#include "cli/timespan.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/task_ratio.hpp"
#include "http/url.hpp"
#include "stats/console.hpp"
#include "web/plot_config.hpp"
#include "web/report.hpp"

namespace hornet::cli {
namespace asio = boost::asio;

namespace {

constexpr auto kStatsInterval = std::chrono::seconds(1);  // Locust's CSV_STATS_INTERVAL_SEC
constexpr int kConsoleEveryTicks = 2;                     // CONSOLE_STATS_INTERVAL_SEC = 2

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]" ||
         host.starts_with("127.");
}

}  // namespace

LoadTest::LoadTest(asio::io_context& io, Options options,
                   std::shared_ptr<const core::Scenario> scenario,
                   std::unique_ptr<core::Runner> runner, std::string host,
                   std::optional<stats::CsvWriter> csv, std::string scenario_name)
    : io_(io),
      options_(std::move(options)),
      scenario_(scenario),
      runner_(std::move(runner)),
      csv_(std::move(csv)),
      scenario_name_(std::move(scenario_name)),
      tick_timer_(io),
      run_time_timer_(io),
      autoquit_timer_(io),
      shape_timer_(io),
      signals_(io, SIGINT, SIGTERM),
      name_width_(stats::stats_name_width(stats::stdout_terminal_columns())),
      host_(std::move(host)),
      plot_config_(web::default_plot_config()) {
  runner_->on_state_change = [this](core::RunnerState state) {
    if (state == core::RunnerState::kSpawning && history_.empty())
      test_start_ = core::epoch_seconds();
    on_runner_state(state);
  };
}

void LoadTest::set_scenario_hooks(std::shared_ptr<core::RunHooks> hooks,
                                  std::shared_ptr<core::LoadShape> shape) {
  hooks_ = std::move(hooks);
  shape_ = std::move(shape);
}

void LoadTest::on_runner_state(core::RunnerState state) {
  // The runner's transitions are where Locust fires its events: a new test goes ready/stopped
  // -> spawning before any user spawns (after the statistics were cleared); a ramp ends
  // spawning -> running (a master's rebalance ramps again, and fires again, as Locust's
  // start() does); stopped means every user ended and their last statistics are merged.
  switch (state) {
    case core::RunnerState::kSpawning:
      if (!test_started_) {
        test_started_ = true;
        if (hooks_) hooks_->test_start();
      }
      break;
    case core::RunnerState::kRunning:
      if (hooks_) hooks_->spawning_complete(runner_->target_user_count());
      break;
    case core::RunnerState::kStopped:
      if (test_started_) {
        test_started_ = false;
        if (hooks_) hooks_->test_stop();
      }
      break;
    default:
      break;
  }
}

core::RunSnapshot LoadTest::snapshot() const {
  // Locust's environment.runner and runner.stats.total, as the web UI's total row has them.
  const stats::StatsEntry& total = runner_->stats().total();
  core::RunSnapshot snap;
  snap.state = core::to_string(runner_->state());
  snap.user_count = runner_->user_count();
  snap.num_requests = static_cast<long long>(total.num_requests());
  snap.num_failures = static_cast<long long>(total.num_failures());
  snap.avg_response_time = total.avg_response_time();
  snap.min_response_time = total.min_response_time().value_or(0);
  snap.max_response_time = total.max_response_time();
  snap.median_response_time = total.median_response_time();
  snap.avg_content_length = total.avg_content_length();
  snap.current_rps = total.current_rps();
  snap.current_fail_per_sec = total.current_fail_per_sec();
  snap.total_rps = total.total_rps();
  snap.fail_ratio = total.fail_ratio();
  for (double p : stats::kPercentilesToReport) {
    snap.percentiles[p] = total.response_time_percentile(p);
  }
  return snap;
}

LoadTest::~LoadTest() = default;

Result<void> LoadTest::open() {
  if (options_.plot_config) {
    auto config = web::load_plot_config(*options_.plot_config);
    if (!config) return config.error();
    plot_config_ = std::move(config).value();
  }
  if (options_.headless) return {};
  web_.emplace(io_,
               [this, router = web::RouterOptions{options_.web_auth}](const web::Request& request) {
                 return web::route(request, *this, router);
               });
  if (auto listening =
          web_->listen(options_.web_host, static_cast<std::uint16_t>(options_.web_port));
      !listening) {
    return listening;
  }
  if (!options_.web_auth && !is_loopback(options_.web_host)) {
    log::warning("The web UI is reachable beyond this machine (--web-host " +
                 (options_.web_host.empty() ? std::string("*") : options_.web_host) +
                 ") and anyone who reaches it can start and stop tests: set --web-auth");
  }
  return {};
}

void LoadTest::start() {
  runner_->launch();
  wait_for_signal();
  if (shape_ && (options_.users || options_.spawn_rate)) {
    log::warning(
        "The specified locustfile contains a shape class but a conflicting argument was "
        "specified: users or spawn-rate. Ignoring arguments");
  }
  log::info(std::string("Starting Hornet ") + hornet::version());
  if (web_) {
    web_->start();
    log::info("Starting web interface at " + web_->url() +
              (options_.web_auth ? " (accepting connections with --web-auth credentials)" : ""));
  }
  if (options_.headless || options_.autostart) {
    auto swarm = [this] {
      if (finishing_) return;
      if (options_.run_time) {
        log::info("Run time limit set to " + std::to_string(options_.run_time->count()) +
                  " seconds");
      } else if (options_.headless && !shape_) {
        log::info("No run time limit set, use CTRL+C to interrupt");
      }
      if (shape_) {
        start_shape(options_.run_time, true);
        return;
      }
      swarm_now(options_.users.value_or(1), options_.spawn_rate.value_or(1.0), options_.run_time);
    };
    if (autostart_gate_) {
      autostart_gate_(std::move(swarm));
    } else {
      swarm();
    }
  }
  first_tick_ = std::chrono::steady_clock::now();
  if (options_.headless || options_.print_stats) {
    if (!options_.only_summary) {
      // Locust prints an (empty) table at once.
      log::stats(stats::stats_table(runner_->stats(), stats::RateColumns::kCurrent, name_width_));
    }
  }
  schedule_tick();
}

void LoadTest::swarm_now(int users, double spawn_rate,
                         std::optional<std::chrono::seconds> run_time,
                         const std::vector<std::string>& user_classes) {
  const auto state = runner_->state();
  const bool new_test =
      state != core::RunnerState::kSpawning && state != core::RunnerState::kRunning;
  if (new_test) {
    history_.clear();
    test_start_ = core::epoch_seconds();
  }
  runner_->start(users, spawn_rate, user_classes);
  if (shape_running_) return;  // a shape test's run time was armed by start_shape()
  // Editing a running test (users, spawn rate) keeps its run time, as in Locust; a new test or
  // a new run time replaces it.
  if (new_test || run_time) run_time_timer_.cancel();
  if (run_time) {
    run_time_timer_.expires_after(*run_time);
    run_time_timer_.async_wait([this](boost::system::error_code error) {
      if (!error) on_run_time_reached();
    });
  }
}

void LoadTest::start_shape(std::optional<std::chrono::seconds> run_time, bool autostarted) {
  if (shape_running_) {
    log::info("There is an ongoing shape test running. Editing is disabled");
    return;
  }
  log::info(
      "Shape test starting. User count and spawn rate are ignored for this type of load test");
  shape_running_ = true;
  shape_autostarted_ = autostarted;
  shape_last_.reset();
  shape_->reset();
  shape_started_ = std::chrono::steady_clock::now();
  run_time_timer_.cancel();
  if (run_time) {
    run_time_timer_.expires_after(*run_time);
    run_time_timer_.async_wait([this](boost::system::error_code error) {
      if (!error) on_run_time_reached();
    });
  }
  log::info("Shape worker starting");
  shape_tick();
}

void LoadTest::shape_tick() {
  if (!shape_running_ || finishing_) return;
  const auto state = runner_->state();
  if (shape_last_ && (state == core::RunnerState::kStopping ||
                      state == core::RunnerState::kStopped)) {
    // Stopped by something else (a master's last worker left): Locust's shape_worker loop ends
    // when the runner leaves spawning/running.
    end_shape();
    return;
  }
  const double run_time =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - shape_started_).count();
  std::optional<core::ShapeStage> stage = shape_->tick(run_time);
  if (!stage) {
    log::info("Shape test stopping");
    const bool autostarted = shape_autostarted_;
    end_shape();
    if (options_.headless) {
      shut_down();
    } else {
      run_time_timer_.cancel();
      // Locust's --autostart runs stop_and_optionally_quit() once its shape ends.
      if (autostarted && options_.autostart) {
        stop_then_autoquit();
      } else {
        runner_->stop(nullptr);
      }
    }
    return;
  }
  if (!shape_last_ || shape_last_->users != stage->users ||
      shape_last_->spawn_rate != stage->spawn_rate ||
      shape_last_->user_classes != stage->user_classes) {
    char line[96];
    std::snprintf(line, sizeof line, "Shape test updating to %d users at %.2f spawn rate",
                  stage->users, stage->spawn_rate);
    log::info(line);
    for (const std::string& name : stage->user_classes) {
      bool known = false;
      for (const auto& cls : scenario_->user_classes()) known = known || cls->name() == name;
      if (!known) log::warning("The load shape names an unknown user class: " + name);
    }
    swarm_now(stage->users, stage->spawn_rate, std::nullopt, stage->user_classes);
    shape_last_ = std::move(stage);
  }
  shape_timer_.expires_after(std::chrono::seconds(1));
  shape_timer_.async_wait([this](boost::system::error_code error) {
    if (!error) shape_tick();
  });
}

void LoadTest::end_shape() {
  shape_running_ = false;
  shape_last_.reset();
  shape_timer_.cancel();
}

void LoadTest::on_run_time_reached() {
  end_shape();
  if (options_.headless) {
    log::info("--run-time limit reached, shutting down");
    shut_down();
    return;
  }
  // With the web UI (--autostart, or a run time from the form) the test stops and the UI stays.
  log::info("--run-time limit reached, stopping test");
  stop_then_autoquit();
}

void LoadTest::stop_then_autoquit() {
  runner_->stop([this] {
    if (options_.autostart && options_.autoquit >= 0) {
      log::info("Autoquit time limit set to " + std::to_string(options_.autoquit) + " seconds");
      autoquit_timer_.expires_after(std::chrono::seconds(options_.autoquit));
      autoquit_timer_.async_wait([this](boost::system::error_code error) {
        if (!error) shut_down();
      });
    }
  });
}

void LoadTest::schedule_tick() {
  ++ticks_;
  tick_timer_.expires_at(first_tick_ + ticks_ * kStatsInterval);
  tick_timer_.async_wait([this](boost::system::error_code error) {
    if (error || finishing_) return;
    const int tick = ticks_;
    runner_->collect([this, tick] { on_stats_collected(tick); });
    schedule_tick();
  });
}

void LoadTest::on_stats_collected(int tick) {
  if (finishing_) return;
  record_history();
  write_csv();
  if (hooks_) hooks_->update(snapshot());
  const bool periodic = (options_.headless || options_.print_stats) && !options_.only_summary;
  if (periodic && tick % kConsoleEveryTicks == 0) {
    log::stats(stats::stats_table(runner_->stats(), stats::RateColumns::kCurrent, name_width_));
  }
}

void LoadTest::record_history() {
  const auto state = runner_->state();
  if (state == core::RunnerState::kReady) return;
  // After a stop one point records the end; the charts then stay still.
  if (state == core::RunnerState::kStopped && !history_.empty() &&
      history_.points().back().state == core::to_string(state)) {
    return;
  }
  history_.append(stats::sample(runner_->stats(), core::epoch_seconds(), core::to_string(state),
                                runner_->user_count()));
}

void LoadTest::write_csv() {
  if (!csv_) return;
  if (auto written = csv_->write(runner_->stats(), core::epoch_seconds(),
                                 static_cast<std::uint64_t>(runner_->user_count()));
      !written && !csv_error_logged_) {
    csv_error_logged_ = true;
    log::error("Writing the CSV files failed: " + written.error().message);
  }
}

void LoadTest::wait_for_signal() {
  signals_.async_wait([this](boost::system::error_code error, int signal) {
    if (error) return;
    if (!finishing_) {
      log::info(signal == SIGTERM ? "Got SIGTERM signal, shutting down"
                                  : "Got SIGINT signal, shutting down");
      shut_down();
    } else {
      log::warning("Second signal: ending every user now");
      runner_->hurry();
    }
    wait_for_signal();
  });
}

void LoadTest::shut_down() {
  if (finishing_) return;
  finishing_ = true;
  end_shape();
  tick_timer_.cancel();
  run_time_timer_.cancel();
  autoquit_timer_.cancel();
  runner_->quit([this] { finish(); });
}

void LoadTest::finish() {
  record_history();
  write_csv();
  if (csv_) {
    if (auto closed = csv_->close(); !closed) log::error(closed.error().message);
  }
  if (options_.html_file) {
    std::ofstream file(*options_.html_file, std::ios::binary | std::ios::trunc);
    file << report_html();
    if (!file) log::error("Writing the HTML report to " + *options_.html_file + " failed");
  }
  const auto& stats = runner_->stats();
  const bool any_error = !stats.errors().empty() || !stats.exceptions().empty();
  exit_code_ = any_error ? options_.exit_code_on_error : 0;
  // Locust fires quitting before deciding the exit code; a listener's process_exit_code wins.
  if (hooks_) {
    if (auto code = hooks_->quitting(snapshot())) exit_code_ = *code;
  }
  log::info("Shutting down (exit code " + std::to_string(exit_code_) + ")");
  log::stats(stats::stats_table(stats, stats::RateColumns::kTotal, name_width_));
  log::stats(stats::percentiles_table(stats, name_width_));
  log::stats(stats::error_report(stats, name_width_));
  if (web_) web_->stop();
  signals_.cancel();
  io_.stop();
}

// --- web::Backend
// ---------------------------------------------------------------------------------

nlohmann::json LoadTest::stats_requests(double now) const {
  web::RunnerView view{.state = core::to_string(runner_->state()),
                       .user_count = runner_->user_count()};
  if (auto workers = runner_->workers()) {
    view.workers.emplace();
    for (const core::WorkerInfo& worker : *workers) {
      view.workers->push_back({.id = worker.id,
                               .state = worker.state,
                               .user_count = worker.user_count,
                               .cpu_usage = worker.cpu_usage,
                               .memory_usage = worker.memory_usage});
    }
  }
  return web::stats_requests(runner_->stats(), view, now);
}

nlohmann::ordered_json LoadTest::tasks() const {
  // Once stopped, the ratio is of the users the test ended with (Locust's
  // final_user_classes_count), not of none.
  const auto running = runner_->user_classes_count();
  int users = 0;
  for (const auto& [name, count] : running) users += count;
  const auto spawned = users > 0 ? running : runner_->final_user_classes_count();
  return {{"per_class", core::task_ratio(*scenario_, spawned, false)},
          {"total", core::task_ratio(*scenario_, spawned, true)}};
}

nlohmann::json LoadTest::ui_config() const {
  nlohmann::json config = {
      {"mode", "live"},
      {"version", hornet::version()},
      {"host", host_},
      {"user_count", options_.users.value_or(1)},
      {"spawn_rate", options_.spawn_rate.value_or(1.0)},
      {"run_time", options_.run_time ? nlohmann::json(format_timespan(*options_.run_time))
                                     : nlohmann::json(nullptr)},
      {"plot_config", plot_config_},
      {"is_distributed", false},
      {"csv_full_history", full_history_csv_path().has_value()},
      // Locust's index hides the user count and spawn rate for a LoadTestShape (is_shape).
      {"is_shape", shape_ != nullptr},
  };
  return config;
}

std::optional<std::string> LoadTest::full_history_csv_path() const {
  if (!csv_ || !options_.csv_full_history) return std::nullopt;
  return csv_->paths()[3];
}

std::string LoadTest::report_html() const {
  const auto& total = runner_->stats().total();
  const double start = test_start_ > 0 ? test_start_ : total.start_time();
  return web::render_report({.script = scenario_name_,
                             .host = host_,
                             .start_time = start,
                             .end_time = total.last_request_timestamp().value_or(start),
                             .stats = &runner_->stats(),
                             .history = &history_,
                             .tasks = tasks(),
                             .plot_config = plot_config_});
}

Result<void> LoadTest::swarm(const web::SwarmRequest& request) {
  if (finishing_) return Error{"Hornet is shutting down"};
  if (request.host) {
    if (auto url = http::Url::parse(*request.host); !url) {
      return Error{"Invalid host '" + *request.host + "': " + url.error().message};
    }
    host_ = *request.host;
    runner_->set_host(host_);
  }
  if (host_.empty()) {
    for (const auto& cls : scenario_->user_classes()) {
      if (cls->info->http_user && cls->info->host.empty()) {
        return Error{"No host: give one in the form (or --host), or set the user class's host"};
      }
    }
  }
  if (!request.custom.empty()) {
    for (const auto& [dest, value] : request.custom) options_.custom[dest] = value;
    if (hooks_) hooks_->update_options(request.custom);
  }
  std::optional<std::chrono::seconds> run_time;
  if (request.run_time) run_time = std::chrono::seconds(*request.run_time);
  if (shape_) {
    // Locust's /swarm with a shape class: the form's user count and spawn rate are ignored.
    start_shape(run_time, false);
    return {};
  }
  swarm_now(request.user_count, request.spawn_rate, run_time);
  return {};
}

std::vector<web::CustomField> LoadTest::custom_fields() const {
  std::vector<web::CustomField> fields;
  for (const CustomOption& option : custom_options_) {
    web::CustomField& field = fields.emplace_back();
    field.option = option;
    if (const auto found = options_.custom.find(option.effective_dest());
        found != options_.custom.end()) {
      field.value = found->second;
    }
  }
  return fields;
}

void LoadTest::stop() {
  run_time_timer_.cancel();
  end_shape();
  runner_->stop(nullptr);
}

void LoadTest::reset_stats() {
  runner_->reset_stats();
  history_.clear();
}

}  // namespace hornet::cli
