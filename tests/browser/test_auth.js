// --web-auth: every route, the page and its static files included, needs the credentials; with
// them (Playwright's httpCredentials) the page, the table and the charts work.
"use strict";

const h = require("./lib/harness");
const {assert, step} = h;

const kAuth = "hornet:s3cret";
const [kUser, ...rest] = kAuth.split(":");
const kPassword = rest.join(":");

h.run("auth", async (t) => {
  const demo = await h.startDemo();
  const seed = await h.startSeed(demo.url,
    ["--web-auth", kAuth, "--autostart", "-u", "4", "-r", "4", "-t", "60s"], {auth: kAuth});

  step("without credentials, or with wrong ones, every route answers 401");
  const paths = ["/", "/static/app.js", "/static/charts.js", "/static/style.css", "/static/bokeh.min.js",
                 "/static/bokeh-api.min.js", "/ui/config", "/stats/requests", "/stats/history", "/stats/report"];
  for (const path of paths) {
    for (const auth of [undefined, "hornet:wrong", kUser + ":"]) {
      const reply = await h.httpGet(seed.url + path, {auth});
      assert(reply.status === 401, `${path} with ${auth || "no credentials"}: 401 (got ${reply.status})`);
      assert(/^Basic/.test(reply.headers["www-authenticate"] || ""), `${path}: a Basic challenge`);
    }
    const ok = await h.httpGet(seed.url + path, {auth: kAuth});
    assert(ok.status === 200, `${path} with the credentials: 200 (got ${ok.status})`);
  }

  step("with the credentials the page, the table and the charts load");
  const browser = await t.browser({httpCredentials: {username: kUser, password: kPassword}});
  const page = browser.page;
  const response = await page.goto(seed.url + "/");
  assert(response.status() === 200, `the page: ${response.status()}`);
  await page.waitForFunction(() => [...document.querySelectorAll("#stats-body tr")].some((row) =>
    row.cells[1].textContent === "/heavy_url/" && Number(row.cells[2].textContent) > 0), null, {timeout: 20000});
  await h.waitFor(async () => {
    const data = await h.chartData(page);
    return data && data["time/current_rps"].length >= 3 && data["seed/running/0/avg_response_time"].length >= 1;
  }, {timeout: 20000, message: "the charts filling"});
  assert(await page.isHidden("#connection-banner"), "no connection warning");

  step("a reload draws the history at once");
  await page.reload();
  await page.waitForFunction(() => window.hornetApp && window.hornetApp.historyLoaded, null, {timeout: 10000});
  const lengths = await page.evaluate(async () => (await window.hornetApp.historyLoaded).lengths());
  assert(lengths["time/current_rps"] >= 3, `the history is drawn (${lengths["time/current_rps"]} points)`);

  step("stop");
  await page.click("#stop-button");
  await page.waitForFunction(() => document.getElementById("header-state").dataset.state === "stopped",
                             null, {timeout: 15000});
});
