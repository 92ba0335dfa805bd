// Small CPython helpers for the embedding: an owning reference and the GIL.
//
// Threads: the interpreter is started on the control thread; users run on ONE worker thread.
// Each thread that calls into Python holds the GIL only while it does (Gil), so the control
// thread can fire run events while the worker waits for the network.
#pragma once

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string>
#include <string_view>
#include <utility>

namespace hornet::python {

/// An owned PyObject reference (nullptr allowed). Copying increments; destruction decrements,
/// so a Ref may only be copied or destroyed while this thread holds the GIL.
class Ref {
 public:
  Ref() = default;
  /// Takes ownership of a new reference (as returned by most of the C API).
  static Ref steal(PyObject* object) noexcept { return Ref(object); }
  /// Shares a borrowed reference.
  static Ref borrow(PyObject* object) noexcept {
    Py_XINCREF(object);
    return Ref(object);
  }
  Ref(const Ref& other) noexcept : object_(other.object_) { Py_XINCREF(object_); }
  Ref(Ref&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  Ref& operator=(Ref other) noexcept {
    std::swap(object_, other.object_);
    return *this;
  }
  ~Ref() { Py_XDECREF(object_); }

  PyObject* get() const noexcept { return object_; }
  /// Gives up ownership: the caller owns the reference.
  PyObject* release() noexcept { return std::exchange(object_, nullptr); }
  explicit operator bool() const noexcept { return object_ != nullptr; }

 private:
  explicit Ref(PyObject* object) noexcept : object_(object) {}
  PyObject* object_ = nullptr;
};

/// Holds the GIL for this thread while it lives; nests. Never used inside a greenlet (code a
/// greenlet runs already holds the GIL): only on the hub (C++ driving the loop) and on the
/// control thread. The first Gil of a thread makes the thread's Python state and keeps it for
/// the life of the thread (greenlets keep their state in it).
class Gil {
 public:
  Gil();
  ~Gil();
  Gil(const Gil&) = delete;
  Gil& operator=(const Gil&) = delete;

  /// Right after Py_Initialize on this thread (which then holds the GIL): releases the GIL;
  /// Gil objects take it from here on.
  static void adopt_initial_thread();
};

/// The current Python exception, fetched (so cleared) and normalised. Empty if none was set.
struct FetchedError {
  Ref type;
  Ref value;
  Ref traceback;
};
FetchedError fetch_error();

/// "".join(traceback.format_tb(tb)) ("" for nullptr or if formatting fails).
std::string format_traceback(PyObject* traceback);
/// "".join(traceback.format_exception(...)): what Python prints for an uncaught exception.
std::string format_exception(const FetchedError& error);

/// The current Python exception as text and clears it: "Type: message" and, when
/// `traceback` is given, the formatted traceback (traceback.format_tb) into it.
std::string take_error(std::string* traceback = nullptr);

/// str(object), or a placeholder if that fails (clears the error).
std::string to_string(PyObject* object);

/// A Python str from UTF-8 bytes (invalid sequences replaced).
Ref make_str(std::string_view text);

}  // namespace hornet::python
