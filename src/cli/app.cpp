#include "cli/app.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <hornet/hornet.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "cli/load_test.hpp"
#include "cli/options.hpp"
#include "cli/processes.hpp"
#include "cli/parsed_options.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/hooks_registry.hpp"
#include "core/local_runner.hpp"
#include "dist/master_runner.hpp"
#include "dist/worker_runner.hpp"
#include "core/scenario.hpp"
#include "core/task_ratio.hpp"
#include "http/url.hpp"
#include "script/loader.hpp"
#include "script/url_scenario.hpp"
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

// Locust's check: an HttpUser needs a host, from its class or --host.
Result<void> check_hosts(const core::Scenario& scenario, const Options& options) {
  for (const auto& cls : scenario.user_classes()) {
    if (!cls->info->http_user) continue;
    const std::string host = options.host ? *options.host : cls->info->host;
    // With the web UI the host can still come from the start form.
    if (host.empty() && !options.headless && !options.autostart) continue;
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

using ClassList = std::vector<std::shared_ptr<const detail::ClassInfo>>;

// `hornet URL`: the URL's user class, if a positional argument (which otherwise name user
// classes) is a URL; it is taken out of them. Errors are bad command-line values.
Result<std::optional<ClassList>> url_classes(Options& options) {
  std::vector<std::string> urls;
  std::erase_if(options.user_classes, [&](const std::string& arg) {
    if (arg.find("://") == std::string::npos) return false;
    urls.push_back(arg);
    return true;
  });
  if (urls.size() > 1) return Error{"Give one URL to request, not " + std::to_string(urls.size())};
  if (!urls.empty()) {
    auto request = script::make_url_request(urls[0], options.method, options.headers, options.data);
    if (!request) return request.error();
    return std::optional(ClassList{script::url_user_class(std::move(request).value())});
  }
  if (options.method || !options.headers.empty() || options.data) {
    return Error{"-X/--method, --header and -d/--data describe the request of `hornet URL`; "
                 "give a URL (http://host/path) or leave them out"};
  }
  return std::optional<ClassList>();
}

// The run's scenario without a URL: the user classes compiled into this program, or those of
// the -f files (Locust's default `locustfile` is looked for only when the program has none
// compiled in).
Result<script::LoadedScenario> load_scenario(const Options& options) {
  script::LoadedScenario scenario;
  scenario.classes = detail::registered_user_classes();
  if (!scenario.classes.empty() && options.locustfiles == std::vector<std::string>{"locustfile"}) {
    return scenario;
  }
  auto files = script::resolve_scenario_files(options.locustfiles);
  if (!files) return files.error();
  auto loaded = script::load_scenario_files(files.value());
  if (!loaded) return loaded.error();
  loaded.value().classes.insert(loaded.value().classes.begin(), scenario.classes.begin(),
                                scenario.classes.end());
  return loaded;
}

// Locust's two-phase parse: the scenario files first (-f, its environment variables and config
// key), loaded now when they are Python files, whose init_command_line_parser listeners declare
// options; nullopt when there is nothing to preload (C++ and Lua files declare no options and
// load after the command line is parsed, as before). A program with classes compiled in loads
// files only when -f names them.
std::optional<Result<script::LoadedScenario>> preload_python_scenario(
    const std::vector<std::string>& args, const EnvironmentMap& env, const ConfigSearch& where) {
  const std::vector<std::string> values = scenario_files_from(args, env, where);
  if (!detail::registered_user_classes().empty() &&
      values == std::vector<std::string>{"locustfile"}) {
    return std::nullopt;
  }
  auto files = script::resolve_scenario_files(values);
  if (!files) return std::nullopt;  // reported after parsing, as for any scenario file
  const bool python = std::any_of(files.value().begin(), files.value().end(),
                                  [](const auto& file) { return file.extension() == ".py"; });
  if (!python) return std::nullopt;
  auto loaded = script::load_scenario_files(files.value());
  if (loaded) {
    loaded.value().classes.insert(loaded.value().classes.begin(),
                                  detail::registered_user_classes().begin(),
                                  detail::registered_user_classes().end());
  }
  return loaded;
}

// The scenario's options as the command line takes them.
std::vector<CustomOption> custom_options(const std::vector<script::ScenarioOption>& declared) {
  std::vector<CustomOption> out;
  for (const auto& option : declared) {
    CustomOption& custom = out.emplace_back();
    custom.names = option.names;
    custom.dest = option.dest;
    switch (option.type) {
      case script::ScenarioOption::Type::kString:
        custom.type = CustomOption::Type::kString;
        break;
      case script::ScenarioOption::Type::kInt:
        custom.type = CustomOption::Type::kInt;
        break;
      case script::ScenarioOption::Type::kFloat:
        custom.type = CustomOption::Type::kFloat;
        break;
      case script::ScenarioOption::Type::kBool:
        custom.type = CustomOption::Type::kBool;
        break;
    }
    custom.default_value = option.default_value;
    custom.help = option.help;
    custom.choices = option.choices;
    custom.env_var = option.env_var;
    custom.include_in_web_ui = option.include_in_web_ui;
    custom.is_secret = option.is_secret;
    custom.store_false = option.store_false;
  }
  return out;
}

core::RunnerSettings runner_settings(const Options& options) {
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
  return settings;
}

// --master: the settings the master sends workers and binds with.
Result<dist::MasterSettings> make_master_settings(const Options& options) {
  dist::MasterSettings settings;
  settings.bind_host = options.master_bind_host;
  settings.bind_port = options.master_bind_port;
  settings.host = options.host.value_or("");
  if (options.stop_timeout.count() > 0) settings.stop_timeout = options.stop_timeout.count();
  if (options.dist_key) {
    auto keys = dist::read_curve_keys(*options.dist_key);
    if (!keys) return keys.error();
    settings.curve = std::move(keys).value();
  }
  return settings;
}

// A headless or --autostart master waits for --expect-workers workers before swarming, as
// Locust's does (main.py), giving up after --expect-workers-max-wait seconds (0: never).
void wait_for_workers(boost::asio::io_context& io, dist::MasterRunner& master, int expected,
                      int max_wait_seconds, std::function<void()> ready,
                      std::function<void()> gave_up) {
  auto timer = std::make_shared<boost::asio::steady_timer>(io);
  const auto started = std::chrono::steady_clock::now();
  auto last_log = std::make_shared<std::chrono::steady_clock::time_point>();
  auto poll = std::make_shared<std::function<void()>>();
  *poll = [&master, expected, max_wait_seconds, ready = std::move(ready),
           gave_up = std::move(gave_up), timer, started, last_log, poll]() mutable {
    const auto now = std::chrono::steady_clock::now();
    if (master.active_worker_count() >= expected) {
      auto go = std::move(ready);  // *poll owns `ready`: move it out before clearing *poll
      *poll = nullptr;
      go();
      return;
    }
    if (max_wait_seconds > 0 && now - started >= std::chrono::seconds(max_wait_seconds)) {
      log::error("Gave up waiting for workers to connect");
      auto end = std::move(gave_up);
      *poll = nullptr;
      end();
      return;
    }
    if (now - *last_log >= std::chrono::seconds(1)) {
      *last_log = now;
      log::info("Waiting for workers to be ready, " + std::to_string(master.active_worker_count()) +
                " of " + std::to_string(expected) + " connected");
    }
    timer->expires_after(std::chrono::milliseconds(100));
    timer->async_wait([poll](boost::system::error_code error) {
      if (!error && *poll) (*poll)();
    });
  };
  (*poll)();
}

// --worker: this process runs users for a master until the master says quit (or is gone for
// --master-timeout seconds, or a signal ends it). No web UI, no tables, no CSV: the master has
// those.
int run_worker(const Options& options, std::shared_ptr<const core::Scenario> scenario,
               std::shared_ptr<core::RunHooks> hooks) {
  dist::WorkerSettings settings{.master_host = options.master_host,
                                .master_port = options.master_port,
                                .master_timeout = options.master_timeout.count()};
  if (options.dist_key) {
    auto keys = dist::read_curve_keys(*options.dist_key);
    if (!keys) {
      log::error(keys.error().message);
      return 1;
    }
    settings.curve = std::move(keys).value();
  }
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &blocked, nullptr);

  boost::asio::io_context io(1);
  core::LocalRunner local(io, std::move(scenario), runner_settings(options));
  dist::WorkerRunner worker(io, local, std::move(settings));
  int exit_code = 0;
  worker.on_exit = [&](int code) {
    exit_code = code;
    local.quit([&io] { io.stop(); });
  };
  // A locustfile's events fire on the worker as Locust's WorkerRunner fires them: test_start
  // when the master's first spawn starts users, test_stop when they stopped, quitting at exit.
  bool test_running = false;
  if (hooks) {
    local.on_state_change = [&](core::RunnerState state) {
      if (state == core::RunnerState::kSpawning && !test_running) {
        test_running = true;
        hooks->test_start();
      } else if (state == core::RunnerState::kStopped && test_running) {
        test_running = false;
        hooks->test_stop();
      }
    };
    hooks->attach({.quit = [&io, &worker] { asio::post(io, [&worker] { worker.shutdown(); }); },
                   .stop = [&io, &local] { asio::post(io, [&local] { local.stop([] {}); }); }});
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  std::function<void()> wait_for_signal = [&] {
    signals.async_wait([&](boost::system::error_code error, int) {
      if (error) return;
      log::info("Shutting down the worker");
      worker.shutdown();
      wait_for_signal();
    });
  };
  wait_for_signal();
  if (auto started = worker.start(); !started) {
    log::error(started.error().message);
    return 1;
  }
  pthread_sigmask(SIG_UNBLOCK, &blocked, nullptr);
  io.run();
  if (hooks) {
    if (test_running) hooks->test_stop();
    if (auto code = hooks->quitting(core::RunSnapshot{.state = "stopped"})) exit_code = *code;
  }
  return exit_code;
}

int run_checked(int argc, char** argv) {
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  const EnvironmentMap env = current_environment();
  const ProgramInfo program{.name = "hornet", .version = hornet::version()};
  const ConfigSearch where = config_search_from_process(env);
  // A Python locustfile may declare options: it is loaded before the command line is parsed.
  std::optional<Result<script::LoadedScenario>> preloaded = preload_python_scenario(args, env, where);
  if (preloaded && !preloaded->ok()) {
    log::error(preloaded->error().message);
    return 1;
  }
  std::vector<CustomOption> custom;
  if (preloaded) custom = custom_options(preloaded->value().options);
  ParseOutcome outcome = parse_options(args, env, where, program, custom);
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
  if (options.master && options.worker) {
    log::error("--master and --worker cannot be combined");
    return 2;
  }

  auto url = url_classes(options);
  if (!url) {
    log::error(url.error().message);
    return 2;
  }
  Result<script::LoadedScenario> loaded = script::LoadedScenario{};
  if (url.value()) {
    loaded.value().classes = std::move(*url.value());
  } else if (preloaded) {
    loaded = std::move(*preloaded);
  } else {
    loaded = load_scenario(options);
  }
  if (!loaded) {
    log::error(loaded.error().message);
    return 1;
  }
  const ClassList& classes = loaded.value().classes;
  if (loaded.value().single_thread) {
    // One interpreter, one lock: Python users run on one worker thread per process.
    if (options.threads > 1) {
      log::warning("--threads " + std::to_string(options.threads) +
                   " is ignored: Python users run on one thread per process (use --processes N "
                   "for more cores)");
    }
    options.threads = 1;
  }
  if (loaded.value().configure) {
    nlohmann::json parsed = options_as_json(options);
    for (const auto& [dest, value] : options.custom) parsed[dest] = value;
    if (auto configured = loaded.value().configure(parsed); !configured) {
      log::error(configured.error().message);
      return 1;
    }
  }
  auto scenario = core::Scenario::prepare(classes,
                                          {.selected_classes = options.user_classes,
                                           .tags = options.tags,
                                           .exclude_tags = options.exclude_tags,
                                           .equal_weights = options.equal_weights});
  if (options.list_user_classes) {
    std::puts("Available Users:");
    for (const auto& cls : classes) {
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
  if (options.worker && requested_processes(options) > 0) {
    return run_worker_processes(options, args);
  }
  if (options.worker) return run_worker(options, shared_scenario, loaded.value().hooks);
  if (auto hosts = check_hosts(*shared_scenario, options); !hosts) {
    log::error(hosts.error().message);
    return 1;
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

  const core::RunnerSettings settings = runner_settings(options);

  // Signals are handled by the control loop; worker threads must not receive them.
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &blocked, nullptr);

  asio::io_context io(1);
  const std::string program_name =
      argc > 0 ? std::filesystem::path(argv[0]).filename().string() : std::string("hornet");
  const std::string host = settings.engine.host;
  std::unique_ptr<core::Runner> runner;
  dist::MasterRunner* master = nullptr;
  // --processes N: a master of N worker processes of this program (cli/processes.hpp).
  std::unique_ptr<LocalWorkers> local_workers = LocalWorkers::plan(options, args);
  if (options.master) {
    auto master_settings = make_master_settings(options);
    if (!master_settings) {
      log::error(master_settings.error().message);
      return 1;
    }
    auto master_runner = std::make_unique<dist::MasterRunner>(io, shared_scenario,
                                                              std::move(master_settings).value());
    auto port = master_runner->bind();
    if (!port) {
      log::error(port.error().message);
      return 1;
    }
    log::info("Starting Hornet master, listening for workers on port " +
              std::to_string(port.value()) + (options.dist_key ? " (CurveZMQ)" : ""));
    if (local_workers && !local_workers->start(io, *master_runner, port.value())) return 1;
    master = master_runner.get();
    runner = std::move(master_runner);
  } else {
    runner = std::make_unique<core::LocalRunner>(io, shared_scenario, settings);
  }
  const bool headless = options.headless;
  const int expect_workers = options.expect_workers;
  const int expect_workers_max_wait = options.expect_workers_max_wait;
  LoadTest test(io, std::move(options), shared_scenario, std::move(runner), host, std::move(csv),
                program_name);
  test.set_custom_options(std::move(custom));
  // Run hooks and a load shape: the scenario files' (a locustfile's events and LoadTestShape),
  // else those registered by code linked in (core/hooks_registry.hpp).
  std::shared_ptr<core::RunHooks> hooks =
      loaded.value().hooks ? loaded.value().hooks : detail::registered_run_hooks();
  if (hooks) {
    hooks->attach({.quit = [&io, &test] { asio::post(io, [&test] { test.shut_down(); }); },
                   .stop = [&io, &test] { asio::post(io, [&test] { test.stop(); }); }});
  }
  test.set_scenario_hooks(hooks, loaded.value().shape ? loaded.value().shape
                                                      : detail::registered_load_shape());
  if (auto opened = test.open(); !opened) {
    log::error(opened.error().message);
    return 1;
  }
  if (local_workers) local_workers->on_failure = [&test] { test.shut_down(); };
  if (master) {
    // As Locust's headless master: the last worker quitting ends the run.
    master->on_last_worker_quit = [&test, headless] {
      if (headless) test.shut_down();
    };
    test.set_autostart_gate([&io, &test, master, expect_workers,
                             expect_workers_max_wait](std::function<void()> swarm) {
      wait_for_workers(io, *master, expect_workers, expect_workers_max_wait, std::move(swarm),
                       [&test] { test.shut_down(); });
    });
  }
  test.start();  // starts the worker threads, which keep SIGINT and SIGTERM blocked
  pthread_sigmask(SIG_UNBLOCK, &blocked, nullptr);
  io.run();
  return local_workers ? local_workers->finish(test.exit_code()) : test.exit_code();
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
