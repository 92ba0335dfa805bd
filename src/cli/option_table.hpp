// The one table of options that drives the command-line tokeniser, environment lookup, config-file
// keys, value conversion and --help. Internal to src/cli.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/options.hpp"

namespace hornet::cli {

/// Help groups, in the order --help prints them (Locust's, then Hornet's own).
enum class Group {
  kCommon,
  kWebUi,
  kMaster,
  kWorker,
  kTags,
  kStatistics,
  kLogging,
  kOther,
  kHornet,
  kHidden,  // accepted but not listed (Locust's hidden and removed options)
};

/// The Options member an option sets. The member's type chooses the converter: bool is a flag,
/// vectors are lists, std::optional<std::chrono::seconds> is a timespan, Seconds is a number of
/// seconds (or a timespan with OptionSpec::accepts_timespan), LogLevel a choice.
using Field = std::variant<
    std::monostate,  // options that set no member: help, removed, ...
    bool Options::*, int Options::*, std::optional<int> Options::*,
    std::optional<double> Options::*, std::string Options::*, std::optional<std::string> Options::*,
    std::vector<std::string> Options::*, std::optional<std::vector<std::string>> Options::*,
    std::optional<std::chrono::seconds> Options::*, Seconds Options::*, LogLevel Options::*>;

/// Extra checks on a number after conversion.
enum class Bound { kNone, kNonNegative, kPositive, kPort };

/// Options with a role beyond setting a member.
enum class Role { kValue, kHelp, kVersion, kConfig, kRemoved };

/// Which environment variables an option reads.
enum class EnvNames {
  kNone,             // none (Locust reads none either)
  kHornetAndLocust,  // HORNET_<env>, then LOCUST_<env>
  kHornetOnly,       // HORNET_<env>: Hornet's own options
};

struct OptionSpec {
  /// Names in Locust's order, comma-separated as CLI11 takes them: "-u,--users", "--web-port,-P".
  std::string_view names;
  /// Placeholder for the value in --help ("NUM_USERS"); empty for flags.
  std::string_view metavar;
  Field field;
  Group group;
  std::string_view help;
  /// The environment variable name without its prefix ("SPAWN_RATE", "MODE_MASTER").
  std::string_view env = {};
  EnvNames env_names = EnvNames::kHornetAndLocust;
  Bound bound = Bound::kNone;
  /// Lists: true for Locust's nargs="*" (-T a b c), false for one value per flag (-f a,b).
  bool many_values = false;
  /// Lists: each value is one item, commas included (header values contain commas).
  bool keep_commas = false;
  /// Seconds fields: accept a timespan ("1m30s") as well as a number.
  bool accepts_timespan = false;
  Role role = Role::kValue;
  /// kRemoved: why, and what to use instead ("use -r/--spawn-rate instead").
  std::string_view removed_hint = {};
  /// Whether the option takes a value on the command line.
  bool takes_value() const;
  /// "--users": the first long name. Every option has one; it is also the config-file key
  /// without its dashes.
  std::string_view long_name() const;
  /// "-u/--users": the names as argparse shows them in errors.
  std::string display_name() const;
  /// The environment variable names to read, highest precedence first.
  std::vector<std::string> env_vars() const;
};

/// Every option, in --help order within each group.
std::span<const OptionSpec> option_specs();

/// The option whose long name is `long_name` ("--users"), or nullptr.
const OptionSpec* find_option(std::string_view long_name);

}  // namespace hornet::cli
