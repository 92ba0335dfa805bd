// Plot mode (`hornet plot --url ...`, /ui/config's "mode": "plot"): helpers shared by
// test_plot_page.js (the page against a stand-in plot server, below) and test_plot.js (the page
// against the real `hornet plot`).
//
// The contract the page relies on (docs/web-api.md plus the issue):
//   GET /ui/config     {"mode": "plot", "plot_config": {...}, ...}
//   GET /stats/history the polled target's history, the same columns as a load test's
//   GET /plot/status   {"url": ..., "ok": true|false, "message": "...", "last_success": epoch|null}
//   GET /, /static/*   the UI (the same embedded files)
"use strict";

const h = require("./harness");
const {startProxy} = require("./proxy");
const {assert} = h;

/// Starts the real `hornet plot` polling `targetUrl` (a /stats/requests URL) with its page on a
/// free loopback port. `argv(port)` can override the command line if the lead's flags differ.
function startHornetPlot(hornet, targetUrl, {extra = [], argv} = {}) {
  return h.startWeb("hornet plot", hornet, argv || ((port) => [
    "plot", "--url", targetUrl, "--web-host", "127.0.0.1", "--web-port", String(port), ...extra,
  ]));
}

/// A stand-in for `hornet plot`'s web server: serves the UI and /stats/history from a running
/// Hornet (`upstream`, a load test's web UI: the same embedded files, a real history), answers
/// /ui/config with mode "plot", and /plot/status with whatever the test sets (`server.status`:
/// an object, or {raw, code} for an answer that is not JSON). Everything else is 404 (listed in
/// `server.unexpected`), so the page cannot lean on a load test's routes in plot mode.
async function startFakePlotServer(upstream) {
  const server = await startProxy(upstream, async (path, query, forward) => {
    if (path === "/plot/status") {
      const status = server.status;
      if (status && status.raw !== undefined) return {status: status.code || 200, type: "text/html", body: status.raw};
      return {body: status};
    }
    if (path === "/ui/config") {
      const config = JSON.parse((await forward()).body);
      config.mode = "plot";
      for (const key of ["host", "user_count", "spawn_rate", "run_time"]) delete config[key];
      return {body: config};
    }
    if (path === "/" || path.startsWith("/static/") || path === "/stats/history") return undefined;
    server.unexpected.push(path);
    return {status: 404, type: "text/plain", body: "not in plot mode"};
  });
  server.unexpected = [];
  server.status = {url: "http://target.invalid/stats/requests", ok: true, message: "", last_success: Date.now() / 1000};
  return server;
}

/// The plot page's status banner: {ok: "true"|"false", className, text}.
async function plotStatus(page) {
  return page.evaluate(() => {
    const banner = document.getElementById("plot-status");
    return {ok: banner.dataset.ok, className: banner.className, text: banner.textContent, hidden: banner.hidden};
  });
}

/// Waits for the banner to say the target is fine (`ok` true) or not, and returns it.
async function waitForPlotStatus(page, ok, {timeout = 10000, includes} = {}) {
  return h.waitFor(async () => {
    const status = await plotStatus(page);
    if (status.hidden || status.ok !== String(ok)) return null;
    if (includes && !status.text.includes(includes)) return null;
    return status;
  }, {timeout, message: `the plot status to say ok=${ok}${includes ? ` with "${includes}"` : ""}`});
}

/// Checks the plot page: no load-test controls, the charts tab shown, the status banner visible,
/// and (`minPoints`) the charts holding that many points over time.
async function checkPlotPage(page, {minPoints = 2} = {}) {
  for (const selector of ["#start-panel", "#edit-panel", "#stop-button", "#reset-button", "#new-test-button"]) {
    assert(await page.isHidden(selector), `plot mode has no ${selector}`);
  }
  const tabs = await page.$$eval(".tabs a[data-tab]", (as) => as.filter((a) => a.offsetParent !== null).map((a) => a.dataset.tab));
  assert(JSON.stringify(tabs) === JSON.stringify(["charts"]), `plot mode shows only the charts tab (${tabs})`);
  assert(await page.isVisible("#tab-charts"), "the charts are shown");
  assert(await page.isVisible("#plot-status"), "the target's status is shown");
  await h.waitFor(async () => {
    const data = await h.chartData(page);
    return data && data["time/current_rps"].length >= minPoints;
  }, {timeout: 15000, message: `${minPoints} points in the charts`});
}

module.exports = {checkPlotPage, plotStatus, startFakePlotServer, startHornetPlot, waitForPlotStatus};
