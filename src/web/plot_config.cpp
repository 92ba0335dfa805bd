#include "web/plot_config.hpp"

#include <fstream>
#include <sstream>

namespace hornet::web {

nlohmann::json default_plot_config() {
  return nlohmann::json::parse(R"({
  "figures": [
    {"charts": [
       {"color": "black", "legend": "average response time", "marker": "diamond",
        "key": "avg_response_time"},
       {"color": "blue", "legend": "median response time", "marker": "triangle",
        "key": "median_response_time"},
       {"color": "green", "legend": "min response time", "marker": "inverted_triangle",
        "key": "min_response_time"},
       {"color": "red", "legend": "max response time", "marker": "circle",
        "key": "max_response_time"}],
     "xlabel": "Requests count", "ylabel": "Milliseconds", "title": "{} response times"},
    {"charts": [
       {"color": "green", "legend": "current rps", "marker": "circle", "key": "current_rps"},
       {"color": "red", "legend": "failures", "marker": "cross", "key": "num_failures",
        "skip_null": true}],
     "xlabel": "Requests count", "ylabel": "RPS/Failures count", "title": "{} RPS/Failures"}],
  "states": ["spawning", "running"],
  "requests_key": "num_requests"
})");
}

Result<nlohmann::json> check_plot_config(nlohmann::json config) {
  if (!config.is_object()) return Error{"the config must be a JSON object"};
  const nlohmann::json defaults = default_plot_config();
  if (!config.contains("figures")) config["figures"] = defaults["figures"];
  if (!config.contains("states")) config["states"] = defaults["states"];
  if (!config.contains("requests_key")) config["requests_key"] = defaults["requests_key"];
  // The seed's own file has "url" (the Locust to poll); it is harmless here.

  const auto& figures = config["figures"];
  if (!figures.is_array() || figures.empty()) {
    return Error{"\"figures\" must be a non-empty list of figures"};
  }
  for (std::size_t f = 0; f < figures.size(); ++f) {
    const auto& figure = figures[f];
    const std::string where = "figures[" + std::to_string(f) + "]";
    if (!figure.is_object()) return Error{where + " must be an object"};
    for (const char* text : {"title", "xlabel", "ylabel"}) {
      if (figure.contains(text) && !figure[text].is_string()) {
        return Error{where + "." + text + " must be a string"};
      }
    }
    if (!figure.contains("charts") || !figure["charts"].is_array() || figure["charts"].empty()) {
      return Error{where + ".charts must be a non-empty list of charts"};
    }
    for (std::size_t c = 0; c < figure["charts"].size(); ++c) {
      const auto& chart = figure["charts"][c];
      const std::string chart_where = where + ".charts[" + std::to_string(c) + "]";
      if (!chart.is_object()) return Error{chart_where + " must be an object"};
      if (!chart.contains("key") || !chart["key"].is_string()) {
        return Error{chart_where + ".key must be a string (a /stats/requests key)"};
      }
      for (const char* text : {"color", "legend", "marker"}) {
        if (chart.contains(text) && !chart[text].is_string()) {
          return Error{chart_where + "." + text + " must be a string"};
        }
      }
      if (chart.contains("skip_null") && !chart["skip_null"].is_boolean()) {
        return Error{chart_where + ".skip_null must be true or false"};
      }
    }
  }
  const auto& states = config["states"];
  if (!states.is_array() || states.empty()) return Error{"\"states\" must be a non-empty list"};
  for (const auto& state : states) {
    if (!state.is_string()) return Error{"\"states\" must list state names (strings)"};
  }
  if (!config["requests_key"].is_string()) return Error{"\"requests_key\" must be a string"};
  return config;
}

Result<nlohmann::json> load_plot_config(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Error{"cannot read the plot config " + path};
  std::ostringstream text;
  text << file.rdbuf();
  nlohmann::json config = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) return Error{"the plot config " + path + " is not valid JSON"};
  auto checked = check_plot_config(std::move(config));
  if (!checked) return Error{"the plot config " + path + ": " + checked.error().message};
  return checked;
}

}  // namespace hornet::web
