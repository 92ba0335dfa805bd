// Scenario loading for `-f`: which files a run's user classes come from, and loading them.
#pragma once

#include <hornet/result.hpp>
#include <hornet/user.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace hornet::script {

/// The scenario files named by -f, in order: each value is a file (`.cpp`, `.so`, `.lua`), a
/// name without extension that has one of those (Locust's default `locustfile` finds
/// `locustfile.cpp` or `locustfile.lua`), or a directory whose such files are taken in name
/// order (names starting with `_` or `.` skipped, as Locust does). Fails with a message naming
/// the value that matches nothing.
Result<std::vector<std::filesystem::path>> resolve_scenario_files(
    const std::vector<std::string>& values);

/// Loads every file and returns the user classes they define, in file order. C++ files are
/// compiled into a cached plugin first (script/plugin.hpp); plugins register their classes with
/// HORNET_USER when loaded and stay loaded for the life of the process. Fails on the first file
/// that does not load or defines no user class.
Result<std::vector<std::shared_ptr<const detail::ClassInfo>>> load_scenario_files(
    const std::vector<std::filesystem::path>& files);

}  // namespace hornet::script
