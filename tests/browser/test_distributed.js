// What a distributed master's answers hold, until Hornet's own --master exists: a proxy in front
// of a real run adds Locust's master keys (workers, slave_count) and errors and exceptions as a
// Locust master sends them (HTML-escaped once, reprs twice). The Workers tab and the header's
// count appear, a row per worker; failures and exceptions are shown unescaped once, as text.
"use strict";

const h = require("./lib/harness");
const {startProxy} = require("./lib/proxy");
const {assert, step} = h;

const kWorkers = [
  {id: "alpha_0123abcd", state: "running", user_count: 2, cpu_usage: 12.5, memory_usage: 123456789},
  {id: "<b>beta</b>_ffff", state: "spawning", user_count: 1, cpu_usage: 99.0, memory_usage: 5 * 1024 * 1024},
  {id: "gamma_7777", state: "missing", user_count: 0, cpu_usage: 0.0, memory_usage: 0},
];

// As Locust 2.12 sends them: name and error html.escape()d (quote=True).
const kErrors = [
  {method: "GET", name: "/missing?q=&lt;x&gt;", occurrences: 7,
   error: "&quot;HTTPError(&#x27;404 Client Error: Not Found for url: /missing&#x27;)&quot;"},
  {method: "POST", name: "/form", occurrences: 30, error: "&lt;script&gt;window.__hornet_xss=1&lt;/script&gt;"},
];
const kExceptions = [
  {count: 3, msg: "ValueError(&#x27;bad &lt;input&gt;&#x27;)", nodes: "alpha_0123abcd, gamma_7777",
   traceback: "  File &quot;scenario.cpp&quot;, line 12, in on_start\n    throw &lt;ValueError&gt;"},
];

h.run("distributed", async (t) => {
  const demo = await h.startDemo();
  const seed = await h.startSeed(demo.url, ["--autostart", "-u", "3", "-r", "3", "-t", "60s"]);
  let workers = kWorkers;
  const master = await startProxy(seed.url, async (path, query, forward) => {
    if (path === "/stats/requests") {
      const stats = JSON.parse((await forward()).body);
      stats.workers = workers;
      stats.slave_count = workers.length;
      stats.errors = kErrors;
      return {body: stats};
    }
    if (path === "/exceptions") return {body: {exceptions: kExceptions}};
    if (path === "/ui/config") {
      const config = JSON.parse((await forward()).body);
      config.is_distributed = true;
      return {body: config};
    }
    return undefined;
  });
  try {
    const browser = await t.browser();
    const page = browser.page;
    await page.goto(master.url + "/");

    step("the Workers tab and the header's count appear");
    await page.waitForSelector('.tabs a[data-tab="workers"]:not([hidden])', {timeout: 10000});
    await page.waitForFunction(() => document.getElementById("header-workers").textContent === "3",
                               null, {timeout: 10000});
    await page.click('.tabs a[data-tab="workers"]');
    await page.waitForSelector("#tab-workers:not([hidden])");

    step("a row per worker, as text");
    const rows = await page.$$eval("#workers-body tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert(rows.length === 3, `three rows (${JSON.stringify(rows)})`);
    assert(JSON.stringify(rows[0]) === JSON.stringify(["alpha_0123abcd", "running", "2", "12.5%", "117.7 MiB"]),
           `the first worker's row: ${JSON.stringify(rows[0])}`);
    assert(rows[1][0] === "<b>beta</b>_ffff", `an id with markup is shown as text (${rows[1][0]})`);
    assert(await page.$("#workers-body b") === null, "no element made from an id");
    assert(rows[2][1] === "missing", "a missing worker is listed");

    step("a worker leaving is reflected");
    workers = kWorkers.slice(0, 1);
    await page.waitForFunction(() => document.querySelectorAll("#workers-body tr").length === 1, null, {timeout: 10000});
    assert(await page.textContent("#header-workers") === "1", "the header's count follows");

    step("failures: unescaped once, most frequent first, as text");
    assert(await page.textContent("#failures-count") === "2", "the Failures tab counts 2");
    await page.click('.tabs a[data-tab="failures"]');
    const failures = await page.$$eval("#failures-body tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert(JSON.stringify(failures) === JSON.stringify([
      ["30", "POST", "/form", "<script>window.__hornet_xss=1</script>"],
      ["7", "GET", "/missing?q=<x>", "\"HTTPError('404 Client Error: Not Found for url: /missing')\""],
    ]), `the failures table: ${JSON.stringify(failures)}`);
    assert(await page.$("#failures-body script") === null, "no element made from an error");

    step("exceptions: unescaped once, the traceback kept as text");
    await page.click('.tabs a[data-tab="exceptions"]');
    await page.waitForFunction(() => document.querySelectorAll("#exceptions-body tr").length === 1, null, {timeout: 10000});
    const exception = await page.$$eval("#exceptions-body td", (tds) => tds.map((td) => td.textContent));
    assert(JSON.stringify(exception) === JSON.stringify([
      "3", "ValueError('bad <input>')",
      "  File \"scenario.cpp\", line 12, in on_start\n    throw <ValueError>", "alpha_0123abcd, gamma_7777",
    ]), `the exceptions table: ${JSON.stringify(exception)}`);
    assert(await page.$("#exceptions-body input") === null, "no element made from a message");
    assert(await page.evaluate(() => window.__hornet_xss === undefined), "no script ran");
  } finally {
    await master.stop();
  }
});
