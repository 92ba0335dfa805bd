// `_hornet`: the built-in module Hornet's `locust` package is written on (src/python/README.md
// is its contract): requests on a user's session, sleeps, greenlets parked and woken on the
// worker's loop, statistics records, and the run's quit/stop.
#pragma once

#include <hornet/http.hpp>

#include <boost/asio/io_context.hpp>
#include <coroutine>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "net/cancellation.hpp"
#include "python/py.hpp"

namespace hornet::python {

struct RequestOp;
class SessionTurn;

/// The Python side of a user's HttpSession. The session serves one request at a time: greenlets
/// of one user that request at once take turns (SessionTurn).
struct SessionState {
  HttpSession* http = nullptr;  // null once the user is gone
  boost::asio::io_context* io = nullptr;
  bool busy = false;
  std::deque<SessionTurn*> waiting;
};

struct NativeSession {
  PyObject_HEAD
  SessionState* state;
  HttpSession* http() const noexcept { return state->http; }
};

/// A response as Python code holds it.
struct ResponseData {
  Response response;
  std::string method;
  std::string url;
  Fields request_headers;
  std::optional<std::string> request_body;
  bool pending = false;  // catch_response, not reported yet
};

struct NativeResponse {
  PyObject_HEAD
  ResponseData* data;
  bool pending() const noexcept { return data->pending; }
};

extern PyTypeObject NativeSessionType;
extern PyTypeObject NativeResponseType;

/// Waits for a session's turn; the turn is held until the SessionTurn is destroyed.
class SessionTurn final : public net::Cancellable {
 public:
  SessionTurn(NativeSession& session, net::StopToken& stop);
  SessionTurn(const SessionTurn&) = delete;
  SessionTurn& operator=(const SessionTurn&) = delete;
  ~SessionTurn();
  bool await_ready();
  void await_suspend(std::coroutine_handle<> awaiting);
  void await_resume();
  void cancel() noexcept override;

 private:
  friend void pass_turn(SessionState& state);
  SessionState& state_;
  net::StopToken& stop_;
  std::coroutine_handle<> awaiting_;
  bool held_ = false;
};

/// Registers `_hornet` as a built-in module; call before Py_Initialize.
void register_native_module();

/// A new native Session for `http` (whose requests resume on `io`). GIL held.
Ref make_session(HttpSession& http, boost::asio::io_context& io);
/// The user is gone: later requests on this session fail. GIL held.
void detach_session(PyObject* session);

/// A native Response for a finished request. GIL held.
Ref make_response(Response response, RequestOp& op);
/// `object` if it is a native Response still to be reported (catch_response), else nullptr.
NativeResponse* as_pending_response(PyObject* object) noexcept;
/// Records a catch_response response now, as decided. GIL held.
void response_report_now(NativeResponse& response);

/// What `_hornet.session()` returns while a user is being constructed (RAII).
class ConstructingSession {
 public:
  explicit ConstructingSession(PyObject* session);
  ~ConstructingSession();
  ConstructingSession(const ConstructingSession&) = delete;
  ConstructingSession& operator=(const ConstructingSession&) = delete;

 private:
  PyObject* previous_;
};

/// What `_hornet.quit()` and `_hornet.stop()` do (set by the run hooks; callable from any
/// thread: they post to the control thread).
void set_run_control(std::function<void()> quit, std::function<void()> stop);

}  // namespace hornet::python
