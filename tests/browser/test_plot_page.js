// The page in plot mode (what `hornet plot` serves), against a stand-in plot server fed by a real
// load test's history: no controls, the charts fill, and the polled target's status is shown, as a
// warning while the target is down or answers garbage, and back to OK when it recovers.
"use strict";

const h = require("./lib/harness");
const plot = require("./lib/plot");
const {assert, step} = h;

h.run("plot_page", async (t) => {
  const demo = await h.startDemo();
  const seed = await h.startSeed(demo.url, ["--autostart", "-u", "4", "-r", "4", "-t", "60s"]);
  const server = await plot.startFakePlotServer(seed.url);
  const target = "http://127.0.0.1:8089/stats/requests";
  server.status = {url: target, ok: true, message: "", last_success: Date.now() / 1000};
  try {
    const browser = await t.browser();
    browser.allowHttpError("/plot/status", 500);  // the test breaks it on purpose
    const page = browser.page;

    step("plot mode: charts and status, no controls");
    await page.goto(server.url + "/");
    await plot.waitForPlotStatus(page, true, {includes: target});
    await plot.checkPlotPage(page, {minPoints: 3});
    assert(await page.textContent("#header-target") === target, "the header names the target");
    await page.waitForFunction(() => document.getElementById("header-state").dataset.state === "running",
                               null, {timeout: 10000});
    assert(await page.textContent("#header-users") === "4", "users from the history");

    step("target down: a visible warning with the message");
    server.status = {url: target, ok: false, message: "connection refused", last_success: Date.now() / 1000 - 5};
    const down = await plot.waitForPlotStatus(page, false, {includes: "connection refused"});
    assert(/warning/.test(down.className), `a warning (${down.className})`);

    step("target answering garbage: still a warning, with the plotter's message");
    server.status = {url: target, ok: false, message: "not JSON: <html>", last_success: null};
    const garbage = await plot.waitForPlotStatus(page, false, {includes: "not JSON: <html>"});
    assert(garbage.text.includes("never"), `no success yet is said (${garbage.text})`);

    step("the plotter's own status unreadable: an error");
    server.status = {raw: "<html>oops</html>", code: 500};
    const broken = await plot.waitForPlotStatus(page, false, {includes: "plotter"});
    assert(/error/.test(broken.className), `an error (${broken.className})`);

    step("recovers");
    server.status = {url: target, ok: true, message: "", last_success: Date.now() / 1000};
    const back = await plot.waitForPlotStatus(page, true);
    assert(/ok/.test(back.className), "back to OK");
    assert(await page.$("#plot-status img") === null, "the status is text");

    step("the charts keep following the history");
    const before = (await h.chartData(page))["time/current_rps"].length;
    await h.waitFor(async () => (await h.chartData(page))["time/current_rps"].length >= before + 2,
                    {timeout: 10000, message: "new points"});
    assert(server.unexpected.length === 0, `plot mode only asks for its own routes: ${server.unexpected}`);
  } finally {
    await server.stop();
  }
});
