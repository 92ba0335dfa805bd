// The Lua source of the `hornet` module's declarative half (see lua_prelude.cpp).
#pragma once

namespace hornet::script::lua {

/// A Lua chunk: called with the table of the module's C functions, it returns the module and a
/// table of internals (declared classes, signals) that State reads.
extern const char kPrelude[];

}  // namespace hornet::script::lua
