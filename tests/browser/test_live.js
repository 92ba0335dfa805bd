// The live page against a real run: start a swarm from the form, watch the statistics table and
// every chart fill (read from the Bokeh document), edit the user count, reset while running, look
// at the other tabs, stop, reload and find the history drawn at once, open the live report.
"use strict";

const h = require("./lib/harness");
const {assert, step} = h;

const kPages = ["/", "/heavy_url/", "/another_heavy_ajax_url/", "/accounts/login/"];

async function tableRows(page) {
  return page.$$eval("#stats-body tr", (rows) => rows.map((row) => ({
    cells: [...row.cells].map((cell) => cell.textContent),
    total: row.classList.contains("total"),
    weight: Number(getComputedStyle(row.cells[0]).fontWeight),
  })));
}

async function serverHistory(page) {
  return page.evaluate(async () => (await fetch("stats/history", {cache: "no-store"})).json());
}

// The series' points as the server's history says they should be.
function expectedPoints(history, series, requestsKey) {
  const points = [];
  for (let i = 0; i < history.time.length; ++i) {
    if (series.state !== null && history.state[i] !== series.state) continue;
    const raw = history[series.key][i];
    const y = raw === null ? NaN : Number(raw);
    if (series.skip_null && (Number.isNaN(y) || y === 0)) continue;
    points.push({
      x: series.group === "time" ? null : history[requestsKey][i],
      y,
      time: history.time[i],
    });
  }
  return points;
}

function sameNumber(a, b) {
  return (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

// Every series equals (a prefix of, at most 3 points short of) the server's history.
function checkAgainstHistory(data, history, requestsKey, where) {
  for (const [name, series] of Object.entries(data)) {
    const expected = expectedPoints(history, series, requestsKey);
    assert(series.in_document, `${where}: ${name}'s source is in the Bokeh document`);
    assert(series.length <= expected.length && series.length >= expected.length - 3,
           `${where}: ${name} has ${series.length} points, the history ${expected.length}`);
    for (let i = 0; i < series.length; ++i) {
      const e = expected[i];
      assert(sameNumber(series.time[i], e.time) && sameNumber(series.y[i], e.y) &&
             (e.x === null || sameNumber(series.x[i], e.x)),
             `${where}: ${name} point ${i} is (${series.x[i]}, ${series.y[i]}) at ${series.time[i]}, ` +
             `the history says (${e.x}, ${e.y}) at ${e.time}`);
    }
  }
}

h.run("live", async (t) => {
  const demo = await h.startDemo();
  const seed = await h.startSeed(demo.url);
  const browser = await t.browser();
  const page = browser.page;

  step("the page shows the start form with /ui/config's defaults");
  await page.goto(seed.url + "/");
  await page.waitForSelector("#start-panel:not([hidden])", {timeout: 10000});
  const config = await page.evaluate(async () => (await fetch("ui/config")).json());
  assert(await page.inputValue("#start-host") === demo.url,
         `the host field holds -H (${await page.inputValue("#start-host")})`);
  assert(await page.isHidden("#stop-button"), "no Stop button before a test");

  step("start a swarm from the form");
  await page.fill("#start-user-count", "10");
  await page.fill("#start-spawn-rate", "2");
  await page.fill("#start-run-time", "90s");
  await page.click("#start-button");
  await page.waitForSelector("#start-panel", {state: "hidden", timeout: 5000});
  await page.waitForFunction(() => ["spawning", "running"].includes(
    document.getElementById("header-state").dataset.state), null, {timeout: 10000});
  assert(await page.isVisible("#stop-button"), "Stop is offered while the test runs");

  step("statistics rows fill in, Aggregated last and bold");
  await page.waitForFunction((names) => {
    const rows = [...document.querySelectorAll("#stats-body tr")];
    return names.every((name) => rows.some((row) =>
      row.cells[1].textContent === name && Number(row.cells[2].textContent) > 0));
  }, kPages, {timeout: 20000});
  const rows = await tableRows(page);
  const last = rows[rows.length - 1];
  assert(last.cells[1] === "Aggregated" && last.total, "the Aggregated row is last");
  assert(last.weight >= 600, `the Aggregated row is bold (font-weight ${last.weight})`);
  assert(rows.filter((row) => row.total).length === 1, "one total row");
  // GET and POST /accounts/login/ are two rows, as in Locust.
  const keys = rows.map((row) => row.cells[0] + " " + row.cells[1]);
  assert(JSON.stringify(keys) === JSON.stringify([
    "GET /", "GET /accounts/login/", "POST /accounts/login/", "GET /another_heavy_ajax_url/",
    "GET /heavy_url/", " Aggregated"]), `a row per request, sorted by name then method: ${keys}`);
  const sum = rows.slice(0, -1).reduce((total, row) => total + Number(row.cells[2]), 0);
  assert(sum === Number(last.cells[2]), `the rows add up to the Aggregated count (${sum} vs ${last.cells[2]})`);
  for (const row of rows) assert(row.cells.length === 13, "13 columns, as Locust's table");
  assert(/^\d+(\.\d)?%$/.test(await page.textContent("#header-failures")), "failures % in the header");

  step("every chart holds the history's points (spawning and running)");
  await page.waitForFunction(() => document.getElementById("header-state").dataset.state === "running",
                             null, {timeout: 20000});
  await h.waitFor(async () => {
    const data = await h.chartData(page);
    return data && Object.values(data).every((series) =>
      series.skip_null || series.length >= (series.group === "time" ? 5 : 2));
  }, {timeout: 20000, message: "points in every chart"});
  const data = await h.chartData(page);
  const names = Object.keys(data);
  const expectedSeries = 6 + config.plot_config.states.length *
    config.plot_config.figures.reduce((n, figure) => n + figure.charts.length, 0);
  assert(names.length === expectedSeries, `${expectedSeries} series (${names.join(", ")})`);
  for (const series of Object.values(data)) {
    if (series.skip_null) {
      assert(series.y.every((y) => y !== 0 && !Number.isNaN(y)), `${series.title}: skip_null leaves out zeros`);
    }
  }
  checkAgainstHistory(data, await serverHistory(page), config.plot_config.requests_key, "live");

  step("the seed's figures: titles, markers and colours from plot_config, two a row");
  const figures = await page.evaluate(() => window.hornetCharts.document.roots().map((figure) => ({
    title: figure.title.text,
    markers: figure.renderers.filter((r) => r.glyph.type === "Scatter").map((r) => ({
      marker: r.glyph.marker.value, color: r.glyph.fill_color.value || r.glyph.line_color.value,
    })),
    lines: figure.renderers.filter((r) => r.glyph.type === "Line").length,
  })));
  const seedFigures = figures.filter((figure) => figure.markers.length);
  const expectedTitles = [];
  for (const state of config.plot_config.states) {
    for (const figure of config.plot_config.figures) {
      expectedTitles.push(figure.title.replace("{}", state[0].toUpperCase() + state.slice(1)));
    }
  }
  assert(JSON.stringify(seedFigures.map((f) => f.title)) === JSON.stringify(expectedTitles),
         `seed figure titles ${JSON.stringify(seedFigures.map((f) => f.title))}`);
  assert(expectedTitles.includes("Spawning response times") && expectedTitles.includes("Running RPS/Failures"),
         "the seed's titles");
  seedFigures.forEach((figure, i) => {
    const spec = config.plot_config.figures[i % config.plot_config.figures.length];
    assert(figure.lines === spec.charts.length, `${figure.title}: a line per chart`);
    spec.charts.forEach((chart, j) => {
      assert(figure.markers[j].marker === chart.marker, `${figure.title}: ${chart.key} drawn with ${chart.marker}`);
      assert(figure.markers[j].color === chart.color, `${figure.title}: ${chart.key} in ${chart.color}`);
    });
  });

  step("the charts tab lays the figures out two a row; screenshot");
  await page.click('.tabs a[data-tab="charts"]');
  await page.waitForSelector("#tab-charts:not([hidden])");
  await h.sleep(1500);
  const boxes = await page.$$eval("#charts .chart", (charts) => charts.map((chart) => {
    const box = chart.getBoundingClientRect();
    return {left: Math.round(box.left), top: Math.round(box.top), width: box.width, height: box.height};
  }));
  assert(boxes.length === figures.length, "one box per figure");
  assert(boxes.every((box) => box.width > 400 && box.height >= 250), `figures are laid out: ${JSON.stringify(boxes)}`);
  assert(boxes[0].top === boxes[1].top && boxes[0].left < boxes[1].left, "two figures a row at 1280 px");
  await page.locator("#tab-charts").screenshot({path: h.artifact("live-charts.png")});

  step("edit the running test: 15 users");
  await page.click("#edit-button");
  await page.waitForSelector("#edit-panel:not([hidden])");
  assert(await page.inputValue("#edit-user-count") === "10", "the edit form holds the current user count");
  await page.fill("#edit-user-count", "15");
  await page.fill("#edit-spawn-rate", "5");
  await page.click("#edit-submit");
  await page.waitForSelector("#edit-panel", {state: "hidden", timeout: 5000});
  await page.waitForFunction(() => document.getElementById("header-users").textContent === "15",
                             null, {timeout: 15000});
  await h.waitFor(async () => {
    const users = (await h.chartData(page))["time/user_count"].y;
    return users[users.length - 1] === 15;
  }, {timeout: 10000, message: "the user count chart reaching 15"});

  step("reset while running: the charts restart from the reset");
  const beforeRows = await tableRows(page);
  const before = Number(beforeRows[beforeRows.length - 1].cells[2]);
  const resetAt = Date.now() / 1000;
  await page.click("#reset-button");
  await h.waitFor(async () => {
    const after = await h.chartData(page);
    const rps = after["time/current_rps"];
    return rps.length >= 2 && rps.time.every((time) => time >= resetAt);
  }, {timeout: 10000, message: "charts holding only points after the reset"});
  checkAgainstHistory(await h.chartData(page), await serverHistory(page),
                      config.plot_config.requests_key, "after reset");
  await h.waitFor(async () => {
    const afterReset = await tableRows(page);
    return Number(afterReset[afterReset.length - 1].cells[2]) < before;
  }, {timeout: 5000, message: `the table's Aggregated count restarting (it was ${before})`});

  step("the other tabs: failures, exceptions, tasks, downloads");
  await page.click('.tabs a[data-tab="failures"]');
  assert(await page.isVisible("#failures-empty"), "no failures against the demo target");
  await page.click('.tabs a[data-tab="exceptions"]');
  await page.waitForSelector("#exceptions-empty:not([hidden])");
  await page.click('.tabs a[data-tab="tasks"]');
  await page.waitForFunction(() => document.querySelector("#tasks-total").textContent.includes("heavy_url"),
                             null, {timeout: 10000});
  const tasks = await page.textContent("#tasks-total");
  assert(/40\.0%\s*heavy_url/.test(tasks) && /20\.0%\s*index/.test(tasks), `task ratios 1:2:2 (${tasks})`);
  await page.click('.tabs a[data-tab="download"]');
  const links = await page.$$eval("#tab-download a", (as) => as.map((a) => a.href));
  const statuses = {};
  for (const link of links) {
    const response = await page.request.get(link);
    statuses[new URL(link).pathname + new URL(link).search] = [response.status(), response.headers()["content-type"]];
  }
  assert(statuses["/stats/requests/csv"][0] === 200 && /text\/csv/.test(statuses["/stats/requests/csv"][1]),
         `request CSV download ${JSON.stringify(statuses)}`);
  assert(statuses["/stats/failures/csv"][0] === 200 && statuses["/exceptions/csv"][0] === 200, "CSV downloads");
  assert(statuses["/stats/report"][0] === 200 && statuses["/stats/report?download=1"][0] === 200, "report links");

  step("stop");
  await page.click("#stop-button");
  await page.waitForFunction(() => document.getElementById("header-state").dataset.state === "stopped",
                             null, {timeout: 15000});
  await page.waitForSelector("#new-test-button:not([hidden])");
  await h.sleep(1500);  // the stop's point reaches the history

  step("reload: the history is drawn right after the page loads");
  await page.reload();
  await page.waitForFunction(() => window.hornetApp && window.hornetApp.historyLoaded, null, {timeout: 10000});
  const lengths = await page.evaluate(async () => (await window.hornetApp.historyLoaded).lengths());
  for (const [name, length] of Object.entries(lengths)) {
    if (data[name].skip_null) continue;
    if (data[name].state === "spawning") continue;  // the reset was made while running
    assert(length >= 2, `${name} holds points right after the reload (${length})`);
  }
  checkAgainstHistory(await h.chartData(page), await serverHistory(page),
                      config.plot_config.requests_key, "after reload");
  assert(await page.textContent("#header-state") === "STOPPED", "the header says STOPPED");

  step("the live report draws the same charts");
  const report = await browser.context.newPage();
  await report.goto(seed.url + "/stats/report");
  await report.waitForFunction(() => window.hornetReport, null, {timeout: 10000});
  await report.evaluate(async () => { await window.hornetReport.rendered; });
  const reportData = await h.chartData(report);
  assert(reportData["time/current_rps"].length >= 2 && reportData["seed/running/0/avg_response_time"].length >= 2,
         "the report's charts hold points");
  const reportNames = await report.$$eval("#requests-table tbody tr td:nth-child(2)", (cells) => cells.map((c) => c.textContent));
  for (const name of [...kPages, "Aggregated"]) assert(reportNames.includes(name), `the report lists ${name}`);
  await report.close();

  step("a new test from the stopped page: the charts start over, its run time stops it");
  await page.click("#new-test-button");
  await page.waitForSelector("#start-panel:not([hidden])");
  await page.fill("#start-user-count", "3");
  await page.fill("#start-spawn-rate", "3");
  await page.fill("#start-run-time", "6s");
  const newAt = Date.now() / 1000;
  await page.click("#start-button");
  await h.waitFor(async () => {
    const rps = (await h.chartData(page))["time/current_rps"];
    return rps.length >= 2 && rps.time.every((time) => time >= newAt);
  }, {timeout: 10000, message: "charts holding only the new test's points"});
  await page.waitForFunction(() => document.getElementById("header-state").dataset.state === "stopped",
                             null, {timeout: 20000});
  const elapsed = Date.now() / 1000 - newAt;
  assert(elapsed >= 5, `the run time (6 s) stopped the test (after ${elapsed.toFixed(1)} s)`);
});
