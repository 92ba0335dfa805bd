#include "script/lua_scenario.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include "script/lua_model.hpp"
#include "script/lua_state.hpp"

namespace hornet::script {
namespace {

// A task set that contains itself, directly or not, would nest forever.
bool has_cycle(const std::vector<lua::ClassDecl>& classes, std::size_t at,
               std::vector<int>& marks) {
  if (marks[at] == 1) return true;
  if (marks[at] == 2) return false;
  marks[at] = 1;
  for (const auto& task : classes[at].tasks) {
    if (task.task_set >= 0 &&
        has_cycle(classes, static_cast<std::size_t>(task.task_set), marks)) {
      return true;
    }
  }
  marks[at] = 2;
  return false;
}

}  // namespace

Result<std::vector<std::shared_ptr<const detail::ClassInfo>>> load_lua_scenario(
    const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{"Could not open the scenario file '" + file.string() + "'"};
  std::ostringstream text;
  text << in.rdbuf();

  auto source = std::make_shared<lua::ScriptSource>();
  source->path = file;
  source->chunk_name = "@" + file.string();
  source->text = std::move(text).str();

  // A first run on this thread finds the classes; it is discarded (worker threads make their
  // own states), so nothing the script did at load time is shared.
  auto state = lua::State::load(source);
  if (!state) return state.error();
  const auto& classes = (*state)->classes();
  std::vector<int> marks(classes.size(), 0);
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (has_cycle(classes, i, marks)) {
      return Error{file.string() + ": task set " + classes[i].name +
                   " contains itself (directly or through other task sets)"};
    }
  }
  source->shape = (*state)->shape();
  auto infos = lua::build_class_infos(source, classes);
  if (infos.empty()) {
    return Error{file.string() +
                 ": no user class; declare one with hornet.HttpUser(\"Name\") or "
                 "hornet.User(\"Name\") and give it tasks"};
  }
  return infos;
}

}  // namespace hornet::script
