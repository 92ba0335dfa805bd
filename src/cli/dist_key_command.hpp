// `hornet make-dist-key FILE`: a CurveZMQ key pair for --dist-key.
#pragma once

namespace hornet::cli {

/// Writes a new key pair to FILE (two lines, Z85: public key, secret key; mode 0600, never
/// overwriting). Returns the exit code: 0, 1 if the file cannot be written, 2 for bad usage.
int run_make_dist_key(int argc, char** argv);

}  // namespace hornet::cli
