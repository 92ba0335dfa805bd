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

std::string take_error(std::string* traceback) {
  PyObject* type = nullptr;
  PyObject* value = nullptr;
  PyObject* tb = nullptr;
  PyErr_Fetch(&type, &value, &tb);
  if (type == nullptr) return "unknown Python error";
  PyErr_NormalizeException(&type, &value, &tb);
  Ref type_ref = Ref::steal(type), value_ref = Ref::steal(value), tb_ref = Ref::steal(tb);
  std::string message;
  Ref name = Ref::steal(PyObject_GetAttrString(type, "__name__"));
  if (!name) PyErr_Clear();
  message = name ? to_string(name.get()) : std::string("Exception");
  const std::string text = to_string(value);
  if (!text.empty()) message += ": " + text;
  if (traceback != nullptr && tb != nullptr) {
    Ref module = Ref::steal(PyImport_ImportModule("traceback"));
    Ref lines = module ? Ref::steal(PyObject_CallMethod(module.get(), "format_tb", "O", tb))
                       : Ref();
    if (lines) {
      Ref empty = make_str("");
      Ref joined = Ref::steal(PyUnicode_Join(empty.get(), lines.get()));
      if (joined) *traceback = to_string(joined.get());
    }
    PyErr_Clear();
  }
  return message;
}

}  // namespace hornet::python
