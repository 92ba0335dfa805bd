#include "cli/app.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <hornet/hornet.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "cli/options.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/runner.hpp"
#include "core/scenario.hpp"
#include "core/task_ratio.hpp"
#include "http/url.hpp"
#include "stats/console.hpp"
#include "stats/csv_writer.hpp"

namespace hornet::cli {
namespace {
namespace asio = boost::asio;

constexpr auto kStatsInterval = std::chrono::seconds(1);  // Locust's CSV_STATS_INTERVAL_SEC
constexpr int kConsoleEveryTicks = 2;                     // CONSOLE_STATS_INTERVAL_SEC = 2

log::Level to_log_level(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return log::Level::kDebug;
    case LogLevel::kInfo:
      return log::Level::kInfo;
    case LogLevel::kWarning:
      return log::Level::kWarning;
    case LogLevel::kError:
      return log::Level::kError;
    case LogLevel::kCritical:
      return log::Level::kCritical;
  }
  return log::Level::kInfo;
}

// A headless run on the control thread: the periodic statistics (merge, CSV, console table), the
// run-time limit, signals, and the orderly end (quit, final outputs, exit code).
class HeadlessRun {
 public:
  HeadlessRun(asio::io_context& io, core::Runner& runner, const Options& options,
              std::optional<stats::CsvWriter> csv)
      : io_(io),
        runner_(runner),
        options_(options),
        csv_(std::move(csv)),
        tick_timer_(io),
        run_time_timer_(io),
        signals_(io, SIGINT, SIGTERM),
        name_width_(stats::stats_name_width(stats::stdout_terminal_columns())) {}

  void start() {
    wait_for_signal();
    const int users = options_.users.value_or(1);
    const double spawn_rate = options_.spawn_rate.value_or(1.0);
    if (options_.run_time) {
      log::info("Run time limit set to " + std::to_string(options_.run_time->count()) + " seconds");
      run_time_timer_.expires_after(*options_.run_time);
      run_time_timer_.async_wait([this](boost::system::error_code error) {
        if (error) return;
        log::info("--run-time limit reached, shutting down");
        shut_down();
      });
    } else {
      log::info("No run time limit set, use CTRL+C to interrupt");
    }
    log::info(std::string("Starting Hornet ") + hornet::version());
    runner_.start(users, spawn_rate);
    first_tick_ = std::chrono::steady_clock::now();
    print_periodic();  // Locust prints an (empty) table at once
    schedule_tick();
  }

  int exit_code() const { return exit_code_; }

 private:
  bool periodic_console() const {
    return !options_.only_summary;  // headless, or --print-stats: both print
  }

  void print_periodic() {
    if (periodic_console()) {
      log::stats(stats::stats_table(runner_.stats(), stats::RateColumns::kCurrent, name_width_));
    }
  }

  void schedule_tick() {
    ++ticks_;
    tick_timer_.expires_at(first_tick_ + ticks_ * kStatsInterval);
    tick_timer_.async_wait([this](boost::system::error_code error) {
      if (error || finishing_) return;
      const int tick = ticks_;
      runner_.collect([this, tick] {
        if (finishing_) return;
        write_csv();
        if (tick % kConsoleEveryTicks == 0) print_periodic();
      });
      schedule_tick();
    });
  }

  void write_csv() {
    if (!csv_) return;
    if (auto written = csv_->write(runner_.stats(), core::epoch_seconds(),
                                   static_cast<std::uint64_t>(runner_.user_count()));
        !written && !csv_error_logged_) {
      csv_error_logged_ = true;
      log::error("Writing the CSV files failed: " + written.error().message);
    }
  }

  void wait_for_signal() {
    signals_.async_wait([this](boost::system::error_code error, int signal) {
      if (error) return;
      if (!finishing_) {
        log::info(signal == SIGTERM ? "Got SIGTERM signal, shutting down"
                                    : "Got SIGINT signal, shutting down");
        shut_down();
      } else {
        log::warning("Second signal: ending every user now");
        runner_.hurry();
      }
      wait_for_signal();
    });
  }

  void shut_down() {
    if (finishing_) return;
    finishing_ = true;
    tick_timer_.cancel();
    run_time_timer_.cancel();
    runner_.quit([this] { finish(); });
  }

  void finish() {
    write_csv();
    if (csv_) {
      if (auto closed = csv_->close(); !closed) log::error(closed.error().message);
    }
    const auto& stats = runner_.stats();
    const bool any_error = !stats.errors().empty() || !stats.exceptions().empty();
    exit_code_ = any_error ? options_.exit_code_on_error : 0;
    log::info("Shutting down (exit code " + std::to_string(exit_code_) + ")");
    log::stats(stats::stats_table(stats, stats::RateColumns::kTotal, name_width_));
    log::stats(stats::percentiles_table(stats, name_width_));
    log::stats(stats::error_report(stats, name_width_));
    signals_.cancel();
    io_.stop();
  }

  asio::io_context& io_;
  core::Runner& runner_;
  const Options& options_;
  std::optional<stats::CsvWriter> csv_;
  asio::steady_timer tick_timer_;
  asio::steady_timer run_time_timer_;
  asio::signal_set signals_;
  std::chrono::steady_clock::time_point first_tick_;
  int ticks_ = 0;
  int name_width_;
  bool finishing_ = false;
  bool csv_error_logged_ = false;
  int exit_code_ = 0;
};

// Locust's check: an HttpUser needs a host, from its class or --host.
Result<void> check_hosts(const core::Scenario& scenario, const Options& options) {
  for (const auto& cls : scenario.user_classes()) {
    if (!cls->info->http_user) continue;
    const std::string host = options.host ? *options.host : cls->info->host;
    if (host.empty()) {
      return Error{
          "You must specify the base host. Either in the host attribute in the User "
          "class (" +
          cls->name() + "), or on the command line using the --host option."};
    }
    if (auto url = http::Url::parse(host); !url) {
      return Error{"Invalid host '" + host + "': " + url.error().message};
    }
  }
  return {};
}

int run_checked(int argc, char** argv) {
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  const EnvironmentMap env = current_environment();
  const ProgramInfo program{.name = "hornet", .version = hornet::version()};
  ParseOutcome outcome = parse_options(args, env, config_search_from_process(env), program);
  if (const auto* early = std::get_if<EarlyExit>(&outcome)) {
    std::fputs(early->text.c_str(), early->to_stderr() ? stderr : stdout);
    return early->exit_code();
  }
  Options options = std::get<Options>(std::move(outcome));

  if (auto logging =
          log::configure(to_log_level(options.loglevel), options.logfile, options.skip_log_setup);
      !logging) {
    std::fprintf(stderr, "hornet: error: %s\n", logging.error().message.c_str());
    return 1;
  }
  if (options.master || options.worker) {
    log::error("Distributed runs (--master, --worker) are not available in this version yet");
    return 1;
  }

  auto scenario = core::Scenario::prepare(detail::registered_user_classes(),
                                          {.selected_classes = options.user_classes,
                                           .tags = options.tags,
                                           .exclude_tags = options.exclude_tags,
                                           .equal_weights = options.equal_weights});
  if (options.list_user_classes) {
    std::puts("Available Users:");
    for (const auto& cls : detail::registered_user_classes()) {
      std::printf("    %s\n", cls->name.c_str());
    }
    return 0;
  }
  if (!scenario) {
    log::error(scenario.error().message);
    return 1;
  }
  auto shared_scenario = std::make_shared<const core::Scenario>(std::move(scenario).value());
  const int users_for_ratio = options.users.value_or(0);
  if (options.show_task_ratio) {
    const auto distribution = core::user_distribution(*shared_scenario, users_for_ratio);
    std::cout << "\n Task ratio per User class\n"
              << std::string(80, '-') << '\n'
              << core::format_task_ratio(core::task_ratio(*shared_scenario, distribution, false))
              << "\n Total task ratio\n"
              << std::string(80, '-') << '\n'
              << core::format_task_ratio(core::task_ratio(*shared_scenario, distribution, true));
    return 0;
  }
  if (options.show_task_ratio_json) {
    const auto distribution = core::user_distribution(*shared_scenario, users_for_ratio);
    nlohmann::ordered_json ratios = {
        {"per_class", core::task_ratio(*shared_scenario, distribution, false)},
        {"total", core::task_ratio(*shared_scenario, distribution, true)}};
    std::cout << ratios.dump(4) << '\n';
    return 0;
  }
  if (auto hosts = check_hosts(*shared_scenario, options); !hosts) {
    log::error(hosts.error().message);
    return 1;
  }
  if (!options.headless) {
    log::warning("The web UI is not available in this version yet: running headless");
  }
  if (options.html_file) {
    log::warning("--html reports are not available in this version yet; ignoring --html");
  }

  std::optional<stats::CsvWriter> csv;
  if (options.csv_prefix) {
    auto opened = stats::CsvWriter::open(
        *options.csv_prefix, options.csv_full_history ? stats::HistoryRows::kFullHistory
                                                      : stats::HistoryRows::kAggregatedOnly);
    if (!opened) {
      log::error(opened.error().message);
      return 1;
    }
    csv.emplace(std::move(opened).value());
  }

  core::RunnerSettings settings;
  settings.threads = options.threads > 0
                         ? options.threads
                         : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  settings.engine.host = options.host.value_or("");
  settings.engine.client.connect_timeout = options.connect_timeout;
  settings.engine.client.request_timeout = options.request_timeout;
  settings.engine.client.verify_tls = !options.insecure;
  settings.engine.stop_timeout = options.stop_timeout.count();
  settings.reset_stats = options.reset_stats;

  // Signals are handled by the control loop; worker threads must not receive them.
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &blocked, nullptr);

  asio::io_context io(1);
  core::Runner runner(io, shared_scenario, settings);
  runner.launch();
  pthread_sigmask(SIG_UNBLOCK, &blocked, nullptr);

  HeadlessRun headless(io, runner, options, std::move(csv));
  headless.start();
  io.run();
  return headless.exit_code();
}

}  // namespace

int run(int argc, char** argv) {
  try {
    return run_checked(argc, argv);
  } catch (const std::exception& e) {
    log::error(std::string("Unexpected error: ") + e.what());
  } catch (...) {
    log::error("Unexpected error");
  }
  return 1;
}

}  // namespace hornet::cli
