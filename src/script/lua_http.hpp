// The HTTP client and response as Lua sees them (self.client, what client:get returns), and
// JSON both ways. Thread affinity: the worker thread of the state they live in.
#pragma once

#include <hornet/http.hpp>

#include <lua.hpp>

namespace hornet::script::lua {

class State;
class UserSide;

/// A user's client: userdata in its instance table (self.client). `session` is cleared when
/// the user ends, so a client a script kept somewhere fails cleanly instead of dangling.
struct ClientBox {
  HttpSession* session = nullptr;
  UserSide* owner = nullptr;
};

/// A response userdata. A catch_response one is listed with its user until reported (the
/// call that made it ends, or the collector frees it first).
struct ResponseBox {
  explicit ResponseBox(Response r) : response(std::move(r)) {}
  ResponseBox(const ResponseBox&) = delete;
  ResponseBox& operator=(const ResponseBox&) = delete;
  ~ResponseBox();
  /// Reports a catch_response request now (as decided, else as its status says; not at all
  /// while an exception unwinds), keeping the data for the script.
  void report();

  Response response;
  UserSide* owner = nullptr;  // set while a catch_response report is pending
};

/// Creates the metatables of clients and responses in `L` and returns their registry refs.
void register_http(lua_State* L, State& state, int& client_meta_ref, int& response_meta_ref);
/// Pushes a new client for `session`, used by `owner`'s coroutine only.
ClientBox* push_client(lua_State* L, const State& state, HttpSession& session, UserSide& owner);
/// Pushes `response`; with `catch_response` it is listed in `owner` until reported.
void push_response(lua_State* L, State& state, UserSide& owner, Response response,
                   bool catch_response);

/// hornet.json.encode(value) and hornet.json.decode(text).
int json_encode_binding(lua_State* L);
int json_decode_binding(lua_State* L);

}  // namespace hornet::script::lua
