// The seed plotter's configuration (shared/reference/seed.md): which figures the web UI and the
// report draw per runner state, and from which /stats/requests keys.
#pragma once

#include <hornet/result.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace hornet::web {

/// The seed's config, with Locust 2's state names ("spawning" for the seed's "hatching").
nlohmann::json default_plot_config();

/// Reads and checks a --plot-config file: an object with "figures" (each with "charts", each
/// chart with a string "key"; optional "color", "legend", "marker", "skip_null"; optional
/// "title", "xlabel", "ylabel"), "states" (strings) and "requests_key" (a string). Missing
/// optional parts take the default's values. The error names the file and what is wrong.
Result<nlohmann::json> load_plot_config(const std::string& path);

/// The same checks on an already parsed config (exposed for tests).
Result<nlohmann::json> check_plot_config(nlohmann::json config);

}  // namespace hornet::web
