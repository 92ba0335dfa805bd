#include "script/loader.hpp"

#include <algorithm>
#include <system_error>

#include "script/lua_scenario.hpp"
#include "script/plugin.hpp"
#include "script/python_loader.hpp"

namespace hornet::script {
namespace fs = std::filesystem;

namespace {

constexpr const char* kExtensions[] = {".py", ".cpp", ".lua", ".so"};

bool is_scenario_file(const fs::path& path) {
  return std::any_of(std::begin(kExtensions), std::end(kExtensions),
                     [&](const char* extension) { return path.extension() == extension; });
}

/// A plugin's classes: those it registered while loading.
Result<std::vector<std::shared_ptr<const detail::ClassInfo>>> load_plugin_classes(
    const fs::path& plugin) {
  const auto& registry = detail::registered_user_classes();
  const std::size_t before = registry.size();
  if (auto loaded = load_plugin(plugin); !loaded) return loaded.error();
  return std::vector<std::shared_ptr<const detail::ClassInfo>>(
      registry.begin() + static_cast<std::ptrdiff_t>(before), registry.end());
}

Result<std::vector<std::shared_ptr<const detail::ClassInfo>>> load_file(const fs::path& file) {
  if (file.extension() == ".lua") return load_lua_scenario(file);
  if (file.extension() == ".so") return load_plugin_classes(file);
  auto plugin = build_plugin(file, toolchain(), cache_directory());
  if (!plugin) return plugin.error();
  return load_plugin_classes(plugin.value());
}

}  // namespace

Result<std::vector<fs::path>> resolve_scenario_files(const std::vector<std::string>& values) {
  std::vector<fs::path> files;
  for (const std::string& value : values) {
    const fs::path path(value);
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::directory_iterator(path, error)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file(error) && is_scenario_file(entry.path()) && name[0] != '_' &&
            name[0] != '.') {
          found.push_back(entry.path());
        }
      }
      if (error) return Error{"cannot read the directory " + value + ": " + error.message()};
      if (found.empty()) {
        return Error{"No scenario files (.py, .cpp, .lua, .so) in the directory '" + value + "'"};
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
      continue;
    }
    if (fs::is_regular_file(path, error)) {
      if (!is_scenario_file(path)) {
        return Error{"'" + value + "' is not a scenario file: use a .py, .cpp, .lua or .so file"};
      }
      files.push_back(path);
      continue;
    }
    bool found = false;
    if (!path.has_extension()) {
      for (const char* extension : {".py", ".cpp", ".lua"}) {
        fs::path candidate = path;
        candidate += extension;
        if (fs::is_regular_file(candidate, error)) {
          files.push_back(candidate);
          found = true;
          break;
        }
      }
    }
    if (!found) {
      return Error{"Could not find '" + value +
                   "'. Ensure your scenario file ends with '.py', '.cpp', '.lua' or '.so' or is a "
                   "directory with scenario files."};
    }
  }
  return files;
}

Result<LoadedScenario> load_scenario_files(const std::vector<fs::path>& files) {
  LoadedScenario scenario;
  // Python files are imported together, into one interpreter, after the others.
  std::vector<fs::path> python_files;
  for (const fs::path& file : files) {
    if (file.extension() == ".py") {
      python_files.push_back(file);
      continue;
    }
    auto loaded = load_file(file);
    if (!loaded) return loaded.error();
    if (loaded.value().empty()) {
      return Error{file.string() + " defines no user class" +
                   (file.extension() == ".lua" ? std::string()
                                                : std::string(" (register one with HORNET_USER)"))};
    }
    scenario.classes.insert(scenario.classes.end(), loaded.value().begin(), loaded.value().end());
  }
  if (!python_files.empty()) {
    auto loaded = load_python_scenario(python_files);
    if (!loaded) return loaded.error();
    LoadedScenario& python = loaded.value();
    scenario.classes.insert(scenario.classes.end(), python.classes.begin(), python.classes.end());
    scenario.hooks = std::move(python.hooks);
    scenario.shape = std::move(python.shape);
    scenario.options = std::move(python.options);
    scenario.configure = std::move(python.configure);
    scenario.single_thread = python.single_thread;
  }
  return scenario;
}

}  // namespace hornet::script
