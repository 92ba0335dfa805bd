#include "cli/options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <set>

#include "cli/option_table.hpp"
#include "temp_dir.hpp"

namespace hornet::cli {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// A parse in a sandbox: the current and home directories are fresh temporary directories, the
// environment is empty unless a test sets it.
class Sandbox {
 public:
  EnvironmentMap env;
  ProgramInfo program{"hornet", "1.2.3"};

  const TempDir& cwd() const { return cwd_; }
  const TempDir& home() const { return home_; }

  ParseOutcome parse(const std::vector<std::string>& args) const {
    return parse_options(args, env, ConfigSearch{cwd_.path(), home_.path()}, program);
  }

  // Parses and expects Options; on an early exit the test fails and gets default Options.
  Options options(const std::vector<std::string>& args) const {
    ParseOutcome outcome = parse(args);
    if (const auto* exit = std::get_if<EarlyExit>(&outcome)) {
      ADD_FAILURE() << "unexpected early exit: " << exit->text;
      return Options{};
    }
    return std::get<Options>(std::move(outcome));
  }

  // Parses and expects a usage error (exit 2, stderr); returns its text.
  std::string error(const std::vector<std::string>& args) const {
    const ParseOutcome outcome = parse(args);
    const auto* exit = std::get_if<EarlyExit>(&outcome);
    if (exit == nullptr) {
      ADD_FAILURE() << "expected a usage error, got Options";
      return "";
    }
    EXPECT_EQ(exit->reason, EarlyExit::Reason::kUsageError);
    EXPECT_EQ(exit->exit_code(), 2);
    EXPECT_TRUE(exit->to_stderr());
    return exit->text;
  }

 private:
  TempDir cwd_;
  TempDir home_;
};

// Options{} with one change: what a row expects.
template <class Change>
Options options_with(Change change) {
  Options options;
  change(options);
  return options;
}

// ---- Defaults ----

TEST(Defaults, EmptyCommandLineGivesOptionsDefaults) {
  const Sandbox sandbox;
  EXPECT_EQ(sandbox.options({}), Options{});
}

TEST(Defaults, AreLocustsAndHornets) {
  const Options options;
  EXPECT_EQ(options.locustfiles, std::vector<std::string>{"locustfile"});
  EXPECT_EQ(options.host, std::nullopt);
  EXPECT_EQ(options.users, std::nullopt);
  EXPECT_EQ(options.spawn_rate, std::nullopt);
  EXPECT_EQ(options.run_time, std::nullopt);
  EXPECT_FALSE(options.list_user_classes);
  EXPECT_FALSE(options.headless);
  EXPECT_EQ(options.stop_timeout, Seconds(0));
  EXPECT_EQ(options.exit_code_on_error, 1);
  EXPECT_FALSE(options.equal_weights);
  EXPECT_TRUE(options.user_classes.empty());
  EXPECT_EQ(options.web_host, "127.0.0.1");
  EXPECT_EQ(options.web_port, 8089);
  EXPECT_FALSE(options.autostart);
  EXPECT_EQ(options.autoquit, -1);
  EXPECT_FALSE(options.headful);
  EXPECT_EQ(options.web_auth, std::nullopt);
  EXPECT_EQ(options.tls_cert, "");
  EXPECT_EQ(options.tls_key, "");
  EXPECT_FALSE(options.class_picker);
  EXPECT_FALSE(options.master);
  EXPECT_EQ(options.master_bind_host, "*");
  EXPECT_EQ(options.master_bind_port, 5557);
  EXPECT_EQ(options.expect_workers, 1);
  EXPECT_EQ(options.expect_workers_max_wait, 0);
  EXPECT_FALSE(options.enable_rebalancing);
  EXPECT_FALSE(options.worker);
  EXPECT_EQ(options.master_host, "127.0.0.1");
  EXPECT_EQ(options.master_port, 5557);
  EXPECT_EQ(options.tags, std::nullopt);
  EXPECT_EQ(options.exclude_tags, std::nullopt);
  EXPECT_EQ(options.csv_prefix, std::nullopt);
  EXPECT_FALSE(options.csv_full_history);
  EXPECT_FALSE(options.print_stats);
  EXPECT_FALSE(options.only_summary);
  EXPECT_FALSE(options.reset_stats);
  EXPECT_EQ(options.html_file, std::nullopt);
  EXPECT_EQ(options.loglevel, LogLevel::kInfo);
  EXPECT_EQ(options.logfile, std::nullopt);
  EXPECT_FALSE(options.skip_log_setup);
  EXPECT_FALSE(options.show_task_ratio);
  EXPECT_FALSE(options.show_task_ratio_json);
  EXPECT_EQ(options.threads, 0);
  EXPECT_FALSE(options.insecure);
  EXPECT_EQ(options.connect_timeout, Seconds(60));
  EXPECT_EQ(options.request_timeout, Seconds(60));
  EXPECT_EQ(options.plot_config, std::nullopt);
  EXPECT_EQ(options.method, std::nullopt);
  EXPECT_TRUE(options.headers.empty());
  EXPECT_EQ(options.data, std::nullopt);
  EXPECT_EQ(options.dist_key, std::nullopt);
  EXPECT_EQ(options.master_timeout, Seconds(60));
  EXPECT_TRUE(options.config_files.empty());
}

// ---- Every option from each source ----

// One option set the same way from the command line, the environment and a config file.
struct OptionRow {
  std::string long_name;              // the option the row covers
  std::vector<std::string> args;      // command line
  std::vector<std::string> env_vars;  // each tried alone, set to env_value; empty: no env var
  std::string env_value;
  EnvironmentMap extra_env;  // set with every env var tried
  std::string config;        // ./hornet.conf
  void (*expect)(Options&);
};

const std::vector<OptionRow>& option_rows() {
  // clang-format off
  static const std::vector<OptionRow> rows = {
      {"--locustfile", {"-f", "a.so,b.lua"}, {"HORNET_LOCUSTFILE", "LOCUST_LOCUSTFILE"},
       "a.so,b.lua", {}, "locustfile = a.so, b.lua",
       [](Options& o) { o.locustfiles = {"a.so", "b.lua"}; }},
      {"--host", {"-H", "http://h:8080"}, {"HORNET_HOST", "LOCUST_HOST"}, "http://h:8080", {},
       "host = http://h:8080", [](Options& o) { o.host = "http://h:8080"; }},
      {"--users", {"-u", "5"}, {"HORNET_USERS", "LOCUST_USERS"}, "5", {}, "users = 5",
       [](Options& o) { o.users = 5; }},
      {"--spawn-rate", {"-r", "2.5"}, {"HORNET_SPAWN_RATE", "LOCUST_SPAWN_RATE"}, "2.5", {},
       "spawn-rate: 2.5", [](Options& o) { o.spawn_rate = 2.5; }},
      {"--run-time", {"-t", "1h20m"}, {"HORNET_RUN_TIME", "LOCUST_RUN_TIME"}, "1h20m", {},
       "run-time = 1h20m", [](Options& o) { o.run_time = seconds(4800); }},
      {"--list", {"-l"}, {}, "", {}, "list", [](Options& o) { o.list_user_classes = true; }},
      {"--web-host", {"--web-host", "0.0.0.0"}, {"HORNET_WEB_HOST", "LOCUST_WEB_HOST"},
       "0.0.0.0", {}, "web-host = 0.0.0.0", [](Options& o) { o.web_host = "0.0.0.0"; }},
      {"--web-port", {"-P", "8090"}, {"HORNET_WEB_PORT", "LOCUST_WEB_PORT"}, "8090", {},
       "web-port = 8090", [](Options& o) { o.web_port = 8090; }},
      {"--headless", {"--headless"}, {"HORNET_HEADLESS", "LOCUST_HEADLESS"}, "true", {},
       "headless = true", [](Options& o) { o.headless = true; }},
      {"--autostart", {"--autostart"}, {"HORNET_AUTOSTART", "LOCUST_AUTOSTART"}, "yes", {},
       "autostart = on", [](Options& o) { o.autostart = true; }},
      {"--autoquit", {"--autoquit", "10"}, {"HORNET_AUTOQUIT", "LOCUST_AUTOQUIT"}, "10", {},
       "autoquit = 10", [](Options& o) { o.autoquit = 10; }},
      {"--headful", {"--headful"}, {"HORNET_HEADFUL", "LOCUST_HEADFUL"}, "1", {}, "headful",
       [](Options& o) { o.headful = true; }},
      {"--web-auth", {"--web-auth", "user:pass"}, {"HORNET_WEB_AUTH", "LOCUST_WEB_AUTH"},
       "user:pass", {}, "web-auth = user:pass", [](Options& o) { o.web_auth = "user:pass"; }},
      {"--tls-cert", {"--tls-cert", "c.pem"}, {"HORNET_TLS_CERT", "LOCUST_TLS_CERT"}, "c.pem",
       {}, "tls-cert = c.pem", [](Options& o) { o.tls_cert = "c.pem"; }},
      {"--tls-key", {"--tls-key", "k.pem"}, {"HORNET_TLS_KEY", "LOCUST_TLS_KEY"}, "k.pem", {},
       "tls-key = k.pem", [](Options& o) { o.tls_key = "k.pem"; }},
      {"--class-picker", {"--class-picker"},
       {"HORNET_USERCLASS_PICKER", "LOCUST_USERCLASS_PICKER"}, "on", {}, "class-picker = yes",
       [](Options& o) { o.class_picker = true; }},
      {"--master", {"--master"}, {"HORNET_MODE_MASTER", "LOCUST_MODE_MASTER"}, "TRUE", {},
       "master = true", [](Options& o) { o.master = true; }},
      {"--master-bind-host", {"--master-bind-host", "10.0.0.1"},
       {"HORNET_MASTER_BIND_HOST", "LOCUST_MASTER_BIND_HOST"}, "10.0.0.1", {},
       "master-bind-host = 10.0.0.1", [](Options& o) { o.master_bind_host = "10.0.0.1"; }},
      {"--master-bind-port", {"--master-bind-port", "6000"},
       {"HORNET_MASTER_BIND_PORT", "LOCUST_MASTER_BIND_PORT"}, "6000", {},
       "master-bind-port = 6000", [](Options& o) { o.master_bind_port = 6000; }},
      {"--expect-workers", {"--expect-workers", "4"},
       {"HORNET_EXPECT_WORKERS", "LOCUST_EXPECT_WORKERS"}, "4", {}, "expect-workers = 4",
       [](Options& o) { o.expect_workers = 4; }},
      {"--expect-workers-max-wait", {"--expect-workers-max-wait", "30"},
       {"HORNET_EXPECT_WORKERS_MAX_WAIT", "LOCUST_EXPECT_WORKERS_MAX_WAIT"}, "30", {},
       "expect-workers-max-wait = 30", [](Options& o) { o.expect_workers_max_wait = 30; }},
      {"--enable-rebalancing", {"--enable-rebalancing"}, {}, "", {}, "enable-rebalancing = true",
       [](Options& o) { o.enable_rebalancing = true; }},
      {"--worker", {"--worker"}, {"HORNET_MODE_WORKER", "LOCUST_MODE_WORKER"}, "true", {},
       "worker", [](Options& o) { o.worker = true; }},
      {"--processes", {"--processes", "-1"}, {"HORNET_PROCESSES", "LOCUST_PROCESSES"}, "-1", {},
       "processes = -1", [](Options& o) { o.processes = -1; }},
      {"--master-host", {"--master-host", "10.0.0.2"},
       {"HORNET_MASTER_NODE_HOST", "LOCUST_MASTER_NODE_HOST"}, "10.0.0.2", {},
       "master-host = 10.0.0.2", [](Options& o) { o.master_host = "10.0.0.2"; }},
      {"--master-port", {"--master-port", "6001"},
       {"HORNET_MASTER_NODE_PORT", "LOCUST_MASTER_NODE_PORT"}, "6001", {}, "master-port = 6001",
       [](Options& o) { o.master_port = 6001; }},
      {"--tags", {"-T", "a", "b"}, {"HORNET_TAGS", "LOCUST_TAGS"}, "[a, b]", {}, "tags = [a, b]",
       [](Options& o) { o.tags = std::vector<std::string>{"a", "b"}; }},
      {"--exclude-tags", {"-E", "x,y"}, {"HORNET_EXCLUDE_TAGS", "LOCUST_EXCLUDE_TAGS"}, "x,y", {},
       "exclude-tags = x, y", [](Options& o) { o.exclude_tags = std::vector<std::string>{"x", "y"}; }},
      {"--csv", {"--csv", "out/run"}, {"HORNET_CSV", "LOCUST_CSV"}, "out/run", {},
       "csv = out/run", [](Options& o) { o.csv_prefix = "out/run"; }},
      {"--csv-full-history", {"--csv", "r", "--csv-full-history"},
       {"HORNET_CSV_FULL_HISTORY", "LOCUST_CSV_FULL_HISTORY"}, "true", {{"HORNET_CSV", "r"}},
       "csv = r\ncsv-full-history = true",
       [](Options& o) { o.csv_prefix = "r"; o.csv_full_history = true; }},
      {"--print-stats", {"--print-stats"}, {"HORNET_PRINT_STATS", "LOCUST_PRINT_STATS"}, "1", {},
       "print-stats", [](Options& o) { o.print_stats = true; }},
      {"--only-summary", {"--only-summary"}, {"HORNET_ONLY_SUMMARY", "LOCUST_ONLY_SUMMARY"},
       "true", {}, "only-summary = true", [](Options& o) { o.only_summary = true; }},
      {"--reset-stats", {"--reset-stats"}, {"HORNET_RESET_STATS", "LOCUST_RESET_STATS"}, "true",
       {}, "reset-stats = true", [](Options& o) { o.reset_stats = true; }},
      {"--html", {"--html", "report.html"}, {"HORNET_HTML", "LOCUST_HTML"}, "report.html", {},
       "html = report.html", [](Options& o) { o.html_file = "report.html"; }},
      {"--skip-log-setup", {"--skip-log-setup"},
       {"HORNET_SKIP_LOG_SETUP", "LOCUST_SKIP_LOG_SETUP"}, "true", {}, "skip-log-setup = true",
       [](Options& o) { o.skip_log_setup = true; }},
      {"--loglevel", {"-L", "debug"}, {"HORNET_LOGLEVEL", "LOCUST_LOGLEVEL"}, "Debug", {},
       "loglevel = DEBUG", [](Options& o) { o.loglevel = LogLevel::kDebug; }},
      {"--logfile", {"--logfile", "h.log"}, {"HORNET_LOGFILE", "LOCUST_LOGFILE"}, "h.log", {},
       "logfile = h.log", [](Options& o) { o.logfile = "h.log"; }},
      {"--show-task-ratio", {"--show-task-ratio"}, {}, "", {}, "show-task-ratio = true",
       [](Options& o) { o.show_task_ratio = true; }},
      {"--show-task-ratio-json", {"--show-task-ratio-json"}, {}, "", {},
       "show-task-ratio-json = true", [](Options& o) { o.show_task_ratio_json = true; }},
      {"--exit-code-on-error", {"--exit-code-on-error", "3"},
       {"HORNET_EXIT_CODE_ON_ERROR", "LOCUST_EXIT_CODE_ON_ERROR"}, "3", {},
       "exit-code-on-error = 3", [](Options& o) { o.exit_code_on_error = 3; }},
      {"--stop-timeout", {"-s", "1m30s"}, {"HORNET_STOP_TIMEOUT", "LOCUST_STOP_TIMEOUT"}, "1m30s",
       {}, "stop-timeout = 1m30s", [](Options& o) { o.stop_timeout = Seconds(90); }},
      {"--equal-weights", {"--equal-weights"}, {}, "", {}, "equal-weights = true",
       [](Options& o) { o.equal_weights = true; }},
      {"--threads", {"--threads", "4"}, {"HORNET_THREADS"}, "4", {}, "threads = 4",
       [](Options& o) { o.threads = 4; }},
      {"--insecure", {"--insecure"}, {"HORNET_INSECURE"}, "yes", {}, "insecure",
       [](Options& o) { o.insecure = true; }},
      {"--connect-timeout", {"--connect-timeout", "2.5"}, {"HORNET_CONNECT_TIMEOUT"}, "2.5", {},
       "connect-timeout = 2.5", [](Options& o) { o.connect_timeout = Seconds(2.5); }},
      {"--request-timeout", {"--request-timeout", "0.25"}, {"HORNET_REQUEST_TIMEOUT"}, "0.25",
       {}, "request-timeout = 0.25", [](Options& o) { o.request_timeout = Seconds(0.25); }},
      {"--plot-config", {"--plot-config", "plots.json"}, {"HORNET_PLOT_CONFIG"}, "plots.json", {},
       "plot-config = plots.json", [](Options& o) { o.plot_config = "plots.json"; }},
      {"--method", {"-X", "put"}, {"HORNET_METHOD"}, "put", {}, "method = put",
       [](Options& o) { o.method = "put"; }},
      {"--header", {"--header", "A: 1, 2"}, {"HORNET_HEADER"}, "A: 1, 2", {}, "header = A: 1, 2",
       [](Options& o) { o.headers = {"A: 1, 2"}; }},
      {"--data", {"-d", "@body.json"}, {"HORNET_DATA"}, "@body.json", {}, "data = @body.json",
       [](Options& o) { o.data = "@body.json"; }},
      {"--dist-key", {"--dist-key", "k.key"}, {"HORNET_DIST_KEY"}, "k.key", {}, "dist-key = k.key",
       [](Options& o) { o.dist_key = "k.key"; }},
      {"--master-timeout", {"--master-timeout", "5"}, {"HORNET_MASTER_TIMEOUT"}, "5", {},
       "master-timeout = 5", [](Options& o) { o.master_timeout = Seconds(5); }},
  };
  // clang-format on
  return rows;
}

std::string row_name(const ::testing::TestParamInfo<OptionRow>& info) {
  std::string name;
  for (char c : info.param.long_name) {
    if (std::isalnum(static_cast<unsigned char>(c))) name += c;
  }
  return name;
}

class EveryOption : public ::testing::TestWithParam<OptionRow> {};

TEST_P(EveryOption, FromCommandLine) {
  const Sandbox sandbox;
  EXPECT_EQ(sandbox.options(GetParam().args), options_with(GetParam().expect));
}

TEST_P(EveryOption, FromEachEnvironmentVariable) {
  for (const std::string& var : GetParam().env_vars) {
    Sandbox sandbox;
    sandbox.env = GetParam().extra_env;
    sandbox.env[var] = GetParam().env_value;
    EXPECT_EQ(sandbox.options({}), options_with(GetParam().expect)) << var;
  }
}

TEST_P(EveryOption, FromConfigFile) {
  const Sandbox sandbox;
  sandbox.cwd().write("hornet.conf", GetParam().config + "\n");
  Options expected = options_with(GetParam().expect);
  expected.config_files = {"hornet.conf"};
  EXPECT_EQ(sandbox.options({}), expected);
}

INSTANTIATE_TEST_SUITE_P(Table, EveryOption, ::testing::ValuesIn(option_rows()), row_name);

TEST(EveryOption, TableCoversEveryOptionThatSetsAValue) {
  std::set<std::string> covered;
  for (const OptionRow& row : option_rows()) covered.insert(row.long_name);
  for (const OptionSpec& spec : option_specs()) {
    if (spec.role != Role::kValue) continue;
    EXPECT_TRUE(covered.contains(std::string(spec.long_name())))
        << spec.long_name() << " has no row in option_rows()";
  }
}

TEST(EveryOption, LocustEnvironmentNamesAreIgnoredForHornetOnlyOptions) {
  Sandbox sandbox;
  sandbox.env = {{"LOCUST_THREADS", "4"},
                 {"LOCUST_INSECURE", "true"},
                 {"LOCUST_CONNECT_TIMEOUT", "1"},
                 {"LOCUST_REQUEST_TIMEOUT", "1"}};
  EXPECT_EQ(sandbox.options({}), Options{});
}

TEST(EveryOption, OptionsWithoutLocustEnvironmentVariablesHaveNone) {
  Sandbox sandbox;
  sandbox.env = {{"HORNET_LIST", "true"},
                 {"HORNET_EQUAL_WEIGHTS", "true"},
                 {"HORNET_ENABLE_REBALANCING", "1"},
                 {"HORNET_SHOW_TASK_RATIO", "1"},
                 {"LOCUST_EQUAL_WEIGHTS", "true"},
                 {"HORNET_CONFIG", "x.conf"},
                 {"HORNET_USER_CLASSES", "A"}};
  EXPECT_EQ(sandbox.options({}), Options{});
}

// ---- Command-line syntax ----

struct CommandLineRow {
  std::vector<std::string> args;
  void (*expect)(Options&);
};

class CommandLineSyntax : public ::testing::TestWithParam<CommandLineRow> {};

TEST_P(CommandLineSyntax, Parses) {
  const Sandbox sandbox;
  EXPECT_EQ(sandbox.options(GetParam().args), options_with(GetParam().expect));
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Table, CommandLineSyntax, ::testing::Values(
    // Long names with '=', short names attached, both spellings.
    CommandLineRow{{"--header", "A: 1, 2", "--header", "B: 3"},
                   [](Options& o) { o.headers = {"A: 1, 2", "B: 3"}; }},
    CommandLineRow{{"--users=7"}, [](Options& o) { o.users = 7; }},
    CommandLineRow{{"-u7"}, [](Options& o) { o.users = 7; }},
    CommandLineRow{{"--users", "0"}, [](Options& o) { o.users = 0; }},
    CommandLineRow{{"--locustfile=x.lua"}, [](Options& o) { o.locustfiles = {"x.lua"}; }},
    CommandLineRow{{"--web-port", "0"}, [](Options& o) { o.web_port = 0; }},
    CommandLineRow{{"--list"}, [](Options& o) { o.list_user_classes = true; }},
    CommandLineRow{{"--loglevel", "WARNING"}, [](Options& o) { o.loglevel = LogLevel::kWarning; }},
    CommandLineRow{{"-L", "error"}, [](Options& o) { o.loglevel = LogLevel::kError; }},
    CommandLineRow{{"-L", "cRiTiCaL"}, [](Options& o) { o.loglevel = LogLevel::kCritical; }},
    CommandLineRow{{"-L", "info"}, [](Options& o) { o.loglevel = LogLevel::kInfo; }},
    CommandLineRow{{"--run-time", "30"}, [](Options& o) { o.run_time = seconds(30); }},
    CommandLineRow{{"-t", "0"}, [](Options& o) { o.run_time = seconds(0); }},
    CommandLineRow{{"-r", "1e1"}, [](Options& o) { o.spawn_rate = 10.0; }},
    CommandLineRow{{"--exit-code-on-error", "-1"}, [](Options& o) { o.exit_code_on_error = -1; }},
    // Repeated scalars: the last wins, as argparse.
    CommandLineRow{{"-u", "1", "--users", "2"}, [](Options& o) { o.users = 2; }},
    CommandLineRow{{"-H", "http://a", "-H", "http://b"}, [](Options& o) { o.host = "http://b"; }},
    // Lists: commas split, repeats add.
    CommandLineRow{{"-f", "a", "-f", "b,c"}, [](Options& o) { o.locustfiles = {"a", "b", "c"}; }},
    CommandLineRow{{"-T", "a", "-T", "b,c"},
                   [](Options& o) { o.tags = std::vector<std::string>{"a", "b", "c"}; }},
    CommandLineRow{{"--tags", "a", "b", "--exclude-tags", "c"}, [](Options& o) {
                     o.tags = std::vector<std::string>{"a", "b"};
                     o.exclude_tags = std::vector<std::string>{"c"}; }},
    // nargs="*": no tags is an empty list, not "not given".
    CommandLineRow{{"-T"}, [](Options& o) { o.tags = std::vector<std::string>{}; }},
    CommandLineRow{{"-E", "--headless"}, [](Options& o) {
                     o.exclude_tags = std::vector<std::string>{};
                     o.headless = true; }},
    CommandLineRow{{"-T", "a", "-u", "3"}, [](Options& o) {
                     o.tags = std::vector<std::string>{"a"};
                     o.users = 3; }},
    // As in argparse, -T takes every following word, even one meant as a user class.
    CommandLineRow{{"-T", "a", "UserX"},
                   [](Options& o) { o.tags = std::vector<std::string>{"a", "UserX"}; }},
    // Stop timeout: a number of seconds or a timespan.
    CommandLineRow{{"-s", "30"}, [](Options& o) { o.stop_timeout = Seconds(30); }},
    CommandLineRow{{"-s", "30s"}, [](Options& o) { o.stop_timeout = Seconds(30); }},
    CommandLineRow{{"-s", "1m"}, [](Options& o) { o.stop_timeout = Seconds(60); }},
    CommandLineRow{{"-s", "2.5"}, [](Options& o) { o.stop_timeout = Seconds(2.5); }},
    CommandLineRow{{"--stop-timeout", "0"}, [](Options& o) { o.stop_timeout = Seconds(0); }},
    // User classes, between options and after "--".
    CommandLineRow{{"UserA", "UserB"}, [](Options& o) { o.user_classes = {"UserA", "UserB"}; }},
    CommandLineRow{{"UserA", "-u", "3", "UserB"}, [](Options& o) {
                     o.users = 3;
                     o.user_classes = {"UserA", "UserB"}; }},
    CommandLineRow{{"--headless", "--", "-NotAnOption"}, [](Options& o) {
                     o.headless = true;
                     o.user_classes = {"-NotAnOption"}; }},
    // Flags take an explicit value, so the command line can undo a config file's flag.
    CommandLineRow{{"--headless=true"}, [](Options& o) { o.headless = true; }},
    CommandLineRow{{"--headless=false"}, [](Options&) {}},
    CommandLineRow{{"--headless", "--headless=no"}, [](Options&) {}},
    // Combined short flags.
    CommandLineRow{{"-lu5"}, [](Options& o) {
                     o.list_user_classes = true;
                     o.users = 5; }},
    // --headful overrides --headless, as Locust's main does.
    CommandLineRow{{"--headless", "--headful"}, [](Options& o) { o.headful = true; }},
    // A value may start with '-'.
    CommandLineRow{{"--host", "-weird-"}, [](Options& o) { o.host = "-weird-"; }}));
// clang-format on

// ---- Precedence ----

// Where `users` is set, and what wins. Each source's value is distinct.
struct PrecedenceRow {
  std::string description;
  std::optional<int> home_locust, home_hornet, cwd_locust, cwd_hornet, explicit_file;
  std::optional<int> locust_env, hornet_env, command_line;
  int expected;
};

class Precedence : public ::testing::TestWithParam<PrecedenceRow> {};

TEST_P(Precedence, HighestSourceWins) {
  const PrecedenceRow& row = GetParam();
  Sandbox sandbox;
  const auto write = [](const TempDir& dir, const char* name, std::optional<int> users) {
    if (users) dir.write(name, "users = " + std::to_string(*users) + "\n");
  };
  write(sandbox.home(), ".locust.conf", row.home_locust);
  write(sandbox.home(), ".hornet.conf", row.home_hornet);
  write(sandbox.cwd(), "locust.conf", row.cwd_locust);
  write(sandbox.cwd(), "hornet.conf", row.cwd_hornet);
  write(sandbox.cwd(), "explicit.conf", row.explicit_file);
  if (row.locust_env) sandbox.env["LOCUST_USERS"] = std::to_string(*row.locust_env);
  if (row.hornet_env) sandbox.env["HORNET_USERS"] = std::to_string(*row.hornet_env);
  std::vector<std::string> args;
  if (row.explicit_file) args = {"--config", "explicit.conf"};
  if (row.command_line) args.insert(args.end(), {"-u", std::to_string(*row.command_line)});
  EXPECT_EQ(sandbox.options(args).users, row.expected) << row.description;
}

constexpr std::nullopt_t no = std::nullopt;

INSTANTIATE_TEST_SUITE_P(
    Pairs, Precedence,
    ::testing::Values(
        //           description                 ~/.l ~/.h ./l ./h --config L_ H_  cmd expected
        PrecedenceRow{"command line > HORNET_", no, no, no, no, no, no, 2, 1, 1},
        PrecedenceRow{"command line > LOCUST_", no, no, no, no, no, 2, no, 1, 1},
        PrecedenceRow{"command line > config", no, no, no, 3, no, no, no, 1, 1},
        PrecedenceRow{"command line > --config", no, no, no, no, 3, no, no, 1, 1},
        PrecedenceRow{"HORNET_ > LOCUST_", no, no, no, no, no, 2, 1, no, 1},
        PrecedenceRow{"HORNET_ > config", no, no, no, 3, no, no, 1, no, 1},
        PrecedenceRow{"HORNET_ > --config", no, no, no, no, 3, no, 1, no, 1},
        PrecedenceRow{"LOCUST_ > config", no, no, 3, no, no, 1, no, no, 1},
        PrecedenceRow{"LOCUST_ > --config", no, no, no, no, 3, 1, no, no, 1},
        PrecedenceRow{"--config > ./hornet.conf", no, no, no, 2, 1, no, no, no, 1},
        PrecedenceRow{"--config > ~/.locust.conf", 2, no, no, no, 1, no, no, no, 1},
        PrecedenceRow{"./hornet.conf > ./locust.conf", no, no, 2, 1, no, no, no, no, 1},
        PrecedenceRow{"./locust.conf > ~/.hornet.conf", no, 2, 1, no, no, no, no, no, 1},
        PrecedenceRow{"~/.hornet.conf > ~/.locust.conf", 2, 1, no, no, no, no, no, no, 1},
        PrecedenceRow{"./hornet.conf > ~/.locust.conf", 2, no, no, 1, no, no, no, no, 1},
        PrecedenceRow{"~/.locust.conf > default", 1, no, no, no, no, no, no, no, 1},
        PrecedenceRow{"all sources", 5, 6, 7, 8, 9, 3, 2, 1, 1},
        PrecedenceRow{"all but the command line", 5, 6, 7, 8, 9, 3, 2, no, 2},
        PrecedenceRow{"all config files", 5, 6, 7, 8, 9, no, no, no, 9}),
    [](const auto& info) { return "Row" + std::to_string(info.index); });

TEST(PrecedenceDetails, EmptyEnvironmentValueCountsAsUnset) {
  Sandbox sandbox;
  sandbox.env = {{"HORNET_USERS", ""}, {"LOCUST_USERS", "4"}};
  EXPECT_EQ(sandbox.options({}).users, 4);
  sandbox.env = {{"HORNET_USERS", ""}};
  sandbox.cwd().write("hornet.conf", "users = 3\n");
  EXPECT_EQ(sandbox.options({}).users, 3);
}

TEST(PrecedenceDetails, EnvironmentFalseBeatsConfigFileTrue) {
  Sandbox sandbox;
  sandbox.cwd().write("hornet.conf", "headless = true\nmaster\n");
  sandbox.env = {{"HORNET_HEADLESS", "false"}, {"LOCUST_MODE_MASTER", "off"}};
  const Options options = sandbox.options({});
  EXPECT_FALSE(options.headless);
  EXPECT_FALSE(options.master);
}

TEST(PrecedenceDetails, CommandLineFlagValueBeatsEnvironment) {
  Sandbox sandbox;
  sandbox.env = {{"HORNET_HEADLESS", "true"}};
  EXPECT_TRUE(sandbox.options({}).headless);
  EXPECT_FALSE(sandbox.options({"--headless=false"}).headless);
}

TEST(PrecedenceDetails, TheWinningSourceGivesTheWholeList) {
  Sandbox sandbox;
  sandbox.cwd().write("hornet.conf", "tags = [a, b]\nlocustfile = x.so, y.so\n");
  sandbox.env = {{"HORNET_TAGS", "c"}};
  Options options = sandbox.options({"-f", "z.so"});
  EXPECT_EQ(options.tags, std::vector<std::string>{"c"});
  EXPECT_EQ(options.locustfiles, std::vector<std::string>{"z.so"});
}

TEST(PrecedenceDetails, LaterLineInOneFileWins) {
  Sandbox sandbox;
  sandbox.cwd().write("hornet.conf", "users = 1\nusers = 2\n");
  EXPECT_EQ(sandbox.options({}).users, 2);
}

TEST(PrecedenceDetails, LastConfigArgumentIsTheOneRead) {
  Sandbox sandbox;
  sandbox.cwd().write("a.conf", "users = 1\n");
  sandbox.cwd().write("b.conf", "users = 2\n");
  const Options options = sandbox.options({"--config", "a.conf", "--config=b.conf"});
  EXPECT_EQ(options.users, 2);
  EXPECT_EQ(options.config_files, std::vector<std::string>{"b.conf"});
}

TEST(PrecedenceDetails, OverriddenBadValuesAreNotConverted) {
  Sandbox sandbox;
  sandbox.env = {{"HORNET_USERS", "abc"}, {"LOCUST_RUN_TIME", "forever"}};
  sandbox.cwd().write("hornet.conf", "users = xyz\nrun-time = never\n");
  const Options options = sandbox.options({"-u", "3", "-t", "1m"});
  EXPECT_EQ(options.users, 3);
  EXPECT_EQ(options.run_time, seconds(60));
}

TEST(PrecedenceDetails, SourcesCombineAcrossOptions) {
  Sandbox sandbox;
  sandbox.home().write(".locust.conf", "host = http://home\nusers = 9\nrun-time = 5m\n");
  sandbox.cwd().write("locust.conf", "users = 7\nspawn-rate = 2\n");
  sandbox.env = {{"LOCUST_SPAWN_RATE", "4"}};
  const Options options = sandbox.options({"--headless", "-t", "10s"});
  EXPECT_EQ(options.host, "http://home");
  EXPECT_EQ(options.users, 7);
  EXPECT_EQ(options.spawn_rate, 4.0);
  EXPECT_EQ(options.run_time, seconds(10));
  EXPECT_TRUE(options.headless);
}

// ---- Config files ----

TEST(ConfigFiles, RecordsTheFilesReadLowestPrecedenceFirst) {
  Sandbox sandbox;
  sandbox.home().write(".locust.conf", "");
  sandbox.home().write(".hornet.conf", "");
  sandbox.cwd().write("locust.conf", "");
  sandbox.cwd().write("hornet.conf", "");
  sandbox.cwd().write("conf/x.conf", "");
  EXPECT_EQ(sandbox.options({"--config", "conf/x.conf"}).config_files,
            (std::vector<std::string>{"~/.locust.conf", "~/.hornet.conf", "locust.conf",
                                      "hornet.conf", "conf/x.conf"}));
}

TEST(ConfigFiles, ConfigPathMayBeAbsolute) {
  Sandbox sandbox;
  const TempDir elsewhere;
  elsewhere.write("abs.conf", "users = 11\n");
  const std::string path = (elsewhere.path() / "abs.conf").string();
  const Options options = sandbox.options({"--config", path});
  EXPECT_EQ(options.users, 11);
  EXPECT_EQ(options.config_files, std::vector<std::string>{path});
}

TEST(ConfigFiles, NoHomeDirectorySkipsHomeFiles) {
  Sandbox sandbox;
  sandbox.home().write(".locust.conf", "users = 1\n");
  ParseOutcome outcome = parse_options({}, {}, ConfigSearch{sandbox.cwd().path(), {}}, {});
  ASSERT_TRUE(std::holds_alternative<Options>(outcome));
  EXPECT_EQ(std::get<Options>(outcome).users, std::nullopt);
}

TEST(ConfigFiles, CommentsSectionsQuotesAndListsTogether) {
  Sandbox sandbox;
  sandbox.cwd().write("hornet.conf",
                      "# Locust-compatible settings\n"
                      "[locust]\n"
                      "host = \"http://example.com\"  # the target\n"
                      "users: 50\n"
                      "spawn-rate 5\n"
                      "headless\n"
                      "tags = [checkout, 'search']\n"
                      "; Hornet's own\n"
                      "[hornet]\n"
                      "threads = 2\n"
                      "insecure = off\n");
  const Options options = sandbox.options({});
  EXPECT_EQ(options.host, "http://example.com");
  EXPECT_EQ(options.users, 50);
  EXPECT_EQ(options.spawn_rate, 5.0);
  EXPECT_TRUE(options.headless);
  EXPECT_EQ(options.tags, (std::vector<std::string>{"checkout", "search"}));
  EXPECT_EQ(options.threads, 2);
  EXPECT_FALSE(options.insecure);
}

TEST(ConfigFiles, EmptyListValues) {
  Sandbox sandbox;
  sandbox.cwd().write("hornet.conf", "tags = []\nexclude-tags =\n");
  const Options options = sandbox.options({});
  EXPECT_EQ(options.tags, std::vector<std::string>{});
  EXPECT_EQ(options.exclude_tags, std::vector<std::string>{});
}

// ---- Errors ----

struct ErrorRow {
  std::vector<std::string> args;
  EnvironmentMap env;
  std::string config;  // ./hornet.conf when not empty
  std::string message;
};

class Errors : public ::testing::TestWithParam<ErrorRow> {};

TEST_P(Errors, ExitTwoWithTheMessage) {
  Sandbox sandbox;
  sandbox.env = GetParam().env;
  if (!GetParam().config.empty()) sandbox.cwd().write("hornet.conf", GetParam().config);
  EXPECT_EQ(sandbox.error(GetParam().args), "hornet: error: " + GetParam().message + "\n");
}

const std::string kRunTimeFormats =
    ". Valid --run-time formats are: 20, 20s, 3m, 2h, 1h20m, 3h30m10s, etc.";
const std::string kStopTimeoutFormats =
    ". Valid --stop-timeout formats are: 20, 2.5, 20s, 3m, 2h, 1h20m, 3h30m10s, etc.";
const std::string kBooleans = " (use true/false, yes/no, on/off or 1/0)";

INSTANTIATE_TEST_SUITE_P(
    Unrecognized, Errors,
    ::testing::Values(
        ErrorRow{{"--foo"}, {}, "", "unrecognized arguments: --foo"},
        ErrorRow{{"--foo", "-u", "1", "--bar=1", "-x"},
                 {},
                 "",
                 "unrecognized arguments: --foo --bar=1 -x"},
        ErrorRow{{"--user", "1"}, {}, "", "unrecognized arguments: --user"},
        ErrorRow{
            {}, {}, "users = 1\nfoo = 1\n", "unrecognized option: 'foo' (from hornet.conf line 2)"},
        ErrorRow{
            {}, {}, "--users = 1\n", "unrecognized option: '--users' (from hornet.conf line 1)"},
        ErrorRow{{}, {}, "u = 1\n", "unrecognized option: 'u' (from hornet.conf line 1)"},
        ErrorRow{{},
                 {},
                 "UserClass = A\n",
                 "unrecognized option: 'UserClass' (from hornet.conf line 1)"},
        ErrorRow{{},
                 {},
                 "help = true\n",
                 "argument -h/--help: not allowed in a config file (from hornet.conf line 1)"},
        ErrorRow{{},
                 {},
                 "version\n",
                 "argument --version/-V: not allowed in a config file (from hornet.conf line 1)"},
        ErrorRow{{},
                 {},
                 "config = other.conf\n",
                 "argument --config: not allowed in a config file (from hornet.conf line 1)"},
        ErrorRow{{}, {}, "users = 1\n= 2\n", "invalid line: '= 2' (from hornet.conf line 2)"}));

INSTANTIATE_TEST_SUITE_P(
    MissingValue, Errors,
    ::testing::Values(
        ErrorRow{{"-u"}, {}, "", "argument -u/--users: expected one argument"},
        ErrorRow{{"--headless", "--host"}, {}, "", "argument -H/--host: expected one argument"},
        ErrorRow{{"-P"}, {}, "", "argument --web-port/-P: expected one argument"},
        ErrorRow{{"--config"}, {}, "", "argument --config: expected one argument"}));

INSTANTIATE_TEST_SUITE_P(
    MalformedValue, Errors,
    ::testing::Values(
        ErrorRow{{"-u", "abc"}, {}, "", "argument -u/--users: invalid int value: 'abc'"},
        ErrorRow{{},
                 {{"HORNET_USERS", "abc"}},
                 "",
                 "argument -u/--users: invalid int value: 'abc' (from HORNET_USERS)"},
        ErrorRow{{},
                 {{"LOCUST_USERS", "1.5"}},
                 "",
                 "argument -u/--users: invalid int value: '1.5' (from LOCUST_USERS)"},
        ErrorRow{{},
                 {},
                 "\n# users\nusers = abc\n",
                 "argument -u/--users: invalid int value: 'abc' (from hornet.conf line 3)"},
        ErrorRow{{},
                 {},
                 "users = [1, 2]\n",
                 "argument -u/--users: invalid int value: '[1, 2]' (from hornet.conf line 1)"},
        ErrorRow{{"-r", "fast"}, {}, "", "argument -r/--spawn-rate: invalid float value: 'fast'"},
        ErrorRow{{"--connect-timeout", "soon"},
                 {},
                 "",
                 "argument --connect-timeout: invalid float value: 'soon'"},
        ErrorRow{{},
                 {{"HORNET_REQUEST_TIMEOUT", "1m"}},
                 "",
                 "argument --request-timeout: invalid float value: '1m' (from "
                 "HORNET_REQUEST_TIMEOUT)"},
        ErrorRow{{"--headless=maybe"},
                 {},
                 "",
                 "argument --headless: invalid boolean value: 'maybe'" + kBooleans},
        ErrorRow{{},
                 {{"HORNET_HEADLESS", "maybe"}},
                 "",
                 "argument --headless: invalid boolean value: 'maybe'" + kBooleans +
                     " (from HORNET_HEADLESS)"},
        ErrorRow{{},
                 {},
                 "headless = 2\n",
                 "argument --headless: invalid boolean value: '2'" + kBooleans +
                     " (from hornet.conf line 1)"},
        ErrorRow{{},
                 {},
                 "master =\n",
                 "argument --master: invalid boolean value: ''" + kBooleans +
                     " (from hornet.conf line 1)"},
        ErrorRow{{"-L", "LOUD"},
                 {},
                 "",
                 "argument --loglevel/-L: invalid choice: 'LOUD' (choose from DEBUG, INFO, "
                 "WARNING, ERROR, CRITICAL)"},
        ErrorRow{{},
                 {{"LOCUST_LOGLEVEL", "trace"}},
                 "",
                 "argument --loglevel/-L: invalid choice: 'trace' (choose from DEBUG, INFO, "
                 "WARNING, ERROR, CRITICAL) (from LOCUST_LOGLEVEL)"}));

INSTANTIATE_TEST_SUITE_P(
    OutOfRange, Errors,
    ::testing::Values(
        ErrorRow{
            {"-u", "-1"}, {}, "", "argument -u/--users: invalid value: '-1' (must be at least 0)"},
        ErrorRow{{"-u", "99999999999"},
                 {},
                 "",
                 "argument -u/--users: invalid value: '99999999999' (must be between "
                 "-2147483648 and 2147483647)"},
        ErrorRow{{"-r", "0"},
                 {},
                 "",
                 "argument -r/--spawn-rate: invalid value: '0' (must be greater than 0)"},
        ErrorRow{{},
                 {{"HORNET_SPAWN_RATE", "-2"}},
                 "",
                 "argument -r/--spawn-rate: invalid value: '-2' (must be greater than 0) (from "
                 "HORNET_SPAWN_RATE)"},
        ErrorRow{{"-P", "65536"},
                 {},
                 "",
                 "argument --web-port/-P: invalid value: '65536' (must be between 0 and 65535)"},
        ErrorRow{{"--master-port", "-1"},
                 {},
                 "",
                 "argument --master-port: invalid value: '-1' (must be between 0 and 65535)"},
        ErrorRow{{},
                 {},
                 "master-bind-port = 70000\n",
                 "argument --master-bind-port: invalid value: '70000' (must be between 0 and "
                 "65535) (from hornet.conf line 1)"},
        ErrorRow{{"--expect-workers", "-1"},
                 {},
                 "",
                 "argument --expect-workers: invalid value: '-1' (must be at least 0)"},
        ErrorRow{{"--expect-workers-max-wait", "-5"},
                 {},
                 "",
                 "argument --expect-workers-max-wait: invalid value: '-5' (must be at least 0)"},
        ErrorRow{{"--threads", "-2"},
                 {},
                 "",
                 "argument --threads: invalid value: '-2' (must be at least 0)"},
        ErrorRow{{"--connect-timeout", "0"},
                 {},
                 "",
                 "argument --connect-timeout: invalid value: '0' (must be greater than 0)"},
        ErrorRow{{"--request-timeout", "-1"},
                 {},
                 "",
                 "argument --request-timeout: invalid value: '-1' (must be greater than 0)"},
        ErrorRow{{"--request-timeout", "1e300"},
                 {},
                 "",
                 "argument --request-timeout: invalid value: '1e300' (must be at most "
                 "9223372036)"},
        ErrorRow{{"-s", "-1"},
                 {},
                 "",
                 "argument -s/--stop-timeout: invalid value: '-1' (must be at least 0)"}));

INSTANTIATE_TEST_SUITE_P(
    Timespan, Errors,
    ::testing::Values(
        ErrorRow{{"-t", "1x"},
                 {},
                 "",
                 "argument -t/--run-time: invalid timespan: '1x'" + kRunTimeFormats},
        ErrorRow{{"-t", "1h20x"},
                 {},
                 "",
                 "argument -t/--run-time: invalid timespan: '1h20x'" + kRunTimeFormats},
        ErrorRow{{"--run-time", "1.5"},
                 {},
                 "",
                 "argument -t/--run-time: invalid timespan: '1.5'" + kRunTimeFormats},
        ErrorRow{{"-t", "99999999999h"},
                 {},
                 "",
                 "argument -t/--run-time: invalid timespan: '99999999999h'" + kRunTimeFormats},
        ErrorRow{{},
                 {{"HORNET_RUN_TIME", "5q"}},
                 "",
                 "argument -t/--run-time: invalid timespan: '5q'" + kRunTimeFormats +
                     " (from HORNET_RUN_TIME)"},
        ErrorRow{{},
                 {},
                 "run-time = soon\n",
                 "argument -t/--run-time: invalid timespan: 'soon'" + kRunTimeFormats +
                     " (from hornet.conf line 1)"},
        ErrorRow{{"-s", "abc"},
                 {},
                 "",
                 "argument -s/--stop-timeout: invalid timespan: 'abc'" + kStopTimeoutFormats},
        ErrorRow{{"-s", "1m30"},
                 {},
                 "",
                 "argument -s/--stop-timeout: invalid timespan: '1m30'" + kStopTimeoutFormats}));

INSTANTIATE_TEST_SUITE_P(
    CsvFullHistory, Errors,
    ::testing::Values(
        ErrorRow{{"--csv-full-history"}, {}, "", "'--csv-full-history' requires '--csv'."},
        ErrorRow{{},
                 {{"LOCUST_CSV_FULL_HISTORY", "true"}},
                 "",
                 "'--csv-full-history' requires '--csv'."},
        ErrorRow{{}, {}, "csv-full-history = true\n", "'--csv-full-history' requires '--csv'."}));

constexpr const char* kProcessesZero =
    "argument --processes: invalid value: '0' (give the number of processes, at least 1, or -1 "
    "for one per CPU core)";

INSTANTIATE_TEST_SUITE_P(
    Processes, Errors,
    ::testing::Values(
        ErrorRow{{"--processes", "0"}, {}, "", kProcessesZero},
        ErrorRow{{}, {{"LOCUST_PROCESSES", "0"}}, "", kProcessesZero},
        ErrorRow{{}, {}, "processes = 0\n", kProcessesZero},
        ErrorRow{{"--processes", "-2"},
                 {},
                 "",
                 "argument --processes: invalid value: '-2' (give the number of processes, at "
                 "least 1, or -1 for one per CPU core)"},
        ErrorRow{{"--processes", "two"}, {}, "", "argument --processes: invalid int value: 'two'"},
        ErrorRow{{"--master", "--processes", "2"},
                 {},
                 "",
                 "--master cannot be combined with --processes. Remove --master, as it is "
                 "implicit as long as --worker is not set."}));

INSTANTIATE_TEST_SUITE_P(
    Removed, Errors,
    ::testing::Values(
        ErrorRow{{"--hatch-rate", "5"},
                 {},
                 "",
                 "argument --hatch-rate: no longer supported; use -r/--spawn-rate instead"},
        ErrorRow{{"--hatch-rate"},
                 {},
                 "",
                 "argument --hatch-rate: no longer supported; use -r/--spawn-rate instead"},
        ErrorRow{{"-u", "2", "--hatch-rate=5"},
                 {},
                 "",
                 "argument --hatch-rate: no longer supported; use -r/--spawn-rate instead"},
        ErrorRow{{},
                 {{"LOCUST_HATCH_RATE", "5"}},
                 "",
                 "argument --hatch-rate: no longer supported; use -r/--spawn-rate instead (from "
                 "LOCUST_HATCH_RATE)"},
        ErrorRow{{},
                 {},
                 "hatch-rate = 5\n",
                 "argument --hatch-rate: no longer supported; use -r/--spawn-rate instead (from "
                 "hornet.conf line 1)"},
        ErrorRow{
            {"--slave"}, {}, "", "argument --slave: no longer supported; use --worker instead"},
        ErrorRow{{"--expect-slaves"},
                 {},
                 "",
                 "argument --expect-slaves: no longer supported; use --expect-workers instead"},
        ErrorRow{{"--step-load"},
                 {},
                 "",
                 "argument --step-load: no longer supported; the step load feature was removed "
                 "in Locust 1.3"},
        ErrorRow{{"--step-users", "10"},
                 {},
                 "",
                 "argument --step-users: no longer supported; the step load feature was removed "
                 "in Locust 1.3"},
        ErrorRow{{"--step-clients", "10"},
                 {},
                 "",
                 "argument --step-clients: no longer supported; the step load feature was "
                 "removed in Locust 1.3"},
        ErrorRow{{"--step-time", "1m"},
                 {},
                 "",
                 "argument --step-time: no longer supported; the step load feature was removed "
                 "in Locust 1.3"}));

INSTANTIATE_TEST_SUITE_P(
    ConfigFileAccess, Errors,
    ::testing::Values(ErrorRow{{"--config", "missing.conf"},
                               {},
                               "",
                               "argument --config: can't open 'missing.conf': No such file or "
                               "directory"},
                      ErrorRow{{"--config", ""},
                               {},
                               "",
                               "argument --config: can't open '': No such file or directory"}));

TEST(ErrorDetails, DefaultConfigFileThatIsADirectory) {
  Sandbox sandbox;
  std::filesystem::create_directory(sandbox.cwd().path() / "hornet.conf");
  EXPECT_EQ(sandbox.error({}), "hornet: error: can't open 'hornet.conf': Is a directory\n");
}

TEST(ErrorDetails, UnreadableConfigFile) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads files regardless of permissions";
  Sandbox sandbox;
  sandbox.home().write(".hornet.conf", "users = 1\n");
  std::filesystem::permissions(sandbox.home().path() / ".hornet.conf",
                               std::filesystem::perms::none);
  EXPECT_EQ(sandbox.error({}), "hornet: error: can't open '~/.hornet.conf': Permission denied\n");
}

TEST(ErrorDetails, UnknownKeyInAnOverriddenFileIsStillAnError) {
  Sandbox sandbox;
  sandbox.home().write(".locust.conf", "users = 1\nspawn_rate = 2\n");
  sandbox.cwd().write("hornet.conf", "users = 2\nspawn-rate = 2\n");
  EXPECT_EQ(sandbox.error({}),
            "hornet: error: unrecognized option: 'spawn_rate' (from ~/.locust.conf line 2)\n");
}

TEST(ErrorDetails, NamesTheConfigArgumentAsGiven) {
  Sandbox sandbox;
  sandbox.cwd().write("conf/my.conf", "\nusers = lots\n");
  EXPECT_EQ(sandbox.error({"--config", "conf/my.conf"}),
            "hornet: error: argument -u/--users: invalid int value: 'lots' (from conf/my.conf "
            "line 2)\n");
}

TEST(ErrorDetails, UseTheProgramName) {
  Sandbox sandbox;
  sandbox.program.name = "locust";
  EXPECT_EQ(sandbox.error({"--foo"}), "locust: error: unrecognized arguments: --foo\n");
}

// ---- Help and version ----

EarlyExit early_exit(const Sandbox& sandbox, const std::vector<std::string>& args) {
  ParseOutcome outcome = sandbox.parse(args);
  if (!std::holds_alternative<EarlyExit>(outcome)) {
    ADD_FAILURE() << "expected an early exit";
    return EarlyExit{EarlyExit::Reason::kUsageError, ""};
  }
  return std::get<EarlyExit>(std::move(outcome));
}

TEST(Help, BothSpellingsPrintHelpToStdoutAndExitZero) {
  const Sandbox sandbox;
  for (const char* flag : {"-h", "--help"}) {
    const EarlyExit exit = early_exit(sandbox, {flag});
    EXPECT_EQ(exit.reason, EarlyExit::Reason::kHelp) << flag;
    EXPECT_EQ(exit.exit_code(), 0);
    EXPECT_FALSE(exit.to_stderr());
    EXPECT_EQ(exit.text, help_text(sandbox.program));
  }
}

TEST(Help, WinsOverBadValuesUnknownOptionsAndBadConfigFiles) {
  Sandbox sandbox;
  sandbox.cwd().write("hornet.conf", "nonsense = 1\n");
  sandbox.env = {{"HORNET_USERS", "abc"}};
  for (const std::vector<std::string>& args : {std::vector<std::string>{"-u", "abc", "--help"},
                                               {"--foo", "-h"},
                                               {"-h", "--hatch-rate"},
                                               {"--config", "missing.conf", "-h"},
                                               {"--help", "-u"},
                                               {"-r", "0", "--help", "--csv"}}) {
    EXPECT_EQ(early_exit(sandbox, args).reason, EarlyExit::Reason::kHelp) << args[0];
  }
}

TEST(Help, StartsWithUsageLineUsingTheProgramName) {
  EXPECT_THAT(help_text({"hornet", "1"}),
              StartsWith("Usage: hornet [OPTIONS] [UserClass ...]\n\n"));
  EXPECT_THAT(help_text({"hornet-dev", "1"}),
              StartsWith("Usage: hornet-dev [OPTIONS] [UserClass ...]\n"));
}

TEST(Help, ListsGroupsInLocustsOrderThenHornets) {
  const std::string help = help_text({});
  std::size_t previous = 0;
  for (const char* title :
       {"\nCommon options:\n", "\nWeb UI options:\n", "\nMaster options:\n", "\nWorker options:\n",
        "\nTag options:\n", "\nRequest statistics options:\n", "\nLogging options:\n",
        "\nOther options:\n", "\nHornet options:\n", "\nUser classes:\n"}) {
    const std::size_t at = help.find(title);
    ASSERT_NE(at, std::string::npos) << title;
    EXPECT_GT(at, previous) << title;
    previous = at;
  }
}

TEST(Help, ShowsOptionsInTheirGroupsWithEnvironmentVariables) {
  const std::string help = help_text({});
  // From the group's title to the blank line before the next one.
  const auto section = [&help](const char* title) {
    const std::size_t start = help.find(std::string("\n") + title + ":\n");
    EXPECT_NE(start, std::string::npos) << title;
    return help.substr(start, help.find("\n\n", start + 1) + 1 - start);
  };
  EXPECT_THAT(section("Common options"), HasSubstr("  -u NUM_USERS, --users NUM_USERS\n"));
  EXPECT_THAT(section("Common options"), HasSubstr("env: HORNET_USERS, LOCUST_USERS\n"));
  EXPECT_THAT(section("Common options"), HasSubstr("  -h, --help            Show this help"));
  EXPECT_THAT(section("Web UI options"), HasSubstr("--web-port WEB_PORT, -P WEB_PORT"));
  EXPECT_THAT(section("Web UI options"),
              HasSubstr("env: HORNET_USERCLASS_PICKER, LOCUST_USERCLASS_PICKER\n"));
  EXPECT_THAT(section("Master options"),
              HasSubstr("env: HORNET_MODE_MASTER, LOCUST_MODE_MASTER\n"));
  EXPECT_THAT(section("Worker options"), HasSubstr("--master-host MASTER_NODE_HOST"));
  EXPECT_THAT(section("Tag options"), HasSubstr("-T [TAG ...], --tags [TAG ...]"));
  EXPECT_THAT(section("Logging options"), HasSubstr("--loglevel LOGLEVEL, -L LOGLEVEL"));
  EXPECT_THAT(section("Other options"), HasSubstr("--version, -V"));
  EXPECT_THAT(section("Hornet options"), HasSubstr("--threads N"));
  EXPECT_THAT(section("Hornet options"), HasSubstr("env: HORNET_THREADS\n"));
  EXPECT_THAT(help, Not(HasSubstr("LOCUST_THREADS")));
}

TEST(Help, ListsEveryVisibleOptionAndNoHiddenOne) {
  const std::string help = help_text({});
  for (const OptionSpec& spec : option_specs()) {
    const std::string long_name(spec.long_name());
    // The long name followed by a space, comma or newline, so --csv does not match --csv-*.
    const bool listed = help.find(long_name + " ") != std::string::npos ||
                        help.find(long_name + ",") != std::string::npos ||
                        help.find(long_name + "\n") != std::string::npos;
    EXPECT_EQ(listed, spec.group != Group::kHidden) << long_name;
  }
}

TEST(Help, FitsIn79Columns) {
  const std::string help = help_text({});
  std::size_t start = 0;
  while (start < help.size()) {
    const std::size_t end = help.find('\n', start);
    EXPECT_LE(end - start, 79u) << help.substr(start, end - start);
    start = end + 1;
  }
}

TEST(Version, BothSpellingsPrintNameAndVersionToStdout) {
  const Sandbox sandbox;
  for (const char* flag : {"-V", "--version"}) {
    const EarlyExit exit = early_exit(sandbox, {flag});
    EXPECT_EQ(exit.reason, EarlyExit::Reason::kVersion) << flag;
    EXPECT_EQ(exit.text, "hornet 1.2.3\n");
    EXPECT_EQ(exit.exit_code(), 0);
    EXPECT_FALSE(exit.to_stderr());
  }
}

TEST(Version, WinsOverBadValues) {
  const Sandbox sandbox;
  EXPECT_EQ(early_exit(sandbox, {"-u", "x", "-V"}).reason, EarlyExit::Reason::kVersion);
  EXPECT_EQ(early_exit(sandbox, {"--version", "-u"}).reason, EarlyExit::Reason::kVersion);
}

TEST(Version, AfterDoubleDashIsAUserClass) {
  const Sandbox sandbox;
  EXPECT_EQ(sandbox.options({"--", "-V"}).user_classes, std::vector<std::string>{"-V"});
}

// ---- Process helpers ----

TEST(ProcessHelpers, CurrentEnvironmentReadsTheProcessEnvironment) {
  ASSERT_EQ(setenv("HORNET_CLI_TEST_VARIABLE", "a=b", 1), 0);
  const EnvironmentMap env = current_environment();
  unsetenv("HORNET_CLI_TEST_VARIABLE");
  const auto found = env.find("HORNET_CLI_TEST_VARIABLE");
  ASSERT_NE(found, env.end());
  EXPECT_EQ(found->second, "a=b");
}

TEST(ProcessHelpers, ConfigSearchUsesWorkingDirectoryAndHome) {
  const ConfigSearch where = config_search_from_process({{"HOME", "/home/someone"}});
  EXPECT_EQ(where.current_dir, std::filesystem::current_path());
  EXPECT_EQ(where.home_dir, "/home/someone");
  EXPECT_TRUE(config_search_from_process({}).home_dir.empty());
}

TEST(ProcessHelpers, LogLevelNamesAreLocusts) {
  EXPECT_EQ(to_string(LogLevel::kDebug), "DEBUG");
  EXPECT_EQ(to_string(LogLevel::kInfo), "INFO");
  EXPECT_EQ(to_string(LogLevel::kWarning), "WARNING");
  EXPECT_EQ(to_string(LogLevel::kError), "ERROR");
  EXPECT_EQ(to_string(LogLevel::kCritical), "CRITICAL");
}

}  // namespace
}  // namespace hornet::cli
