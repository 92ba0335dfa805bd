// One LuaJIT state per worker thread, loaded with a scenario script: creating it (libraries, the
// `hornet` module, the stop hook), running the script, and reading the classes it declared.
//
// A scenario is run once on the control thread to learn its classes (lua_scenario.cpp), then
// again on every worker thread that creates one of its users, into that thread's own state: Lua
// states are single-threaded, and a worker shares nothing. All of a thread's users of one
// script share its state; each user runs its tasks in a coroutine of it.
#pragma once

#include <hornet/http.hpp>
#include <hornet/result.hpp>
#include <hornet/user.hpp>
#include <hornet/wait_time.hpp>

#include <lua.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hornet::core {
class Worker;
}

namespace hornet::script::lua {

/// A scenario file as read once, on the control thread: every thread loads this same text.
struct ScriptSource {
  std::filesystem::path path;
  std::string chunk_name;  // "@path", so that messages say "path:line:"
  std::string text;
  /// The classes the first load found ("Name/kind/tasks;" each), which every later load must
  /// find too: a script that declares different classes on another thread cannot be run.
  std::string shape;
};

/// One task of a declared class.
struct TaskDecl {
  std::string name;
  int weight = 1;
  std::vector<std::string> tags;
  int function_ref = LUA_NOREF;  // the task function (registry), or
  int task_set = -1;             // the index of a nested TaskSet class
};

/// A class as the script declared it (hornet.User/HttpUser/TaskSet/SequentialTaskSet).
struct ClassDecl {
  std::string name;
  detail::ClassKind kind = detail::ClassKind::kUser;
  bool http = false;
  bool user_class = false;  // a User the scenario runs (not a TaskSet)
  int class_ref = LUA_NOREF;  // the class table, also the metatable of its instances
  std::vector<TaskDecl> tasks;
  std::vector<std::string> tags;
  std::optional<WaitTime> wait_time;
  int weight = 1;
  int fixed_count = 0;
  std::string host;
};

/// What a coroutine yielded for: set by the binding that yields, taken by the task driver.
struct PendingOp {
  enum class Kind { kNone, kRequest, kSleep };
  Kind kind = Kind::kNone;
  std::optional<Request> request;
  bool catch_response = false;  // the request's response is reported when the call ends
  double seconds = 0;
};

class UserSide;

/// A loaded Lua state. Thread affinity: the thread that loaded it, except that it may be
/// destroyed on another once that thread has ended.
class State {
 public:
  /// Control-flow signals a script raises with error() (and the engine's stop), as the
  /// registry references of their values.
  enum class Signal { kStopUser, kRescheduleTask, kRescheduleTaskImmediately, kInterrupt,
                      kInterruptNoReschedule, kStopped, kCount };

  /// Creates a state and runs `source` in it. Fails with "file:line: message" (and the Lua
  /// traceback for runtime errors) when the script does not compile or run.
  static Result<std::unique_ptr<State>> load(std::shared_ptr<const ScriptSource> source);

  /// This thread's state for `source`, loaded on first use. If loading fails here (the script
  /// depends on something this thread sees differently), returns a broken state whose
  /// load_error() says why: the users then fail at on_start instead of crashing the worker.
  static std::shared_ptr<State> for_this_thread(const std::shared_ptr<const ScriptSource>& source);

  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State();

  lua_State* lua() const noexcept { return L_; }
  const ScriptSource& source() const noexcept { return *source_; }
  /// Empty unless this thread could not load the script.
  const std::string& load_error() const noexcept { return load_error_; }
  const std::vector<ClassDecl>& classes() const noexcept { return classes_; }
  /// The declared classes in the ScriptSource::shape format.
  std::string shape() const;

  /// Pushes a registry value (a reference made with luaL_ref) onto `L`.
  static void push_ref(lua_State* L, int ref) { lua_rawgeti(L, LUA_REGISTRYINDEX, ref); }
  int signal_ref(Signal signal) const noexcept { return signals_[static_cast<int>(signal)]; }
  /// The metatables of the client and response userdata (lua_http.cpp).
  int client_meta_ref() const noexcept { return client_meta_ref_; }
  int response_meta_ref() const noexcept { return response_meta_ref_; }
  /// The metatable making a headers table case-insensitive.
  int headers_meta_ref() const noexcept { return headers_meta_ref_; }
  /// The JSON null value scripts see (hornet.null).
  static void* json_null() noexcept;

  // --- The running slice: what the bindings see while a coroutine runs -------------------------
  /// Called by the task driver around each lua_resume: `coroutine` runs for `user`. `on_stop`
  /// gives the code a grace period past the stop deadline (see the hook in lua_state.cpp).
  void begin_slice(lua_State* coroutine, UserSide& user, const core::Worker& worker,
                   bool on_stop) noexcept;
  void end_slice() noexcept;
  /// The coroutine running now (nullptr between slices, e.g. while the script loads).
  lua_State* active_coroutine() const noexcept { return active_; }
  UserSide* active_user() const noexcept { return active_user_; }
  PendingOp& pending() noexcept { return pending_; }

  /// Bytes of response bodies handed to Lua: the collector does not see that memory, so the
  /// driver steps it now and then (see note_external_bytes).
  void note_external_bytes(std::size_t bytes);

 private:
  explicit State(std::shared_ptr<const ScriptSource> source);
  Result<void> init();
  Result<void> read_classes();
  friend void stop_hook(lua_State* L, lua_Debug* ar);

  std::shared_ptr<const ScriptSource> source_;
  lua_State* L_ = nullptr;
  std::string load_error_;
  std::vector<ClassDecl> classes_;
  int signals_[static_cast<int>(Signal::kCount)] = {};
  int client_meta_ref_ = LUA_NOREF;
  int response_meta_ref_ = LUA_NOREF;
  int headers_meta_ref_ = LUA_NOREF;

  lua_State* active_ = nullptr;
  UserSide* active_user_ = nullptr;
  const core::Worker* worker_ = nullptr;
  bool on_stop_ = false;
  PendingOp pending_;
  std::size_t external_bytes_ = 0;
};

/// "message\nstack traceback:..." of the error on top of `co`'s stack (a coroutine that just
/// failed), as a ScriptError would carry them. Does not pop.
std::pair<std::string, std::string> describe_error(lua_State* L, lua_State* co);

/// How often (in VM instructions) the stop hook runs; see lua_state.cpp.
inline constexpr int kHookInstructions = 1000;
/// How long on_stop may run past the stop deadline before the hook ends it (the engine's own
/// grace before a hard stop).
inline constexpr auto kOnStopGrace = std::chrono::seconds(5);

}  // namespace hornet::script::lua
