#include "cli/plot_command.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <hornet/hornet.hpp>

#include "core/log.hpp"
#include "web/plot.hpp"
#include "web/plot_config.hpp"
#include "web/routes.hpp"
#include "web/server.hpp"

namespace hornet::cli {

int run_plot(int argc, char** argv) {
  CLI::App app{
      "Polls a Locust-compatible /stats/requests (a Locust, or Hornet) every second and serves "
      "live charts of it, like the seed's plotter.py.",
      "hornet plot"};
  std::string url;
  std::string web_host = "127.0.0.1";
  int web_port = 8090;
  std::optional<std::string> web_auth;
  std::optional<std::string> plot_config_file;
  double interval = 1.0;
  bool insecure = false;
  app.add_option("--url", url,
                 "The /stats/requests URL to poll, e.g. http://127.0.0.1:8089/stats/requests")
      ->required();
  app.add_option("--web-host", web_host, "Host to serve the charts on (default 127.0.0.1)");
  app.add_option("--web-port,-P", web_port, "Port to serve the charts on (default 8090)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--web-auth", web_auth, "user:password for HTTP Basic auth on the charts");
  app.add_option("--plot-config", plot_config_file,
                 "A JSON file in the seed plotter's config format");
  app.add_option("--interval", interval, "Seconds between polls (default 1)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--insecure", insecure, "Do not verify the target's TLS certificate");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {
      std::fputs(app.help().c_str(), stdout);
      return 0;
    }
    std::fprintf(stderr, "hornet plot: error: %s\n", error.what());
    return 2;
  }
  if (web_auth && web_auth->find(':') == std::string::npos) {
    std::fputs("hornet plot: error: --web-auth must be user:password\n", stderr);
    return 2;
  }

  nlohmann::json plot_config = web::default_plot_config();
  if (plot_config_file) {
    auto loaded = web::load_plot_config(*plot_config_file);
    if (!loaded) {
      log::error(loaded.error().message);
      return 1;
    }
    plot_config = std::move(loaded).value();
  }

  boost::asio::io_context io(1);
  web::Plotter plotter(io,
                       {.url = url,
                        .interval = std::chrono::milliseconds(static_cast<long>(interval * 1000)),
                        .plot_config = std::move(plot_config),
                        .verify_tls = !insecure});
  if (auto started = plotter.start(); !started) {
    std::fprintf(stderr, "hornet plot: error: %s\n", started.error().message.c_str());
    return 2;
  }
  web::Server server(
      io, [&plotter, options = web::RouterOptions{web_auth}](const web::Request& request) {
        return web::route(request, plotter, options);
      });
  if (auto listening = server.listen(web_host, static_cast<std::uint16_t>(web_port)); !listening) {
    log::error(listening.error().message);
    return 1;
  }
  server.start();
  log::info(std::string("Hornet ") + hornet::version() + " plotting " + url + " at " +
            server.url());
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code error, int) {
    if (error) return;
    log::info("Shutting down");
    plotter.stop_polling();
    server.stop();
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace hornet::cli
