#include "script/lua_model.hpp"

#include <hornet/control_flow.hpp>
#include <hornet/http.hpp>

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>

#include "core/script_error.hpp"
#include "core/user_runtime.hpp"
#include "script/lua_http.hpp"

namespace hornet::script::lua {

// --- UserSide ---------------------------------------------------------------------------------------

lua_State* UserSide::coroutine(State& state) {
  if (coroutine_ == nullptr) {
    coroutine_ = lua_newthread(state.lua());
    coroutine_ref_ = luaL_ref(state.lua(), LUA_REGISTRYINDEX);  // anchors it
  }
  return coroutine_;
}

void UserSide::drop_coroutine(State& state) {
  if (coroutine_ == nullptr) return;
  luaL_unref(state.lua(), LUA_REGISTRYINDEX, coroutine_ref_);
  coroutine_ = nullptr;
  coroutine_ref_ = LUA_NOREF;
}

void UserSide::untrack(ResponseBox* response) {
  auto it = std::find(pending_.begin(), pending_.end(), response);
  if (it != pending_.end()) pending_.erase(it);
}

void UserSide::report_pending() {
  while (!pending_.empty()) pending_.back()->report();  // report() untracks it
}

void UserSide::release(State& state) {
  report_pending();  // now, on the worker thread, while its statistics shard exists
  if (client != nullptr) client->session = nullptr;
  client = nullptr;
  drop_coroutine(state);
}

namespace {

// --- Instances ---------------------------------------------------------------------------------------

// The Lua side of a User or TaskSet instance: its class and its `self` table.
class Scope {
 public:
  Scope(std::shared_ptr<State> state, std::size_t class_index)
      : state_(std::move(state)), class_index_(class_index) {}
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  virtual ~Scope() = default;

  State& state() const noexcept { return *state_; }
  const ClassDecl& decl() const { return state_->classes()[class_index_]; }
  /// The user's shared parts. `self` is this scope as the engine sees it.
  virtual UserSide& side(TaskScope& self) = 0;

  /// Pushes `self`'s Lua instance onto L, creating it on first use (the engine binds a scope to
  /// its user and parent only after creating it, so not in the constructor).
  void push_instance(lua_State* L, TaskScope& self) {
    if (instance_ref_ != LUA_NOREF) {
      State::push_ref(L, instance_ref_);
      return;
    }
    lua_createtable(L, 0, 8);
    State::push_ref(L, decl().class_ref);
    lua_setmetatable(L, -2);
    fill_instance(L, self);
    lua_pushvalue(L, -1);
    instance_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  }

 protected:
  /// Sets the engine-provided fields of the new instance on top of L.
  virtual void fill_instance(lua_State* L, TaskScope& self) = 0;

  void release_instance() {
    if (instance_ref_ != LUA_NOREF) luaL_unref(state_->lua(), LUA_REGISTRYINDEX, instance_ref_);
    instance_ref_ = LUA_NOREF;
  }

  static void set_field(lua_State* L, const char* name) {  // instance[name] = pop()
    lua_pushstring(L, name);
    lua_insert(L, -2);
    lua_rawset(L, -3);
  }

  std::shared_ptr<State> state_;
  std::size_t class_index_;
  int instance_ref_ = LUA_NOREF;
};

Scope& scope_of(TaskScope& scope) { return dynamic_cast<Scope&>(scope); }

enum class Call { kTask, kOnStart, kOnStop };

// Ends a call: reports its catch_response responses (not while an exception unwinds, unless
// the script decided, as ~Response does in C++), and drops the coroutine unless the call
// returned normally (a failed coroutine is dead; one abandoned at an await cannot be reused).
class CallGuard {
 public:
  CallGuard(State& state, UserSide& side) : state_(state), side_(side) {}
  CallGuard(const CallGuard&) = delete;
  CallGuard& operator=(const CallGuard&) = delete;
  ~CallGuard() {
    side_.report_pending();
    if (!completed_) side_.drop_coroutine(state_);
  }
  void completed() noexcept { completed_ = true; }

 private:
  State& state_;
  UserSide& side_;
  bool completed_ = false;
};

// Throws what the error on top of `co` means to the engine.
[[noreturn]] void raise(State& state, lua_State* co) {
  using Signal = State::Signal;
  if (lua_istable(co, -1)) {
    for (int i = 0; i < static_cast<int>(Signal::kCount); ++i) {
      State::push_ref(co, state.signal_ref(static_cast<Signal>(i)));
      const bool same = lua_rawequal(co, -1, -2) != 0;
      lua_pop(co, 1);
      if (!same) continue;
      switch (static_cast<Signal>(i)) {
        case Signal::kStopUser:
          throw StopUser{};
        case Signal::kRescheduleTask:
          throw RescheduleTask{};
        case Signal::kRescheduleTaskImmediately:
          throw RescheduleTaskImmediately{};
        case Signal::kInterrupt:
          throw InterruptTaskSet{true};
        case Signal::kInterruptNoReschedule:
          throw InterruptTaskSet{false};
        case Signal::kStopped:
        case Signal::kCount:
          throw UserStopped{};
      }
    }
  }
  auto [message, traceback] = describe_error(state.lua(), co);
  throw core::ScriptError(message, traceback);
}

// Pushes instance[name] or its class's (raw lookups: no script code runs outside a coroutine).
void push_method(lua_State* L, const Scope& scope, const char* name) {
  lua_pushstring(L, name);
  lua_rawget(L, -2);
  if (!lua_isnil(L, -1)) return;
  lua_pop(L, 1);
  State::push_ref(L, scope.decl().class_ref);
  lua_pushstring(L, name);
  lua_rawget(L, -2);
  lua_remove(L, -2);
}

// Runs one task, on_start or on_stop of `scope` (the Lua side of `self`) to its end. See the
// file comment of lua_model.hpp.
Task<> call(TaskScope& self, Scope& scope, Call what, std::size_t task) {
  State& state = scope.state();
  if (!state.load_error().empty()) throw core::ScriptError(state.load_error(), "");
  UserSide& side = scope.side(self);
  lua_State* co = side.coroutine(state);
  if (what == Call::kTask) {
    State::push_ref(co, scope.decl().tasks[task].function_ref);
    scope.push_instance(co, self);
  } else {
    scope.push_instance(co, self);
    push_method(co, scope, what == Call::kOnStart ? "on_start" : "on_stop");
    if (lua_isnil(co, -1)) {
      lua_settop(co, 0);
      co_return;
    }
    lua_insert(co, -2);
  }
  const core::Worker& worker = self.user().runtime().worker();
  CallGuard guard(state, side);
  int nargs = 1;
  for (;;) {
    state.begin_slice(co, side, worker, what == Call::kOnStop);
    const int status = lua_resume(co, nargs);
    state.end_slice();
    if (status == LUA_YIELD) {
      PendingOp& op = state.pending();
      lua_settop(co, 0);  // what a bare coroutine.yield(...) passed is dropped
      if (op.kind == PendingOp::Kind::kRequest) {
        op.kind = PendingOp::Kind::kNone;
        Request request = std::move(*op.request);
        op.request.reset();
        const bool catch_response = op.catch_response;
        Response response = co_await request;
        push_response(co, state, side, std::move(response), catch_response);
        nargs = 1;
      } else {
        // hornet.sleep(), or a bare coroutine.yield(): gevent.sleep(0), let the others run.
        const double seconds = op.kind == PendingOp::Kind::kSleep ? op.seconds : 0.0;
        op.kind = PendingOp::Kind::kNone;
        co_await self.sleep(seconds);
        nargs = 0;
      }
      continue;
    }
    if (status == 0) {
      lua_settop(co, 0);
      guard.completed();
      co_return;
    }
    raise(state, co);
  }
}

template <class Base>
class LuaUser final : public Base, public Scope {
 public:
  LuaUser(std::shared_ptr<State> state, std::size_t class_index)
      : Scope(std::move(state), class_index) {}
  ~LuaUser() override {
    if (state_->lua() == nullptr) return;
    side_.release(*state_);
    release_instance();
  }

  Task<> on_start() override { return call(*this, *this, Call::kOnStart, 0); }
  Task<> on_stop() override { return call(*this, *this, Call::kOnStop, 0); }
  UserSide& side(TaskScope&) override { return side_; }

 private:
  void fill_instance(lua_State* L, TaskScope&) override {
    if constexpr (std::is_base_of_v<HttpUser, Base>) {
      side_.client = push_client(L, *state_, this->client(), side_);
      set_field(L, "client");
    }
    const std::string& host = this->host();
    lua_pushlstring(L, host.data(), host.size());
    set_field(L, "host");
    // Locust's environment, as far as a script needs it.
    lua_createtable(L, 0, 2);
    lua_pushlstring(L, host.data(), host.size());
    lua_setfield(L, -2, "host");
    const std::string& name = this->class_name();
    lua_pushlstring(L, name.data(), name.size());
    lua_setfield(L, -2, "user_class");
    set_field(L, "environment");
  }

  UserSide side_;
};

class LuaTaskSet final : public TaskSet, public Scope {
 public:
  LuaTaskSet(std::shared_ptr<State> state, std::size_t class_index)
      : Scope(std::move(state), class_index) {}
  ~LuaTaskSet() override {
    if (state_->lua() != nullptr) release_instance();
  }

  Task<> on_start() override { return call(*this, *this, Call::kOnStart, 0); }
  Task<> on_stop() override { return call(*this, *this, Call::kOnStop, 0); }
  UserSide& side(TaskScope&) override { return scope_of(user()).side(user()); }

 private:
  void fill_instance(lua_State* L, TaskScope&) override {
    // self.user, and the user's client, host and environment.
    scope_of(user()).push_instance(L, user());
    for (const char* name : {"client", "host", "environment"}) {
      lua_pushstring(L, name);
      lua_pushstring(L, name);
      lua_rawget(L, -3);
      lua_rawset(L, -4);
    }
    set_field(L, "user");
    scope_of(parent()).push_instance(L, parent());
    set_field(L, "parent");
  }
};

template <class Concrete>
std::function<Task<>(TaskScope&)> task_runner(std::size_t task) {
  return [task](TaskScope& self) {
    auto& concrete = static_cast<Concrete&>(self);
    return call(concrete, concrete, Call::kTask, task);
  };
}

}  // namespace

std::vector<std::shared_ptr<const detail::ClassInfo>> build_class_infos(
    const std::shared_ptr<const ScriptSource>& source, const std::vector<ClassDecl>& classes) {
  std::vector<std::shared_ptr<detail::ClassInfo>> infos;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const ClassDecl& decl = classes[i];
    auto info = std::make_shared<detail::ClassInfo>();
    info->name = decl.name;
    info->kind = decl.kind;
    info->tags = decl.tags;
    info->wait_time = decl.wait_time;
    info->http_user = decl.http;
    info->weight = decl.weight;
    info->fixed_count = decl.fixed_count;
    info->host = decl.host;
    const bool user = decl.user_class;
    const bool http = decl.http;
    info->create = [source, i, user, http]() -> std::unique_ptr<TaskScope> {
      // On the worker thread: its own state (loaded now if this is its first user of the file).
      auto state = State::for_this_thread(source);
      if (!user) return std::make_unique<LuaTaskSet>(std::move(state), i);
      if (http) return std::make_unique<LuaUser<HttpUser>>(std::move(state), i);
      return std::make_unique<LuaUser<User>>(std::move(state), i);
    };
    infos.push_back(std::move(info));
  }
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const ClassDecl& decl = classes[i];
    for (std::size_t t = 0; t < decl.tasks.size(); ++t) {
      const TaskDecl& task_decl = decl.tasks[t];
      auto& task = infos[i]->tasks.emplace_back();
      task.name = task_decl.name;
      task.weight = task_decl.weight;
      task.tags = task_decl.tags;
      if (task_decl.task_set >= 0) {
        task.task_set = infos[static_cast<std::size_t>(task_decl.task_set)];
      } else if (!decl.user_class) {
        task.run = task_runner<LuaTaskSet>(t);
      } else if (decl.http) {
        task.run = task_runner<LuaUser<HttpUser>>(t);
      } else {
        task.run = task_runner<LuaUser<User>>(t);
      }
    }
  }
  std::vector<std::shared_ptr<const detail::ClassInfo>> users;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (classes[i].user_class) users.push_back(infos[i]);
  }
  return users;
}

}  // namespace hornet::script::lua
