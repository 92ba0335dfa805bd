// The HTML report written by --html: opened from a file:// URL in Chromium with every network
// request refused, it draws its charts from the data inlined in it and shows its tables.
"use strict";

const fs = require("node:fs");
const url = require("node:url");
const h = require("./lib/harness");
const {assert, step} = h;

h.run("report", async (t) => {
  const demo = await h.startDemo();
  const file = h.artifact("report.html");
  fs.rmSync(file, {force: true});

  step("a headless run writes the report");
  const seed = new h.Proc("seed", h.requireArg("seed"), [
    "-H", demo.url, "--headless", "-u", "6", "-r", "2", "-t", "8s", "--html", file,
  ]);
  const code = await h.within(seed.exited, 30000);
  assert(code === 0, `the headless run exits 0 (${code}): ${seed.describe()}`);
  assert(fs.existsSync(file), "the report file exists");
  const html = fs.readFileSync(file, "utf8");
  assert(!/\{\{[A-Z_]+\}\}/.test(html), "every placeholder is filled");

  step("it opens offline and draws its charts");
  const browser = await t.browser({offline: true});
  const page = browser.page;
  const fileUrl = url.pathToFileURL(file).href;
  const refused = [];
  await browser.context.route("**/*", (route) => {
    const requested = route.request().url();
    if (requested === fileUrl) return route.continue();
    refused.push(requested);
    return route.abort();
  });
  await page.goto(fileUrl);
  await page.waitForFunction(() => window.hornetReport, null, {timeout: 10000});
  await page.evaluate(async () => { await window.hornetReport.rendered; });  // not the charts object: too big to return
  const data = await h.chartData(page);
  const history = await page.evaluate(() => window.HORNET_REPORT.history);
  assert(history.time.length >= 6, `the report holds the run's history (${history.time.length} points)`);
  assert(data["time/current_rps"].length === history.time.length, "a time chart point per history point");
  assert(data["time/user_count"].y.includes(6), "the user chart reaches 6 users");
  for (const [name, series] of Object.entries(data)) {
    assert(series.in_document, `${name} is in the Bokeh document`);
    if (series.skip_null) continue;
    const states = new Set(history.state);
    if (series.state !== null && !states.has(series.state)) continue;
    assert(series.length > 0, `${name} holds points`);
  }
  assert(history.state.includes("spawning") && history.state.includes("running"),
         `the run was sampled spawning and running (${[...new Set(history.state)]})`);
  const canvases = await page.$$eval("#charts .chart", (charts) => charts.map((c) => c.getBoundingClientRect().height));
  assert(canvases.length >= 7 && canvases.every((height) => height >= 250), `figures are drawn: ${canvases}`);
  await page.screenshot({path: h.artifact("report.png"), fullPage: true});

  step("its tables have the rows");
  const names = await page.$$eval("#requests-table tbody tr td:nth-child(2)", (cells) => cells.map((c) => c.textContent));
  assert(names.length === 6, `GET and POST /accounts/login/, three pages, Aggregated (${names})`);
  for (const name of ["/", "/heavy_url/", "/another_heavy_ajax_url/", "/accounts/login/", "Aggregated"]) {
    assert(names.includes(name), `Request Statistics lists ${name} (${names})`);
  }
  assert(names[names.length - 1] === "Aggregated", "Aggregated last");
  const percentileRows = await page.$$eval("#percentiles-table tbody tr", (rows) => rows.length);
  assert(percentileRows === names.length, `Response Time Statistics: a row per request and the total (${percentileRows})`);
  const tasks = await page.textContent("#tasks-table tbody");
  // The names only: the ratios are the server's (at the end of a headless run they read 0.0%,
  // where Locust reports the final ratio; reported to the lead).
  for (const task of ["WebsiteUser", "index", "heavy_url", "another_heavy_ajax_url"]) {
    assert(tasks.includes(task), `Final ratio lists ${task} (${tasks})`);
  }
  assert(/Test Report for/.test(await page.title()), "the title");
  assert(await page.textContent("#failures-table tbody") === "None.", "no failures, said so");
  assert(refused.length === 0, `the report asked for nothing over the network: ${refused}`);
});
