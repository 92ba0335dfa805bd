// A locustfile's run events and LoadTestShape, as the program calls them (core::RunHooks,
// core::LoadShape): each call takes the GIL and calls the package's runtime module on the
// control thread. A listener's exception is logged, never thrown.
#pragma once

#include <memory>

#include "core/run_hooks.hpp"
#include "python/py.hpp"

namespace hornet::python {

/// `runtime` is locust._hornet_runtime (kept for the process).
std::shared_ptr<core::RunHooks> make_run_hooks(PyObject* runtime);
/// `shape` is the locustfile's LoadTestShape instance.
std::shared_ptr<core::LoadShape> make_load_shape(PyObject* runtime, Ref shape);

}  // namespace hornet::python
