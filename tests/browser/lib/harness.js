// The browser tests' harness: starts the real binaries on loopback (the demo target on port 0,
// Hornet on a free port), drives Debian's chromium through playwright-core, fails a test on any
// console error, and stops every process it started, by pid, whatever happens.
//
// Each test file is run as `node test_<name>.js NAME=PATH ...` (see CMakeLists.txt):
//   seed=<examples/seed>  demo=<hornet-demo>  artifacts=<directory for screenshots and reports>
//   [hornet=<the hornet binary>]
"use strict";

const childProcess = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const kChromium = process.env.HORNET_CHROMIUM || "/usr/bin/chromium";
const kChromiumFlags = [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

function loadPlaywright() {
  try {
    return require("playwright-core");
  } catch (error) {
    throw new Error("playwright-core is not installed in tests/browser: run scripts/setup " +
                    "(it runs `npm ci` there)");
  }
}

/// NAME=PATH arguments as an object.
function parseArgs(argv = process.argv.slice(2)) {
  const args = {};
  for (const arg of argv) {
    const eq = arg.indexOf("=");
    if (eq > 0) args[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return args;
}

const args = parseArgs();
const artifactsDir = path.resolve(args.artifacts || path.join(os.tmpdir(), "hornet-browser-artifacts"));

function requireArg(name) {
  if (!args[name]) throw new Error(`missing argument ${name}=PATH`);
  if (!fs.existsSync(args[name])) throw new Error(`${name}=${args[name]}: no such file`);
  return args[name];
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/// `promise`'s value, or `fallback` if it takes more than `ms` (the timer does not outlive it).
async function within(promise, ms, fallback = "timeout") {
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(fallback), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/// Polls `check` (sync or async) until it returns a truthy value, which it returns; throws
/// `message` (with the last value or error) after `timeout` ms.
async function waitFor(check, {timeout = 15000, interval = 200, message = "condition"} = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeout} ms waiting for ${message} (last: ${detail})`);
    }
    await sleep(interval);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error("assertion failed: " + message);
}

// ---- processes -------------------------------------------------------------------------------

const started = new Set();

/// A child process whose output is kept (for error messages) and which stop() ends by its pid.
class Proc {
  constructor(name, file, argv) {
    this.name = name;
    this.argv = [file, ...argv];
    this.stdout = "";
    this.stderr = "";
    this.exitCode = undefined;
    this.child = childProcess.spawn(file, argv, {stdio: ["ignore", "pipe", "pipe"]});
    this.pid = this.child.pid;
    started.add(this);
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => {
        this.exitCode = code === null ? signal : code;
        started.delete(this);
        resolve(this.exitCode);
      });
      this.child.on("error", (error) => {
        this.stderr += String(error);
        this.exitCode = "spawn error";
        started.delete(this);
        resolve(this.exitCode);
      });
    });
    this.child.stdout.on("data", (chunk) => { this.stdout += chunk; });
    this.child.stderr.on("data", (chunk) => { this.stderr += chunk; });
  }

  running() {
    return this.exitCode === undefined;
  }

  /// SIGTERM, then SIGKILL after `grace` ms; resolves to the exit code (or signal name).
  async stop(grace = 5000) {
    if (!this.running()) return this.exitCode;
    try {
      process.kill(this.pid, "SIGTERM");
    } catch (error) {
      return this.exitCode;
    }
    const timer = setTimeout(() => {
      if (this.running()) {
        try { process.kill(this.pid, "SIGKILL"); } catch (error) { /* gone */ }
      }
    }, grace);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  describe() {
    return `${this.name} (${this.argv.join(" ")}) exit=${this.exitCode}\n` +
           `stdout: ${this.stdout.slice(-2000)}\nstderr: ${this.stderr.slice(-2000)}`;
  }
}

async function stopAll() {
  await Promise.all([...started].map((proc) => proc.stop()));
}

/// Starts hornet-demo on a free port; resolves to {proc, url}.
async function startDemo(extra = []) {
  const proc = new Proc("hornet-demo", requireArg("demo"), ["--port", "0", ...extra]);
  const url = await waitFor(() => {
    if (!proc.running()) throw new Error(proc.describe());
    const match = /listening on (http:\/\/\S+)/.exec(proc.stdout);
    return match && match[1];
  }, {timeout: 10000, interval: 50, message: "hornet-demo's URL"});
  return {proc, url};
}

/// A port the kernel just handed out (and took back): free unless someone takes it meanwhile.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

/// GET on loopback with Node's http; resolves to {status, headers, body}.
function httpGet(url, {auth, timeout = 5000} = {}) {
  return new Promise((resolve, reject) => {
    const headers = {};
    if (auth) headers.Authorization = "Basic " + Buffer.from(auth).toString("base64");
    const request = http.get(url, {headers, timeout}, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({
        status: response.statusCode,
        headers: response.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      }));
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", reject);
  });
}

/// Starts a Hornet binary (`binary`: a path) with its web UI on a free loopback port:
/// `argv(port)` gives the command line. Resolves to {proc, url} once the UI answers.
async function startWeb(name, binary, argv, {auth} = {}) {
  for (let attempt = 1; ; ++attempt) {
    const port = await freePort();
    const proc = new Proc(name, binary, argv(port));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => {
        if (!proc.running()) throw new Error("exited: " + proc.describe());
        const reply = await httpGet(url + "/ui/config", {auth, timeout: 1000});
        return reply.status === 200 || reply.status === 401;
      }, {timeout: 15000, interval: 100, message: `${name}'s web UI on ${url}`});
      return {proc, url};
    } catch (error) {
      await proc.stop();
      // Someone may have taken the port between freePort() and the bind: try another.
      if (attempt < 3 && /in use|bind/i.test(proc.stderr)) continue;
      throw error;
    }
  }
}

/// Starts examples/seed against `target` with the web UI on a free port.
function startSeed(target, extra = [], options = {}) {
  return startWeb("seed", requireArg("seed"), (port) => [
    "-H", target, "--web-host", "127.0.0.1", "--web-port", String(port), ...extra,
  ], options);
}

// ---- the browser -----------------------------------------------------------------------------

/// Launches chromium with a new empty profile. Resolves to {context, page, errors, close()}:
/// `errors` collects every console error and uncaught page error of every page.
async function launchBrowser(contextOptions = {}) {
  if (!fs.existsSync(kChromium)) {
    throw new Error(`${kChromium} is missing: run scripts/setup (it installs Debian's chromium)`);
  }
  const {chromium} = loadPlaywright();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hornet-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: kChromium,
    headless: true,
    args: kChromiumFlags,
    viewport: {width: 1280, height: 900},
    ...contextOptions,
  });
  const errors = [];
  // Chromium logs every HTTP error answer to a fetch as a console error; a test that provokes
  // one on purpose (a bad form: 400 from /swarm) declares it, any other still fails the test.
  const allowed = [];
  const isAllowed = (message) => {
    const match = /^Failed to load resource: the server responded with a status of (\d+)/.exec(message.text());
    const where = message.location();
    return Boolean(match && where && allowed.some(({path, status}) =>
      new URL(where.url).pathname === path && Number(match[1]) === status));
  };
  const watch = (page) => {
    page.on("console", (message) => {
      if (message.type() === "error" && !isAllowed(message)) {
        const where = message.location();
        errors.push(`console error on ${page.url()}: ${message.text()}` +
                    (where && where.url ? ` (${where.url}:${where.lineNumber})` : ""));
      }
    });
    page.on("pageerror", (error) => errors.push(`uncaught on ${page.url()}: ${error.stack || error}`));
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  const page = context.pages()[0] || await context.newPage();
  return {
    context,
    page,
    errors,
    /// Lets the page log "Failed to load resource" for `status` answers from `path`.
    allowHttpError(path, status) {
      allowed.push({path, status});
    },
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, {recursive: true, force: true});
    },
  };
}

function assertNoConsoleErrors(browser) {
  assert(browser.errors.length === 0, "JavaScript errors in the page:\n  " + browser.errors.join("\n  "));
}

function artifact(name) {
  fs.mkdirSync(artifactsDir, {recursive: true});
  return path.join(artifactsDir, name);
}

// ---- reading the charts ----------------------------------------------------------------------

/// The charts' data as the page holds it: {name: {length, x, y, time, state, key, skip_null,
/// group, ...}} for every series of window.hornetCharts. The data is read from the Bokeh
/// document itself (document.get_model_by_id of each series' ColumnDataSource), so a source that
/// is not part of what Bokeh renders does not count.
async function chartData(page) {
  return page.evaluate(() => {
    const charts = window.hornetCharts;
    if (!charts || !charts.document) return null;
    const doc = charts.document;
    const out = {};
    for (const entry of charts.series) {
      const source = doc.get_model_by_id(entry.source.id);
      const data = source ? source.data : {};
      out[entry.name] = {
        group: entry.group, state: entry.state, key: entry.key, skip_null: entry.skip_null,
        title: entry.title, marker: entry.marker, color: entry.color, legend: entry.legend,
        in_document: Boolean(source),
        length: source ? source.get_length() || 0 : 0,
        x: Array.from(data.x || []), y: Array.from(data.y || []), time: Array.from(data.time || []),
      };
    }
    return out;
  });
}

// ---- running a test --------------------------------------------------------------------------

/// Runs `body(context)` as one test: prints PASS/FAIL with the time taken, saves a screenshot of
/// every page on failure, stops every process and browser, and sets the exit code.
function run(name, body, {timeout = 150000} = {}) {
  const begin = Date.now();
  const context = {browsers: [], async browser(options) {
    const browser = await launchBrowser(options);
    context.browsers.push(browser);
    return browser;
  }};
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test ${name} took more than ${timeout} ms`)), timeout);
  });
  const cleanup = async (failed) => {
    for (const browser of context.browsers) {
      if (failed) {
        for (const [i, page] of browser.context.pages().entries()) {
          await page.screenshot({path: artifact(`${name}-failure-${i}.png`), fullPage: true, timeout: 5000})
            .catch(() => {});
        }
      }
      await browser.close();
    }
    await stopAll();
  };
  const onSignal = () => {
    stopAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  (async () => {
    try {
      await Promise.race([body(context), deadline]);
      for (const browser of context.browsers) assertNoConsoleErrors(browser);
      await cleanup(false);
      console.log(`PASS ${name} (${((Date.now() - begin) / 1000).toFixed(1)} s)`);
      process.exitCode = 0;
    } catch (error) {
      console.error(`FAIL ${name}: ${error && error.stack ? error.stack : error}`);
      for (const browser of context.browsers) {
        if (browser.errors.length) console.error("page errors:\n  " + browser.errors.join("\n  "));
      }
      for (const proc of started) console.error("process: " + proc.describe());
      await cleanup(true).catch(() => {});
      process.exitCode = 1;
    } finally {
      clearTimeout(timer);
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    }
  })();
}

const kStart = Date.now();

function step(text) {
  console.log(`  ${((Date.now() - kStart) / 1000).toFixed(1).padStart(5)} s  ${text}`);
}

module.exports = {
  args, artifactsDir, artifact, assert, assertNoConsoleErrors, chartData, freePort, httpGet,
  launchBrowser, parseArgs, Proc, requireArg, run, sleep, startDemo, startSeed, startWeb, step,
  stopAll, waitFor, within,
};
