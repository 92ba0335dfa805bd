// Placeholder until the Lua binding lands.
#include "script/lua_scenario.hpp"

namespace hornet::script {

Result<std::vector<std::shared_ptr<const detail::ClassInfo>>> load_lua_scenario(
    const std::filesystem::path& file) {
  return Error{file.string() + ": Lua scenarios are not supported yet"};
}

}  // namespace hornet::script
