#include "python/users.hpp"

#include <type_traits>
#include <utility>

#include "core/script_error.hpp"
#include "core/user_runtime.hpp"
#include "core/worker.hpp"
#include "python/fibers.hpp"
#include "python/native_module.hpp"

namespace hornet::python {
namespace {

// --- Reading describe()'s dicts ---------------------------------------------------------------------

std::string text_item(PyObject* dict, const char* key) {
  PyObject* value = PyDict_GetItemString(dict, key);  // borrowed
  if (value == nullptr || value == Py_None) return {};
  return to_string(value);
}

int int_item(PyObject* dict, const char* key, int fallback) {
  PyObject* value = PyDict_GetItemString(dict, key);
  if (value == nullptr || value == Py_None) return fallback;
  const long result = PyLong_AsLong(value);
  if (result == -1 && PyErr_Occurred()) {
    PyErr_Clear();
    return fallback;
  }
  return static_cast<int>(result);
}

std::vector<std::string> strings_item(PyObject* dict, const char* key) {
  std::vector<std::string> out;
  PyObject* value = PyDict_GetItemString(dict, key);
  if (value == nullptr || value == Py_None) return out;
  Ref iterator = Ref::steal(PyObject_GetIter(value));
  if (!iterator) {
    PyErr_Clear();
    return out;
  }
  while (Ref item = Ref::steal(PyIter_Next(iterator.get()))) out.push_back(to_string(item.get()));
  PyErr_Clear();
  return out;
}

Result<std::optional<WaitTime>> wait_item(PyObject* dict, const std::string& class_name) {
  PyObject* wait = PyDict_GetItemString(dict, "wait");
  if (wait == nullptr || wait == Py_None) return std::optional<WaitTime>();
  if (!PyTuple_Check(wait) || PyTuple_GET_SIZE(wait) < 1) {
    return Error{class_name + ": describe() gave a malformed wait"};
  }
  const std::string kind = to_string(PyTuple_GET_ITEM(wait, 0));
  auto number = [&](Py_ssize_t i) {
    return i < PyTuple_GET_SIZE(wait) ? PyFloat_AsDouble(PyTuple_GET_ITEM(wait, i)) : 0.0;
  };
  std::optional<WaitTime> result;
  if (kind == "constant") {
    result = WaitTime::constant(number(1));
  } else if (kind == "between") {
    result = WaitTime::between(number(1), number(2));
  } else if (kind == "pacing") {
    result = WaitTime::constant_pacing(number(1));
  } else if (kind == "throughput") {
    result = WaitTime::constant_throughput(number(1));
  } else if (kind == "custom") {
    // The instance's wait_time(): build_class_infos makes it (it needs the scopes).
    result = WaitTime::custom_for_scope(nullptr);
  } else {
    return Error{class_name + ": describe() gave an unknown wait kind '" + kind + "'"};
  }
  if (PyErr_Occurred()) {
    PyErr_Clear();
    return Error{class_name + ": describe() gave a wait that is not a number"};
  }
  return result;
}

// --- Instances -------------------------------------------------------------------------------------

// The Python side of a User or TaskSet instance.
class Scope {
 public:
  Scope(std::shared_ptr<const std::vector<ClassDecl>> decls, std::size_t index, PyObject* runtime)
      : decls_(std::move(decls)), index_(index), runtime_(runtime) {}
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  virtual ~Scope() = default;

  const ClassDecl& decl() const { return (*decls_)[index_]; }

  /// The Python instance, made on first use (the engine binds a scope to its user and parent
  /// only after constructing it). GIL held. nullptr with the Python error set if it failed.
  PyObject* instance(TaskScope& self) {
    if (!instance_) instance_ = make_instance(self);
    return instance_.get();
  }

  /// Runs `function(instance)` in a greenlet on this thread's loop.
  Task<> call(TaskScope& self, PyObject* function) {
    User& user = self.user();
    Loop* loop = nullptr;
    PyObject* instance = nullptr;
    PyObject* owner = nullptr;
    {
      Gil gil;
      loop = &Loop::on_this_thread(user.runtime().worker());
      instance = this->instance(self);
      if (instance == nullptr) throw_python_error();
      owner = dynamic_cast<Scope&>(static_cast<TaskScope&>(user)).instance(user);
      if (owner == nullptr) throw_python_error();
    }
    co_await loop->run_call(function, instance, user.runtime().stop_token(), owner);
  }

  /// Runs the class's `name` method (on_start, on_stop) with the instance.
  Task<> call_method(TaskScope& self, const char* name) {
    Ref function;
    {
      Gil gil;
      function = Ref::steal(PyObject_GetAttrString(decl().cls.get(), name));
      if (!function) throw_python_error();
    }
    struct Release {  // the reference goes under the GIL however the call ends
      Ref& function;
      ~Release() {
        Gil gil;
        function = Ref();
      }
    } release{function};
    co_await call(self, function.get());
  }

  /// instance.wait_time(), for a custom wait. GIL taken here.
  double custom_wait(TaskScope& self) {
    Gil gil;
    PyObject* instance = this->instance(self);
    if (instance == nullptr) throw_python_error();
    Ref seconds = Ref::steal(PyObject_CallMethod(instance, "wait_time", nullptr));
    if (!seconds) throw_python_error();
    const double value = PyFloat_AsDouble(seconds.get());
    if (value == -1.0 && PyErr_Occurred()) throw_python_error();
    return value;
  }

 protected:
  virtual Ref make_instance(TaskScope& self) = 0;
  /// Drops the Python references (destructor, on the worker thread).
  void release() {
    Gil gil;
    instance_ = Ref();
    release_more();
  }
  virtual void release_more() {}

  std::shared_ptr<const std::vector<ClassDecl>> decls_;
  std::size_t index_;
  PyObject* runtime_;  // locust._hornet_runtime, kept for the process
  Ref instance_;
};

Scope& scope_of(TaskScope& scope) { return dynamic_cast<Scope&>(scope); }

template <class Base>
class PythonUser final : public Base, public Scope {
 public:
  using Scope::Scope;
  ~PythonUser() override { release(); }

  Task<> on_start() override { return call_method(*this, "on_start"); }
  Task<> on_stop() override { return call_method(*this, "on_stop"); }

 private:
  Ref make_instance(TaskScope&) override {
    if constexpr (std::is_base_of_v<HttpUser, Base>) {
      if (!session_) session_ = make_session(this->client(), this->runtime().worker().io());
      if (!session_) return Ref();
    }
    ConstructingSession constructing(session_.get());
    const std::string& host = this->host();
    return Ref::steal(
        PyObject_CallMethod(runtime_, "create_user", "Os", decl().cls.get(), host.c_str()));
  }
  void release_more() override {
    detach_session(session_.get());
    session_ = Ref();
  }

  Ref session_;
};

class PythonTaskSet final : public TaskSet, public Scope {
 public:
  using Scope::Scope;
  ~PythonTaskSet() override { release(); }

  Task<> on_start() override { return call_method(*this, "on_start"); }
  Task<> on_stop() override { return call_method(*this, "on_stop"); }

 private:
  Ref make_instance(TaskScope&) override {
    TaskScope& parent = this->parent();
    PyObject* parent_instance = scope_of(parent).instance(parent);
    if (parent_instance == nullptr) return Ref();
    return Ref::steal(PyObject_CallMethod(runtime_, "create_task_set", "OO", decl().cls.get(),
                                          parent_instance));
  }
};

}  // namespace

Result<std::vector<ClassDecl>> read_class_decls(PyObject* list) {
  std::vector<ClassDecl> decls;
  Ref sequence = Ref::steal(PySequence_Fast(list, "describe() must return a list"));
  if (!sequence) return Error{take_error()};
  const Py_ssize_t size = PySequence_Fast_GET_SIZE(sequence.get());
  for (Py_ssize_t i = 0; i < size; ++i) {
    PyObject* dict = PySequence_Fast_GET_ITEM(sequence.get(), i);
    if (!PyDict_Check(dict)) return Error{"describe() gave a class that is not a dict"};
    ClassDecl& decl = decls.emplace_back();
    decl.name = text_item(dict, "name");
    decl.cls = Ref::borrow(PyDict_GetItemString(dict, "cls"));
    const std::string kind = text_item(dict, "kind");
    decl.user_class = kind == "user";
    decl.kind = kind == "sequential" ? detail::ClassKind::kSequentialTaskSet
                : kind == "taskset"  ? detail::ClassKind::kTaskSet
                                     : detail::ClassKind::kUser;
    decl.http = !text_item(dict, "client").empty();
    decl.weight = int_item(dict, "weight", 1);
    decl.fixed_count = int_item(dict, "fixed_count", 0);
    decl.host = text_item(dict, "host");
    decl.tags = strings_item(dict, "tags");
    auto wait = wait_item(dict, decl.name);
    if (!wait) return wait.error();
    decl.wait_time = std::move(wait).value();
    PyObject* wait_tuple = PyDict_GetItemString(dict, "wait");
    decl.custom_wait = wait_tuple != nullptr && PyTuple_Check(wait_tuple) &&
                       PyTuple_GET_SIZE(wait_tuple) >= 1 &&
                       to_string(PyTuple_GET_ITEM(wait_tuple, 0)) == "custom";
    PyObject* tasks = PyDict_GetItemString(dict, "tasks");
    if (tasks == nullptr || !PyList_Check(tasks)) {
      return Error{decl.name + ": describe() gave no task list"};
    }
    for (Py_ssize_t t = 0; t < PyList_GET_SIZE(tasks); ++t) {
      PyObject* task_dict = PyList_GET_ITEM(tasks, t);
      if (!PyDict_Check(task_dict)) return Error{decl.name + ": a task is not a dict"};
      TaskDecl& task = decl.tasks.emplace_back();
      task.name = text_item(task_dict, "name");
      task.weight = int_item(task_dict, "weight", 1);
      task.tags = strings_item(task_dict, "tags");
      task.task_set = int_item(task_dict, "task_set", -1);
      task.function = Ref::borrow(PyDict_GetItemString(task_dict, "func"));
      if (task.task_set < 0 && (!task.function || task.function.get() == Py_None)) {
        return Error{decl.name + "." + task.name + ": a task with neither func nor task_set"};
      }
    }
  }
  for (const ClassDecl& decl : decls) {
    for (const TaskDecl& task : decl.tasks) {
      if (task.task_set >= static_cast<int>(decls.size())) {
        return Error{decl.name + "." + task.name + ": task_set index out of range"};
      }
    }
  }
  return decls;
}

std::vector<std::shared_ptr<const detail::ClassInfo>> build_class_infos(
    std::shared_ptr<const std::vector<ClassDecl>> decls, PyObject* runtime_module) {
  std::vector<std::shared_ptr<detail::ClassInfo>> infos;
  for (std::size_t i = 0; i < decls->size(); ++i) {
    const ClassDecl& decl = (*decls)[i];
    auto info = std::make_shared<detail::ClassInfo>();
    info->name = decl.name;
    info->kind = decl.kind;
    info->tags = decl.tags;
    info->wait_time = decl.wait_time;
    if (decl.custom_wait) {
      info->wait_time = WaitTime::custom_for_scope(
          [](TaskScope& self) { return scope_of(self).custom_wait(self); });
    }
    info->http_user = decl.http;
    info->weight = decl.weight;
    info->fixed_count = decl.fixed_count;
    info->host = decl.host;
    const bool user = decl.user_class;
    const bool http = decl.http;
    info->create = [decls, i, user, http, runtime_module]() -> std::unique_ptr<TaskScope> {
      if (!user) return std::make_unique<PythonTaskSet>(decls, i, runtime_module);
      if (http) return std::make_unique<PythonUser<HttpUser>>(decls, i, runtime_module);
      return std::make_unique<PythonUser<User>>(decls, i, runtime_module);
    };
    infos.push_back(std::move(info));
  }
  for (std::size_t i = 0; i < decls->size(); ++i) {
    const ClassDecl& decl = (*decls)[i];
    for (const TaskDecl& task_decl : decl.tasks) {
      auto& task = infos[i]->tasks.emplace_back();
      task.name = task_decl.name;
      task.weight = task_decl.weight;
      task.tags = task_decl.tags;
      if (task_decl.task_set >= 0) {
        task.task_set = infos[static_cast<std::size_t>(task_decl.task_set)];
      } else {
        PyObject* function = task_decl.function.get();  // the decls outlive every user
        task.run = [function](TaskScope& self) { return scope_of(self).call(self, function); };
      }
    }
  }
  std::vector<std::shared_ptr<const detail::ClassInfo>> users;
  for (std::size_t i = 0; i < decls->size(); ++i) {
    if ((*decls)[i].user_class) users.push_back(infos[i]);
  }
  return users;
}

}  // namespace hornet::python
