#include "script/lua_state.hpp"

#include <luajit.h>

#include <cstring>
#include <random>
#include <unordered_map>
#include <utility>

#include "core/worker.hpp"
#include "script/lua_http.hpp"
#include "script/lua_prelude.hpp"

namespace hornet::script::lua {
namespace {

// The state whose coroutine runs on this thread now, for the hook (LuaJIT passes the hook no
// user data, and a Lua state is only ever run by one thread at a time).
thread_local State* t_slice_state = nullptr;

// Pops the value on top of `L` as a string, whatever it is.
std::string pop_message(lua_State* L) {
  std::string message;
  if (const char* s = lua_tostring(L, -1)) {
    message = s;
  } else {
    message = std::string("(error object is a ") + luaL_typename(L, -1) + " value)";
  }
  lua_pop(L, 1);
  return message;
}

// A pcall message handler: the message and the traceback of where it was raised.
int traceback_handler(lua_State* L) {
  const char* message = lua_tostring(L, 1);
  if (message == nullptr) {
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    message = lua_tostring(L, -1);
  }
  luaL_traceback(L, L, message, 1);
  return 1;
}

// hornet.sleep(seconds): yields to the task driver, which sleeps without blocking the thread.
int sleep_binding(lua_State* L) {
  auto* state = static_cast<State*>(lua_touserdata(L, lua_upvalueindex(1)));
  const double seconds = luaL_optnumber(L, 1, 0);
  if (!(seconds >= 0)) return luaL_error(L, "sleep(seconds): seconds must be >= 0");
  if (state->active_coroutine() != L) {
    return luaL_error(L, "sleep() can only be called from a task (not at load time, nor from a "
                         "coroutine the script created)");
  }
  state->pending().kind = PendingOp::Kind::kSleep;
  state->pending().seconds = seconds;
  return lua_yield(L, 0);
}

// Reads a whole number in [0, max] (or the default when nil). False, with `error` set,
// otherwise.
bool read_count(lua_State* L, int index, const char* what, int& out, std::string& error,
                double max = 1e9) {
  if (lua_isnil(L, index)) return true;
  if (lua_type(L, index) != LUA_TNUMBER) {
    error = std::string(what) + " must be a number, got " + luaL_typename(L, index);
    return false;
  }
  const lua_Number n = lua_tonumber(L, index);
  if (!(n >= 0) || n > max || n != static_cast<lua_Number>(static_cast<long long>(n))) {
    error = std::string(what) + " must be a whole number from 0 to " +
            std::to_string(static_cast<long long>(max));
    return false;
  }
  out = static_cast<int>(n);
  return true;
}

// Reads a list of strings (tags) at `index` into `out`.
void read_strings(lua_State* L, int index, std::vector<std::string>& out) {
  const int n = static_cast<int>(lua_objlen(L, index));
  for (int i = 1; i <= n; ++i) {
    lua_rawgeti(L, index, i);
    if (const char* s = lua_tostring(L, -1)) out.emplace_back(s);
    lua_pop(L, 1);
  }
}

}  // namespace

// The stop hook: runs every kHookInstructions VM instructions on every coroutine. LuaJIT never
// calls hooks from JIT-compiled code, so states run with the JIT off (see State::init); in the
// interpreter the hook costs one relaxed atomic load per thousand instructions. A worker whose
// thread spins in a script loop cannot run the runner's posted stop, so the runner also
// publishes a deadline the hook reads (Worker::busy_code_deadline): past it, the running call
// is ended by raising the engine's stop signal, which the driver turns into UserStopped. on_stop
// gets a grace period more, as the engine gives stopping users before a hard stop.
void stop_hook(lua_State* L, lua_Debug* /*ar*/) {
  State* state = t_slice_state;
  if (state == nullptr || state->worker_ == nullptr) return;
  auto deadline = state->worker_->busy_code_deadline();
  if (!deadline) return;
  if (state->on_stop_) *deadline += kOnStopGrace;
  if (std::chrono::steady_clock::now() < *deadline) return;
  State::push_ref(L, state->signal_ref(State::Signal::kStopped));
  lua_error(L);
}

State::State(std::shared_ptr<const ScriptSource> source) : source_(std::move(source)) {}

State::~State() {
  if (t_slice_state == this) t_slice_state = nullptr;
  if (L_ != nullptr) lua_close(L_);
}

void* State::json_null() noexcept { return nullptr; }

Result<std::unique_ptr<State>> State::load(std::shared_ptr<const ScriptSource> source) {
  std::unique_ptr<State> state(new State(std::move(source)));
  if (auto result = state->init(); !result) return result.error();
  return state;
}

std::shared_ptr<State> State::for_this_thread(const std::shared_ptr<const ScriptSource>& source) {
  // Kept until the thread ends; users hold their state too, so it outlives them wherever the
  // last one is destroyed.
  thread_local std::vector<std::shared_ptr<State>> states;
  for (const auto& state : states) {
    if (state->source_ == source) return state;
  }
  std::shared_ptr<State> state;
  auto loaded = load(source);
  if (loaded) {
    state = std::move(loaded).value();
    if (state->shape() != source->shape) {
      state->load_error_ = source->path.string() +
                           ": the script declared different classes on a worker thread than "
                           "when it was first loaded; declarations must not depend on the thread, "
                           "time or randomness";
    }
  } else {
    state.reset(new State(source));
    state->load_error_ = loaded.error().message;
  }
  states.push_back(state);
  return state;
}

Result<void> State::init() {
  L_ = luaL_newstate();
  if (L_ == nullptr) return Error{"cannot create a Lua state (out of memory)"};
  luaL_openlibs(L_);
  // No JIT: LuaJIT does not run hooks in compiled traces, so a compiled endless loop could never
  // be stopped. Scenario code spends its time in requests, not in Lua (see
  // docs/scenario-api-lua.md for the measured cost).
  luaJIT_setmode(L_, 0, LUAJIT_MODE_ENGINE | LUAJIT_MODE_OFF);

  // math.random differs per thread and run (LuaJIT seeds it the same everywhere).
  lua_getglobal(L_, "math");
  lua_getfield(L_, -1, "randomseed");
  lua_pushnumber(L_, static_cast<lua_Number>(std::random_device{}() % 1000000007u));
  lua_call(L_, 1, 0);
  lua_pop(L_, 1);

  // require() finds modules next to the script.
  const std::string dir = source_->path.parent_path().empty()
                              ? std::string(".")
                              : source_->path.parent_path().string();
  lua_getglobal(L_, "package");
  lua_getfield(L_, -1, "path");
  const std::string path = dir + "/?.lua;" + dir + "/?/init.lua;" + lua_tostring(L_, -1);
  lua_pop(L_, 1);
  lua_pushlstring(L_, path.data(), path.size());
  lua_setfield(L_, -2, "path");
  lua_pop(L_, 1);

  // The module: the prelude, given its C functions.
  lua_pushcfunction(L_, traceback_handler);
  const int handler = lua_gettop(L_);
  if (luaL_loadbuffer(L_, kPrelude, std::strlen(kPrelude), "=hornet") != 0) {
    return Error{"hornet prelude: " + pop_message(L_)};
  }
  lua_createtable(L_, 0, 4);
  lua_pushlightuserdata(L_, this);
  lua_pushcclosure(L_, sleep_binding, 1);
  lua_setfield(L_, -2, "sleep");
  lua_pushcfunction(L_, json_encode_binding);
  lua_setfield(L_, -2, "json_encode");
  lua_pushcfunction(L_, json_decode_binding);
  lua_setfield(L_, -2, "json_decode");
  lua_pushlightuserdata(L_, json_null());
  lua_setfield(L_, -2, "null");
  if (lua_pcall(L_, 1, 2, handler) != 0) return Error{"hornet prelude: " + pop_message(L_)};
  // [handler, hornet, internals]
  lua_getglobal(L_, "package");
  lua_getfield(L_, -1, "loaded");
  lua_pushvalue(L_, -4);
  lua_setfield(L_, -2, "hornet");
  lua_pop(L_, 2);
  lua_pushvalue(L_, -2);
  lua_setglobal(L_, "hornet");
  lua_getfield(L_, -1, "signals");
  for (int i = 0; i < static_cast<int>(Signal::kCount); ++i) {
    lua_rawgeti(L_, -1, i + 1);
    signals_[i] = luaL_ref(L_, LUA_REGISTRYINDEX);
  }
  lua_pop(L_, 1);
  lua_getfield(L_, -1, "headers_meta");
  headers_meta_ref_ = luaL_ref(L_, LUA_REGISTRYINDEX);
  const int internals = lua_gettop(L_);
  register_http(L_, *this, client_meta_ref_, response_meta_ref_);

  lua_sethook(L_, stop_hook, LUA_MASKCOUNT, kHookInstructions);

  // The script itself.
  if (luaL_loadbuffer(L_, source_->text.data(), source_->text.size(),
                      source_->chunk_name.c_str()) != 0) {
    return Error{pop_message(L_)};
  }
  if (lua_pcall(L_, 0, 0, handler) != 0) return Error{pop_message(L_)};
  lua_pushvalue(L_, internals);
  auto result = read_classes();
  lua_settop(L_, 0);
  return result;
}

// Reads the declared classes from the internals table on top of the stack.
Result<void> State::read_classes() {
  const int internals = lua_gettop(L_);
  lua_getfield(L_, internals, "classes");
  const int list = lua_gettop(L_);
  lua_getfield(L_, internals, "wait_time");
  const int wait_time_meta = lua_gettop(L_);
  const int count = static_cast<int>(lua_objlen(L_, list));

  // Task sets refer to classes by table: index them first.
  std::unordered_map<const void*, int> index_of;
  for (int i = 1; i <= count; ++i) {
    lua_rawgeti(L_, list, i);
    index_of.emplace(lua_topointer(L_, -1), i - 1);
    lua_pop(L_, 1);
  }

  const std::string file = source_->path.string();
  for (int i = 1; i <= count; ++i) {
    lua_rawgeti(L_, list, i);
    const int cls = lua_gettop(L_);
    lua_getfield(L_, cls, "__hornet");
    const int meta = lua_gettop(L_);
    ClassDecl decl;
    lua_getfield(L_, meta, "name");
    decl.name = lua_tostring(L_, -1);
    lua_getfield(L_, meta, "kind");
    const std::string kind = lua_tostring(L_, -1);
    lua_getfield(L_, meta, "http");
    decl.http = lua_toboolean(L_, -1) != 0;
    lua_pop(L_, 3);
    decl.kind = kind == "TaskSet"             ? detail::ClassKind::kTaskSet
                : kind == "SequentialTaskSet" ? detail::ClassKind::kSequentialTaskSet
                                              : detail::ClassKind::kUser;
    decl.user_class = decl.kind == detail::ClassKind::kUser;
    const std::string where = file + ": class " + decl.name + ": ";
    std::string error;

    lua_getfield(L_, meta, "tags");
    read_strings(L_, lua_gettop(L_), decl.tags);
    lua_pop(L_, 1);

    lua_getfield(L_, meta, "tasks");
    const int tasks = lua_gettop(L_);
    const int task_count = static_cast<int>(lua_objlen(L_, tasks));
    for (int t = 1; t <= task_count; ++t) {
      lua_rawgeti(L_, tasks, t);
      const int entry = lua_gettop(L_);
      TaskDecl task;
      lua_getfield(L_, entry, "name");
      task.name = lua_tostring(L_, -1);
      lua_getfield(L_, entry, "weight");
      // A sequential task set repeats a task `weight` times in its sequence: keep it sane.
      if (!read_count(L_, -1, "a task's weight", task.weight, error, 1e6)) {
        return Error{where + error};
      }
      lua_pop(L_, 2);
      lua_getfield(L_, entry, "tags");
      read_strings(L_, lua_gettop(L_), task.tags);
      lua_pop(L_, 1);
      lua_getfield(L_, entry, "fn");
      if (lua_isfunction(L_, -1)) {
        task.function_ref = luaL_ref(L_, LUA_REGISTRYINDEX);
      } else {
        lua_pop(L_, 1);
        lua_getfield(L_, entry, "set");
        task.task_set = index_of.at(lua_topointer(L_, -1));
        lua_pop(L_, 1);
      }
      lua_pop(L_, 1);
      decl.tasks.push_back(std::move(task));
    }
    lua_pop(L_, 1);

    // Locust's class attributes.
    lua_getfield(L_, cls, "weight");
    if (!read_count(L_, -1, "weight", decl.weight, error)) return Error{where + error};
    lua_getfield(L_, cls, "fixed_count");
    if (!read_count(L_, -1, "fixed_count", decl.fixed_count, error)) return Error{where + error};
    lua_getfield(L_, cls, "host");
    if (!lua_isnil(L_, -1)) {
      if (lua_type(L_, -1) != LUA_TSTRING) return Error{where + "host must be a string"};
      decl.host = lua_tostring(L_, -1);
    }
    lua_pop(L_, 3);
    lua_getfield(L_, cls, "wait_time");
    if (!lua_isnil(L_, -1)) {
      if (!lua_getmetatable(L_, -1) || !lua_rawequal(L_, -1, wait_time_meta)) {
        return Error{where + "wait_time must be hornet.between(), constant(), constant_pacing() "
                             "or constant_throughput()"};
      }
      lua_pop(L_, 1);
      lua_getfield(L_, -1, "kind");
      const std::string wait_kind = lua_tostring(L_, -1);
      lua_rawgeti(L_, -2, 1);
      lua_rawgeti(L_, -3, 2);
      const double a = lua_tonumber(L_, -2);
      const double b = lua_tonumber(L_, -1);
      lua_pop(L_, 3);
      decl.wait_time = wait_kind == "between"           ? WaitTime::between(a, b)
                       : wait_kind == "constant"        ? WaitTime::constant(a)
                       : wait_kind == "constant_pacing" ? WaitTime::constant_pacing(a)
                                                        : WaitTime::constant_throughput(a);
    }
    lua_pop(L_, 1);

    if (decl.tasks.empty() && decl.user_class) {
      // Locust accepts a class without tasks only if it never runs; say so at once instead.
      return Error{where + "no tasks: declare some with " + decl.name + ":task(...)"};
    }
    lua_pushvalue(L_, cls);
    decl.class_ref = luaL_ref(L_, LUA_REGISTRYINDEX);
    lua_pop(L_, 2);  // meta, cls
    classes_.push_back(std::move(decl));
  }
  lua_settop(L_, internals);
  return {};
}

std::string State::shape() const {
  std::string shape;
  for (const auto& decl : classes_) {
    shape += decl.name + '/' + std::to_string(static_cast<int>(decl.kind)) + '/' +
             std::to_string(decl.tasks.size()) + ';';
  }
  return shape;
}

void State::begin_slice(lua_State* coroutine, UserSide& user, const core::Worker& worker,
                        bool on_stop) noexcept {
  t_slice_state = this;
  active_ = coroutine;
  active_user_ = &user;
  worker_ = &worker;
  on_stop_ = on_stop;
}

void State::end_slice() noexcept {
  t_slice_state = nullptr;
  active_ = nullptr;
  active_user_ = nullptr;
}

void State::note_external_bytes(std::size_t bytes) {
  // The collector paces itself by Lua allocations; a response userdata is small but may hold a
  // large body in C++ memory. Every MiB of bodies, do a collection step worth that much.
  constexpr std::size_t kStepBytes = 1 << 20;
  external_bytes_ += bytes;
  if (external_bytes_ >= kStepBytes) {
    lua_gc(L_, LUA_GCSTEP, static_cast<int>(external_bytes_ >> 10));
    external_bytes_ = 0;
  }
}

std::pair<std::string, std::string> describe_error(lua_State* L, lua_State* co) {
  // tostring() of the error object, run on the main thread (the failed coroutine cannot run
  // code any more) and protected (a __tostring may fail too).
  std::string message;
  lua_pushvalue(co, -1);
  lua_xmove(co, L, 1);
  lua_getglobal(L, "tostring");
  lua_insert(L, -2);
  if (lua_pcall(L, 1, 1, 0) == 0 && lua_isstring(L, -1)) {
    message = lua_tostring(L, -1);
  } else {
    message = "(error object that tostring() cannot convert)";
  }
  lua_pop(L, 1);
  luaL_traceback(L, co, nullptr, 0);
  std::string traceback = lua_tostring(L, -1);
  lua_pop(L, 1);
  return {std::move(message), std::move(traceback)};
}

}  // namespace hornet::script::lua
