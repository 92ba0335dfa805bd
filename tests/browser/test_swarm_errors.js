// Bad form input: the page shows the server's own message (POST /swarm answers 400 with
// {"success": false, "message": ...}), as text (a message echoing markup stays text), and no test
// starts; the edit form shows its errors the same way.
"use strict";

const h = require("./lib/harness");
const {assert, step} = h;

async function submitStart(page, fields) {
  for (const [id, value] of Object.entries(fields)) await page.fill(id, value);
  const reply = page.waitForResponse((response) => response.url().endsWith("/swarm"));
  await page.click("#start-button");
  const response = await reply;
  await page.waitForSelector("#start-error:not([hidden])", {timeout: 5000});
  return {status: response.status(), body: await response.json(), shown: await page.textContent("#start-error")};
}

h.run("swarm_errors", async (t) => {
  const demo = await h.startDemo();
  const seed = await h.startSeed(demo.url);
  const browser = await t.browser();
  browser.allowHttpError("/swarm", 400);  // what this test is about
  const page = browser.page;
  await page.goto(seed.url + "/");
  await page.waitForSelector("#start-panel:not([hidden])", {timeout: 10000});
  await page.fill("#start-host", demo.url);
  await page.fill("#start-run-time", "20s");

  const cases = [
    [{"#start-user-count": "10", "#start-spawn-rate": "0"}, "spawn_rate must be greater than 0 (got 0)"],
    [{"#start-user-count": "-3", "#start-spawn-rate": "1"}, "user_count cannot be negative (got -3)"],
    [{"#start-user-count": "", "#start-spawn-rate": "1"}, "user_count is missing"],
    [{"#start-user-count": "5", "#start-spawn-rate": "fast"}, "spawn_rate must be a number, not 'fast'"],
    [{"#start-user-count": "5", "#start-spawn-rate": "1", "#start-run-time": "soon"},
     "Valid run_time formats are : 20, 20s, 3m, 2h, 1h20m, 3h30m10s, etc."],
  ];
  for (const [fields, message] of cases) {
    step(`${JSON.stringify(fields)} -> "${message}"`);
    const result = await submitStart(page, fields);
    assert(result.status === 400 && result.body.success === false, `400 from /swarm (${result.status})`);
    assert(result.shown.includes(message), `the page shows "${message}" (shows "${result.shown}")`);
    assert(result.shown === result.body.message, "the page shows the server's message itself");
    assert(await page.isVisible("#start-panel"), "the form stays open");
  }
  await page.fill("#start-run-time", "20s");

  step("a message echoing markup is shown as text");
  const markup = "<img src=x onerror=\"window.__hornet_xss=1\">";
  const result = await submitStart(page, {"#start-user-count": markup, "#start-spawn-rate": "1"});
  assert(result.shown.includes(markup), `the markup is shown literally (${result.shown})`);
  assert(await page.$("#start-error img") === null, "no element was created from the message");
  await h.sleep(300);
  assert(await page.evaluate(() => window.__hornet_xss === undefined), "no script ran");

  step("no test was started");
  const stats = await page.evaluate(async () => (await fetch("stats/requests")).json());
  assert(stats.state === "ready" && stats.user_count === 0, `still ready (${stats.state})`);

  step("a good form starts, then the edit form shows its errors too");
  await page.fill("#start-user-count", "2");
  await page.fill("#start-spawn-rate", "2");
  await page.click("#start-button");
  await page.waitForSelector("#start-panel", {state: "hidden", timeout: 5000});
  await page.waitForSelector("#edit-button:not([hidden])", {timeout: 10000});
  await page.click("#edit-button");
  await page.fill("#edit-user-count", "4");
  await page.fill("#edit-spawn-rate", "-1");
  await page.click("#edit-submit");
  await page.waitForSelector("#edit-error:not([hidden])", {timeout: 5000});
  const shown = await page.textContent("#edit-error");
  assert(shown === "spawn_rate must be greater than 0 (got -1)", `the edit form shows the message (${shown})`);
  assert(await page.isVisible("#edit-panel"), "the edit form stays open");

  step("stop");
  await page.click("#stop-button");
  await page.waitForFunction(() => document.getElementById("header-state").dataset.state === "stopped",
                             null, {timeout: 15000});
});
