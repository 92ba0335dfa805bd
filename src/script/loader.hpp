// Scenario loading for `-f`: which files a run's user classes come from, and loading them.
#pragma once

#include <hornet/result.hpp>
#include <hornet/user.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/run_hooks.hpp"

namespace hornet::script {

/// The scenario files named by -f, in order: each value is a file (`.py`, `.cpp`, `.so`,
/// `.lua`), a name without extension that has one of those (Locust's default `locustfile` finds
/// `locustfile.py`, `locustfile.cpp` or `locustfile.lua`, in that order), or a directory whose such files are taken in name
/// order (names starting with `_` or `.` skipped, as Locust does). Fails with a message naming
/// the value that matches nothing.
Result<std::vector<std::filesystem::path>> resolve_scenario_files(
    const std::vector<std::string>& values);

/// A command-line option a scenario declares (Locust's `init_command_line_parser` listeners).
struct ScenarioOption {
  std::vector<std::string> names;  // "--my-arg", "-m"
  std::string dest;                // "my_arg"
  std::optional<std::string> default_value;
  std::string help;
  enum class Type { kString, kInt, kFloat, kBool } type = Type::kString;
  std::vector<std::string> choices;
  std::string env_var;
  bool include_in_web_ui = true;
  bool is_secret = false;
  bool store_false = false;  // a kBool flag that stores false when given
};

/// What the scenario files of a run provide.
struct LoadedScenario {
  std::vector<std::shared_ptr<const detail::ClassInfo>> classes;
  /// Run events and a load shape (Python locustfiles); null when none.
  std::shared_ptr<core::RunHooks> hooks;
  std::shared_ptr<core::LoadShape> shape;
  /// Options the scenario adds to the command line.
  std::vector<ScenarioOption> options;
  /// Called once the command line is parsed, before the run, with every option's value under
  /// Locust's dest names (an object). Null when the scenario needs nothing.
  std::function<Result<void>(const nlohmann::json& parsed_options)> configure;
  /// The classes' code must run on one thread (an embedded interpreter with a global lock):
  /// the run uses one worker thread (--processes N gives more cores).
  bool single_thread = false;
};

/// Loads every file and returns what they define, in file order. C++ files are compiled into a
/// cached plugin first (script/plugin.hpp); plugins register their classes with HORNET_USER
/// when loaded and stay loaded for the life of the process. Python files are imported into the
/// embedded interpreter (script/python_loader.hpp). Fails on the first file that does not load
/// or defines no user class.
Result<LoadedScenario> load_scenario_files(const std::vector<std::filesystem::path>& files);

}  // namespace hornet::script
