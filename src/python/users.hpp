// Python User and TaskSet classes as the engine runs them: a ClassInfo per class a locustfile
// declares (read from the package's `describe`), whose instances pair a C++ scope with the
// Python instance. The engine's task loop picks tasks, waits and stops users as for C++ and
// Lua; each task, on_start and on_stop runs in a greenlet (fibers.hpp).
#pragma once

#include <hornet/result.hpp>
#include <hornet/user.hpp>

#include <memory>
#include <string>
#include <vector>

#include "python/py.hpp"

namespace hornet::python {

/// One task of a class, as `describe` gave it.
struct TaskDecl {
  std::string name;
  int weight = 1;
  std::vector<std::string> tags;
  Ref function;       // called as function(instance), or
  int task_set = -1;  // the index of a nested TaskSet class
};

/// A class, as `describe` gave it (the contract in README.md).
struct ClassDecl {
  std::string name;
  Ref cls;
  detail::ClassKind kind = detail::ClassKind::kUser;
  bool user_class = false;
  bool http = false;  // has a client (HttpUser, FastHttpUser)
  int weight = 1;
  int fixed_count = 0;
  std::string host;
  std::vector<std::string> tags;
  std::optional<WaitTime> wait_time;
  bool custom_wait = false;  // the instance's wait_time() decides each wait
  std::vector<TaskDecl> tasks;
};

/// Reads `describe`'s list of class dicts. GIL held. Fails naming what is malformed.
Result<std::vector<ClassDecl>> read_class_decls(PyObject* list);

/// The engine's classes for `decls` (users first, as described); the decls must outlive them.
std::vector<std::shared_ptr<const detail::ClassInfo>> build_class_infos(
    std::shared_ptr<const std::vector<ClassDecl>> decls, PyObject* runtime_module);

}  // namespace hornet::python
