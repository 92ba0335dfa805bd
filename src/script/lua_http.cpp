#include "script/lua_http.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <new>
#include <string>
#include <string_view>

#include "script/lua_model.hpp"
#include "script/lua_state.hpp"

// Errors: bindings raise Lua errors with luaL_error, which on LuaJIT's x86-64 and arm64 builds
// unwinds C++ frames like an exception (destructors run), so locals with destructors are safe
// here. C++ exceptions never cross into Lua: each binding that can throw catches them.
namespace hornet::script::lua {
namespace {

State& state_of(lua_State* L) {
  return *static_cast<State*>(lua_touserdata(L, lua_upvalueindex(1)));
}

// The userdata at `index` if its metatable is the one at registry `meta_ref`, else nullptr.
void* to_box(lua_State* L, int index, int meta_ref) {
  void* box = lua_touserdata(L, index);
  if (box == nullptr || !lua_getmetatable(L, index)) return nullptr;
  State::push_ref(L, meta_ref);
  const bool same = lua_rawequal(L, -1, -2) != 0;
  lua_pop(L, 2);
  return same ? box : nullptr;
}

// --- JSON -----------------------------------------------------------------------------------------

constexpr int kMaxJsonDepth = 128;

// The Lua value at `index` as JSON; false with `error` set when it has no JSON form.
bool to_json(lua_State* L, int index, nlohmann::json& out, int depth, std::string& error) {
  if (depth > kMaxJsonDepth) {
    error = "nested too deeply (or a table contains itself)";
    return false;
  }
  switch (lua_type(L, index)) {
    case LUA_TNIL:
      out = nullptr;
      return true;
    case LUA_TBOOLEAN:
      out = lua_toboolean(L, index) != 0;
      return true;
    case LUA_TNUMBER: {
      const lua_Number n = lua_tonumber(L, index);
      if (!std::isfinite(n)) {
        error = "numbers must be finite";
        return false;
      }
      if (n == std::floor(n) && std::fabs(n) < 9007199254740992.0) {
        out = static_cast<long long>(n);
      } else {
        out = n;
      }
      return true;
    }
    case LUA_TSTRING: {
      std::size_t size = 0;
      const char* s = lua_tolstring(L, index, &size);
      out = std::string(s, size);
      return true;
    }
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, index) == State::json_null()) {
        out = nullptr;
        return true;
      }
      break;
    case LUA_TTABLE: {
      if (index < 0) index = lua_gettop(L) + index + 1;
      luaL_checkstack(L, 3, "JSON encoding");
      // A table whose keys are exactly 1..n (n > 0) is an array; any other is an object.
      const std::size_t n = lua_objlen(L, index);
      std::size_t keys = 0;
      bool string_keys = true;
      lua_pushnil(L);
      while (lua_next(L, index) != 0) {
        ++keys;
        if (lua_type(L, -2) != LUA_TSTRING) string_keys = false;
        lua_pop(L, 1);
      }
      if (n > 0 && keys == n) {
        out = nlohmann::json::array();
        for (std::size_t i = 1; i <= n; ++i) {
          lua_rawgeti(L, index, static_cast<int>(i));
          nlohmann::json item;
          const bool ok = to_json(L, -1, item, depth + 1, error);
          lua_pop(L, 1);
          if (!ok) return false;
          out.push_back(std::move(item));
        }
        return true;
      }
      if (!string_keys) {
        error = "a table with keys other than strings (or 1..n for an array)";
        return false;
      }
      out = nlohmann::json::object();
      lua_pushnil(L);
      while (lua_next(L, index) != 0) {
        nlohmann::json item;
        if (!to_json(L, -1, item, depth + 1, error)) {
          lua_pop(L, 2);
          return false;
        }
        std::size_t size = 0;
        const char* key = lua_tolstring(L, -2, &size);  // a string key: no conversion
        out[std::string(key, size)] = std::move(item);
        lua_pop(L, 1);
      }
      return true;
    }
    default:
      break;
  }
  error = std::string("a ") + luaL_typename(L, index) + " value";
  return false;
}

// Pushes `value` as Lua: objects and arrays as tables, null as hornet.null.
bool push_json(lua_State* L, const nlohmann::json& value, int depth) {
  if (depth > kMaxJsonDepth || !lua_checkstack(L, 4)) return false;
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      lua_pushlightuserdata(L, State::json_null());
      return true;
    case nlohmann::json::value_t::boolean:
      lua_pushboolean(L, value.get<bool>());
      return true;
    case nlohmann::json::value_t::number_integer:
      lua_pushnumber(L, static_cast<lua_Number>(value.get<long long>()));
      return true;
    case nlohmann::json::value_t::number_unsigned:
      lua_pushnumber(L, static_cast<lua_Number>(value.get<unsigned long long>()));
      return true;
    case nlohmann::json::value_t::number_float:
      lua_pushnumber(L, value.get<double>());
      return true;
    case nlohmann::json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      lua_pushlstring(L, s.data(), s.size());
      return true;
    }
    case nlohmann::json::value_t::array: {
      lua_createtable(L, static_cast<int>(value.size()), 0);
      int i = 0;
      for (const auto& item : value) {
        if (!push_json(L, item, depth + 1)) return false;
        lua_rawseti(L, -2, ++i);
      }
      return true;
    }
    case nlohmann::json::value_t::object: {
      lua_createtable(L, 0, static_cast<int>(value.size()));
      for (const auto& [key, item] : value.items()) {
        lua_pushlstring(L, key.data(), key.size());
        if (!push_json(L, item, depth + 1)) return false;
        lua_rawset(L, -3);
      }
      return true;
    }
    case nlohmann::json::value_t::binary:
      break;
  }
  return false;
}

// Parses `text` and pushes it; returns false with the message pushed instead.
bool decode_json(lua_State* L, std::string_view text, const char* what) {
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    lua_pushfstring(L, "%s: not JSON: %s", what, e.what());
    return false;
  }
  const int top = lua_gettop(L);
  if (!push_json(L, value, 0)) {
    lua_settop(L, top);
    lua_pushfstring(L, "%s: JSON nested too deeply", what);
    return false;
  }
  return true;
}

// Serialises the value at `index`; false with `error` set when it cannot.
bool encode_json(lua_State* L, int index, std::string& text, std::string& error) {
  nlohmann::json value;
  if (!to_json(L, index, value, 0, error)) return false;
  // Invalid UTF-8 in a Lua string is replaced rather than failing the whole request.
  text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return true;
}

// --- Client ----------------------------------------------------------------------------------------

// Adds the name/value pairs of the table at `index` through `add`: a map {name = value} or,
// to keep an order, a list of pairs {{name, value}, ...}. Values are strings or numbers.
template <class Add>
void read_fields(lua_State* L, int index, const char* method, const char* option, Add add) {
  if (!lua_istable(L, index)) {
    luaL_error(L, "client:%s: option '%s' must be a table, got %s", method, option,
               luaL_typename(L, index));
  }
  auto value_of = [&](int at) -> std::string {
    const int type = lua_type(L, at);
    if (type != LUA_TSTRING && type != LUA_TNUMBER) {
      luaL_error(L, "client:%s: option '%s': values must be strings or numbers, got %s", method,
                 option, lua_typename(L, type));
    }
    std::size_t size = 0;
    const char* s = lua_tolstring(L, at, &size);  // a value slot: converting it is harmless
    return std::string(s, size);
  };
  lua_rawgeti(L, index, 1);
  const bool list = lua_istable(L, -1);
  lua_pop(L, 1);
  if (list) {
    const int n = static_cast<int>(lua_objlen(L, index));
    for (int i = 1; i <= n; ++i) {
      lua_rawgeti(L, index, i);
      if (!lua_istable(L, -1)) {
        luaL_error(L, "client:%s: option '%s': a list must hold {name, value} pairs", method,
                   option);
      }
      lua_rawgeti(L, -1, 1);
      lua_rawgeti(L, -2, 2);
      if (lua_type(L, -2) != LUA_TSTRING) {
        luaL_error(L, "client:%s: option '%s': names must be strings", method, option);
      }
      add(std::string(lua_tostring(L, -2)), value_of(-1));
      lua_pop(L, 3);
    }
    return;
  }
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      luaL_error(L, "client:%s: option '%s': names must be strings", method, option);
    }
    add(std::string(lua_tostring(L, -2)), value_of(-1));
    lua_pop(L, 1);
  }
}

bool read_bool(lua_State* L, int index, const char* method, const char* option) {
  if (lua_type(L, index) != LUA_TBOOLEAN) {
    luaL_error(L, "client:%s: option '%s' must be a boolean, got %s", method, option,
               luaL_typename(L, index));
  }
  return lua_toboolean(L, index) != 0;
}

std::string read_string(lua_State* L, int index, const char* method, const char* option) {
  if (lua_type(L, index) != LUA_TSTRING) {
    luaL_error(L, "client:%s: option '%s' must be a string, got %s", method, option,
               luaL_typename(L, index));
  }
  std::size_t size = 0;
  const char* s = lua_tolstring(L, index, &size);
  return std::string(s, size);
}

// Applies the options table at `index` to `request`.
void apply_options(lua_State* L, int index, const char* method, Request& request,
                   bool& catch_response) {
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    const int value = lua_gettop(L);
    if (lua_type(L, -2) != LUA_TSTRING) {
      luaL_error(L, "client:%s: option names must be strings", method);
    }
    const std::string_view key = lua_tostring(L, -2);
    if (key == "headers") {
      read_fields(L, value, method, "headers",
                  [&](std::string n, std::string v) { request.header(std::move(n), std::move(v)); });
    } else if (key == "params") {
      read_fields(L, value, method, "params",
                  [&](std::string n, std::string v) { request.param(std::move(n), std::move(v)); });
    } else if (key == "data" || key == "form") {
      if (key == "data" && lua_type(L, value) == LUA_TSTRING) {
        request.body(read_string(L, value, method, "data"));
      } else {
        Fields form;
        read_fields(L, value, method, key == "data" ? "data" : "form",
                    [&](std::string n, std::string v) { form.add(std::move(n), std::move(v)); });
        request.form(std::move(form));
      }
    } else if (key == "json") {
      std::string text;
      std::string error;
      if (!encode_json(L, value, text, error)) {
        luaL_error(L, "client:%s: option 'json' cannot be encoded: %s", method, error.c_str());
      }
      request.json(std::move(text));
    } else if (key == "body") {
      request.body(read_string(L, value, method, "body"));
    } else if (key == "name") {
      request.name(read_string(L, value, method, "name"));
    } else if (key == "catch_response") {
      catch_response = read_bool(L, value, method, "catch_response");
      if (catch_response) request.catch_response();
    } else if (key == "allow_redirects") {
      request.allow_redirects(read_bool(L, value, method, "allow_redirects"));
    } else if (key == "timeout") {
      if (lua_type(L, value) != LUA_TNUMBER || !(lua_tonumber(L, value) > 0)) {
        luaL_error(L, "client:%s: option 'timeout' must be a number of seconds > 0", method);
      }
      request.timeout(lua_tonumber(L, value));
    } else if (key == "auth") {
      if (!lua_istable(L, value)) {
        luaL_error(L, "client:%s: option 'auth' must be {user, password}", method);
      }
      lua_rawgeti(L, value, 1);
      lua_rawgeti(L, value, 2);
      if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
        luaL_error(L, "client:%s: option 'auth' must be {user, password} (two strings)", method);
      }
      request.auth(lua_tostring(L, -2), lua_tostring(L, -1));
      lua_pop(L, 2);
    } else {
      luaL_error(L, "client:%s: unknown option '%s'", method, std::string(key).c_str());
    }
    lua_settop(L, value - 1);
  }
}

// client:<method>(url [, options]): builds the request and yields it to the task driver,
// which sends it and resumes the coroutine with the response.
int request_with(lua_State* L, const char* method, const char* http_method, int url_index) {
  State& state = state_of(L);
  auto* client = static_cast<ClientBox*>(to_box(L, 1, state.client_meta_ref()));
  if (client == nullptr) {
    return luaL_error(L, "client:%s: call it as a method, self.client:%s(url, options)", method,
                      method);
  }
  if (client->session == nullptr) {
    return luaL_error(L, "client:%s: the user this client belonged to has stopped", method);
  }
  if (state.active_coroutine() != L) {
    return luaL_error(L, "client:%s: requests can only be made from a task, on_start or on_stop "
                         "(not at load time, nor from a coroutine the script created)", method);
  }
  if (state.active_user() != client->owner) {
    return luaL_error(L, "client:%s: a user can only use its own client", method);
  }
  if (lua_type(L, url_index) != LUA_TSTRING) {
    return luaL_error(L, "client:%s: the URL must be a string, got %s", method,
                      luaL_typename(L, url_index));
  }
  const int options = url_index + 1;
  if (!lua_isnoneornil(L, options) && !lua_istable(L, options)) {
    return luaL_error(L, "client:%s: options must be a table, got %s", method,
                      luaL_typename(L, options));
  }
  PendingOp& pending = state.pending();
  pending.request.emplace(client->session->request(http_method, lua_tostring(L, url_index)));
  pending.catch_response = false;
  if (lua_istable(L, options)) {
    apply_options(L, options, method, *pending.request, pending.catch_response);
  }
  pending.kind = PendingOp::Kind::kRequest;
  return lua_yield(L, 0);
}

int client_get(lua_State* L) { return request_with(L, "get", "GET", 2); }
int client_post(lua_State* L) { return request_with(L, "post", "POST", 2); }
int client_put(lua_State* L) { return request_with(L, "put", "PUT", 2); }
int client_patch(lua_State* L) { return request_with(L, "patch", "PATCH", 2); }
int client_delete(lua_State* L) { return request_with(L, "delete", "DELETE", 2); }
int client_head(lua_State* L) { return request_with(L, "head", "HEAD", 2); }
int client_options(lua_State* L) { return request_with(L, "options", "OPTIONS", 2); }

// client:request(method, url [, options])
int client_request(lua_State* L) {
  if (lua_type(L, 2) != LUA_TSTRING) {
    return luaL_error(L, "client:request: the method must be a string, got %s",
                      luaL_typename(L, 2));
  }
  std::string method = lua_tostring(L, 2);
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return request_with(L, "request", method.c_str(), 3);
}

ClientBox& check_client(lua_State* L, const char* method) {
  auto* client = static_cast<ClientBox*>(to_box(L, 1, state_of(L).client_meta_ref()));
  if (client == nullptr) luaL_error(L, "client:%s: call it as a method (client:%s(...))", method, method);
  if (client->session == nullptr) {
    luaL_error(L, "client:%s: the user this client belonged to has stopped", method);
  }
  return *client;
}

// client:set_header(name, value): a default header for every request of this user (nil value
// removes it).
int client_set_header(lua_State* L) {
  ClientBox& client = check_client(L, "set_header");
  const char* name = luaL_checkstring(L, 2);
  if (lua_isnoneornil(L, 3)) {
    client.session->headers().erase(name);
  } else {
    client.session->headers().set(name, luaL_checkstring(L, 3));
  }
  return 0;
}

// client:cookie(name): the value in the jar, or nil.
int client_cookie(lua_State* L) {
  ClientBox& client = check_client(L, "cookie");
  auto value = client.session->cookie(luaL_checkstring(L, 2));
  if (!value) return 0;
  lua_pushlstring(L, value->data(), value->size());
  return 1;
}

// client:set_cookie(name, value [, domain [, path]])
int client_set_cookie(lua_State* L) {
  ClientBox& client = check_client(L, "set_cookie");
  std::string message;
  try {
    client.session->set_cookie(luaL_checkstring(L, 2), luaL_checkstring(L, 3),
                               luaL_optstring(L, 4, ""), luaL_optstring(L, 5, "/"));
    return 0;
  } catch (const std::exception& e) {
    message = e.what();  // raised below, once the exception object is gone
  }
  return luaL_error(L, "set_cookie: %s", message.c_str());
}

int client_clear_cookies(lua_State* L) {
  check_client(L, "clear_cookies").session->clear_cookies();
  return 0;
}

// --- Response ---------------------------------------------------------------------------------

ResponseBox& check_response(lua_State* L, const char* method) {
  auto* box = static_cast<ResponseBox*>(to_box(L, 1, state_of(L).response_meta_ref()));
  if (box == nullptr) {
    luaL_error(L, "response:%s: call it as a method (response:%s(...))", method, method);
  }
  return *box;
}

// Raises the message on top of the stack, prefixed with the script's file:line.
int raise_here(lua_State* L) {
  luaL_where(L, 1);
  lua_insert(L, -2);
  lua_concat(L, 2);
  return lua_error(L);
}

int response_json(lua_State* L) {
  ResponseBox& box = check_response(L, "json");
  if (!decode_json(L, box.response.text(), "response:json()")) return raise_here(L);
  return 1;
}

// response:success() / response:failure(message), with catch_response = true.
int response_success(lua_State* L) {
  ResponseBox& box = check_response(L, "success");
  bool ok = true;
  try {
    box.response.success();
  } catch (const std::exception&) {
    ok = false;
  }
  if (!ok) {
    return luaL_error(L, "response:success() needs the request made with catch_response = true "
                         "(and not yet reported)");
  }
  return 0;
}

int response_failure(lua_State* L) {
  ResponseBox& box = check_response(L, "failure");
  lua_getglobal(L, "tostring");
  lua_pushvalue(L, 2);
  lua_call(L, 1, 1);
  std::size_t size = 0;
  const char* s = lua_tolstring(L, -1, &size);
  bool ok = true;
  try {
    box.response.failure(std::string(s != nullptr ? s : "", size));
  } catch (const std::exception&) {
    ok = false;
  }
  if (!ok) {
    return luaL_error(L, "response:failure() needs the request made with catch_response = true "
                         "(and not yet reported)");
  }
  return 0;
}

// response:raise_for_status(): raises the failure message if the request failed (Locust's
// raise_for_status), else returns the response.
int response_raise_for_status(lua_State* L) {
  ResponseBox& box = check_response(L, "raise_for_status");
  if (box.response.ok()) {
    lua_settop(L, 1);
    return 1;
  }
  const std::string& error = box.response.error();
  lua_pushlstring(L, error.data(), error.size());
  return lua_error(L);
}

// response:header(name): one header's value (case-insensitive), or nil.
int response_header(lua_State* L) {
  ResponseBox& box = check_response(L, "header");
  auto value = box.response.header(luaL_checkstring(L, 2));
  if (!value) return 0;
  lua_pushlstring(L, value->data(), value->size());
  return 1;
}

void push_string(lua_State* L, std::string_view s) { lua_pushlstring(L, s.data(), s.size()); }

// response.<field>: the data as fields, methods from the table in upvalue 2.
int response_index(lua_State* L) {
  State& state = state_of(L);
  auto* box = static_cast<ResponseBox*>(lua_touserdata(L, 1));  // only ours have this __index
  const Response& r = box->response;
  std::size_t size = 0;
  const char* key_data = lua_tolstring(L, 2, &size);
  if (key_data == nullptr) return 0;
  const std::string_view key(key_data, size);
  if (key == "status_code") {
    lua_pushinteger(L, r.status_code());
  } else if (key == "text" || key == "content") {
    push_string(L, r.text());
  } else if (key == "ok") {
    lua_pushboolean(L, r.ok());
  } else if (key == "headers") {
    lua_createtable(L, 0, static_cast<int>(r.headers().size()));
    for (const auto& [name, value] : r.headers()) {
      std::string lower(name);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      push_string(L, lower);
      lua_rawget(L, -2);
      const bool seen = !lua_isnil(L, -1);
      lua_pop(L, 1);
      push_string(L, lower);
      if (seen) {
        // Repeated fields join with ", " as requests does.
        push_string(L, lower);
        lua_rawget(L, -3);
        lua_pushliteral(L, ", ");
        push_string(L, value);
        lua_concat(L, 3);
      } else {
        push_string(L, value);
      }
      lua_rawset(L, -3);
    }
    State::push_ref(L, state.headers_meta_ref());
    lua_setmetatable(L, -2);
  } else if (key == "cookies") {
    lua_createtable(L, 0, static_cast<int>(r.cookies().size()));
    for (const auto& [name, value] : r.cookies()) {
      push_string(L, name);
      push_string(L, value);
      lua_rawset(L, -3);
    }
  } else if (key == "url") {
    push_string(L, r.url());
  } else if (key == "reason") {
    push_string(L, r.reason());
  } else if (key == "error") {
    if (r.error().empty()) return 0;
    push_string(L, r.error());
  } else if (key == "elapsed") {
    lua_pushnumber(L, static_cast<lua_Number>(r.elapsed().count()) / 1e6);
  } else {
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(2));
  }
  return 1;
}

int response_gc(lua_State* L) {
  static_cast<ResponseBox*>(lua_touserdata(L, 1))->~ResponseBox();
  return 0;
}

int response_tostring(lua_State* L) {
  auto* box = static_cast<ResponseBox*>(lua_touserdata(L, 1));
  lua_pushfstring(L, "<Response [%d]>", box->response.status_code());
  return 1;
}

// Sets the functions of `functions` into the table on top, each a closure over the state.
void set_functions(lua_State* L, State& state, const luaL_Reg* functions) {
  for (; functions->name != nullptr; ++functions) {
    lua_pushlightuserdata(L, &state);
    lua_pushcclosure(L, functions->func, 1);
    lua_setfield(L, -2, functions->name);
  }
}

}  // namespace

ResponseBox::~ResponseBox() {
  if (owner != nullptr) owner->untrack(this);
}

void ResponseBox::report() {
  if (owner == nullptr) return;
  owner->untrack(this);
  owner = nullptr;
  // Move-assigning a Response reports the one it replaces; the copy keeps the data readable.
  Response::Parts parts;
  parts.status_code = response.status_code();
  parts.reason = std::string(response.reason());
  parts.error = response.error();
  parts.headers = response.headers();
  parts.cookies = response.cookies();
  parts.body = response.text();
  parts.url = response.url();
  parts.timings = response.timings();
  response = Response(std::move(parts));
}

void register_http(lua_State* L, State& state, int& client_meta_ref, int& response_meta_ref) {
  static const luaL_Reg kClientMethods[] = {
      {"get", client_get},           {"post", client_post},
      {"put", client_put},           {"patch", client_patch},
      {"delete", client_delete},     {"head", client_head},
      {"options", client_options},   {"request", client_request},
      {"set_header", client_set_header}, {"cookie", client_cookie},
      {"set_cookie", client_set_cookie}, {"clear_cookies", client_clear_cookies},
      {nullptr, nullptr}};
  lua_createtable(L, 0, 3);
  lua_createtable(L, 0, 12);
  set_functions(L, state, kClientMethods);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "hornet.Client");
  lua_setfield(L, -2, "__metatable");
  client_meta_ref = luaL_ref(L, LUA_REGISTRYINDEX);

  static const luaL_Reg kResponseMethods[] = {
      {"json", response_json},       {"success", response_success},
      {"failure", response_failure}, {"raise_for_status", response_raise_for_status},
      {"header", response_header},   {nullptr, nullptr}};
  lua_createtable(L, 0, 4);
  lua_pushlightuserdata(L, &state);
  lua_createtable(L, 0, 5);
  set_functions(L, state, kResponseMethods);
  lua_pushcclosure(L, response_index, 2);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, response_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, response_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushliteral(L, "hornet.Response");
  lua_setfield(L, -2, "__metatable");
  response_meta_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

ClientBox* push_client(lua_State* L, const State& state, HttpSession& session, UserSide& owner) {
  auto* box = static_cast<ClientBox*>(lua_newuserdata(L, sizeof(ClientBox)));
  new (box) ClientBox{&session, &owner};
  State::push_ref(L, state.client_meta_ref());
  lua_setmetatable(L, -2);
  return box;
}

void push_response(lua_State* L, State& state, UserSide& owner, Response response,
                   bool catch_response) {
  state.note_external_bytes(response.text().size());
  auto* box = static_cast<ResponseBox*>(lua_newuserdata(L, sizeof(ResponseBox)));
  new (box) ResponseBox(std::move(response));
  State::push_ref(L, state.response_meta_ref());
  lua_setmetatable(L, -2);
  if (catch_response) {
    box->owner = &owner;
    owner.track(box);
  }
}

int json_encode_binding(lua_State* L) {
  std::string text;
  std::string error;
  if (!encode_json(L, 1, text, error)) {
    return luaL_error(L, "json.encode: cannot encode %s", error.c_str());
  }
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

int json_decode_binding(lua_State* L) {
  std::size_t size = 0;
  const char* text = luaL_checklstring(L, 1, &size);
  if (!decode_json(L, std::string_view(text, size), "json.decode")) return raise_here(L);
  return 1;
}

}  // namespace hornet::script::lua
