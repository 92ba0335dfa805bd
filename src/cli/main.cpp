// main() for scenario executables: link hornet_main and a file of HORNET_USER classes, and the
// result takes Hornet's whole command line.
#include "cli/app.hpp"

int main(int argc, char** argv) { return hornet::cli::run(argc, argv); }
