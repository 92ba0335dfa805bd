#include "script/plugin.hpp"

#include <dlfcn.h>
#include <openssl/evp.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <system_error>

#include "core/log.hpp"
#include "script/toolchain_config.hpp"

extern char** environ;

namespace hornet::script {
namespace fs = std::filesystem;

namespace {

std::string getenv_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read " + path.string() + ": " + std::strerror(errno)};
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error{"cannot read " + path.string()};
  return content;
}

/// SHA-256 over the parts, each followed by a NUL so that ("ab", "c") and ("a", "bc") differ.
std::string sha256_hex(const std::vector<std::string>& parts) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
  for (const std::string& part : parts) {
    EVP_DigestUpdate(context.get(), part.data(), part.size());
    EVP_DigestUpdate(context.get(), "", 1);
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), digest.data(), &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

/// Runs `argv` with stdout and stderr inherited (the compiler's diagnostics reach the user as
/// it printed them) and returns its exit status, or an error if it could not start.
Result<int> run_process(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (const int error = posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ);
      error != 0) {
    return Error{"cannot run the C++ compiler '" + argv[0] + "': " + std::strerror(error) +
                 " (set HORNET_CXX to the compiler to use)"};
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Error{std::string("waiting for the compiler: ") + std::strerror(errno)};
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

Toolchain toolchain() {
  Toolchain tools;
  tools.compiler = HORNET_PLUGIN_CXX;
  if (std::string chosen = getenv_or_empty("HORNET_CXX"); !chosen.empty()) tools.compiler = chosen;
  tools.compiler_id = HORNET_PLUGIN_CXX_ID;
  tools.flags = {HORNET_PLUGIN_FLAGS};
  tools.include_dir = HORNET_BUILD_INCLUDE_DIR;
  tools.library_dir = HORNET_BUILD_LIBRARY_DIR;
  // Installed (`cmake --install`): <prefix>/bin/hornet next to <prefix>/include and <prefix>/lib.
  std::error_code error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path prefix = executable.parent_path().parent_path();
    if (fs::exists(prefix / "include/hornet/hornet.hpp", error) &&
        fs::exists(prefix / "lib/libhornet.so", error)) {
      tools.include_dir = prefix / "include";
      tools.library_dir = prefix / "lib";
    }
  }
  return tools;
}

fs::path cache_directory() {
  if (std::string xdg = getenv_or_empty("XDG_CACHE_HOME"); !xdg.empty()) {
    return fs::path(xdg) / "hornet";
  }
  if (std::string home = getenv_or_empty("HOME"); !home.empty()) {
    return fs::path(home) / ".cache" / "hornet";
  }
  return fs::temp_directory_path() / "hornet-cache";
}

Result<fs::path> cached_plugin_path(const fs::path& source, const Toolchain& tools,
                                    const fs::path& cache) {
  auto content = read_file(source);
  if (!content) return content.error();
  std::vector<std::string> parts = {"hornet-plugin-1", HORNET_VERSION,  tools.compiler,
                                    tools.compiler_id, tools.include_dir.string(),
                                    tools.library_dir.string()};
  parts.insert(parts.end(), tools.flags.begin(), tools.flags.end());
  // The public headers' content: a rebuilt Hornet with changed headers compiles again. (Files
  // the scenario itself includes are not tracked; edit the scenario file or clear the cache.)
  std::vector<fs::path> headers;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(tools.include_dir / "hornet", error)) {
    if (entry.path().extension() == ".hpp") headers.push_back(entry.path());
  }
  std::sort(headers.begin(), headers.end());
  for (const fs::path& header : headers) {
    auto text = read_file(header);
    if (!text) return text.error();
    parts.push_back(header.filename().string());
    parts.push_back(std::move(text).value());
  }
  parts.push_back(std::move(content).value());
  return cache / (source.stem().string() + "-" + sha256_hex(parts).substr(0, 32) + ".so");
}

Result<fs::path> build_plugin(const fs::path& source, const Toolchain& tools,
                              const fs::path& cache) {
  auto target = cached_plugin_path(source, tools, cache);
  if (!target) return target.error();
  std::error_code error;
  if (fs::exists(target.value(), error)) {
    log::debug("Using the cached build of " + source.string() + ": " + target.value().string());
    return target;
  }
  fs::create_directories(cache, error);
  if (error) return Error{"cannot create the cache directory " + cache.string() + ": " + error.message()};

  // A unique temporary name in the cache directory, renamed into place: concurrent runs of the
  // same file never see a half-written plugin, and a failed compile leaves no entry.
  const fs::path temporary = target.value().string() + ".tmp" + std::to_string(getpid());
  std::vector<std::string> argv = {tools.compiler};
  argv.insert(argv.end(), tools.flags.begin(), tools.flags.end());
  argv.insert(argv.end(), {"-I" + tools.include_dir.string(), "-o", temporary.string(),
                           fs::absolute(source).string(), "-L" + tools.library_dir.string(),
                           "-Wl,-rpath," + tools.library_dir.string(), "-Wl,--no-undefined",
                           "-lhornet"});
  log::info("Compiling " + source.string() + " (cached in " + cache.string() + ")");
  auto status = run_process(argv);
  if (!status) return status.error();
  if (status.value() != 0) {
    fs::remove(temporary, error);
    return Error{"compiling " + source.string() + " failed (the compiler's messages are above)"};
  }
  fs::rename(temporary, target.value(), error);
  if (error) {
    fs::remove(temporary, error);
    return Error{"cannot write " + target.value().string() + ": " + error.message()};
  }
  return target;
}

Result<void> load_plugin(const fs::path& plugin) {
  // Plugins link libhornet.so and register their classes into its registry; a program with the
  // engine linked in statically would get a second engine instead.
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&toolchain), &self) == 0 || self.dli_fname == nullptr ||
      std::strstr(self.dli_fname, "libhornet.so") == nullptr) {
    return Error{"C++ scenario files are run by the `hornet` command; this program has its "
                 "scenario compiled in"};
  }
  if (dlopen(plugin.c_str(), RTLD_NOW | RTLD_LOCAL) == nullptr) {
    const char* message = dlerror();
    return Error{"cannot load " + plugin.string() + ": " + (message ? message : "unknown error")};
  }
  return {};
}

}  // namespace hornet::script
