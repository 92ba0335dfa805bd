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

#include "hornet/result.hpp"

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
  // --processes: worker processes to start here (cli/processes.hpp); -1: one per core; >= 1
  // otherwise (0 and < -1 are errors); nullopt: not given.
  std::optional<int> processes;

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

  /// The scenario's custom arguments (CustomOption), by dest: the winning value as text, the
  /// default when no source gave one; options with neither are absent. Flags are "true" or
  /// "false"; ints and floats are the text as given (checked, not normalised).
  std::map<std::string, std::string> custom;

  /// The config files that were read, lowest precedence first, as named in messages
  /// ("~/.locust.conf", "hornet.conf", the --config argument): for the startup log.
  std::vector<std::string> config_files;

  bool operator==(const Options&) const = default;
};

/// A command-line option a scenario declares (a locustfile's `parser.add_argument(...)` in
/// `events.init_command_line_parser`), known before the command line is parsed. Accepted on the
/// command line ("--my-arg v", "--my-arg=v", "-m v"; a kBool is a store_true flag, which also
/// takes "--my-flag=false"), from `env_var`, and from config files under each long name without
/// its dashes ("my-arg = v"), with the built-in options' precedence. Values land in
/// Options::custom[dest] as text.
struct CustomOption {
  enum class Type { kString, kInt, kFloat, kBool };

  /// Option strings as given to add_argument: "--my-arg", "-m". Each starts with '-'.
  std::vector<std::string> names;
  /// Options::custom's key and the web form's field name; "" means argparse's default: the first
  /// long name without its dashes, '-' replaced by '_' ("--my-arg" -> "my_arg").
  std::string dest;
  Type type = Type::kString;
  /// The value when no source gives one, as text; nullopt: none (absent from Options::custom).
  /// kBool: nullopt means "false" (store_true).
  std::optional<std::string> default_value;
  std::string help;
  /// Allowed values as text (compared after type checking); empty: any.
  std::vector<std::string> choices;
  /// The environment variable read, exactly as named; "": none.
  std::string env_var;
  /// A kBool given (command line, environment, config file) stores false: argparse's
  /// store_false (default true).
  bool store_false = false;
  /// Shown in the web UI's start form and settable from POST /swarm.
  bool include_in_web_ui = true;
  /// Shown as a password field in the web UI.
  bool is_secret = false;
  /// --help section: "" lists it under "Common options", after the built-in ones (where Locust's
  /// parser.add_argument puts it); a title (add_argument_group) lists it in a section of its own,
  /// after the built-in sections.
  std::string group;
  /// The value's placeholder in --help; "": "{a,b}" for choices, else dest in upper case.
  std::string metavar;

  /// `dest`, or the default derived from the names.
  std::string effective_dest() const;
  /// "--my-arg": the first long name, or the first name if none is long.
  std::string long_name() const;

  bool operator==(const CustomOption&) const = default;
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
///
/// `custom`: the scenario's own options (see CustomOption). A name that clashes with a built-in
/// option or another custom one is a usage error too ("argument --host: conflicting option
/// string: --host"); defaults are taken as given, unchecked, as argparse does. Bad values: "argument
/// --my-int: invalid int value: 'x'", "argument --mode: invalid choice: 'z' (choose from 'a',
/// 'b')", as argparse words them.
[[nodiscard]] ParseOutcome parse_options(std::span<const std::string> args,
                                         const EnvironmentMap& env, const ConfigSearch& where,
                                         const ProgramInfo& program,
                                         std::span<const CustomOption> custom = {});

/// The help text printed by --help, with the custom options in their sections.
std::string help_text(const ProgramInfo& program, std::span<const CustomOption> custom = {});

/// Checks one custom option's value as text (type and choices) and returns it as stored in
/// Options::custom (flags: "true"/"false"). The error is argparse's message without the option
/// name: "invalid int value: 'x'", "invalid choice: 'z' (choose from 'a', 'b')".
[[nodiscard]] Result<std::string> check_custom_value(const CustomOption& option,
                                                     std::string_view text);

/// The scenario files before anything else is parsed (the scenario declares the remaining
/// options): -f/--locustfile from `args` ("-f a", "-fa", "--locustfile a", "--locustfile=a";
/// repeats add files), else HORNET_LOCUSTFILE / LOCUST_LOCUSTFILE from `env`, else the
/// `locustfile` key of the config files (the defaults and --config), else {"locustfile"}. Values
/// are split at commas as parse_options splits them. Never fails: unknown options, bad values,
/// unreadable config files are ignored here and reported by parse_options later (Locust's
/// parse_locustfile_option). The arguments of built-in options that take a value are skipped,
/// so `-H -f` does not read "-f" as an option; an unknown option's value is not ("--my-arg -f x"
/// reads x).
std::vector<std::string> scenario_files_from(std::span<const std::string> args,
                                             const EnvironmentMap& env, const ConfigSearch& where);

/// The process's environment (from `environ`).
EnvironmentMap current_environment();

/// The process's working directory and the HOME of `env` (empty if unset).
ConfigSearch config_search_from_process(const EnvironmentMap& env);

/// "DEBUG", "INFO", ...: Locust's names.
std::string_view to_string(LogLevel level);

}  // namespace hornet::cli
