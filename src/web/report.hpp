// The HTML report (--html FILE and /stats/report): one self-contained file, BokehJS and the
// chart code inlined, that opens with no network. Tables are rendered here, as HTML, so they read
// without JavaScript; the charts are drawn by the same code as the live page, from the run's
// history embedded as JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "stats/aggregate.hpp"
#include "stats/history.hpp"

namespace hornet::web {

struct ReportInput {
  std::string script;  // the scenario: file or executable name
  std::string host;
  double start_time = 0;  // epoch seconds
  double end_time = 0;
  const stats::Aggregate* stats = nullptr;
  const stats::History* history = nullptr;
  nlohmann::ordered_json tasks;  // /tasks' body
  nlohmann::json plot_config;    // the seed plotter's figures
};

std::string render_report(const ReportInput& input);

/// Makes text safe inside an inline <script>: "</" becomes "<\/" (JSON and JavaScript read both
/// the same), so no "</script>" can end the element early.
std::string inline_script(std::string_view code);

/// JSON text safe inside an inline <script>: every '<' written as \u003c.
std::string json_for_script(const nlohmann::json& value);

}  // namespace hornet::web
