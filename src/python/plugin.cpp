// libhornet_python.so's entry point (script/python_loader.hpp): starts the interpreter once,
// imports the locustfiles through the package's runtime module and hands the program their
// classes, run hooks, load shape and command-line options.
#include <dlfcn.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "python/arena_cache.hpp"
#include "python/fibers.hpp"
#include "python/native_module.hpp"
#include "python/py.hpp"
#include "python/run_hooks.hpp"
#include "python/users.hpp"
#include "script/python_loader.hpp"

namespace hornet::python {
namespace fs = std::filesystem;
namespace {

// Hornet's Python package: installed beside the library (<prefix>/lib/../share/hornet/python),
// else the source tree's (a build tree).
fs::path package_directory() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&package_directory), &info) != 0 &&
      info.dli_fname != nullptr) {
    std::error_code error;
    const fs::path library = fs::canonical(info.dli_fname, error);
    if (!error) {
      const fs::path installed = library.parent_path().parent_path() / "share/hornet/python";
      if (fs::is_directory(installed / "locust", error)) return installed;
    }
  }
  return HORNET_PYTHON_SOURCE_PACKAGE;
}

// "Traceback ...\nSyntaxError: ..." of the current exception, as Python prints it.
std::string formatted_error() {
  std::string text = format_exception(fetch_error());
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// The interpreter and the package's runtime module, started once per process.
PyObject* runtime_module = nullptr;

Result<void> start_interpreter() {
  if (runtime_module != nullptr) return {};
  register_native_module();
  install_arena_cache();
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  config.install_signal_handlers = 0;  // Hornet's control loop handles SIGINT and SIGTERM
  config.parse_argv = 0;
  PyStatus status = PyConfig_SetString(&config, &config.program_name, L"hornet");
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    return Error{std::string("cannot start Python: ") +
                 (status.err_msg != nullptr ? status.err_msg : "unknown error")};
  }
  Gil::adopt_initial_thread();
  Gil gil;
  const std::string package = package_directory().string();
  PyObject* path = PySys_GetObject("path");  // borrowed
  Ref entry = make_str(package);
  if (path == nullptr || PyList_Insert(path, 0, entry.get()) != 0) {
    return Error{"cannot set sys.path: " + formatted_error()};
  }
  std::string error;
  Ref runtime = Ref::steal(PyImport_ImportModule("locust._hornet_runtime"));
  if (!runtime) return Error{"cannot import Hornet's locust package from " + package + ":\n" +
                             formatted_error()};
  if (!import_fiber_support(error)) return Error{error};
  // time.sleep in a user suspends only that user, as under gevent's monkey-patching.
  Ref cooperative = Ref::steal(PyImport_ImportModule("locust._cooperative"));
  Ref installed = cooperative ? Ref::steal(PyObject_CallMethod(cooperative.get(),
                                                               "install_cooperative_sleep", nullptr))
                              : Ref();
  if (!installed) return Error{"cannot install the cooperative time.sleep:\n" + formatted_error()};
  runtime_module = runtime.release();  // kept for the process
  set_runtime_module(runtime_module);
  return {};
}

Result<script::ScenarioOption> read_option(PyObject* dict) {
  script::ScenarioOption option;
  auto text = [&](const char* key) -> std::optional<std::string> {
    PyObject* value = PyDict_GetItemString(dict, key);
    if (value == nullptr || value == Py_None) return std::nullopt;
    return to_string(value);
  };
  auto list = [&](const char* key) {
    std::vector<std::string> out;
    PyObject* value = PyDict_GetItemString(dict, key);
    if (value == nullptr || value == Py_None) return out;
    Ref iterator = Ref::steal(PyObject_GetIter(value));
    while (iterator) {
      Ref item = Ref::steal(PyIter_Next(iterator.get()));
      if (!item) break;
      out.push_back(to_string(item.get()));
    }
    PyErr_Clear();
    return out;
  };
  auto flag = [&](const char* key, bool fallback) {
    PyObject* value = PyDict_GetItemString(dict, key);
    return value == nullptr || value == Py_None ? fallback : PyObject_IsTrue(value) == 1;
  };
  option.names = list("names");
  option.dest = text("dest").value_or("");
  option.default_value = text("default");
  option.help = text("help").value_or("");
  const std::string type = text("type").value_or("str");
  option.type = type == "int"     ? script::ScenarioOption::Type::kInt
                : type == "float" ? script::ScenarioOption::Type::kFloat
                : type == "bool"  ? script::ScenarioOption::Type::kBool
                                  : script::ScenarioOption::Type::kString;
  option.choices = list("choices");
  option.env_var = text("env_var").value_or("");
  option.include_in_web_ui = flag("include_in_web_ui", true);
  option.is_secret = flag("is_secret", false);
  option.store_false = text("action").value_or("") == "store_false";
  if (option.names.empty() || option.dest.empty()) {
    return Error{"a custom command-line argument has no name"};
  }
  return option;
}

Result<script::LoadedScenario> load(const std::vector<fs::path>& files) {
  if (auto started = start_interpreter(); !started) return started.error();
  Gil gil;
  Ref paths = Ref::steal(PyList_New(0));
  for (const fs::path& file : files) {
    Ref text = make_str(file.string());
    PyList_Append(paths.get(), text.get());
  }
  Ref argv = Ref::steal(PyList_New(0));
  Ref loaded = Ref::steal(PyObject_CallMethod(runtime_module, "load", "OO", paths.get(),
                                              argv.get()));
  if (!loaded) return Error{formatted_error()};
  if (!PyDict_Check(loaded.get())) return Error{"locust._hornet_runtime.load() gave no dict"};

  PyObject* classes = PyDict_GetItemString(loaded.get(), "classes");
  if (classes == nullptr) return Error{"locust._hornet_runtime.load() gave no classes"};
  auto decls = read_class_decls(classes);
  if (!decls) return decls.error();
  auto shared_decls = std::make_shared<const std::vector<ClassDecl>>(std::move(decls).value());

  script::LoadedScenario scenario;
  scenario.classes = build_class_infos(shared_decls, runtime_module);
  if (scenario.classes.empty()) return Error{"No User class found!"};
  scenario.single_thread = true;
  scenario.hooks = make_run_hooks(runtime_module);
  PyObject* shape = PyDict_GetItemString(loaded.get(), "shape");
  if (shape != nullptr && shape != Py_None) {
    scenario.shape = make_load_shape(runtime_module, Ref::borrow(shape));
  }
  PyObject* arguments = PyDict_GetItemString(loaded.get(), "arguments");
  if (arguments != nullptr && arguments != Py_None) {
    Ref iterator = Ref::steal(PyObject_GetIter(arguments));
    while (iterator) {
      Ref item = Ref::steal(PyIter_Next(iterator.get()));
      if (!item) break;
      if (!PyDict_Check(item.get())) return Error{"a custom argument is not a dict"};
      auto option = read_option(item.get());
      if (!option) return option.error();
      scenario.options.push_back(std::move(option).value());
    }
    if (PyErr_Occurred()) return Error{formatted_error()};
  }
  scenario.configure = [](const nlohmann::json& parsed) -> Result<void> {
    Gil gil;
    Ref json_module = Ref::steal(PyImport_ImportModule("json"));
    Ref text = make_str(parsed.dump());
    Ref options = json_module ? Ref::steal(PyObject_CallMethod(json_module.get(), "loads", "O",
                                                               text.get()))
                              : Ref();
    Ref result = options ? Ref::steal(PyObject_CallMethod(runtime_module, "configure", "O",
                                                          options.get()))
                         : Ref();
    if (!result) return Error{formatted_error()};
    return {};
  };
  return scenario;
}

}  // namespace
}  // namespace hornet::python

extern "C" __attribute__((visibility("default"))) void hornet_python_load(
    const std::vector<std::filesystem::path>& files,
    hornet::Result<hornet::script::LoadedScenario>& out) {
  try {
    out = hornet::python::load(files);
  } catch (const std::exception& e) {
    out = hornet::Error{std::string("loading the Python locustfile failed: ") + e.what()};
  }
}
