// Hornet's command line: Locust 2.12's options, read from the command line, the environment and
// config files, with Locust's precedence (command line > environment > config file > default).
//
//   const EnvironmentMap env = current_environment();
//   ParseOutcome outcome = parse_options(args, env, config_search_from_process(env),
//                                        {.name = "hornet", .version = "0.1.0"});
//   if (const auto* exit = std::get_if<EarlyExit>(&outcome)) { print exit->text; exit }
//   Options options = std::get<Options>(std::move(outcome));
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hornet::cli {

/// Durations given as (possibly fractional) seconds.
using Seconds = std::chrono::duration<double>;

enum class LogLevel { kDebug, kInfo, kWarning, kError, kCritical };

/// Every option's value after parsing. The member initialisers are the defaults (Locust's, or
/// Hornet's for the Hornet-only options), so `Options{}` is what an empty command line gives.
/// Validation has been done: ranges hold as commented.
struct Options {
  // Common options.
  /// -f/--locustfile: scenario files; commas split a value, repeats add files.
  std::vector<std::string> locustfiles{"locustfile"};
  std::optional<std::string> host;   // -H/--host; nullopt: not given
  std::optional<int> users;          // -u/--users, >= 0; nullopt: headless runs use 1
  std::optional<double> spawn_rate;  // -r/--spawn-rate, users per second, > 0; nullopt: 1
  std::optional<std::chrono::seconds> run_time;  // -t/--run-time; nullopt: run until stopped
  bool list_user_classes = false;                // -l/--list
  bool headless = false;       // --headless; false whenever --headful is set (Locust's override)
  Seconds stop_timeout{0};     // -s/--stop-timeout, >= 0
  int exit_code_on_error = 1;  // --exit-code-on-error
  bool equal_weights = false;  // --equal-weights
  std::vector<std::string> user_classes;  // positional UserClass ...; empty: all

  // Web UI options (stored for the web UI).
  // --web-host; "" and "*": all interfaces. Hornet binds to loopback by default (Locust: all).
  std::string web_host = "127.0.0.1";
  int web_port = 8089;   // --web-port/-P, 0..65535
  bool autostart = false;
  int autoquit = -1;  // seconds after the run ends; -1: never
  bool headful = false;
  std::optional<std::string> web_auth;  // "user:password"
  std::string tls_cert;                 // path; "" = plain HTTP
  std::string tls_key;
  bool class_picker = false;

  // Master options (stored for distribution).
  bool master = false;
  std::string master_bind_host = "*";
  int master_bind_port = 5557;      // 0..65535
  int expect_workers = 1;           // >= 0
  int expect_workers_max_wait = 0;  // seconds, >= 0; 0 = wait forever
  bool enable_rebalancing = false;

  // Worker options (stored for distribution).
  bool worker = false;
  std::string master_host = "127.0.0.1";
  int master_port = 5557;  // 0..65535

  // Tag options: nullopt when not given; given with no tags it is an empty list, as in Locust.
  std::optional<std::vector<std::string>> tags;
  std::optional<std::vector<std::string>> exclude_tags;

  // Request statistics options.
  std::optional<std::string> csv_prefix;  // --csv
  bool csv_full_history = false;          // only with csv_prefix
  bool print_stats = false;
  bool only_summary = false;
  bool reset_stats = false;
  std::optional<std::string> html_file;  // --html

  // Logging options.
  LogLevel loglevel = LogLevel::kInfo;
  std::optional<std::string> logfile;  // nullopt: stderr
  bool skip_log_setup = false;

  // Other options.
  bool show_task_ratio = false;
  bool show_task_ratio_json = false;

  // Hornet options.
  int threads = 0;              // worker threads, >= 0; 0: the caller picks (number of cores)
  bool insecure = false;        // skip TLS certificate verification
  Seconds connect_timeout{60};  // > 0
  Seconds request_timeout{60};  // > 0; from the request sent to the response received
  std::optional<std::string> plot_config;  // --plot-config: the seed plotter's JSON config
  // `hornet URL` (a URL among the positional arguments): the request, as curl takes it.
  std::optional<std::string> method;  // -X/--method; default GET, or POST with -d
  std::vector<std::string> headers;   // --header "Name: value", repeatable
  std::optional<std::string> data;    // -d/--data: the body, or "@file"
  // Distributed runs beyond Locust.
  std::optional<std::string> dist_key;  // --dist-key: CurveZMQ key file (master and workers)
  Seconds master_timeout{60};           // --master-timeout: a worker's wait for a lost master

  /// The config files that were read, lowest precedence first, as named in messages
  /// ("~/.locust.conf", "hornet.conf", the --config argument): for the startup log.
  std::vector<std::string> config_files;

  bool operator==(const Options&) const = default;
};

/// Parsing ended the process instead of producing Options.
struct EarlyExit {
  enum class Reason { kHelp, kVersion, kUsageError };
  Reason reason;
  /// Printed verbatim; ends with '\n'. For kUsageError: "hornet: error: <message>\n".
  std::string text;

  /// 0 for help and version, 2 for usage errors (as argparse).
  int exit_code() const { return reason == Reason::kUsageError ? 2 : 0; }
  /// Help and version go to stdout, errors to stderr.
  bool to_stderr() const { return reason == Reason::kUsageError; }
};

using ParseOutcome = std::variant<Options, EarlyExit>;

/// Environment variables by name.
using EnvironmentMap = std::map<std::string, std::string, std::less<>>;

/// Where the default config files are looked for: ~/.locust.conf, ~/.hornet.conf (in home_dir,
/// skipped when it is empty), then ./locust.conf, ./hornet.conf (in current_dir), and what a
/// relative --config path is relative to.
struct ConfigSearch {
  std::filesystem::path current_dir;
  std::filesystem::path home_dir;
};

struct ProgramInfo {
  std::string name = "hornet";  // in usage lines and "<name>: error: ..."
  std::string version;          // "--version" prints "<name> <version>"
};

/// Parses `args` (the command line without argv[0]) into Options, reading `env` and the config
/// files of `where`. Sources, highest precedence first: the command line, the environment
/// (HORNET_<NAME>, then LOCUST_<NAME> as in Locust 2.12; empty values count as unset), config
/// files (the --config file, then ./hornet.conf, ./locust.conf, ~/.hornet.conf, ~/.locust.conf),
/// the defaults in Options. For list options (-f, -T, -E) the highest source gives the whole list;
/// a list value is split at commas and may be written "[a, b]". Flags read true/false, yes/no,
/// on/off or 1/0 from the environment and config files, and take them on the command line too
/// (--headless=false), so the command line can undo a flag another source set.
///
/// -h/--help and -V/--version win over every error (but `-u --help` gives -u the value "--help",
/// as an option's value may start with '-'). Otherwise an unknown option, a malformed value from
/// any source, an unknown key or bad line in any config file, a missing --config file, an option
/// Locust removed, or --csv-full-history without --csv end the process with an argparse-style
/// message that names the option and, for values that did not come from the command line, their
/// source: "argument -u/--users: invalid int value: 'abc' (from HORNET_USERS)". Only the value
/// that wins is converted: a bad value that is overridden goes unnoticed.
///
/// Reads the config files; touches no other process state (env and where are passed in).
[[nodiscard]] ParseOutcome parse_options(std::span<const std::string> args,
                                         const EnvironmentMap& env, const ConfigSearch& where,
                                         const ProgramInfo& program);

/// The help text printed by --help.
std::string help_text(const ProgramInfo& program);

/// The process's environment (from `environ`).
EnvironmentMap current_environment();

/// The process's working directory and the HOME of `env` (empty if unset).
ConfigSearch config_search_from_process(const EnvironmentMap& env);

/// "DEBUG", "INFO", ...: Locust's names.
std::string_view to_string(LogLevel level);

}  // namespace hornet::cli
