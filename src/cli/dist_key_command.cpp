#include "cli/dist_key_command.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "dist/transport.hpp"

namespace hornet::cli {

int run_make_dist_key(int argc, char** argv) {
  if (argc != 2 || argv[1][0] == '-') {
    std::fputs(
        "usage: hornet make-dist-key FILE\n\n"
        "Writes a new CurveZMQ key pair to FILE for --dist-key. Give the same file to the master\n"
        "and to every worker, and keep it secret: whoever has it can join or command the run.\n",
        argc == 2 && (std::strcmp(argv[1], "-h") == 0 || std::strcmp(argv[1], "--help") == 0)
            ? stdout
            : stderr);
    return argc == 2 && argv[1][0] == '-' && argv[1][1] == 'h' ? 0 : 2;
  }
  const dist::CurveKeys keys = dist::make_curve_keys();
  const std::string text = keys.public_key + "\n" + keys.secret_key + "\n";
  // O_EXCL: never replace a key the workers already have; 0600: a secret.
  const int fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    std::fprintf(stderr, "hornet: error: cannot create %s: %s\n", argv[1], std::strerror(errno));
    return 1;
  }
  const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (close(fd) != 0 || !written) {
    std::fprintf(stderr, "hornet: error: cannot write %s\n", argv[1]);
    return 1;
  }
  std::printf("Wrote a CurveZMQ key pair to %s: give it to the master and every worker with "
              "--dist-key %s\n",
              argv[1], argv[1]);
  return 0;
}

}  // namespace hornet::cli
