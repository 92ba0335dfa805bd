// `hornet plot --url` against a real target (not registered in CTest until `hornet plot` exists:
// add it to CMakeLists.txt's list and pass hornet=$<TARGET_FILE:hornet>). The page's sources fill
// with the target's numbers; stopping the target shows a warning; restarting it on the same port
// turns the status back to OK.
"use strict";

const h = require("./lib/harness");
const plot = require("./lib/plot");
const {assert, step} = h;

h.run("plot", async (t) => {
  const demo = await h.startDemo();
  const target = await h.startSeed(demo.url, ["--autostart", "-u", "4", "-r", "4", "-t", "60s"]);
  const plotter = await plot.startHornetPlot(h.requireArg("hornet"), target.url + "/stats/requests");
  const browser = await t.browser();
  const page = browser.page;

  step("the plot page follows the target");
  await page.goto(plotter.url + "/");
  await plot.waitForPlotStatus(page, true);
  await plot.checkPlotPage(page, {minPoints: 3});
  const data = await h.chartData(page);
  const users = data["time/user_count"].y;
  assert(users[users.length - 1] === 4, `the target's user count (${users})`);

  step("target down: a warning");
  const port = new URL(target.url).port;
  await target.proc.stop();
  await plot.waitForPlotStatus(page, false);

  step("target back on the same port: OK again");
  const again = new h.Proc("seed", h.requireArg("seed"), [
    "-H", demo.url, "--web-host", "127.0.0.1", "--web-port", port, "--autostart", "-u", "2", "-r", "2", "-t", "60s",
  ]);
  await h.waitFor(async () => (await h.httpGet(target.url + "/ui/config")).status === 200,
                  {timeout: 10000, message: "the target back on port " + port});
  assert(again.running(), "the target restarted");
  await plot.waitForPlotStatus(page, true, {timeout: 15000});
});
