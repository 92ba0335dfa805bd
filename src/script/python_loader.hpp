// Python locustfiles: `hornet -f locustfile.py`. The embedding lives in its own shared library,
// libhornet_python.so (src/python), loaded here only when a .py file is given, so runs of C++
// and Lua scenarios neither need nor load libpython.
#pragma once

#include <hornet/result.hpp>

#include <filesystem>
#include <vector>

#include "script/loader.hpp"

namespace hornet::script {

/// Loads libhornet_python.so (once) and imports `files` into its interpreter. Fails with the
/// Python error (syntax, import, no user class) or with why the library could not be loaded.
Result<LoadedScenario> load_python_scenario(const std::vector<std::filesystem::path>& files);

/// The library's entry point, `hornet_python_load`: fills `out`. Both sides are built by the
/// same compiler against the same libhornet.so, so C++ types cross the boundary.
using PythonLoadFunction = void (*)(const std::vector<std::filesystem::path>& files,
                                    Result<LoadedScenario>& out);
inline constexpr const char* kPythonLoadSymbol = "hornet_python_load";
inline constexpr const char* kPythonLibraryName = "libhornet_python.so";

}  // namespace hornet::script
