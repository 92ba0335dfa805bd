#include "python/fibers.hpp"

// greenlet's C API is a table of pointers imported per translation unit: only this file uses it.
#include <greenlet.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <exception>
#include <hornet/control_flow.hpp>
#include <utility>

#include "core/detached.hpp"
#include "core/log.hpp"
#include "core/script_error.hpp"
#include "core/worker.hpp"
#include "http/session.hpp"
#include "python/native_module.hpp"

namespace hornet::python {
namespace {

// Locust's control-flow exceptions (locust.exception), imported once.
struct ControlFlow {
  PyObject* stop_user = nullptr;
  PyObject* reschedule_task = nullptr;
  PyObject* reschedule_task_immediately = nullptr;
  PyObject* interrupt_task_set = nullptr;
};
ControlFlow control_flow;

thread_local Loop* this_thread_loop = nullptr;

// How often a stopping greenlet that keeps waiting again is told to exit before it is left
// suspended for good.
constexpr int kMaxExitAttempts = 3;

Ref one_tuple(PyObject* value) {
  return Ref::steal(PyTuple_Pack(1, value != nullptr ? value : Py_None));
}

// Waits in park() until wake() or a stop (the fiber's token).
class ParkAwaiter final : public net::Cancellable {
 public:
  ParkAwaiter(Fiber& fiber, net::StopToken& stop, boost::asio::io_context& io,
              std::coroutine_handle<>& slot)
      : fiber_(fiber), stop_(stop), io_(io), slot_(slot) {}
  bool await_ready() const noexcept { return fiber_.woken || stop_.pending(); }
  void await_suspend(std::coroutine_handle<> awaiting) {
    slot_ = awaiting;
    stop_.arm(this);
  }
  void await_resume() {
    stop_.disarm();
    slot_ = nullptr;
    if (stop_.take()) throw UserStopped{};
  }
  void cancel() noexcept override { resume_soon(io_, slot_); }

  /// Posts the resumption of a parked driver, once (wake and cancel may both try).
  static void resume_soon(boost::asio::io_context& io, std::coroutine_handle<>& slot) {
    if (!slot) return;
    auto handle = std::exchange(slot, nullptr);
    boost::asio::post(io, [handle] { handle.resume(); });
  }

 private:
  Fiber& fiber_;
  net::StopToken& stop_;
  boost::asio::io_context& io_;
  std::coroutine_handle<>& slot_;
};

// The driver of a spawned fiber runs detached (core::Detached).
using core::Detached;

}  // namespace

namespace {
PyObject* runtime_module = nullptr;

// Locust's events.user_error(user_instance, exception, tb), for an exception leaving a task.
void fire_user_error(PyObject* user, PyObject* exception) {
  if (runtime_module == nullptr || user == nullptr || exception == nullptr) return;
  Ref result =
      Ref::steal(PyObject_CallMethod(runtime_module, "user_error", "OO", user, exception));
  if (!result) PyErr_Clear();  // the package logs its listeners' errors itself
}
}  // namespace

void set_runtime_module(PyObject* runtime) { runtime_module = runtime; }

[[noreturn]] void throw_python_error(PyObject* user) {
  // A greenlet ended by the watchdog's asynchronous GreenletExit comes back as a failed switch
  // with no exception: it was stopped.
  if (!PyErr_Occurred()) throw UserStopped{};
  if (PyErr_ExceptionMatches(control_flow.stop_user)) {
    PyErr_Clear();
    throw StopUser{};
  }
  if (PyErr_ExceptionMatches(control_flow.reschedule_task_immediately)) {
    PyErr_Clear();
    throw RescheduleTaskImmediately{};
  }
  if (PyErr_ExceptionMatches(control_flow.reschedule_task)) {
    PyErr_Clear();
    throw RescheduleTask{};
  }
  if (PyErr_ExceptionMatches(control_flow.interrupt_task_set)) {
    const FetchedError error = fetch_error();
    bool reschedule = true;
    if (error.value) {
      Ref flag = Ref::steal(PyObject_GetAttrString(error.value.get(), "reschedule"));
      if (flag) reschedule = PyObject_IsTrue(flag.get()) == 1;
      PyErr_Clear();
    }
    throw InterruptTaskSet{reschedule};
  }
  if (PyErr_ExceptionMatches(PyExc_GreenletExit)) {
    PyErr_Clear();
    throw UserStopped{};
  }
  // Locust counts str(exception) with traceback.format_tb.
  const FetchedError error = fetch_error();
  if (error.value && error.traceback) {
    PyException_SetTraceback(error.value.get(), error.traceback.get());
  }
  fire_user_error(user, error.value.get());
  std::string message = to_string(error.value.get());
  if (message.empty() && error.type) {
    Ref name = Ref::steal(PyObject_GetAttrString(error.type.get(), "__name__"));
    message = name ? to_string(name.get()) : "Exception";
    PyErr_Clear();
  }
  std::string traceback = format_traceback(error.traceback.get());
  if (!traceback.empty() && traceback.back() == '\n') traceback.pop_back();
  throw core::ScriptError(message, traceback);
}

PyObject* runtime_error(const std::string& what) {
  PyErr_SetString(PyExc_RuntimeError, what.c_str());
  return nullptr;
}

bool import_fiber_support(std::string& error) {
  PyGreenlet_Import();
  if (_PyGreenlet_API == nullptr) {
    error = "cannot import greenlet (Debian: python3-greenlet): " + take_error();
    return false;
  }
  Ref module = Ref::steal(PyImport_ImportModule("locust.exception"));
  if (!module) {
    error = "cannot import locust.exception: " + take_error();
    return false;
  }
  auto get = [&](const char* name) {
    PyObject* value = PyObject_GetAttrString(module.get(), name);  // kept for the process
    if (value == nullptr) error = std::string("locust.exception has no ") + name;
    return value;
  };
  control_flow.stop_user = get("StopUser");
  control_flow.reschedule_task = get("RescheduleTask");
  control_flow.reschedule_task_immediately = get("RescheduleTaskImmediately");
  control_flow.interrupt_task_set = get("InterruptTaskSet");
  if (!error.empty()) PyErr_Clear();
  return error.empty();
}

// --- Fiber -----------------------------------------------------------------------------------------

Fiber::Fiber(core::Worker& worker, Ref greenlet, net::StopToken* stop, Ref owner)
    : worker_(worker),
      greenlet_(std::move(greenlet)),
      stop_(stop != nullptr ? stop : &own_stop_),
      owner_(std::move(owner)),
      timer_(worker.io()) {}

Fiber::~Fiber() = default;

// --- Loop ------------------------------------------------------------------------------------------

Loop::Loop(core::Worker& worker) : worker_(worker) {
  hub_ = Ref::steal(reinterpret_cast<PyObject*>(PyGreenlet_GetCurrent()));
  parked_marker_ = Ref::steal(PyObject_CallNoArgs(reinterpret_cast<PyObject*>(&PyBaseObject_Type)));
  python_thread_id_ = PyThreadState_Get()->thread_id;
  watchdog_ = std::thread([this] { watch(); });
}

// Ends the watchdog when the worker thread ends (before its Worker is destroyed). The Loop
// itself stays: Python objects may still refer to what it holds.
struct LoopEnd {
  ~LoopEnd() {
    Loop* loop = this_thread_loop;
    if (loop == nullptr) return;
    {
      std::lock_guard lock(loop->watch_mutex_);
      loop->watch_stop_ = true;
    }
    loop->watch_wake_.notify_all();
    if (loop->watchdog_.joinable()) loop->watchdog_.join();
    this_thread_loop = nullptr;
  }
};

Loop& Loop::on_this_thread(core::Worker& worker) {
  thread_local LoopEnd end;
  if (this_thread_loop == nullptr) this_thread_loop = new Loop(worker);  // lives with the process
  (void)end;
  return *this_thread_loop;
}

void Loop::watch() {
  constexpr auto kPeriod = std::chrono::milliseconds(100);
  std::uint64_t seen = 0;
  std::unique_lock lock(watch_mutex_);
  while (!watch_wake_.wait_for(lock, kPeriod, [this] { return watch_stop_; })) {
    const auto deadline = worker_.busy_code_deadline();
    const std::uint64_t switches = switches_.load(std::memory_order_relaxed);
    const bool busy = in_greenlet_.load(std::memory_order_relaxed);
    const bool same_switch = busy && switches == seen;
    seen = switches;
    if (!deadline || std::chrono::steady_clock::now() < *deadline || !same_switch) continue;
    lock.unlock();
    PyGILState_STATE state = PyGILState_Ensure();
    // Still the same switch? (The worker may have returned to the loop while we waited.)
    if (in_greenlet_.load() && switches_.load() == seen) {
      PyThreadState_SetAsyncExc(python_thread_id_, PyExc_GreenletExit);
    }
    PyGILState_Release(state);
    lock.lock();
  }
}

Loop* Loop::current() noexcept { return this_thread_loop; }

Fiber* Loop::fiber_of(PyObject* greenlet) const {
  auto it = fibers_.find(greenlet);
  return it == fibers_.end() ? nullptr : it->second;
}

Ref Loop::switch_into(Fiber& fiber, PyObject* args, PyObject* kwargs, PyObject* exception) {
  Fiber* previous = std::exchange(running_, &fiber);
  switches_.fetch_add(1, std::memory_order_relaxed);
  in_greenlet_.store(true, std::memory_order_relaxed);
  auto* greenlet = reinterpret_cast<PyGreenlet*>(fiber.greenlet());
  PyObject* result =
      exception != nullptr
          ? PyGreenlet_Throw(greenlet, reinterpret_cast<PyObject*>(Py_TYPE(exception)), exception,
                             nullptr)
          : PyGreenlet_Switch(greenlet, args, kwargs);
  in_greenlet_.store(false, std::memory_order_relaxed);
  running_ = previous;
  return Ref::steal(result);
}

PyObject* Loop::suspend() {
  Ref args = one_tuple(parked_marker_.get());
  return PyGreenlet_Switch(reinterpret_cast<PyGreenlet*>(hub_.get()), args.get(), nullptr);
}

bool Loop::wake(Fiber& fiber, Ref value) {
  if (fiber.op != Fiber::Op::kPark || fiber.woken) return false;
  fiber.wake_value = std::move(value);
  fiber.woken = true;
  ParkAwaiter::resume_soon(worker_.io(), fiber.parked_);
  return true;
}

void Loop::kill(Fiber& fiber, Ref exception) {
  // Its current wait ends (for a user's call fiber, through the user's token: the driver then
  // finds pending_throw and raises it instead of stopping the user).
  fiber.pending_throw = std::move(exception);
  fiber.stop_->request(net::StopToken::Mode::kSoft);
}

// The driver: serves one fiber's waits until its greenlet ends.
class Driver {
 public:
  /// Returns the greenlet's result, or a null Ref with its Python exception still set (GIL
  /// not held on return: the caller takes it to look). `first` is what the first switch into
  /// it returned. `user_stopped` is set when the fiber's user was stopped meanwhile.
  static Task<Ref> serve(Loop& loop, Fiber& fiber, Ref first, bool& user_stopped) {
    // Every Ref here is touched only under a Gil; the GIL is not held across a co_await.
    Ref result = std::move(first);
    int exit_attempts = 0;
    for (;;) {
      {
        Gil gil;
        if (!result || result.get() != loop.parked_marker()) co_return std::move(result);
        result = Ref();
      }
      // The greenlet waits for fiber.op.
      Ref resume;
      bool stopped = false;
      try {
        if (user_stopped && fiber.stop_->hard()) throw UserStopped{};
        switch (fiber.op) {
          case Fiber::Op::kRequest:
            resume = co_await perform_request(fiber);
            break;
          case Fiber::Op::kSleep:
            if (fiber.seconds > 0) {
              co_await net::sleep_for(fiber.timer_, std::chrono::duration<double>(fiber.seconds),
                                      fiber.stop_);
            } else {
              co_await net::Yield(loop.worker().io(), fiber.stop_);
            }
            break;
          case Fiber::Op::kPark:
            co_await ParkAwaiter(fiber, *fiber.stop_, loop.worker().io(), fiber.parked_);
            break;
          case Fiber::Op::kNone:
            break;
        }
      } catch (const UserStopped&) {
        stopped = true;
      }
      Gil gil;
      const Fiber::Op op = std::exchange(fiber.op, Fiber::Op::kNone);
      fiber.request.reset();
      Ref raise;
      if (stopped) {
        if (fiber.pending_throw) {
          raise = std::move(fiber.pending_throw);  // kill()
        } else {
          user_stopped = true;
          if (++exit_attempts > kMaxExitAttempts) {
            // It will not end: leave it suspended for good (never switched into again).
            log::warning("a stopping user's greenlet keeps waiting after GreenletExit; it is "
                         "left suspended");
            Py_INCREF(fiber.greenlet());  // never deallocated (that would run it again)
            resume = Ref();
            throw UserStopped{};
          }
          raise = Ref::steal(PyObject_CallNoArgs(PyExc_GreenletExit));
        }
      } else if (op == Fiber::Op::kPark) {
        resume = std::move(fiber.wake_value);
      }
      if (op == Fiber::Op::kPark) {
        // A wake that raced a kill or stop must not satisfy the next park.
        fiber.woken = false;
        fiber.wake_value = Ref();
      }
      if (raise) {
        result = loop.switch_into(fiber, nullptr, nullptr, raise.get());
      } else {
        Ref args = one_tuple(resume.get());
        result = loop.switch_into(fiber, args.get(), nullptr, nullptr);
      }
      resume = Ref();
    }
  }

  // The request fiber.request describes; resumes with the native Response (or None when the
  // user that owned the session is gone).
  static Task<Ref> perform_request(Fiber& fiber) {
    RequestOp& op = *fiber.request;  // kept (with its session reference) until serve resets it
    NativeSession& session = *op.session;
    SessionTurn turn(session, *fiber.stop_);
    co_await turn;
    HttpSession* http = session.http();
    if (http == nullptr) co_return Ref();
    // Two statements, not `cond ? co_await a : co_await b`: g++ 12 copies the Response
    // temporary of a conditional co_await bitwise and destroys it twice.
    Response response;
    if (fiber.spawned()) {
      response = co_await http->impl().request_with_stop(op.method, op.url,
                                                         std::move(op.options), fiber.own_stop_);
    } else {
      response = co_await http->impl().request(op.method, op.url, std::move(op.options));
    }
    Gil gil;
    Ref object = make_response(std::move(response), op);
    if (NativeResponse* native = as_pending_response(object.get())) {
      fiber.unreported.push_back(native);
      Py_INCREF(object.get());  // held until reported
    }
    co_return std::move(object);
  }

  // Reports what the calls of this fiber left unreported (catch_response without a with-block).
  static void report_unreported(Fiber& fiber) {
    if (fiber.unreported.empty()) return;
    Gil gil;
    for (NativeResponse* response : fiber.unreported) {
      response_report_now(*response);
      Py_DECREF(reinterpret_cast<PyObject*>(response));
    }
    fiber.unreported.clear();
  }

  static Detached run_spawned(Loop& loop, std::unique_ptr<Fiber> fiber, Ref args, Ref kwargs) {
    // Started soon, not now: spawn() returns to its caller first.
    co_await net::Yield(loop.worker().io(), nullptr);
    Ref first;
    {
      Gil gil;
      if (fiber->pending_throw) {
        Ref raise = std::move(fiber->pending_throw);
        first = loop.switch_into(*fiber, nullptr, nullptr, raise.get());
      } else {
        first = loop.switch_into(*fiber, args.get(), kwargs.get(), nullptr);
      }
    }
    bool user_stopped = false;
    Ref result;
    try {
      result = co_await serve(loop, *fiber, std::move(first), user_stopped);
    } catch (const UserStopped&) {
      // It would not end when told to: left suspended (serve logged it).
    }
    report_unreported(*fiber);
    Gil gil;
    if (!result && PyErr_Occurred()) {
      if (!PyErr_ExceptionMatches(PyExc_GreenletExit)) {
        std::string traceback;
        const std::string message = take_error(&traceback);
        log::error("a spawned greenlet failed: " + message + "\n" + traceback);
      }
      PyErr_Clear();
    }
    loop.fibers_.erase(fiber->greenlet());
    args = Ref();
    kwargs = Ref();
    result = Ref();
    fiber.reset();
  }
};

// Ends a call's fiber however the call ends: reports what it left unreported and drops it,
// under the GIL.
class CallCleanup {
 public:
  CallCleanup(std::unordered_map<PyObject*, Fiber*>& fibers, std::unique_ptr<Fiber>& fiber)
      : fibers_(fibers), fiber_(fiber) {}
  CallCleanup(const CallCleanup&) = delete;
  CallCleanup& operator=(const CallCleanup&) = delete;
  ~CallCleanup() {
    Driver::report_unreported(*fiber_);
    Gil gil;
    fibers_.erase(fiber_->greenlet());
    fiber_.reset();
  }

 private:
  std::unordered_map<PyObject*, Fiber*>& fibers_;
  std::unique_ptr<Fiber>& fiber_;
};

Task<> Loop::run_call(PyObject* callable, PyObject* arg, net::StopToken& stop, PyObject* owner) {
  std::unique_ptr<Fiber> fiber;
  Ref first;
  {
    Gil gil;
    Ref greenlet = Ref::steal(reinterpret_cast<PyObject*>(
        PyGreenlet_New(callable, reinterpret_cast<PyGreenlet*>(hub_.get()))));
    if (!greenlet) throw_python_error();
    fiber = std::make_unique<Fiber>(worker_, std::move(greenlet), &stop, Ref::borrow(owner));
    fibers_.emplace(fiber->greenlet(), fiber.get());
    Ref args = one_tuple(arg);
    first = switch_into(*fiber, args.get(), nullptr, nullptr);
  }
  CallCleanup cleanup(fibers_, fiber);
  bool user_stopped = false;
  Ref result = co_await Driver::serve(*this, *fiber, std::move(first), user_stopped);
  Gil gil;
  if (!result) {
    if (user_stopped) {
      PyErr_Clear();
      throw UserStopped{};
    }
    throw_python_error(fiber->owner());
  }
  result = Ref();
  if (user_stopped) throw UserStopped{};
}

Ref Loop::spawn(Ref function, Ref args, Ref kwargs) {
  Ref greenlet = Ref::steal(reinterpret_cast<PyObject*>(
      PyGreenlet_New(function.get(), reinterpret_cast<PyGreenlet*>(hub_.get()))));
  if (!greenlet) return Ref();
  Ref owner = Ref::borrow(running_ != nullptr ? running_->owner() : nullptr);
  auto fiber = std::make_unique<Fiber>(worker_, greenlet, nullptr, std::move(owner));
  fibers_.emplace(fiber->greenlet(), fiber.get());
  Driver::run_spawned(*this, std::move(fiber), std::move(args), std::move(kwargs));
  return greenlet;
}

}  // namespace hornet::python
