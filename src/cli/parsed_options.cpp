#include "cli/parsed_options.hpp"

#include <string>

namespace hornet::cli {
namespace {

template <class T>
nlohmann::json optional_value(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json options_as_json(const Options& o) {
  nlohmann::json j = nlohmann::json::object();
  j["locustfile"] = o.locustfiles.size() == 1 ? nlohmann::json(o.locustfiles[0])
                                              : nlohmann::json(o.locustfiles);
  j["host"] = optional_value(o.host);
  j["num_users"] = optional_value(o.users);
  j["spawn_rate"] = optional_value(o.spawn_rate);
  j["run_time"] = o.run_time ? nlohmann::json(o.run_time->count()) : nlohmann::json(nullptr);
  j["list_commands"] = o.list_user_classes;
  j["headless"] = o.headless;
  j["headful"] = o.headful;
  j["autostart"] = o.autostart;
  j["autoquit"] = o.autoquit;
  j["stop_timeout"] = o.stop_timeout.count();
  j["exit_code_on_error"] = o.exit_code_on_error;
  j["equal_weights"] = o.equal_weights;
  j["user_classes"] = o.user_classes;
  j["web_host"] = o.web_host;
  j["web_port"] = o.web_port;
  j["web_auth"] = optional_value(o.web_auth);
  j["tls_cert"] = o.tls_cert;
  j["tls_key"] = o.tls_key;
  j["class_picker"] = o.class_picker;
  j["master"] = o.master;
  j["master_bind_host"] = o.master_bind_host;
  j["master_bind_port"] = o.master_bind_port;
  j["expect_workers"] = o.expect_workers;
  j["expect_workers_max_wait"] = o.expect_workers_max_wait;
  j["enable_rebalancing"] = o.enable_rebalancing;
  j["worker"] = o.worker;
  j["master_host"] = o.master_host;
  j["master_port"] = o.master_port;
  j["tags"] = optional_value(o.tags);
  j["exclude_tags"] = optional_value(o.exclude_tags);
  j["csv_prefix"] = optional_value(o.csv_prefix);
  j["stats_history_enabled"] = o.csv_full_history;
  j["print_stats"] = o.print_stats;
  j["only_summary"] = o.only_summary;
  j["reset_stats"] = o.reset_stats;
  j["html_file"] = optional_value(o.html_file);
  j["loglevel"] = std::string(to_string(o.loglevel));
  j["logfile"] = optional_value(o.logfile);
  j["skip_log_setup"] = o.skip_log_setup;
  j["show_task_ratio"] = o.show_task_ratio;
  j["show_task_ratio_json"] = o.show_task_ratio_json;
  j["threads"] = o.threads;
  j["insecure"] = o.insecure;
  j["connect_timeout"] = o.connect_timeout.count();
  j["request_timeout"] = o.request_timeout.count();
  return j;
}

}  // namespace hornet::cli
