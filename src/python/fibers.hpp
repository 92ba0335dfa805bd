// Greenlets on Hornet's event loop.
//
// Every greenlet that Python code can suspend in is a Fiber, driven by a C++ coroutine on the
// worker thread: a user's task, on_start and on_stop each run in a fresh greenlet driven by the
// user's own coroutine (run_call), and `_hornet.spawn` makes greenlets driven by coroutines of
// their own. The worker thread's root greenlet is the hub: a driver switches into its greenlet;
// Python code that must wait (a request, a sleep, a park) records what it waits for in its
// Fiber and switches back to the hub (suspend()); the driver awaits that with the engine's
// awaitables and switches in again with the result. Python code never switches between
// greenlets itself, so "the fiber running now" is always the one its driver switched into.
//
// Stopping: a call fiber waits with its user's StopToken, so the runner stops it like any user
// (UserStopped); its driver then raises GreenletExit in the greenlet, and the user's task loop
// goes on with on_stop. A spawned fiber has its own StopToken, which `_hornet.kill` uses.
#pragma once

#include <hornet/http.hpp>
#include <hornet/task.hpp>

#include <atomic>
#include <condition_variable>
#include <coroutine>
#include <deque>
#include <mutex>
#include <thread>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/awaitables.hpp"
#include "net/cancellation.hpp"
#include "python/py.hpp"

namespace hornet::core {
class Worker;
}

namespace hornet::python {

class NativeSession;
struct NativeResponse;

/// A request a fiber waits for, as `_hornet.request` built it.
struct RequestOp {
  NativeSession* session = nullptr;  // holds a reference while the op is pending (owner below)
  Ref session_ref;
  std::string method;
  std::string url;
  detail::RequestOptions options;
  std::optional<std::string> body_copy;  // for Response.request_body
  Fields request_headers;                // as given, for Response.request_headers
};

class Fiber {
 public:
  enum class Op { kNone, kRequest, kSleep, kPark };

  /// `stop`: the token that stops this fiber's waits (its user's for a call fiber; nullptr:
  /// its own, for a spawned fiber). `owner`: the user instance it works for (may be null).
  Fiber(core::Worker& worker, Ref greenlet, net::StopToken* stop, Ref owner);
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;
  ~Fiber();

  bool spawned() const noexcept { return stop_ == &own_stop_; }
  PyObject* greenlet() const noexcept { return greenlet_.get(); }
  PyObject* owner() const noexcept { return owner_.get(); }

  // What the fiber waits for (set by the `_hornet` function that suspends it).
  Op op = Op::kNone;
  std::optional<RequestOp> request;
  double seconds = 0;
  /// park(): the value wake() delivered, and whether it came.
  Ref wake_value;
  bool woken = false;
  /// kill(): the exception to raise in the greenlet at its current wait.
  Ref pending_throw;
  /// catch_response responses made by this fiber's calls, reported when the call ends.
  std::vector<NativeResponse*> unreported;

 private:
  friend class Loop;
  friend class Driver;
  friend class CallCleanup;
  core::Worker& worker_;
  Ref greenlet_;
  net::StopToken own_stop_;
  net::StopToken* stop_;
  Ref owner_;
  net::CancellableTimer timer_;
  std::coroutine_handle<> parked_;  // the driver, while suspended in park
};

/// The worker thread's loop as Python sees it: its hub and fibers. One per worker thread that
/// runs Python users, made by the first one; never destroyed (it lives as long as the process).
class Loop {
 public:
  /// This thread's loop, made on first use for `worker`'s thread. GIL held.
  static Loop& on_this_thread(core::Worker& worker);
  /// This thread's loop, or nullptr if this thread runs no Python users.
  static Loop* current() noexcept;

  core::Worker& worker() const noexcept { return worker_; }
  /// The fiber whose greenlet runs now (nullptr on the hub or another thread).
  Fiber* running() const noexcept { return running_; }
  Fiber* fiber_of(PyObject* greenlet) const;

  /// Runs `callable(arg)` in a new greenlet to its end, serving what it waits for, and drops
  /// its result. Throws what the engine should see: StopUser, RescheduleTask[Immediately],
  /// InterruptTaskSet, UserStopped (when the user was stopped meanwhile), core::ScriptError.
  /// The objects are borrowed: the caller keeps them alive until the Task ends. Called on the
  /// hub without the GIL.
  Task<> run_call(PyObject* callable, PyObject* arg, net::StopToken& stop, PyObject* owner);

  /// Starts `function(*args, **kwargs)` in a new greenlet on this loop (soon, not now); returns
  /// the greenlet. GIL held.
  Ref spawn(Ref function, Ref args, Ref kwargs);

  /// Called by a `_hornet` function in a running fiber after setting its op: switches to the hub
  /// until the driver resumes it. Returns the value it is resumed with (a new reference), or
  /// nullptr with a Python exception set (a kill, a stop).
  PyObject* suspend();

  /// wake(): resumes a parked fiber with `value` soon. False if it is not parked.
  bool wake(Fiber& fiber, Ref value);
  /// kill(): raises `exception` in a suspended fiber at its wait (gevent's kill and Timeout).
  void kill(Fiber& fiber, Ref exception);

  /// The sentinel a suspending greenlet hands the hub.
  PyObject* parked_marker() const noexcept { return parked_marker_.get(); }

 private:
  friend class Driver;
  friend class CallCleanup;
  explicit Loop(core::Worker& worker);
  /// Switches into `fiber` with `value` (or raising `exception`); returns what the greenlet
  /// handed back: the parked marker, its result, or nullptr with its exception set.
  Ref switch_into(Fiber& fiber, PyObject* args_tuple, PyObject* kwargs, PyObject* exception);

  /// Interrupts Python code that does not give the thread back when a stop is due: script
  /// code in an endless loop keeps the worker from ever running the posted stop (the Python
  /// counterpart of the Lua count hook). Past the worker's busy_code_deadline(), if one switch
  /// into a greenlet has lasted 100 ms, raises GreenletExit in it (PyThreadState_SetAsyncExc).
  void watch();
  friend struct LoopEnd;

  core::Worker& worker_;
  Ref hub_;
  Ref parked_marker_;
  Fiber* running_ = nullptr;
  std::unordered_map<PyObject*, Fiber*> fibers_;
  unsigned long python_thread_id_ = 0;
  std::atomic<std::uint64_t> switches_{0};  // switches into greenlets so far
  std::atomic<bool> in_greenlet_{false};    // a greenlet runs now
  std::mutex watch_mutex_;
  std::condition_variable watch_wake_;
  bool watch_stop_ = false;
  std::thread watchdog_;
};

/// Throws what the current Python exception means to the engine (see Loop::run_call) and
/// clears it. An error (not control flow) raised by `user`'s code fires Locust's user_error
/// event first. GIL held.
[[noreturn]] void throw_python_error(PyObject* user = nullptr);

/// The package's runtime module (locust._hornet_runtime), for user_error. Set once at load.
void set_runtime_module(PyObject* runtime);

/// Raises `what` (a `_hornet` function's own error) as RuntimeError; returns nullptr.
PyObject* runtime_error(const std::string& what);

/// Called once at load, GIL held: imports greenlet's C API and locust.exception's classes.
/// Fails with the Python error.
bool import_fiber_support(std::string& error);

}  // namespace hornet::python
