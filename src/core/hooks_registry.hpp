// Run hooks and a load shape attached by code linked into the program, for scenarios that have
// no other way to supply them: C++ scenarios (tests/integration/scenarios/shape.cpp registers
// test doubles at static initialisation). Not part of the public scenario API: include/hornet/
// stays free of core types. Python locustfiles attach theirs through their own loader.
#pragma once

#include <memory>

#include "core/run_hooks.hpp"

namespace hornet::detail {

/// Sets the process's run hooks (the last registration wins). Call before the run starts,
/// typically from a static initialiser.
void register_run_hooks(std::shared_ptr<core::RunHooks> hooks);
/// Sets the process's load shape (the last registration wins), as register_run_hooks.
void register_load_shape(std::shared_ptr<core::LoadShape> shape);

/// What was registered, or nullptr; app.cpp passes both to cli::LoadTest::set_scenario_hooks.
std::shared_ptr<core::RunHooks> registered_run_hooks();
std::shared_ptr<core::LoadShape> registered_load_shape();

}  // namespace hornet::detail
