#include "python/py.hpp"

namespace hornet::python {
namespace {

struct ThreadPython {
  PyThreadState* state = nullptr;  // this thread's Python state, once made
  int depth = 0;                   // nested Gil objects alive on this thread
};
thread_local ThreadPython this_thread;

}  // namespace

Gil::Gil() {
  if (this_thread.depth++ > 0) return;
  if (this_thread.state == nullptr) {
    // Makes (or finds) this thread's state and takes the GIL. Never released with
    // PyGILState_Release: that would delete the state, and the greenlets kept in it.
    PyGILState_Ensure();
    this_thread.state = PyThreadState_Get();
    return;
  }
  PyEval_RestoreThread(this_thread.state);
}

Gil::~Gil() {
  if (--this_thread.depth > 0) return;
  this_thread.state = PyEval_SaveThread();
}

void Gil::adopt_initial_thread() {
  this_thread.state = PyEval_SaveThread();
  this_thread.depth = 0;
}

std::string to_string(PyObject* object) {
  if (object == nullptr) return "<NULL>";
  Ref text = Ref::steal(PyObject_Str(object));
  if (!text) {
    PyErr_Clear();
    return "<unprintable object>";
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text.get(), &size);
  if (data == nullptr) {
    PyErr_Clear();
    return "<unprintable object>";
  }
  return std::string(data, static_cast<std::size_t>(size));
}

Ref make_str(std::string_view text) {
  return Ref::steal(
      PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace"));
}

FetchedError fetch_error() {
  PyObject* type = nullptr;
  PyObject* value = nullptr;
  PyObject* traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  if (type != nullptr) PyErr_NormalizeException(&type, &value, &traceback);
  return {Ref::steal(type), Ref::steal(value), Ref::steal(traceback)};
}

namespace {

// "".join(traceback.<function>(*args)); clears any error of its own.
std::string joined_traceback(const char* function, PyObject* args) {
  std::string text;
  Ref module = Ref::steal(PyImport_ImportModule("traceback"));
  Ref call = module ? Ref::steal(PyObject_GetAttrString(module.get(), function)) : Ref();
  Ref lines = call ? Ref::steal(PyObject_CallObject(call.get(), args)) : Ref();
  if (lines) {
    Ref empty = make_str("");
    Ref joined = Ref::steal(PyUnicode_Join(empty.get(), lines.get()));
    if (joined) text = to_string(joined.get());
  }
  PyErr_Clear();
  return text;
}

}  // namespace

std::string format_traceback(PyObject* traceback) {
  if (traceback == nullptr) return {};
  Ref args = Ref::steal(PyTuple_Pack(1, traceback));
  return args ? joined_traceback("format_tb", args.get()) : std::string();
}

std::string format_exception(const FetchedError& error) {
  auto or_none = [](const Ref& ref) { return ref ? ref.get() : Py_None; };
  Ref args = Ref::steal(
      PyTuple_Pack(3, or_none(error.type), or_none(error.value), or_none(error.traceback)));
  std::string text = args ? joined_traceback("format_exception", args.get()) : std::string();
  if (text.empty()) text = to_string(error.value.get());
  return text;
}

std::string take_error(std::string* traceback) {
  const FetchedError error = fetch_error();
  if (!error.type) return "unknown Python error";
  Ref name = Ref::steal(PyObject_GetAttrString(error.type.get(), "__name__"));
  if (!name) PyErr_Clear();
  std::string message = name ? to_string(name.get()) : std::string("Exception");
  const std::string text = to_string(error.value.get());
  if (!text.empty()) message += ": " + text;
  if (traceback != nullptr) *traceback = format_traceback(error.traceback.get());
  return message;
}

}  // namespace hornet::python
