#include "cli/option_table.hpp"

namespace hornet::cli {
namespace {

using O = Options;

// Names, types, defaults and environment variables are Locust 2.12's (argument_parser.py); help
// texts follow Locust's, reworded where Hornet differs.
constexpr OptionSpec kOptionSpecs[] = {
    // Common options.
    {.names = "-h,--help",
     .field = {},
     .group = Group::kCommon,
     .help = "Show this help message and exit",
     .env_names = EnvNames::kNone,
     .role = Role::kHelp},
    {.names = "-f,--locustfile",
     .metavar = "LOCUSTFILE",
     .field = &O::locustfiles,
     .group = Group::kCommon,
     .help = "Scenario file to load, e.g. '../other_test.so'. Several files may be given "
             "comma-separated or by repeating the option. Defaults to 'locustfile'.",
     .env = "LOCUSTFILE"},
    {.names = "--config",
     .metavar = "CONFIG",
     .field = {},
     .group = Group::kCommon,
     .help = "Config file path",
     .env_names = EnvNames::kNone,
     .role = Role::kConfig},
    {.names = "-H,--host",
     .metavar = "HOST",
     .field = &O::host,
     .group = Group::kCommon,
     .help = "Host to load test in the following format: http://10.21.32.33",
     .env = "HOST"},
    {.names = "-u,--users",
     .metavar = "NUM_USERS",
     .field = &O::users,
     .group = Group::kCommon,
     .help = "Peak number of concurrent users. Primarily used together with --headless or "
             "--autostart. Can be changed during a test by keyboard inputs w, W (spawn 1, 10 "
             "users) and s, S (stop 1, 10 users)",
     .env = "USERS",
     .bound = Bound::kNonNegative},
    {.names = "-r,--spawn-rate",
     .metavar = "SPAWN_RATE",
     .field = &O::spawn_rate,
     .group = Group::kCommon,
     .help = "Rate to spawn users at (users per second). Primarily used together with "
             "--headless or --autostart",
     .env = "SPAWN_RATE",
     .bound = Bound::kPositive},
    {.names = "-t,--run-time",
     .metavar = "RUN_TIME",
     .field = &O::run_time,
     .group = Group::kCommon,
     .help = "Stop after the specified amount of time, e.g. (300s, 20m, 3h, 1h30m, etc.). Only "
             "used together with --headless or --autostart. Defaults to run forever.",
     .env = "RUN_TIME"},
    {.names = "-l,--list",
     .field = &O::list_user_classes,
     .group = Group::kCommon,
     .help = "Show list of possible User classes and exit",
     .env_names = EnvNames::kNone},

    // Web UI options.
    {.names = "--web-host",
     .metavar = "WEB_HOST",
     .field = &O::web_host,
     .group = Group::kWebUi,
     .help = "Host to bind the web interface to. Defaults to 127.0.0.1 (this machine only); "
             "'*' means all interfaces (use --web-auth then)",
     .env = "WEB_HOST"},
    {.names = "--web-port,-P",
     .metavar = "WEB_PORT",
     .field = &O::web_port,
     .group = Group::kWebUi,
     .help = "Port on which to run web host",
     .env = "WEB_PORT",
     .bound = Bound::kPort},
    {.names = "--headless",
     .field = &O::headless,
     .group = Group::kWebUi,
     .help = "Disable the web interface, and start the test immediately. Use -u and -t to "
             "control user count and run time",
     .env = "HEADLESS"},
    {.names = "--autostart",
     .field = &O::autostart,
     .group = Group::kWebUi,
     .help = "Starts the test immediately (like --headless, but without disabling the web UI)",
     .env = "AUTOSTART"},
    {.names = "--autoquit",
     .metavar = "AUTOQUIT",
     .field = &O::autoquit,
     .group = Group::kWebUi,
     .help = "Quits entirely, X seconds after the run is finished. Only used together with "
             "--autostart. The default is to keep running until you shut it down using CTRL+C",
     .env = "AUTOQUIT"},
    // Overrides --headless (a flag set in a config file cannot otherwise be unset).
    {.names = "--headful",
     .field = &O::headful,
     .group = Group::kHidden,
     .help = "Keep the web interface even if --headless is set",
     .env = "HEADFUL"},
    {.names = "--web-auth",
     .metavar = "WEB_AUTH",
     .field = &O::web_auth,
     .group = Group::kWebUi,
     .help = "Turn on Basic Auth for the web interface. Should be supplied in the following "
             "format: username:password",
     .env = "WEB_AUTH"},
    {.names = "--tls-cert",
     .metavar = "TLS_CERT",
     .field = &O::tls_cert,
     .group = Group::kWebUi,
     .help = "Optional path to TLS certificate to use to serve over HTTPS",
     .env = "TLS_CERT"},
    {.names = "--tls-key",
     .metavar = "TLS_KEY",
     .field = &O::tls_key,
     .group = Group::kWebUi,
     .help = "Optional path to TLS private key to use to serve over HTTPS",
     .env = "TLS_KEY"},
    {.names = "--class-picker",
     .field = &O::class_picker,
     .group = Group::kWebUi,
     .help = "Enable select boxes in the web interface to choose from all available User "
             "classes and Shape classes",
     .env = "USERCLASS_PICKER"},

    // Master options.
    {.names = "--master",
     .field = &O::master,
     .group = Group::kMaster,
     .help = "Set this process to run in distributed mode as master",
     .env = "MODE_MASTER"},
    {.names = "--master-bind-host",
     .metavar = "MASTER_BIND_HOST",
     .field = &O::master_bind_host,
     .group = Group::kMaster,
     .help = "Interfaces (hostname, ip) that the master should bind to. Only used when running "
             "with --master. Defaults to * (all available interfaces).",
     .env = "MASTER_BIND_HOST"},
    {.names = "--master-bind-port",
     .metavar = "MASTER_BIND_PORT",
     .field = &O::master_bind_port,
     .group = Group::kMaster,
     .help = "Port that the master should bind to. Only used when running with --master. "
             "Defaults to 5557.",
     .env = "MASTER_BIND_PORT",
     .bound = Bound::kPort},
    {.names = "--expect-workers",
     .metavar = "EXPECT_WORKERS",
     .field = &O::expect_workers,
     .group = Group::kMaster,
     .help = "How many workers master should expect to connect before starting the test (only "
             "when --headless/autostart is used).",
     .env = "EXPECT_WORKERS",
     .bound = Bound::kNonNegative},
    {.names = "--expect-workers-max-wait",
     .metavar = "EXPECT_WORKERS_MAX_WAIT",
     .field = &O::expect_workers_max_wait,
     .group = Group::kMaster,
     .help = "How long should the master wait for workers to connect before giving up. "
             "Defaults to wait forever",
     .env = "EXPECT_WORKERS_MAX_WAIT",
     .bound = Bound::kNonNegative},
    {.names = "--enable-rebalancing",
     .field = &O::enable_rebalancing,
     .group = Group::kMaster,
     .help = "Allow to automatically rebalance users if new workers are added or removed "
             "during a test run.",
     .env_names = EnvNames::kNone},
    {.names = "--expect-slaves",
     .field = {},
     .group = Group::kHidden,
     .help = "",
     .env_names = EnvNames::kNone,
     .role = Role::kRemoved,
     .removed_hint = "use --expect-workers instead"},

    // Worker options.
    {.names = "--worker",
     .field = &O::worker,
     .group = Group::kWorker,
     .help = "Set this process to run in distributed mode as worker",
     .env = "MODE_WORKER"},
    {.names = "--processes",
     .metavar = "PROCESSES",
     .field = &O::processes,
     .group = Group::kWorker,
     .help = "Number of times to fork the locust process, to enable using multiple CPU cores. "
             "Use -1 to launch one process per CPU core available. Workers & master will be "
             "started automatically (the master on 127.0.0.1, a free port; each worker with "
             "one thread unless --threads is given). With --worker: start that many workers "
             "of the given master.",
     .env = "PROCESSES"},
    {.names = "--master-host",
     .metavar = "MASTER_NODE_HOST",
     .field = &O::master_host,
     .group = Group::kWorker,
     .help = "Host or IP address of the master for distributed load testing. Only used when "
             "running with --worker. Defaults to 127.0.0.1.",
     .env = "MASTER_NODE_HOST"},
    {.names = "--master-port",
     .metavar = "MASTER_NODE_PORT",
     .field = &O::master_port,
     .group = Group::kWorker,
     .help = "The port to connect to that is used by the master for distributed load testing. "
             "Only used when running with --worker. Defaults to 5557.",
     .env = "MASTER_NODE_PORT",
     .bound = Bound::kPort},
    {.names = "--slave",
     .field = {},
     .group = Group::kHidden,
     .help = "",
     .env_names = EnvNames::kNone,
     .role = Role::kRemoved,
     .removed_hint = "use --worker instead"},

    // Tag options.
    {.names = "-T,--tags",
     .metavar = "TAG",
     .field = &O::tags,
     .group = Group::kTags,
     .help = "List of tags to include in the test, so only tasks with any matching tags will "
             "be executed",
     .env = "TAGS",
     .many_values = true},
    {.names = "-E,--exclude-tags",
     .metavar = "TAG",
     .field = &O::exclude_tags,
     .group = Group::kTags,
     .help = "List of tags to exclude from the test, so only tasks with no matching tags will "
             "be executed",
     .env = "EXCLUDE_TAGS",
     .many_values = true},

    // Request statistics options.
    {.names = "--csv",
     .metavar = "CSV_PREFIX",
     .field = &O::csv_prefix,
     .group = Group::kStatistics,
     .help = "Store current request stats to files in CSV format. Setting this option will "
             "generate three files: [CSV_PREFIX]_stats.csv, [CSV_PREFIX]_stats_history.csv and "
             "[CSV_PREFIX]_failures.csv",
     .env = "CSV"},
    {.names = "--csv-full-history",
     .field = &O::csv_full_history,
     .group = Group::kStatistics,
     .help = "Store each stats entry in CSV format to _stats_history.csv file. You must also "
             "specify the '--csv' argument to enable this.",
     .env = "CSV_FULL_HISTORY"},
    {.names = "--print-stats",
     .field = &O::print_stats,
     .group = Group::kStatistics,
     .help = "Enable periodic printing of request stats in UI runs",
     .env = "PRINT_STATS"},
    {.names = "--only-summary",
     .field = &O::only_summary,
     .group = Group::kStatistics,
     .help = "Disable periodic printing of request stats during --headless run",
     .env = "ONLY_SUMMARY"},
    {.names = "--reset-stats",
     .field = &O::reset_stats,
     .group = Group::kStatistics,
     .help = "Reset statistics once spawning has been completed. Should be set on both master "
             "and workers when running in distributed mode",
     .env = "RESET_STATS"},
    {.names = "--html",
     .metavar = "HTML_FILE",
     .field = &O::html_file,
     .group = Group::kStatistics,
     .help = "Store HTML report to file path specified",
     .env = "HTML"},

    // Logging options.
    {.names = "--skip-log-setup",
     .field = &O::skip_log_setup,
     .group = Group::kLogging,
     .help = "Disable the logging setup. Instead, the configuration is provided by the test "
             "or defaults.",
     .env = "SKIP_LOG_SETUP"},
    {.names = "--loglevel,-L",
     .metavar = "LOGLEVEL",
     .field = &O::loglevel,
     .group = Group::kLogging,
     .help = "Choose between DEBUG/INFO/WARNING/ERROR/CRITICAL. Default is INFO.",
     .env = "LOGLEVEL"},
    {.names = "--logfile",
     .metavar = "LOGFILE",
     .field = &O::logfile,
     .group = Group::kLogging,
     .help = "Path to log file. If not set, log will go to stderr",
     .env = "LOGFILE"},

    // Other options.
    {.names = "--show-task-ratio",
     .field = &O::show_task_ratio,
     .group = Group::kOther,
     .help = "Print table of the User classes' task execution ratio. Use this with non-zero "
             "--user option if some classes define non-zero fixed_count attribute.",
     .env_names = EnvNames::kNone},
    {.names = "--show-task-ratio-json",
     .field = &O::show_task_ratio_json,
     .group = Group::kOther,
     .help = "Print json data of the User classes' task execution ratio. Use this with "
             "non-zero --user option if some classes define non-zero fixed_count attribute.",
     .env_names = EnvNames::kNone},
    {.names = "--version,-V",
     .field = {},
     .group = Group::kOther,
     .help = "Show program's version number and exit",
     .env_names = EnvNames::kNone,
     .role = Role::kVersion},
    {.names = "--exit-code-on-error",
     .metavar = "EXIT_CODE_ON_ERROR",
     .field = &O::exit_code_on_error,
     .group = Group::kOther,
     .help = "Sets the process exit code to use when a test result contain any failure or error",
     .env = "EXIT_CODE_ON_ERROR"},
    {.names = "-s,--stop-timeout",
     .metavar = "STOP_TIMEOUT",
     .field = &O::stop_timeout,
     .group = Group::kOther,
     .help = "Time to wait for a simulated user to complete any executing task before exiting: "
             "seconds (30, 2.5) or a timespan (1m30s). Default is to terminate immediately. "
             "This parameter only needs to be specified for the master process when running "
             "distributed.",
     .env = "STOP_TIMEOUT",
     .bound = Bound::kNonNegative,
     .accepts_timespan = true},
    {.names = "--equal-weights",
     .field = &O::equal_weights,
     .group = Group::kOther,
     .help = "Use equally distributed task weights, overriding the weights specified in the "
             "scenario.",
     .env_names = EnvNames::kNone},

    // Hornet options.
    {.names = "--threads",
     .metavar = "N",
     .field = &O::threads,
     .group = Group::kHornet,
     .help = "Number of worker threads. Defaults to 0: one per CPU core.",
     .env = "THREADS",
     .env_names = EnvNames::kHornetOnly,
     .bound = Bound::kNonNegative},
    {.names = "--insecure",
     .field = &O::insecure,
     .group = Group::kHornet,
     .help = "Skip TLS certificate verification when connecting to the host",
     .env = "INSECURE",
     .env_names = EnvNames::kHornetOnly},
    {.names = "--connect-timeout",
     .metavar = "SECONDS",
     .field = &O::connect_timeout,
     .group = Group::kHornet,
     .help = "Seconds to wait for a connection (including the TLS handshake) to be "
             "established. Defaults to 60.",
     .env = "CONNECT_TIMEOUT",
     .env_names = EnvNames::kHornetOnly,
     .bound = Bound::kPositive},
    {.names = "--request-timeout",
     .metavar = "SECONDS",
     .field = &O::request_timeout,
     .group = Group::kHornet,
     .help = "Seconds to wait for a response after a request was sent. Defaults to 60.",
     .env = "REQUEST_TIMEOUT",
     .env_names = EnvNames::kHornetOnly,
     .bound = Bound::kPositive},
    {.names = "--plot-config",
     .metavar = "FILE",
     .field = &O::plot_config,
     .group = Group::kHornet,
     .help = "A JSON file in the seed plotter's config format (figures, charts, states, "
             "requests_key) for the web UI's and the report's per-state charts",
     .env = "PLOT_CONFIG",
     .env_names = EnvNames::kHornetOnly},
    {.names = "-X,--method",
     .metavar = "METHOD",
     .field = &O::method,
     .group = Group::kHornet,
     .help = "With a URL instead of a scenario file (hornet URL): the request method. Defaults "
             "to GET, or POST with -d.",
     .env = "METHOD",
     .env_names = EnvNames::kHornetOnly},
    {.names = "--header",
     .metavar = "'NAME: VALUE'",
     .field = &O::headers,
     .group = Group::kHornet,
     .help = "With a URL: a request header; repeat the option for more",
     .env = "HEADER",
     .env_names = EnvNames::kHornetOnly,
     .keep_commas = true},
    {.names = "-d,--data",
     .metavar = "BODY",
     .field = &O::data,
     .group = Group::kHornet,
     .help = "With a URL: the request body, or @FILE for a file's content",
     .env = "DATA",
     .env_names = EnvNames::kHornetOnly},
    {.names = "--dist-key",
     .metavar = "FILE",
     .field = &O::dist_key,
     .group = Group::kHornet,
     .help = "Encrypt and authenticate master/worker traffic with CurveZMQ: a key file made by "
             "`hornet make-dist-key FILE`, given to the master and every worker (Hornet "
             "workers and master only)",
     .env = "DIST_KEY",
     .env_names = EnvNames::kHornetOnly},
    {.names = "--master-timeout",
     .metavar = "SECONDS",
     .field = &O::master_timeout,
     .group = Group::kHornet,
     .help = "With --worker: how long to wait for a lost master to come back before exiting. "
             "Defaults to 60.",
     .env = "MASTER_TIMEOUT",
     .env_names = EnvNames::kHornetOnly,
     .bound = Bound::kPositive},

    // Removed from Locust; using them is an error that says what to use instead.
    {.names = "--hatch-rate",
     .metavar = "HATCH_RATE",
     .field = {},
     .group = Group::kHidden,
     .help = "",
     .env = "HATCH_RATE",
     .role = Role::kRemoved,
     .removed_hint = "use -r/--spawn-rate instead"},
    {.names = "--step-load",
     .field = {},
     .group = Group::kHidden,
     .help = "",
     .env_names = EnvNames::kNone,
     .role = Role::kRemoved,
     .removed_hint = "the step load feature was removed in Locust 1.3"},
    {.names = "--step-users",
     .metavar = "STEP_USERS",
     .field = {},
     .group = Group::kHidden,
     .help = "",
     .env_names = EnvNames::kNone,
     .role = Role::kRemoved,
     .removed_hint = "the step load feature was removed in Locust 1.3"},
    {.names = "--step-clients",
     .metavar = "STEP_CLIENTS",
     .field = {},
     .group = Group::kHidden,
     .help = "",
     .env_names = EnvNames::kNone,
     .role = Role::kRemoved,
     .removed_hint = "the step load feature was removed in Locust 1.3"},
    {.names = "--step-time",
     .metavar = "STEP_TIME",
     .field = {},
     .group = Group::kHidden,
     .help = "",
     .env_names = EnvNames::kNone,
     .role = Role::kRemoved,
     .removed_hint = "the step load feature was removed in Locust 1.3"},
};

}  // namespace

bool OptionSpec::takes_value() const {
  return !metavar.empty();
}

std::string_view OptionSpec::long_name() const {
  std::string_view rest = names;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view name = rest.substr(0, comma);
    if (name.substr(0, 2) == "--") return name;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return {};
}

std::string OptionSpec::display_name() const {
  std::string out(names);
  for (char& c : out) {
    if (c == ',') c = '/';
  }
  return out;
}

std::vector<std::string> OptionSpec::env_vars() const {
  switch (env_names) {
    case EnvNames::kNone:
      return {};
    case EnvNames::kHornetOnly:
      return {"HORNET_" + std::string(env)};
    case EnvNames::kHornetAndLocust:
      return {"HORNET_" + std::string(env), "LOCUST_" + std::string(env)};
  }
  return {};
}

std::span<const OptionSpec> option_specs() {
  return kOptionSpecs;
}

const OptionSpec* find_option(std::string_view long_name) {
  for (const OptionSpec& spec : kOptionSpecs) {
    if (spec.long_name() == long_name) return &spec;
  }
  return nullptr;
}

}  // namespace hornet::cli
