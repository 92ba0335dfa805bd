// Hornet's scenario API: everything a test file needs.
//
//   #include <hornet/hornet.hpp>
//
// Light on purpose (no Asio, no Beast, no JSON library): a scenario compiles in a few seconds.
// For Response::json(), also include <hornet/json.hpp>.
#pragma once

#include <hornet/http.hpp>
#include <hornet/task.hpp>
#include <hornet/user.hpp>
#include <hornet/wait_time.hpp>

namespace hornet {

/// Hornet's version, as `hornet --version` prints it.
const char* version() noexcept;

}  // namespace hornet
