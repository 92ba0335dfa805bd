// Lua classes as the engine runs them: the ClassInfo of each declared class, whose tasks are
// C++ coroutines that drive a Lua coroutine, and the User/TaskSet instances behind `self`.
//
// How a call runs: the engine awaits a task's `run` (or on_start/on_stop); it resumes the
// user's Lua coroutine with the task function and `self`. When the script calls client:get (or
// sleep), the binding stores the request in the state's PendingOp and yields; the driver then
// co_awaits the real HttpSession request on the worker's event loop (other users run
// meanwhile) and resumes the coroutine with the response. Control-flow signals raised in Lua
// (StopUser, RescheduleTask, interrupt) become the engine's C++ exceptions; other errors become
// core::ScriptError with the Lua message and traceback.
#pragma once

#include <hornet/user.hpp>

#include <lua.hpp>

#include <memory>
#include <vector>

#include "script/lua_state.hpp"

namespace hornet::script::lua {

struct ClientBox;
struct ResponseBox;

/// What a Lua user's task sets share with it: its coroutine and its catch_response responses
/// not yet reported. Worker thread only.
class UserSide {
 public:
  UserSide() = default;
  UserSide(const UserSide&) = delete;
  UserSide& operator=(const UserSide&) = delete;

  /// The user's coroutine, ready for a new call: reused while calls end normally (a coroutine
  /// abandoned mid-call, or dead from an error, is dropped and replaced).
  lua_State* coroutine(State& state);
  void drop_coroutine(State& state);

  /// catch_response responses of the current call, reported when it ends.
  void track(ResponseBox* response) { pending_.push_back(response); }
  void untrack(ResponseBox* response);
  void report_pending();

  /// The user ends: detaches its client and releases the coroutine.
  void release(State& state);

  ClientBox* client = nullptr;

 private:
  lua_State* coroutine_ = nullptr;
  int coroutine_ref_ = LUA_NOREF;
  std::vector<ResponseBox*> pending_;
};

/// The ClassInfo of every declared class, user classes first level (as the scenario lists
/// them); task sets are reached through their users' tasks. Called on the control thread.
std::vector<std::shared_ptr<const detail::ClassInfo>> build_class_infos(
    const std::shared_ptr<const ScriptSource>& source, const std::vector<ClassDecl>& classes);

}  // namespace hornet::script::lua
