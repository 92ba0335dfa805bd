// The process's user classes, registered by HORNET_USER during static initialisation, and the
// run hooks and load shape registered by code linked into the program (core/hooks_registry.hpp).
#include <cxxabi.h>

#include <cstdlib>
#include <hornet/hornet.hpp>
#include <memory>

#include "core/hooks_registry.hpp"

namespace hornet {

const char* version() noexcept { return HORNET_VERSION; }

namespace detail {
namespace {
std::vector<std::shared_ptr<const ClassInfo>>& registry() {
  // Function-local: registration runs during static initialisation, in any order of files.
  static std::vector<std::shared_ptr<const ClassInfo>> classes;
  return classes;
}

std::string without_namespaces(std::string name) {
  // "ns::Outer<ns::T>" keeps its template arguments whole; only the leading qualification goes.
  std::size_t depth = 0, cut = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '<') ++depth;
    if (name[i] == '>' && depth > 0) --depth;
    if (depth == 0 && name.compare(i, 2, "::") == 0) cut = i + 2;
  }
  return name.substr(cut);
}
}  // namespace

std::string class_name_of(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return without_namespaces(status == 0 && demangled ? demangled.get() : type.name());
}

void register_user_class(std::shared_ptr<const ClassInfo> info) {
  auto copy = std::make_shared<ClassInfo>(*info);
  copy->name = without_namespaces(copy->name);
  registry().push_back(std::move(copy));
}

const std::vector<std::shared_ptr<const ClassInfo>>& registered_user_classes() {
  return registry();
}

namespace {
// Function-local for the same reason as registry().
std::shared_ptr<core::RunHooks>& run_hooks() {
  static std::shared_ptr<core::RunHooks> hooks;
  return hooks;
}
std::shared_ptr<core::LoadShape>& load_shape() {
  static std::shared_ptr<core::LoadShape> shape;
  return shape;
}
}  // namespace

void register_run_hooks(std::shared_ptr<core::RunHooks> hooks) { run_hooks() = std::move(hooks); }
void register_load_shape(std::shared_ptr<core::LoadShape> shape) {
  load_shape() = std::move(shape);
}
std::shared_ptr<core::RunHooks> registered_run_hooks() { return run_hooks(); }
std::shared_ptr<core::LoadShape> registered_load_shape() { return load_shape(); }

}  // namespace detail
}  // namespace hornet
