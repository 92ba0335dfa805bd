#include "script/python_loader.hpp"

#include <dlfcn.h>

#include <string>

namespace hornet::script {
namespace fs = std::filesystem;

namespace {

// libhornet_python.so sits beside the library this function is in (libhornet.so, in the build
// tree and in an installation alike).
Result<fs::path> python_library_path() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&python_library_path), &info) == 0 ||
      info.dli_fname == nullptr) {
    return Error{"cannot locate Hornet's own library to find " + std::string(kPythonLibraryName)};
  }
  fs::path self(info.dli_fname);
  std::error_code error;
  if (fs::path resolved = fs::canonical(self, error); !error) self = resolved;
  return self.parent_path() / kPythonLibraryName;
}

}  // namespace

Result<LoadedScenario> load_python_scenario(const std::vector<fs::path>& files) {
  static PythonLoadFunction load = nullptr;
  if (load == nullptr) {
    auto path = python_library_path();
    if (!path) return path.error();
    // RTLD_GLOBAL: Python extension modules (greenlet, _json...) resolve libpython's symbols
    // through the global namespace.
    void* handle = dlopen(path.value().c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      return Error{"Python locustfiles need " + path.value().string() +
                   ", which could not be loaded: " + (why != nullptr ? why : "unknown error") +
                   " (run Python locustfiles with the `hornet` command of a full build or "
                   "installation)"};
    }
    load = reinterpret_cast<PythonLoadFunction>(dlsym(handle, kPythonLoadSymbol));
    if (load == nullptr) {
      return Error{path.value().string() + " has no " + kPythonLoadSymbol};
    }
  }
  Result<LoadedScenario> out = Error{"the Python loader returned nothing"};
  load(files, out);
  return out;
}

}  // namespace hornet::script
