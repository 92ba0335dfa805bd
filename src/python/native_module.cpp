#include "python/native_module.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>
#include <hornet/control_flow.hpp>
#include <mutex>
#include <thread>
#include <utility>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/worker.hpp"
#include "http/session.hpp"
#include "python/fibers.hpp"

namespace hornet::python {
namespace {

thread_local PyObject* constructing_session = nullptr;

std::mutex run_control_mutex;
std::function<void()> quit_run;
std::function<void()> stop_run;

// The running fiber of this thread, or nullptr with RuntimeError set.
Fiber* running_fiber(const char* what) {
  Loop* loop = Loop::current();
  Fiber* fiber = loop != nullptr ? loop->running() : nullptr;
  if (fiber == nullptr) {
    runtime_error(std::string("_hornet.") + what + "() can only be called from a running user");
  }
  return fiber;
}

// A list of (str, str) pairs (or None) into Fields. False with TypeError set if malformed.
bool to_fields(PyObject* list, Fields& out, const char* what) {
  if (list == Py_None) return true;
  Ref sequence = Ref::steal(PySequence_Fast(list, what));
  if (!sequence) return false;
  const Py_ssize_t size = PySequence_Fast_GET_SIZE(sequence.get());
  PyObject** items = PySequence_Fast_ITEMS(sequence.get());
  for (Py_ssize_t i = 0; i < size; ++i) {
    const char* name = nullptr;
    const char* value = nullptr;
    Py_ssize_t name_size = 0;
    Py_ssize_t value_size = 0;
    if (!PyTuple_Check(items[i]) || PyTuple_GET_SIZE(items[i]) != 2 ||
        (name = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(items[i], 0), &name_size)) == nullptr ||
        (value = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(items[i], 1), &value_size)) ==
            nullptr) {
      PyErr_Clear();
      PyErr_Format(PyExc_TypeError, "%s must be a list of (str, str) pairs", what);
      return false;
    }
    out.add(std::string(name, static_cast<std::size_t>(name_size)),
            std::string(value, static_cast<std::size_t>(value_size)));
  }
  return true;
}

Ref fields_to_list(const Fields& fields) {
  Ref list = Ref::steal(PyList_New(static_cast<Py_ssize_t>(fields.size())));
  Py_ssize_t i = 0;
  for (const auto& [name, value] : fields) {
    Ref pair = Ref::steal(PyTuple_New(2));
    PyTuple_SET_ITEM(pair.get(), 0, make_str(name).release());
    PyTuple_SET_ITEM(pair.get(), 1, make_str(value).release());
    PyList_SET_ITEM(list.get(), i++, pair.release());
  }
  return list;
}

// --- Session ----------------------------------------------------------------------------------------

void session_dealloc(PyObject* self) {
  auto* session = reinterpret_cast<NativeSession*>(self);
  delete session->state;
  Py_TYPE(self)->tp_free(self);
}

HttpSession* live_http(PyObject* self) {
  HttpSession* http = reinterpret_cast<NativeSession*>(self)->http();
  if (http == nullptr) runtime_error("this session's user has stopped");
  return http;
}

PyObject* session_cookies(PyObject* self, PyObject*) {
  HttpSession* http = live_http(self);
  if (http == nullptr) return nullptr;
  const auto& jar = http->impl().cookies();
  Ref list = Ref::steal(PyList_New(0));
  for (const auto& cookie : jar) {
    Ref item = Ref::steal(Py_BuildValue("(s#s#s#s#)", cookie.name.data(),
                                        static_cast<Py_ssize_t>(cookie.name.size()),
                                        cookie.value.data(),
                                        static_cast<Py_ssize_t>(cookie.value.size()),
                                        cookie.domain.data(),
                                        static_cast<Py_ssize_t>(cookie.domain.size()),
                                        cookie.path.data(),
                                        static_cast<Py_ssize_t>(cookie.path.size())));
    if (!item || PyList_Append(list.get(), item.get()) != 0) return nullptr;
  }
  return list.release();
}

PyObject* session_set_cookie(PyObject* self, PyObject* args) {
  const char* name = nullptr;
  const char* value = nullptr;
  const char* domain = "";
  const char* path = "/";
  if (!PyArg_ParseTuple(args, "ss|ss", &name, &value, &domain, &path)) return nullptr;
  HttpSession* http = live_http(self);
  if (http == nullptr) return nullptr;
  auto result = http->impl().cookies().set(name, value, domain, path);
  if (!result) {
    PyErr_SetString(PyExc_ValueError, result.error().message.c_str());
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject* session_clear_cookies(PyObject* self, PyObject*) {
  HttpSession* http = live_http(self);
  if (http == nullptr) return nullptr;
  http->clear_cookies();
  Py_RETURN_NONE;
}

PyObject* session_headers(PyObject* self, PyObject*) {
  HttpSession* http = live_http(self);
  if (http == nullptr) return nullptr;
  return fields_to_list(http->headers()).release();
}

PyObject* session_set_headers(PyObject* self, PyObject* list) {
  HttpSession* http = live_http(self);
  if (http == nullptr) return nullptr;
  Fields fields;
  if (!to_fields(list, fields, "headers")) return nullptr;
  http->headers() = std::move(fields);
  Py_RETURN_NONE;
}

PyMethodDef session_methods[] = {
    {"cookies", session_cookies, METH_NOARGS, "[(name, value, domain, path)] in the jar"},
    {"set_cookie", session_set_cookie, METH_VARARGS, "set_cookie(name, value, domain='', path='/')"},
    {"clear_cookies", session_clear_cookies, METH_NOARGS, "empties the jar"},
    {"headers", session_headers, METH_NOARGS, "the session's default headers"},
    {"set_headers", session_set_headers, METH_O, "replaces the session's default headers"},
    {nullptr, nullptr, 0, nullptr}};

// --- Response ---------------------------------------------------------------------------------------

void response_dealloc(PyObject* self) {
  auto* response = reinterpret_cast<NativeResponse*>(self);
  delete response->data;  // a catch_response never reported is recorded now
  Py_TYPE(self)->tp_free(self);
}

ResponseData& data_of(PyObject* self) { return *reinterpret_cast<NativeResponse*>(self)->data; }

PyObject* get_status_code(PyObject* self, void*) {
  return PyLong_FromLong(data_of(self).response.status_code());
}
PyObject* get_reason(PyObject* self, void*) {
  return make_str(data_of(self).response.reason()).release();
}
PyObject* get_error(PyObject* self, void*) {
  return make_str(data_of(self).response.error()).release();
}
PyObject* get_url(PyObject* self, void*) { return make_str(data_of(self).response.url()).release(); }
PyObject* get_headers(PyObject* self, void*) {
  const auto& headers = data_of(self).response.headers();
  Ref list = Ref::steal(PyList_New(static_cast<Py_ssize_t>(headers.size())));
  Py_ssize_t i = 0;
  for (const auto [name, value] : headers) {
    Ref pair = Ref::steal(PyTuple_New(2));
    PyTuple_SET_ITEM(pair.get(), 0, make_str(name).release());
    // Header values are bytes on the wire; Latin-1 keeps each byte, as http.client does.
    PyTuple_SET_ITEM(pair.get(), 1,
                     PyUnicode_DecodeLatin1(value.data(), static_cast<Py_ssize_t>(value.size()),
                                            nullptr));
    PyList_SET_ITEM(list.get(), i++, pair.release());
  }
  return list.release();
}
PyObject* get_cookies(PyObject* self, void*) {
  return fields_to_list(data_of(self).response.cookies()).release();
}
PyObject* get_content(PyObject* self, void*) {
  const std::string& body = data_of(self).response.text();
  return PyBytes_FromStringAndSize(body.data(), static_cast<Py_ssize_t>(body.size()));
}
PyObject* get_elapsed(PyObject* self, void*) {
  return PyFloat_FromDouble(
      std::chrono::duration<double>(data_of(self).response.elapsed()).count());
}
PyObject* get_request_method(PyObject* self, void*) {
  return make_str(data_of(self).method).release();
}
PyObject* get_request_url(PyObject* self, void*) { return make_str(data_of(self).url).release(); }
PyObject* get_request_headers(PyObject* self, void*) {
  return fields_to_list(data_of(self).request_headers).release();
}
PyObject* get_request_body(PyObject* self, void*) {
  const auto& body = data_of(self).request_body;
  if (!body) Py_RETURN_NONE;
  return PyBytes_FromStringAndSize(body->data(), static_cast<Py_ssize_t>(body->size()));
}

PyGetSetDef response_getset[] = {
    {"status_code", get_status_code, nullptr, nullptr, nullptr},
    {"reason", get_reason, nullptr, nullptr, nullptr},
    {"error", get_error, nullptr, nullptr, nullptr},
    {"url", get_url, nullptr, nullptr, nullptr},
    {"headers", get_headers, nullptr, nullptr, nullptr},
    {"cookies", get_cookies, nullptr, nullptr, nullptr},
    {"content", get_content, nullptr, nullptr, nullptr},
    {"elapsed", get_elapsed, nullptr, nullptr, nullptr},
    {"request_method", get_request_method, nullptr, nullptr, nullptr},
    {"request_url", get_request_url, nullptr, nullptr, nullptr},
    {"request_headers", get_request_headers, nullptr, nullptr, nullptr},
    {"request_body", get_request_body, nullptr, nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr}};

bool check_pending(PyObject* self) {
  if (!data_of(self).pending) {
    runtime_error(
        "success()/failure()/report() need a request made with catch_response=True, not yet "
        "reported");
    return false;
  }
  return true;
}

PyObject* response_success(PyObject* self, PyObject*) {
  if (!check_pending(self)) return nullptr;
  data_of(self).response.success();
  Py_RETURN_NONE;
}

PyObject* response_failure(PyObject* self, PyObject* args) {
  const char* text = nullptr;
  if (!PyArg_ParseTuple(args, "s", &text)) return nullptr;
  if (!check_pending(self)) return nullptr;
  if (*text == '\0') text = "CatchResponseError('')";
  data_of(self).response.failure_verbatim(text);
  Py_RETURN_NONE;
}

PyObject* response_report(PyObject* self, PyObject*) {
  if (data_of(self).pending) response_report_now(*reinterpret_cast<NativeResponse*>(self));
  Py_RETURN_NONE;
}

PyObject* response_discard(PyObject* self, PyObject*) {
  ResponseData& data = data_of(self);
  if (data.pending) {
    data.pending = false;
    data.response.discard_report();
  }
  Py_RETURN_NONE;
}

PyMethodDef response_methods[] = {
    {"success", response_success, METH_NOARGS, "marks a catch_response request a success"},
    {"failure", response_failure, METH_VARARGS, "failure(text): marks it failed, shown as text"},
    {"report", response_report, METH_NOARGS, "records it now, as decided or as its status says"},
    {"discard", response_discard, METH_NOARGS, "the request is not recorded at all"},
    {nullptr, nullptr, 0, nullptr}};

// --- Module functions -----------------------------------------------------------------------------

PyObject* hornet_session(PyObject*, PyObject*) {
  if (constructing_session == nullptr) {
    return runtime_error("_hornet.session() is only available while an HttpUser is constructed");
  }
  Py_INCREF(constructing_session);
  return constructing_session;
}

PyObject* hornet_request(PyObject*, PyObject* args) {
  PyObject* session = nullptr;
  const char* method = nullptr;
  const char* url = nullptr;
  PyObject* name = nullptr;
  PyObject* headers = nullptr;
  PyObject* body = nullptr;
  PyObject* auth = nullptr;
  PyObject* timeout = nullptr;
  int allow_redirects = 1;
  int catch_response = 0;
  PyObject* cookies = nullptr;
  if (!PyArg_ParseTuple(args, "O!ssOOOOOppO:request", &NativeSessionType, &session, &method, &url,
                        &name, &headers, &body, &auth, &timeout, &allow_redirects,
                        &catch_response, &cookies)) {
    return nullptr;
  }
  Fiber* fiber = running_fiber("request");
  if (fiber == nullptr) return nullptr;
  if (reinterpret_cast<NativeSession*>(session)->http() == nullptr) {
    return runtime_error("this session's user has stopped");
  }
  RequestOp op;
  op.session = reinterpret_cast<NativeSession*>(session);
  op.session_ref = Ref::borrow(session);
  op.method = method;
  op.url = url;
  if (name != Py_None) {
    const char* text = PyUnicode_AsUTF8(name);
    if (text == nullptr) return nullptr;
    op.options.name = text;
  }
  if (!to_fields(headers, op.options.headers, "headers")) return nullptr;
  if (!to_fields(cookies, op.options.cookies, "cookies")) return nullptr;
  if (body != Py_None) {
    char* data = nullptr;
    Py_ssize_t size = 0;
    if (PyBytes_AsStringAndSize(body, &data, &size) != 0) return nullptr;
    op.options.body.emplace(data, static_cast<std::size_t>(size));
    op.body_copy = op.options.body;
  }
  if (auth != Py_None) {
    const char* user = nullptr;
    const char* password = nullptr;
    if (!PyArg_ParseTuple(auth, "ss:auth", &user, &password)) return nullptr;
    op.options.auth.emplace(user, password);
  }
  if (timeout != Py_None) {
    const double seconds = PyFloat_AsDouble(timeout);
    if (seconds == -1.0 && PyErr_Occurred()) return nullptr;
    if (!(seconds > 0)) {  // also NaN
      PyErr_Format(PyExc_ValueError, "timeout must be a positive number of seconds, not %R",
                   timeout);
      return nullptr;
    }
    op.options.timeout = std::min(seconds, 1e6);  // beyond, the clock's duration overflows
  }
  op.options.allow_redirects = allow_redirects != 0;
  op.options.catch_response = catch_response != 0;
  op.request_headers = op.options.headers;
  fiber->request.emplace(std::move(op));
  fiber->op = Fiber::Op::kRequest;
  PyObject* response = Loop::current()->suspend();
  if (response == Py_None) {
    Py_DECREF(response);
    return runtime_error("this session's user has stopped");
  }
  return response;
}

PyObject* hornet_sleep(PyObject*, PyObject* arg) {
  const double seconds = PyFloat_AsDouble(arg);
  if (seconds == -1.0 && PyErr_Occurred()) return nullptr;
  Loop* loop = Loop::current();
  Fiber* fiber = loop != nullptr ? loop->running() : nullptr;
  if (fiber == nullptr) {
    // Not in a user (module import, an event listener): a real sleep, as time.sleep.
    if (seconds > 0) {
      Py_BEGIN_ALLOW_THREADS std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
      Py_END_ALLOW_THREADS
    }
    Py_RETURN_NONE;
  }
  fiber->seconds = seconds > 0 ? std::min(seconds, 1e6) : 0;  // NaN and negatives: 0
  fiber->op = Fiber::Op::kSleep;
  PyObject* result = loop->suspend();
  if (result == nullptr) return nullptr;
  Py_DECREF(result);
  Py_RETURN_NONE;
}

PyObject* hornet_spawn(PyObject*, PyObject* args) {
  PyObject* function = nullptr;
  PyObject* call_args = nullptr;
  PyObject* kwargs = Py_None;
  if (!PyArg_ParseTuple(args, "OO!|O:spawn", &function, &PyTuple_Type, &call_args, &kwargs)) {
    return nullptr;
  }
  Loop* loop = Loop::current();
  if (loop == nullptr) {
    return runtime_error("_hornet.spawn() can only be called on the users' thread (from a task)");
  }
  Ref greenlet = loop->spawn(Ref::borrow(function), Ref::borrow(call_args),
                             kwargs == Py_None ? Ref() : Ref::borrow(kwargs));
  return greenlet.release();
}

PyObject* hornet_park(PyObject*, PyObject*) {
  Fiber* fiber = running_fiber("park");
  if (fiber == nullptr) return nullptr;
  fiber->op = Fiber::Op::kPark;
  return Loop::current()->suspend();
}

Fiber* fiber_argument(PyObject* greenlet, const char* what) {
  Loop* loop = Loop::current();
  Fiber* fiber = loop != nullptr ? loop->fiber_of(greenlet) : nullptr;
  if (fiber == nullptr) {
    runtime_error(std::string("_hornet.") + what + "(): not a greenlet Hornet runs");
  }
  return fiber;
}

PyObject* hornet_wake(PyObject*, PyObject* args) {
  PyObject* greenlet = nullptr;
  PyObject* value = Py_None;
  if (!PyArg_ParseTuple(args, "O|O:wake", &greenlet, &value)) return nullptr;
  Fiber* fiber = fiber_argument(greenlet, "wake");
  if (fiber == nullptr) return nullptr;
  if (!Loop::current()->wake(*fiber, Ref::borrow(value))) {
    return runtime_error("_hornet.wake(): the greenlet is not parked");
  }
  Py_RETURN_NONE;
}

PyObject* hornet_kill(PyObject*, PyObject* args) {
  PyObject* greenlet = nullptr;
  PyObject* exception = nullptr;
  if (!PyArg_ParseTuple(args, "OO:kill", &greenlet, &exception)) return nullptr;
  if (!PyExceptionInstance_Check(exception)) {
    PyErr_SetString(PyExc_TypeError, "_hornet.kill(): the exception must be an instance");
    return nullptr;
  }
  Fiber* fiber = fiber_argument(greenlet, "kill");
  if (fiber == nullptr) return nullptr;
  if (fiber == Loop::current()->running()) {
    return runtime_error("_hornet.kill(): a greenlet cannot kill itself (raise instead)");
  }
  Loop::current()->kill(*fiber, Ref::borrow(exception));
  Py_RETURN_NONE;
}

PyObject* hornet_current_user(PyObject*, PyObject*) {
  Loop* loop = Loop::current();
  Fiber* fiber = loop != nullptr ? loop->running() : nullptr;
  if (fiber == nullptr || fiber->owner() == nullptr) Py_RETURN_NONE;
  Py_INCREF(fiber->owner());
  return fiber->owner();
}

PyObject* hornet_record(PyObject*, PyObject* args) {
  const char* request_type = nullptr;
  const char* name = nullptr;
  double response_time_ms = 0;
  long long response_length = 0;
  PyObject* error = nullptr;
  if (!PyArg_ParseTuple(args, "ssdLO:record", &request_type, &name, &response_time_ms,
                        &response_length, &error)) {
    return nullptr;
  }
  Loop* loop = Loop::current();
  if (loop == nullptr) {
    return runtime_error("_hornet.record(): requests can only be recorded on the users' thread");
  }
  auto& shard = loop->worker().shard();
  auto& entry = shard.entry(request_type, name);
  const auto micros = static_cast<stats::Micros>(std::max(response_time_ms, 0.0) * 1000.0);
  const auto length = static_cast<std::uint64_t>(std::max<long long>(response_length, 0));
  if (error == Py_None) {
    shard.record(entry, micros, length, core::epoch_seconds());
  } else {
    const char* text = PyUnicode_AsUTF8(error);
    if (text == nullptr) return nullptr;
    shard.record_failure(entry, micros, length, text, core::epoch_seconds());
  }
  Py_RETURN_NONE;
}

PyObject* call_run_control(std::function<void()>& action, const char* what) {
  std::function<void()> copy;
  {
    std::lock_guard lock(run_control_mutex);
    copy = action;
  }
  if (!copy) return runtime_error(std::string("_hornet.") + what + "(): no run to control");
  copy();
  Py_RETURN_NONE;
}

PyObject* hornet_quit(PyObject*, PyObject*) { return call_run_control(quit_run, "quit"); }
PyObject* hornet_stop(PyObject*, PyObject*) { return call_run_control(stop_run, "stop"); }

PyObject* hornet_log(PyObject*, PyObject* args) {
  int level = 20;
  const char* logger = nullptr;
  const char* message = nullptr;
  if (!PyArg_ParseTuple(args, "iss:log", &level, &logger, &message)) return nullptr;
  log::Level mapped = log::Level::kCritical;
  if (level < 20) {
    mapped = log::Level::kDebug;
  } else if (level < 30) {
    mapped = log::Level::kInfo;
  } else if (level < 40) {
    mapped = log::Level::kWarning;
  } else if (level < 50) {
    mapped = log::Level::kError;
  }
  if (log::enabled(mapped)) log::write(mapped, logger, message);
  Py_RETURN_NONE;
}

PyMethodDef module_methods[] = {
    {"session", hornet_session, METH_NOARGS, "the session of the HttpUser being constructed"},
    {"request", hornet_request, METH_VARARGS, "sends a request and suspends until the response"},
    {"sleep", hornet_sleep, METH_O, "suspends the calling greenlet"},
    {"spawn", hornet_spawn, METH_VARARGS, "spawn(function, args, kwargs=None) -> greenlet"},
    {"park", hornet_park, METH_NOARGS, "suspends until wake() or kill()"},
    {"wake", hornet_wake, METH_VARARGS, "wake(greenlet, value=None)"},
    {"kill", hornet_kill, METH_VARARGS, "kill(greenlet, exception)"},
    {"current_user", hornet_current_user, METH_NOARGS, "the user whose greenlet runs now"},
    {"record", hornet_record, METH_VARARGS, "records a request in the statistics"},
    {"quit", hornet_quit, METH_NOARGS, "quits the run"},
    {"stop", hornet_stop, METH_NOARGS, "stops the users"},
    {"log", hornet_log, METH_VARARGS, "log(levelno, logger, message)"},
    {nullptr, nullptr, 0, nullptr}};

PyModuleDef module_def = {PyModuleDef_HEAD_INIT, "_hornet",
                          "Hornet's engine, as its locust package uses it", -1, module_methods,
                          nullptr, nullptr, nullptr, nullptr};

PyObject* init_module() {
  if (PyType_Ready(&NativeSessionType) < 0 || PyType_Ready(&NativeResponseType) < 0) {
    return nullptr;
  }
  Ref module = Ref::steal(PyModule_Create(&module_def));
  if (!module) return nullptr;
  Py_INCREF(&NativeSessionType);
  if (PyModule_AddObject(module.get(), "Session",
                         reinterpret_cast<PyObject*>(&NativeSessionType)) < 0) {
    return nullptr;
  }
  Py_INCREF(&NativeResponseType);
  if (PyModule_AddObject(module.get(), "Response",
                         reinterpret_cast<PyObject*>(&NativeResponseType)) < 0) {
    return nullptr;
  }
  return module.release();
}

PyTypeObject make_type(const char* name, Py_ssize_t size, destructor dealloc, PyMethodDef* methods,
                       PyGetSetDef* getset, const char* doc) {
  PyTypeObject type = {PyVarObject_HEAD_INIT(nullptr, 0)};
  type.tp_name = name;
  type.tp_basicsize = size;
  type.tp_dealloc = dealloc;
  type.tp_flags = Py_TPFLAGS_DEFAULT;
  type.tp_doc = doc;
  type.tp_methods = methods;
  type.tp_getset = getset;
  return type;
}

}  // namespace

PyTypeObject NativeSessionType =
    make_type("_hornet.Session", sizeof(NativeSession), session_dealloc, session_methods, nullptr,
              "A user's HTTP session in Hornet's engine");
PyTypeObject NativeResponseType =
    make_type("_hornet.Response", sizeof(NativeResponse), response_dealloc, response_methods,
              response_getset, "A response received by Hornet's engine");

// --- SessionTurn -----------------------------------------------------------------------------------

void pass_turn(SessionState& state) {
  state.busy = false;
  if (state.waiting.empty()) return;
  SessionTurn* next = state.waiting.front();
  state.waiting.pop_front();
  state.busy = true;
  next->held_ = true;
  auto handle = std::exchange(next->awaiting_, nullptr);
  boost::asio::post(*state.io, [handle] { handle.resume(); });
}

SessionTurn::SessionTurn(NativeSession& session, net::StopToken& stop)
    : state_(*session.state), stop_(stop) {}

SessionTurn::~SessionTurn() {
  if (held_) pass_turn(state_);
}

bool SessionTurn::await_ready() {
  if (stop_.pending()) return true;
  if (state_.busy) return false;
  state_.busy = true;
  held_ = true;
  return true;
}

void SessionTurn::await_suspend(std::coroutine_handle<> awaiting) {
  awaiting_ = awaiting;
  state_.waiting.push_back(this);
  stop_.arm(this);
}

void SessionTurn::await_resume() {
  stop_.disarm();
  if (stop_.take()) throw UserStopped{};  // ~SessionTurn passes a turn it got meanwhile
}

void SessionTurn::cancel() noexcept {
  if (!awaiting_) return;  // already given the turn: it is resuming
  std::erase(state_.waiting, this);
  auto handle = std::exchange(awaiting_, nullptr);
  boost::asio::post(*state_.io, [handle] { handle.resume(); });
}

// --- The rest of the interface -----------------------------------------------------------------

void register_native_module() { PyImport_AppendInittab("_hornet", &init_module); }

Ref make_session(HttpSession& http, boost::asio::io_context& io) {
  auto* session = PyObject_New(NativeSession, &NativeSessionType);
  if (session == nullptr) return Ref();
  session->state = new SessionState{.http = &http, .io = &io};
  return Ref::steal(reinterpret_cast<PyObject*>(session));
}

void detach_session(PyObject* session) {
  if (session == nullptr || !PyObject_TypeCheck(session, &NativeSessionType)) return;
  reinterpret_cast<NativeSession*>(session)->state->http = nullptr;
}

Ref make_response(Response response, RequestOp& op) {
  auto* object = PyObject_New(NativeResponse, &NativeResponseType);
  if (object == nullptr) return Ref();
  const bool pending = op.options.catch_response;
  object->data = new ResponseData{.response = std::move(response),
                                  .method = std::move(op.method),
                                  .url = std::move(op.url),
                                  .request_headers = std::move(op.request_headers),
                                  .request_body = std::move(op.body_copy),
                                  .pending = pending};
  return Ref::steal(reinterpret_cast<PyObject*>(object));
}

NativeResponse* as_pending_response(PyObject* object) noexcept {
  if (object == nullptr || !PyObject_TypeCheck(object, &NativeResponseType)) return nullptr;
  auto* response = reinterpret_cast<NativeResponse*>(object);
  return response->pending() ? response : nullptr;
}

void response_report_now(NativeResponse& response) {
  if (!response.data->pending) return;
  response.data->pending = false;
  response.data->response.report_now();
}

ConstructingSession::ConstructingSession(PyObject* session)
    : previous_(std::exchange(constructing_session, session)) {}

ConstructingSession::~ConstructingSession() { constructing_session = previous_; }

void set_run_control(std::function<void()> quit, std::function<void()> stop) {
  std::lock_guard lock(run_control_mutex);
  quit_run = std::move(quit);
  stop_run = std::move(stop);
}

}  // namespace hornet::python
