#include "cli/options.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <type_traits>

#include "cli/config_file.hpp"
#include "cli/option_table.hpp"
#include "cli/timespan.hpp"
#include "cli/values.hpp"

extern char** environ;

namespace hornet::cli {
namespace {

// One option's value as one source gave it.
struct RawValue {
  // Command line: every value given, in order (repeats, nargs="*"); otherwise exactly one.
  std::vector<std::string> values;
  // Where the value came from, for messages: "" for the command line, "HORNET_USERS",
  // "hornet.conf line 3".
  std::string origin;

  std::string_view last() const { return values.empty() ? std::string_view() : values.back(); }
};

// "-m/--my-arg": the names as argparse shows them in errors.
std::string custom_display_name(const CustomOption& option) {
  std::string out;
  for (const std::string& name : option.names) out += (out.empty() ? "" : "/") + name;
  return out;
}

// Every name of the built-in options: "-h", "--help", ...
std::vector<std::string_view> builtin_names() {
  std::vector<std::string_view> out;
  for (const OptionSpec& spec : option_specs()) {
    for (std::string_view names = spec.names; !names.empty();) {
      const std::size_t comma = names.find(',');
      out.push_back(names.substr(0, comma));
      names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
    }
  }
  return out;
}

// The scenario's declarations, checked as argparse's add_argument would.
Result<void> check_custom_options(std::span<const CustomOption> custom) {
  const std::vector<std::string_view> builtin = builtin_names();
  std::vector<std::string_view> seen;
  std::vector<std::string> dests;
  for (const CustomOption& option : custom) {
    if (option.names.empty()) return Error{"a custom option has no name"};
    for (const std::string& name : option.names) {
      const bool valid = name.size() >= 2 && name[0] == '-' &&
                         name.find_first_of(" =,\t") == std::string::npos &&
                         !(name.size() == 2 && name[1] == '-');
      if (!valid) return Error{"invalid option string: " + single_quoted(name)};
      for (std::string_view other : builtin) {
        if (other == name) {
          return Error{"argument " + custom_display_name(option) +
                       ": conflicting option string: " + name};
        }
      }
      for (std::string_view other : seen) {
        if (other == name) {
          return Error{"argument " + custom_display_name(option) +
                       ": conflicting option string: " + name};
        }
      }
      seen.push_back(name);
    }
  }
  return {};
}

Error option_error(const OptionSpec& spec, const std::string& message, const RawValue& raw) {
  std::string text = "argument " + spec.display_name() + ": " + message;
  if (!raw.origin.empty()) text += " (from " + raw.origin + ")";
  return Error{std::move(text)};
}

// ---- Conversion from raw text to each Options member type ----

template <class T>
using Tag = std::type_identity<T>;

Result<void> check_bound(const OptionSpec& spec, std::string_view text, double value) {
  const char* problem = nullptr;
  switch (spec.bound) {
    case Bound::kNone:
      return {};
    case Bound::kNonNegative:
      if (!(value >= 0)) problem = "must be at least 0";
      break;
    case Bound::kPositive:
      if (!(value > 0)) problem = "must be greater than 0";
      break;
    case Bound::kPort:
      if (!(value >= 0 && value <= 65535)) problem = "must be between 0 and 65535";
      break;
  }
  if (problem == nullptr) return {};
  return Error{"invalid value: " + single_quoted(text) + " (" + problem + ")"};
}

Result<bool> convert(Tag<bool>, const OptionSpec&, const RawValue& raw) {
  return parse_bool(raw.last());
}

Result<int> convert(Tag<int>, const OptionSpec& spec, const RawValue& raw) {
  Result<int> value = parse_int(raw.last());
  if (!value) return value;
  if (Result<void> in_range = check_bound(spec, raw.last(), *value); !in_range) {
    return in_range.error();
  }
  return value;
}

Result<std::optional<int>> convert(Tag<std::optional<int>>, const OptionSpec& spec,
                                   const RawValue& raw) {
  Result<int> value = convert(Tag<int>(), spec, raw);
  if (!value) return value.error();
  return std::optional<int>(*value);
}

Result<std::optional<double>> convert(Tag<std::optional<double>>, const OptionSpec& spec,
                                      const RawValue& raw) {
  Result<double> value = parse_float(raw.last());
  if (!value) return value.error();
  if (Result<void> in_range = check_bound(spec, raw.last(), *value); !in_range) {
    return in_range.error();
  }
  return std::optional<double>(*value);
}

Result<std::string> convert(Tag<std::string>, const OptionSpec&, const RawValue& raw) {
  return std::string(raw.last());
}

Result<std::optional<std::string>> convert(Tag<std::optional<std::string>>, const OptionSpec&,
                                           const RawValue& raw) {
  return std::optional<std::string>(raw.last());
}

Result<std::vector<std::string>> convert(Tag<std::vector<std::string>>, const OptionSpec& spec,
                                         const RawValue& raw) {
  std::vector<std::string> items;
  for (const std::string& value : raw.values) {
    if (spec.keep_commas) {
      items.push_back(value);
      continue;
    }
    for (std::string& item : split_list(value)) items.push_back(std::move(item));
  }
  return items;
}

Result<std::optional<std::vector<std::string>>> convert(
    Tag<std::optional<std::vector<std::string>>>, const OptionSpec& spec, const RawValue& raw) {
  return std::optional<std::vector<std::string>>(
      std::move(*convert(Tag<std::vector<std::string>>(), spec, raw)));
}

std::string timespan_error(const OptionSpec& spec, std::string_view text) {
  // Locust's wording for -t; -s also takes fractional seconds.
  const std::string_view examples = spec.accepts_timespan ? "20, 2.5, 20s, 3m, 2h, 1h20m, 3h30m10s"
                                                          : "20, 20s, 3m, 2h, 1h20m, 3h30m10s";
  return "invalid timespan: " + single_quoted(text) + ". Valid " + std::string(spec.long_name()) +
         " formats are: " + std::string(examples) + ", etc.";
}

Result<std::optional<std::chrono::seconds>> convert(Tag<std::optional<std::chrono::seconds>>,
                                                    const OptionSpec& spec, const RawValue& raw) {
  Result<std::chrono::seconds> span = parse_timespan(raw.last());
  if (!span) return Error{timespan_error(spec, raw.last())};
  return std::optional<std::chrono::seconds>(*span);
}

Result<Seconds> convert(Tag<Seconds>, const OptionSpec& spec, const RawValue& raw) {
  const std::string_view text = raw.last();
  if (spec.accepts_timespan) {
    if (Result<std::chrono::seconds> span = parse_timespan(text)) {
      if (Result<void> in_range = check_bound(spec, text, span->count()); !in_range) {
        return in_range.error();
      }
      return Seconds(*span);
    }
  }
  Result<double> seconds = parse_float(text);
  if (!seconds) {
    return Error{spec.accepts_timespan ? timespan_error(spec, text) : seconds.error().message};
  }
  if (Result<void> in_range = check_bound(spec, text, *seconds); !in_range) {
    return in_range.error();
  }
  if (*seconds > static_cast<double>(kMaxTimespan.count())) {
    return Error{"invalid value: " + single_quoted(text) + " (must be at most " +
                 std::to_string(kMaxTimespan.count()) + ")"};
  }
  return Seconds(*seconds);
}

constexpr std::array<std::pair<std::string_view, LogLevel>, 5> kLogLevels{{
    {"DEBUG", LogLevel::kDebug},
    {"INFO", LogLevel::kInfo},
    {"WARNING", LogLevel::kWarning},
    {"ERROR", LogLevel::kError},
    {"CRITICAL", LogLevel::kCritical},
}};

Result<LogLevel> convert(Tag<LogLevel>, const OptionSpec&, const RawValue& raw) {
  std::string upper(raw.last());
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  for (const auto& [name, level] : kLogLevels) {
    if (upper == name) return level;
  }
  return Error{"invalid choice: " + single_quoted(raw.last()) +
               " (choose from DEBUG, INFO, WARNING, ERROR, CRITICAL)"};
}

// Converts `raw` to the type of the member `spec` sets, and stores it there.
Result<void> store(const OptionSpec& spec, const RawValue& raw, Options& options) {
  return std::visit(
      [&](auto field) -> Result<void> {
        if constexpr (std::is_same_v<decltype(field), std::monostate>) {
          return {};
        } else {
          using T = std::remove_reference_t<decltype(options.*field)>;
          Result<T> value = convert(Tag<T>(), spec, raw);
          if (!value) return option_error(spec, value.error().message, raw);
          options.*field = std::move(*value);
          return {};
        }
      },
      spec.field);
}

// ---- The command line ----

struct CommandLine {
  // By index into option_specs(); nullopt when the option was not given.
  std::vector<std::optional<std::vector<std::string>>> given;
  // By index into the custom options, likewise.
  std::vector<std::optional<std::vector<std::string>>> custom_given;
  std::vector<std::string> user_classes;
  std::vector<std::string> unrecognized;

  bool has(Role role) const {
    const std::span<const OptionSpec> specs = option_specs();
    for (std::size_t i = 0; i < specs.size(); ++i) {
      if (specs[i].role == role && given[i]) return true;
    }
    return false;
  }
};

// CLI11 only splits the command line into raw strings per option; conversion, precedence and
// messages are ours, since CLI11 would rank config files above the environment.
Result<CommandLine> tokenize(std::span<const std::string> args,
                             std::span<const CustomOption> custom) {
  const std::span<const OptionSpec> specs = option_specs();
  CLI::App app;
  app.set_help_flag();  // -h/--help is in the table like any other flag
  app.allow_extras();   // unknown options are collected and reported argparse's way

  std::vector<CLI::Option*> cli_options;
  for (const OptionSpec& spec : specs) {
    CLI::Option* option = nullptr;
    if (!spec.takes_value()) {
      option = app.add_flag(std::string(spec.names));
    } else {
      option = app.add_option(std::string(spec.names));
      if (spec.many_values) {
        option->expected(0, CLI::detail::expected_max_vector_size)->allow_extra_args();
      } else if (spec.role == Role::kRemoved) {
        option->expected(0, 1);  // report the removal, not a missing value
      }
    }
    option->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cli_options.push_back(option);
  }
  std::vector<CLI::Option*> custom_options;
  for (const CustomOption& option : custom) {
    std::string names;
    for (const std::string& name : option.names) names += (names.empty() ? "" : ",") + name;
    CLI::Option* added = option.type == CustomOption::Type::kBool ? app.add_flag(names)
                                                                  : app.add_option(names);
    added->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    custom_options.push_back(added);
  }
  CommandLine command_line;
  app.add_option("UserClass", command_line.user_classes);

  try {
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));
  } catch (const CLI::ArgumentMismatch& error) {
    // The only mismatch our setup allows is a missing value: "--users: 1 required TEXT missing".
    const std::string message = error.what();
    const std::string name = message.substr(0, message.find(':'));
    if (const OptionSpec* spec = find_option(name)) {
      return Error{"argument " + spec->display_name() + ": expected one argument"};
    }
    for (const CustomOption& option : custom) {
      if (option.long_name() == name) {
        return Error{"argument " + custom_display_name(option) + ": expected one argument"};
      }
    }
    return Error{message};
  } catch (const CLI::ParseError& error) {
    return Error{error.what()};
  }

  command_line.given.resize(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (cli_options[i]->count() > 0) command_line.given[i] = cli_options[i]->results();
  }
  command_line.custom_given.resize(custom.size());
  for (std::size_t i = 0; i < custom.size(); ++i) {
    if (custom_options[i]->count() > 0) command_line.custom_given[i] = custom_options[i]->results();
  }
  // With extras allowed, CLI11 also reports the "--" that ends the options as left over.
  for (std::string& arg : app.remaining()) {
    if (arg != "--") command_line.unrecognized.push_back(std::move(arg));
  }
  return command_line;
}

// ---- Config files ----

Result<std::vector<ConfigFile>> read_config_files(const ConfigSearch& where,
                                                  const std::optional<std::string>& explicit_file) {
  struct Candidate {
    std::filesystem::path path;
    std::string name;
    IfMissing if_missing;
  };
  std::vector<Candidate> candidates;
  if (!where.home_dir.empty()) {
    for (const char* file : {".locust.conf", ".hornet.conf"}) {
      candidates.push_back({where.home_dir / file, std::string("~/") + file, IfMissing::kSkip});
    }
  }
  for (const char* file : {"locust.conf", "hornet.conf"}) {
    candidates.push_back({where.current_dir / file, file, IfMissing::kSkip});
  }
  if (explicit_file) {
    // An empty name would otherwise mean the directory itself.
    std::filesystem::path path =
        explicit_file->empty() ? std::filesystem::path() : where.current_dir / *explicit_file;
    candidates.push_back({std::move(path), *explicit_file, IfMissing::kError});
  }

  std::vector<ConfigFile> files;
  for (Candidate& candidate : candidates) {
    Result<std::optional<ConfigFile>> file =
        read_config_file(candidate.path, std::move(candidate.name), candidate.if_missing);
    if (!file) {
      if (candidate.if_missing == IfMissing::kError) {
        return Error{"argument --config: " + file.error().message};
      }
      return file.error();
    }
    if (*file) files.push_back(std::move(**file));
  }
  return files;
}

struct ConfigValues {
  std::vector<std::optional<RawValue>> builtin;  // by index into option_specs()
  std::vector<std::optional<RawValue>> custom;   // by index into the custom options
};

// The custom option that config-file key `key` names (a long name without its dashes), if any.
std::optional<std::size_t> find_custom_key(std::span<const CustomOption> custom,
                                           std::string_view key) {
  for (std::size_t i = 0; i < custom.size(); ++i) {
    for (const std::string& name : custom[i].names) {
      if (name.starts_with("--") && std::string_view(name).substr(2) == key) return i;
    }
  }
  return std::nullopt;
}

// The winning config-file value of each option. Every key of every file is checked, including
// those a later file overrides; values are converted only if they win.
Result<ConfigValues> config_values(std::span<const ConfigFile> files,
                                   std::span<const CustomOption> custom) {
  const std::span<const OptionSpec> specs = option_specs();
  ConfigValues result;
  std::vector<std::optional<RawValue>>& values = result.builtin;
  values.resize(specs.size());
  result.custom.resize(custom.size());
  for (const ConfigFile& file : files) {
    for (const ConfigEntry& entry : file.entries) {
      RawValue raw{{entry.value}, file.name + " line " + std::to_string(entry.line)};
      const OptionSpec* spec = find_option("--" + entry.key);
      if (spec == nullptr) {
        if (const auto index = find_custom_key(custom, entry.key)) {
          result.custom[*index] = std::move(raw);
          continue;
        }
        return Error{"unrecognized option: " + single_quoted(entry.key) + " (from " + raw.origin +
                     ")"};
      }
      if (spec->role == Role::kHelp || spec->role == Role::kVersion ||
          spec->role == Role::kConfig) {
        return option_error(*spec, "not allowed in a config file", raw);
      }
      values[static_cast<std::size_t>(spec - specs.data())] = std::move(raw);
    }
  }
  return result;
}

std::optional<RawValue> environment_value(const OptionSpec& spec, const EnvironmentMap& env) {
  for (std::string& name : spec.env_vars()) {
    const auto found = env.find(name);
    if (found != env.end() && !found->second.empty()) {
      return RawValue{{found->second}, std::move(name)};
    }
  }
  return std::nullopt;
}

// Options::custom from the command line, the environment, config files and the defaults.
Result<void> resolve_custom(std::span<const CustomOption> custom, const CommandLine& command_line,
                            const EnvironmentMap& env, std::span<const std::optional<RawValue>> from_files,
                            Options& options) {
  for (std::size_t i = 0; i < custom.size(); ++i) {
    const CustomOption& option = custom[i];
    std::optional<RawValue> raw;
    if (command_line.custom_given[i]) {
      raw = RawValue{*command_line.custom_given[i], ""};
    } else if (const auto found = option.env_var.empty() ? env.end() : env.find(option.env_var);
               found != env.end() && !found->second.empty()) {
      raw = RawValue{{found->second}, option.env_var};
    } else if (from_files[i]) {
      raw = from_files[i];
    } else {
      // As argparse, the default is not checked against the type or the choices.
      std::optional<std::string> value = option.default_value;
      if (option.type == CustomOption::Type::kBool) {
        const Result<bool> flag = parse_bool(value.value_or("false"));
        if (flag) value = *flag ? "true" : "false";
      }
      if (value) options.custom[option.effective_dest()] = std::move(*value);
      continue;
    }
    Result<std::string> value = check_custom_value(option, raw->last());
    if (!value) {
      std::string text = "argument " + custom_display_name(option) + ": " + value.error().message;
      if (!raw->origin.empty()) text += " (from " + raw->origin + ")";
      return Error{std::move(text)};
    }
    if (option.type == CustomOption::Type::kBool && option.store_false) {
      // The flag was given (or a source says it is set): store_false stores false.
      value = std::string(*value == "true" ? "false" : "true");
    }
    options.custom[option.effective_dest()] = std::move(*value);
  }
  return {};
}

Result<Options> resolve(const CommandLine& command_line, const EnvironmentMap& env,
                        const ConfigSearch& where, std::span<const CustomOption> custom) {
  const std::span<const OptionSpec> specs = option_specs();
  std::optional<std::string> explicit_config;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].role == Role::kConfig && command_line.given[i]) {
      explicit_config = command_line.given[i]->back();
    }
  }
  Result<std::vector<ConfigFile>> files = read_config_files(where, explicit_config);
  if (!files) return files.error();
  Result<ConfigValues> from_config = config_values(*files, custom);
  if (!from_config) return from_config.error();
  const std::vector<std::optional<RawValue>>* from_files = &from_config->builtin;

  Options options;
  for (const ConfigFile& file : *files) options.config_files.push_back(file.name);
  options.user_classes = command_line.user_classes;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const OptionSpec& spec = specs[i];
    if (spec.role == Role::kHelp || spec.role == Role::kVersion || spec.role == Role::kConfig) {
      continue;
    }
    std::optional<RawValue> raw;
    if (command_line.given[i]) {
      raw = RawValue{*command_line.given[i], ""};
    } else if (std::optional<RawValue> from_env = environment_value(spec, env)) {
      raw = std::move(from_env);
    } else {
      raw = (*from_files)[i];
    }
    if (!raw) continue;
    if (spec.role == Role::kRemoved) {
      return option_error(spec, "no longer supported; " + std::string(spec.removed_hint), *raw);
    }
    if (Result<void> stored = store(spec, *raw, options); !stored) return stored.error();
  }

  if (Result<void> stored = resolve_custom(custom, command_line, env, from_config->custom, options);
      !stored) {
    return stored.error();
  }

  if (options.headful) options.headless = false;
  if (options.csv_full_history && !options.csv_prefix) {
    return Error{"'--csv-full-history' requires '--csv'."};
  }
  if (options.processes && (*options.processes == 0 || *options.processes < -1)) {
    return Error{"argument --processes: invalid value: '" + std::to_string(*options.processes) +
                 "' (give the number of processes, at least 1, or -1 for one per CPU core)"};
  }
  if (options.processes && options.master) {
    // Locust's message (Locust exits 1; a usage error exits 2 here).
    return Error{"--master cannot be combined with --processes. Remove --master, as it is "
                 "implicit as long as --worker is not set."};
  }
  return options;
}

// Whether an argument is exactly one of the names of the option with `role`.
bool mentioned(std::span<const std::string> args, Role role) {
  for (const OptionSpec& spec : option_specs()) {
    if (spec.role != role) continue;
    for (const std::string& arg : args) {
      for (std::string_view names = spec.names; !names.empty();) {
        const std::size_t comma = names.find(',');
        if (arg == names.substr(0, comma)) return true;
        names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
      }
    }
  }
  return false;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace

ParseOutcome parse_options(std::span<const std::string> args, const EnvironmentMap& env,
                           const ConfigSearch& where, const ProgramInfo& program,
                           std::span<const CustomOption> custom) {
  const auto usage_error = [&program](const Error& error) {
    return EarlyExit{EarlyExit::Reason::kUsageError,
                     program.name + ": error: " + error.message + "\n"};
  };
  if (Result<void> declared = check_custom_options(custom); !declared) {
    return usage_error(declared.error());
  }
  Result<CommandLine> command_line = tokenize(args, custom);
  // A tokenising error (a missing value) leaves no parsed flags, so look for help and version in
  // the raw arguments then; they are still answered first, as argparse does.
  const auto requested = [&](Role role) {
    return command_line ? command_line->has(role) : mentioned(args, role);
  };
  if (requested(Role::kHelp)) return EarlyExit{EarlyExit::Reason::kHelp, help_text(program, custom)};
  if (requested(Role::kVersion)) {
    return EarlyExit{EarlyExit::Reason::kVersion, program.name + " " + program.version + "\n"};
  }
  if (!command_line) return usage_error(command_line.error());
  if (!command_line->unrecognized.empty()) {
    return usage_error(Error{"unrecognized arguments: " + join(command_line->unrecognized, " ")});
  }
  Result<Options> options = resolve(*command_line, env, where, custom);
  if (!options) return usage_error(options.error());
  return std::move(*options);
}

std::string CustomOption::effective_dest() const {
  if (!dest.empty()) return dest;
  std::string name = long_name();
  const std::size_t dashes = name.find_first_not_of('-');
  name = dashes == std::string::npos ? std::string() : name.substr(dashes);
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

std::string CustomOption::long_name() const {
  for (const std::string& name : names) {
    if (name.starts_with("--")) return name;
  }
  return names.empty() ? std::string() : names.front();
}

Result<std::string> check_custom_value(const CustomOption& option, std::string_view text) {
  // argparse's messages: the value's repr, and the choices' reprs (quoted for strings).
  std::string shown(text);
  switch (option.type) {
    case CustomOption::Type::kBool: {
      Result<bool> flag = parse_bool(text);
      if (!flag) return flag.error();
      return std::string(*flag ? "true" : "false");
    }
    case CustomOption::Type::kInt: {
      if (!parse_int(text)) return Error{"invalid int value: " + single_quoted(text)};
      break;
    }
    case CustomOption::Type::kFloat: {
      if (!parse_float(text)) return Error{"invalid float value: " + single_quoted(text)};
      break;
    }
    case CustomOption::Type::kString:
      shown = single_quoted(text);
      break;
  }
  if (option.choices.empty()) return std::string(text);
  std::string listed;
  for (const std::string& choice : option.choices) {
    if (choice == text) return std::string(text);
    // Numbers compare by value: "03" is the choice 3.
    if (option.type == CustomOption::Type::kInt && parse_int(choice) && parse_int(text) &&
        *parse_int(choice) == *parse_int(text)) {
      return choice;
    }
    if (option.type == CustomOption::Type::kFloat && parse_float(choice) && parse_float(text) &&
        *parse_float(choice) == *parse_float(text)) {
      return choice;
    }
    listed += (listed.empty() ? "" : ", ") +
              (option.type == CustomOption::Type::kString ? single_quoted(choice) : choice);
  }
  return Error{"invalid choice: " + shown + " (choose from " + listed + ")"};
}

std::vector<std::string> scenario_files_from(std::span<const std::string> args,
                                             const EnvironmentMap& env,
                                             const ConfigSearch& where) {
  const OptionSpec* locustfile = find_option("--locustfile");
  const OptionSpec* config = find_option("--config");
  std::vector<std::string> given;
  std::optional<std::string> config_file;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    // The option and its value, in any of "--name value", "--name=value", "-nvalue".
    std::string name = arg;
    std::optional<std::string> value;
    if (arg.starts_with("--")) {
      if (const std::size_t equals = arg.find('='); equals != std::string::npos) {
        name = arg.substr(0, equals);
        value = arg.substr(equals + 1);
      }
    } else if (arg.size() > 2) {
      name = arg.substr(0, 2);
      value = arg.substr(2);
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& candidate : option_specs()) {
      for (std::string_view names = candidate.names; !names.empty() && spec == nullptr;) {
        const std::size_t comma = names.find(',');
        if (names.substr(0, comma) == name) spec = &candidate;
        names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
      }
      if (spec != nullptr) break;
    }
    if (spec == nullptr || !spec->takes_value()) continue;  // unknown, or a flag
    if (spec->many_values) continue;  // -T a b c: its values are skipped as non-options anyway
    if (!value) {
      if (i + 1 >= args.size()) break;
      value = args[++i];
    }
    if (spec == locustfile) given.push_back(*value);
    if (spec == config) config_file = *value;
  }

  const auto split = [](const std::vector<std::string>& values) {
    std::vector<std::string> files;
    for (const std::string& value : values) {
      for (std::string& item : split_list(value)) files.push_back(std::move(item));
    }
    return files;
  };
  if (!given.empty()) return split(given);
  for (const std::string& name : locustfile->env_vars()) {
    const auto found = env.find(name);
    if (found != env.end() && !found->second.empty()) return split({found->second});
  }
  // Config files, highest precedence last; an unreadable or bad one is parse_options' to report.
  std::vector<std::pair<std::filesystem::path, std::string>> candidates;
  if (!where.home_dir.empty()) {
    for (const char* file : {".locust.conf", ".hornet.conf"}) {
      candidates.emplace_back(where.home_dir / file, file);
    }
  }
  for (const char* file : {"locust.conf", "hornet.conf"}) {
    candidates.emplace_back(where.current_dir / file, file);
  }
  if (config_file && !config_file->empty()) {
    candidates.emplace_back(where.current_dir / *config_file, *config_file);
  }
  std::optional<std::string> from_files;
  for (auto& [path, name] : candidates) {
    Result<std::optional<ConfigFile>> file = read_config_file(path, name, IfMissing::kSkip);
    if (!file || !*file) continue;
    for (const ConfigEntry& entry : (*file)->entries) {
      if (entry.key == "locustfile") from_files = entry.value;
    }
  }
  if (from_files) return split({*from_files});
  return Options{}.locustfiles;
}

EnvironmentMap current_environment() {
  EnvironmentMap env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return env;
}

ConfigSearch config_search_from_process(const EnvironmentMap& env) {
  ConfigSearch where;
  std::error_code error;
  where.current_dir = std::filesystem::current_path(error);
  if (const auto home = env.find("HOME"); home != env.end()) where.home_dir = home->second;
  return where;
}

std::string_view to_string(LogLevel level) {
  for (const auto& [name, value] : kLogLevels) {
    if (value == level) return name;
  }
  return "INFO";
}

}  // namespace hornet::cli
