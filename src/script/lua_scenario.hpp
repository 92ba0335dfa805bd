// Scenario files in Lua (LuaJIT): `hornet -f scenario.lua`.
#pragma once

#include <hornet/result.hpp>
#include <hornet/user.hpp>
#include <filesystem>
#include <memory>
#include <vector>

namespace hornet::script {

/// Runs `file` once on the calling thread to read its user classes, and returns them. Every
/// worker thread later loads the file into its own Lua state the first time it creates one of
/// these users. Fails with "file:line: message" on a syntax or load-time error, and when the
/// file defines no user class.
Result<std::vector<std::shared_ptr<const detail::ClassInfo>>> load_lua_scenario(
    const std::filesystem::path& file);

}  // namespace hornet::script
