// An error raised by scenario script code (Lua), as the engine reports it.
#pragma once

#include <stdexcept>
#include <string>

namespace hornet::core {

/// Thrown by a script binding when the script's own code failed (a runtime error in a task,
/// on_start or on_stop). The message already says where ("scenario.lua:12: attempt to index a nil
/// value"); the traceback is the script's ("stack traceback:\n\tscenario.lua:12: in ..."). The
/// task loop counts it like any exception, but shows this traceback in the exceptions table
/// instead of the C++ exception type.
class ScriptError : public std::runtime_error {
 public:
  ScriptError(const std::string& message, std::string traceback)
      : std::runtime_error(message), traceback_(std::move(traceback)) {}

  const std::string& traceback() const noexcept { return traceback_; }

 private:
  std::string traceback_;
};

}  // namespace hornet::core
