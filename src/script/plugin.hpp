// Compiled C++ scenarios: `-f scenario.cpp` is compiled into a shared object against Hornet's
// public headers and library, cached, and loaded with dlopen.
#pragma once

#include <hornet/result.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace hornet::script {

/// How scenario plugins are built: the compiler and flags Hornet itself was built with
/// (recorded at build time), and where its headers and library are. `HORNET_CXX` overrides the
/// compiler.
struct Toolchain {
  std::string compiler;
  std::string compiler_id;  // "GNU 12.2.0": part of the cache key
  std::vector<std::string> flags;
  std::filesystem::path include_dir;  // holds hornet/hornet.hpp
  std::filesystem::path library_dir;  // holds libhornet.so
};

/// The toolchain for this binary: the installed layout next to the executable
/// (`<prefix>/bin/hornet` with `<prefix>/include` and `<prefix>/lib`) if there is one, else the
/// build tree it was built in.
Toolchain toolchain();

/// `$XDG_CACHE_HOME/hornet`, else `$HOME/.cache/hornet`.
std::filesystem::path cache_directory();

/// The cache file for `source` built by `tools`: named by a SHA-256 of the source's content,
/// the compiler, the flags, Hornet's version and its public headers' content, so any change to
/// one of them compiles again.
Result<std::filesystem::path> cached_plugin_path(const std::filesystem::path& source,
                                                 const Toolchain& tools,
                                                 const std::filesystem::path& cache);

/// The plugin for `source`, compiled if it is not in the cache yet. The compiler's diagnostics
/// go to stderr as it printed them; a failed compile leaves nothing in the cache (the output is
/// written under a temporary name and renamed into place only on success).
Result<std::filesystem::path> build_plugin(const std::filesystem::path& source,
                                           const Toolchain& tools,
                                           const std::filesystem::path& cache);

/// dlopen()s a plugin (RTLD_NOW: unresolved symbols fail here, not mid-run). It is never
/// unloaded: the engine keeps pointers into it.
Result<void> load_plugin(const std::filesystem::path& plugin);

}  // namespace hornet::script
