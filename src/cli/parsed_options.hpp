// The parsed options as a scenario's code sees them: Locust's `environment.parsed_options`, an
// object keyed by Locust's argparse dest names.
#pragma once

#include <nlohmann/json.hpp>

#include "cli/options.hpp"

namespace hornet::cli {

/// Every option under its Locust dest name (`host`, `num_users`, `spawn_rate`, `run_time` in
/// seconds...), null where unset; Hornet's own options under theirs (`threads`, `insecure`...).
nlohmann::json options_as_json(const Options& options);

}  // namespace hornet::cli
