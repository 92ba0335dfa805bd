// Hornet's web UI: Locust's page (start/edit/stop/reset, statistics, failures, exceptions, tasks,
// downloads, workers) plus live BokehJS charts (charts.js), for a load test ("live" mode) and for
// `hornet plot` ("plot" mode: the charts and the polled target's status, no controls).
//
// Everything is fetched with relative URLs ("stats/requests", not "/stats/requests"), so the page
// also works behind a reverse proxy under a path prefix. Text from the server (request names,
// error messages, tracebacks) is user data: it only ever reaches the DOM as textContent.
//
// For tests and tools: window.hornetCharts is the charts object (sources by name, see charts.js);
// window.hornetApp has the config, the last /stats/requests answer and `historyLoaded`, a promise
// resolved once the whole history has been drawn after the page loaded.
(function () {
  "use strict";

  const kStatsInterval = 2000;       // Locust's UI: 2 s
  const kHistoryInterval = 1000;     // the history has one point a second
  const kExceptionsInterval = 5000;  // Locust's UI: 5 s
  const kTasksInterval = 5000;
  const kPlotStatusInterval = 1000;

  const app = {
    config: null,
    mode: "live",
    stats: null,
    charts: null,
    historyLoaded: null,
  };
  window.hornetApp = app;

  // ---- small helpers ------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);

  class HttpError extends Error {
    constructor(status, text) {
      super("HTTP " + status + (text ? ": " + text : ""));
      this.status = status;
    }
  }

  async function getJson(path) {
    const response = await fetch(path, {cache: "no-store", headers: {Accept: "application/json"}});
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, text.slice(0, 200));
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error("not JSON: " + text.slice(0, 100));
    }
  }

  async function get(path) {
    const response = await fetch(path, {cache: "no-store"});
    if (!response.ok) throw new HttpError(response.status, (await response.text()).slice(0, 200));
    return response;
  }

  // Runs `task` now and then `interval` ms after each run ends (never two at once). Returns a
  // function that runs it again at once (the next run is rescheduled from there).
  function every(interval, task) {
    let timer = null;
    let running = false;
    let again = false;
    async function run() {
      if (running) {
        again = true;
        return;
      }
      clearTimeout(timer);
      running = true;
      try {
        await task();
      } catch (error) {
        console.warn(error);
      } finally {
        running = false;
        timer = setTimeout(run, again ? 0 : interval);
        again = false;
      }
    }
    run();
    return run;
  }

  // Locust's JSON escapes some fields for HTML (error names and messages, exception messages and
  // tracebacks). Undo exactly that, then display the text as text.
  function unescapeHtml(text) {
    return String(text == null ? "" : text)
      .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"")
      .replace(/&#x27;/g, "'").replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  }

  function el(tag, attributes, children) {
    const element = document.createElement(tag);
    if (attributes) {
      for (const [name, value] of Object.entries(attributes)) {
        if (value === undefined || value === null || value === false) continue;
        if (name === "text") element.textContent = String(value);
        else if (name === "className") element.className = value;
        else element.setAttribute(name, value === true ? "" : String(value));
      }
    }
    for (const child of children || []) {
      if (child !== null && child !== undefined) element.appendChild(child);
    }
    return element;
  }

  function td(text, className) {
    return el("td", {text: text, className: className});
  }

  function replaceRows(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  function isNumber(value) {
    return typeof value === "number" && Number.isFinite(value);
  }

  function fmtInt(value) {
    return isNumber(value) ? String(Math.round(value)) : "";
  }

  // Response times: Hornet's are exact to the microsecond, where Locust rounds to whole ms; show
  // enough digits to be useful on fast targets without cluttering slow ones.
  function fmtMs(value) {
    if (!isNumber(value)) return "";
    if (Number.isInteger(value)) return String(value);  // min and max come rounded, as Locust's
    const abs = Math.abs(value);
    if (abs >= 100) return String(Math.round(value));
    if (abs >= 10) return value.toFixed(1);
    return value.toFixed(2);
  }

  function fmtRate(value) {
    return isNumber(value) ? value.toFixed(1) : "";
  }

  function fmtPercent(ratio) {
    if (!isNumber(ratio) || ratio <= 0) return "0%";
    const percent = ratio * 100;
    return (percent < 10 ? percent.toFixed(1).replace(/\.0$/, "") : String(Math.round(percent))) + "%";
  }

  function fmtBytes(value) {
    if (!isNumber(value)) return "";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (value >= 1024 && i < units.length - 1) {
      value /= 1024;
      ++i;
    }
    return (i ? value.toFixed(1) : String(Math.round(value))) + " " + units[i];
  }

  function fmtClock(epochSeconds) {
    if (!isNumber(epochSeconds)) return "never";
    return new Date(epochSeconds * 1000).toLocaleTimeString();
  }

  function show(element, visible) {
    if (element) element.hidden = !visible;
  }

  // ---- connection banner --------------------------------------------------------------------

  const failing = new Map();  // what failed -> message

  function reportFailure(what, error) {
    failing.set(what, error && error.message ? error.message : String(error));
    renderConnection();
  }

  function reportSuccess(what) {
    if (failing.delete(what)) renderConnection();
  }

  function renderConnection() {
    const banner = $("connection-banner");
    if (!failing.size) {
      show(banner, false);
      return;
    }
    const [what, message] = failing.entries().next().value;
    const unauthorized = message.startsWith("HTTP 401");
    banner.textContent = unauthorized
      ? "Not authorised: reload the page and give the --web-auth credentials."
      : "Lost contact with Hornet (" + what + ": " + message + "); retrying…";
    show(banner, true);
  }

  // ---- tabs ---------------------------------------------------------------------------------

  function visibleTabs() {
    return [...document.querySelectorAll(".tabs a[data-tab]")].filter(
      (tab) => !tab.hidden && getComputedStyle(tab).display !== "none");
  }

  function selectTab(name) {
    const tabs = visibleTabs();
    if (!tabs.some((tab) => tab.dataset.tab === name)) name = tabs.length ? tabs[0].dataset.tab : "charts";
    for (const tab of document.querySelectorAll(".tabs a[data-tab]")) {
      const selected = tab.dataset.tab === name;
      tab.classList.toggle("selected", selected);
      tab.setAttribute("aria-selected", selected ? "true" : "false");
    }
    for (const panel of document.querySelectorAll(".tab-panel")) {
      panel.hidden = panel.id !== "tab-" + name;
    }
    app.tab = name;
    if (name === "tasks" && app.refreshTasks) app.refreshTasks();
    if (name === "exceptions" && app.refreshExceptions) app.refreshExceptions();
  }

  function initTabs() {
    for (const tab of document.querySelectorAll(".tabs a[data-tab]")) {
      tab.addEventListener("click", (event) => {
        event.preventDefault();
        history.replaceState(null, "", "#" + tab.dataset.tab);
        selectTab(tab.dataset.tab);
      });
    }
    window.addEventListener("hashchange", () => selectTab(location.hash.slice(1)));
    selectTab(location.hash.slice(1) || (app.mode === "plot" ? "charts" : "statistics"));
  }

  // ---- header -------------------------------------------------------------------------------

  function setHeader(state, users, rps, failRatio) {
    const stateEl = $("header-state");
    stateEl.textContent = state ? String(state).toUpperCase() : "–";
    stateEl.dataset.state = state || "";
    $("header-users").textContent = isNumber(users) ? String(users) : "0";
    $("header-rps").textContent = isNumber(rps) ? rps.toFixed(1) : "0";
    $("header-failures").textContent = fmtPercent(failRatio);
  }

  // ---- live mode: controls ------------------------------------------------------------------

  const ui = {startOpen: false, editOpen: false, lastSpawnRate: null};

  function renderControls(state) {
    const active = state === "spawning" || state === "running";
    const fresh = state === "ready" || state === "missing" || !state;
    const stopped = state === "stopped";
    if (!active) ui.editOpen = false;
    if (active) ui.startOpen = false;
    show($("start-panel"), fresh || (stopped && ui.startOpen));
    show($("start-cancel"), stopped);
    show($("new-test-button"), stopped && !ui.startOpen);
    // A load shape drives the users: no editing (Locust disables its edit form then).
    show($("edit-button"), active && !ui.editOpen && !app.config.is_shape);
    show($("edit-panel"), active && ui.editOpen);
    show($("stop-button"), active);
    document.body.dataset.state = state || "";
  }

  function showFormError(element, message) {
    element.textContent = message;
    show(element, Boolean(message));
  }

  // POSTs a form to ./swarm; resolves to the reply on success, shows the server's message and
  // resolves to null on failure.
  async function postSwarm(form, errorElement, fields) {
    showFormError(errorElement, "");
    const body = new URLSearchParams();
    for (const name of fields) {
      const input = form.elements.namedItem(name);
      if (!input) continue;
      if (input.type === "checkbox") body.append(name, input.checked ? "true" : "false");
      else if (input.dataset.verbatim !== undefined) body.append(name, input.value);
      else body.append(name, input.value.trim());
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      let response;
      try {
        response = await fetch("swarm", {method: "POST", body, cache: "no-store"});
      } catch (error) {
        showFormError(errorElement, "Could not reach Hornet: " + error.message);
        return null;
      }
      const text = await response.text();
      let reply = null;
      try {
        reply = JSON.parse(text);
      } catch (error) {
        reply = null;
      }
      if (!response.ok || !reply || reply.success === false) {
        const message = reply && reply.message ? String(reply.message)
          : "HTTP " + response.status + (text ? ": " + text.slice(0, 200) : "");
        showFormError(errorElement, message);
        return null;
      }
      return reply;
    } finally {
      button.disabled = false;
    }
  }

  // The scenario's custom options (/ui/config's extra_options) as start-form fields, inserted
  // before the buttons; returns their names. Choices are a select, secrets a password field,
  // flags a checkbox; text values are sent as typed (spaces kept).
  function addExtraOptions(form, options) {
    const names = [];
    const buttons = form.querySelector(".form-buttons");
    if (options.length) {
      form.insertBefore(el("p", {className: "extra-title", text: "Custom parameters"}), buttons);
    }
    for (const option of options) {
      const id = "start-extra-" + option.dest;
      const value = option.value === null || option.value === undefined ? "" : String(option.value);
      let input;
      if (option.type === "bool") {
        input = el("input", {type: "checkbox", name: option.dest, id});
        input.checked = value === "true";
      } else if (option.choices && option.choices.length) {
        input = el("select", {name: option.dest, id},
                   option.choices.map((choice) => el("option", {value: choice, text: choice})));
        input.value = value;
      } else {
        input = el("input", {
          type: option.is_secret ? "password" : "text", name: option.dest, id,
          inputmode: option.type === "int" ? "numeric" : option.type === "float" ? "decimal"
            : undefined,
          autocomplete: option.is_secret ? "off" : undefined,
        });
        input.value = value;
        if (option.type === "str") input.dataset.verbatim = "";
      }
      const label = el("label", {className: "extra-option", title: option.help || undefined},
                       [document.createTextNode(option.label || option.dest), input]);
      if (option.type === "bool") label.classList.add("checkbox");
      form.insertBefore(label, buttons);
      names.push(option.dest);
    }
    return names;
  }

  function initControls(refreshStats, refreshHistory) {
    const config = app.config;
    const startForm = $("start-form");
    $("start-user-count").value = config.user_count ?? 1;
    $("start-spawn-rate").value = config.spawn_rate ?? 1;
    $("start-host").value = config.host || "";
    $("start-run-time").value = config.run_time || "";
    $("header-host").textContent = config.host || "–";
    // With a load shape (Locust's is_shape) the form has no user count or spawn rate.
    for (const label of startForm.querySelectorAll("label.counts")) show(label, !config.is_shape);
    show($("start-shape-note"), Boolean(config.is_shape));
    const startFields = (config.is_shape ? ["host", "run_time"]
      : ["user_count", "spawn_rate", "host", "run_time"])
      .concat(addExtraOptions(startForm, config.extra_options || []));

    startForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const reply = await postSwarm(startForm, $("start-error"), startFields);
      if (!reply) return;
      ui.startOpen = false;
      ui.lastSpawnRate = $("start-spawn-rate").value.trim();
      if (reply.host !== undefined) $("header-host").textContent = reply.host || "–";
      renderControls("spawning");
      refreshHistory(true);
      refreshStats();
    });

    const editForm = $("edit-form");
    editForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const reply = await postSwarm(editForm, $("edit-error"), ["user_count", "spawn_rate"]);
      if (!reply) return;
      ui.editOpen = false;
      ui.lastSpawnRate = $("edit-spawn-rate").value.trim();
      renderControls(app.stats ? app.stats.state : "running");
      refreshStats();
    });

    $("new-test-button").addEventListener("click", () => {
      ui.startOpen = true;
      showFormError($("start-error"), "");
      renderControls(app.stats && app.stats.state);
      $("start-user-count").focus();
    });
    $("start-cancel").addEventListener("click", () => {
      ui.startOpen = false;
      renderControls(app.stats && app.stats.state);
    });
    $("edit-button").addEventListener("click", () => {
      ui.editOpen = true;
      showFormError($("edit-error"), "");
      $("edit-user-count").value = app.stats ? app.stats.user_count : config.user_count;
      $("edit-spawn-rate").value = ui.lastSpawnRate ?? config.spawn_rate ?? 1;
      renderControls(app.stats && app.stats.state);
      $("edit-user-count").focus();
    });
    $("edit-cancel").addEventListener("click", () => {
      ui.editOpen = false;
      renderControls(app.stats && app.stats.state);
    });
    $("stop-button").addEventListener("click", async () => {
      try {
        await get("stop");
        reportSuccess("stop");
      } catch (error) {
        reportFailure("stop", error);
      }
      refreshStats();
    });
    $("reset-button").addEventListener("click", async () => {
      try {
        await get("stats/reset");
        reportSuccess("reset");
      } catch (error) {
        reportFailure("reset", error);
      }
      refreshHistory(true);
      refreshStats();
      if (app.refreshExceptions) app.refreshExceptions();
    });
  }

  // ---- live mode: tables --------------------------------------------------------------------

  const kStatsColumns = [
    ["method", (row) => row.method || ""],
    ["name", (row) => row.name],
    ["num_requests", (row) => fmtInt(row.num_requests), "num"],
    ["num_failures", (row) => fmtInt(row.num_failures), "num"],
    ["median_response_time", (row) => fmtMs(row.median_response_time), "num"],
    ["ninetieth_response_time", (row) => fmtMs(row.ninetieth_response_time), "num"],
    ["ninety_ninth_response_time", (row) => fmtMs(row.ninety_ninth_response_time), "num"],
    ["avg_response_time", (row) => fmtMs(row.avg_response_time), "num"],
    ["min_response_time", (row) => fmtMs(row.min_response_time), "num"],
    ["max_response_time", (row) => fmtMs(row.max_response_time), "num"],
    ["avg_content_length", (row) => fmtInt(row.avg_content_length), "num"],
    ["current_rps", (row) => fmtRate(row.current_rps), "num"],
    ["current_fail_per_sec", (row) => fmtRate(row.current_fail_per_sec), "num"],
  ];

  const sort = {key: null, descending: false};

  function initSorting(rerender) {
    for (const th of document.querySelectorAll("#stats-table th[data-sort]")) {
      th.addEventListener("click", () => {
        const key = th.dataset.sort;
        if (sort.key === key) sort.descending = !sort.descending;
        else {
          sort.key = key;
          sort.descending = key !== "name" && key !== "method";
        }
        for (const other of document.querySelectorAll("#stats-table th[data-sort]")) {
          other.removeAttribute("aria-sort");
        }
        th.setAttribute("aria-sort", sort.descending ? "descending" : "ascending");
        rerender();
      });
    }
  }

  function renderStatsTable(stats) {
    const rows = Array.isArray(stats.stats) ? stats.stats.slice() : [];
    const total = rows.length ? rows.pop() : null;  // Locust: the Aggregated row is last
    if (sort.key) {
      const key = sort.key;
      rows.sort((a, b) => {
        const x = a[key], y = b[key];
        let order;
        if (typeof x === "number" && typeof y === "number") order = x - y;
        else order = String(x ?? "").localeCompare(String(y ?? ""));
        return sort.descending ? -order : order;
      });
    }
    const tr = (row, className) => el("tr", {className},
      kStatsColumns.map(([, cell, cls]) => td(cell(row), cls)));
    const out = rows.map((row) => tr(row));
    if (total) out.push(tr(total, "total"));
    replaceRows($("stats-body"), out);
  }

  function renderFailures(stats) {
    const errors = Array.isArray(stats.errors) ? stats.errors.slice() : [];
    errors.sort((a, b) => (b.occurrences || 0) - (a.occurrences || 0));
    replaceRows($("failures-body"), errors.map((error) => el("tr", null, [
      td(fmtInt(error.occurrences), "num"),
      td(error.method || ""),
      td(unescapeHtml(error.name)),
      td(unescapeHtml(error.error), "message"),
    ])));
    show($("failures-empty"), errors.length === 0);
    $("failures-count").textContent = errors.length ? String(errors.length) : "";
  }

  function renderWorkers(stats) {
    const workers = Array.isArray(stats.workers) ? stats.workers : null;
    const distributed = Boolean(workers) || Boolean(app.config && app.config.is_distributed);
    for (const element of document.querySelectorAll(".workers-only")) show(element, distributed);
    if (!distributed) return;
    const list = workers || [];
    $("header-workers").textContent = String(list.length);
    replaceRows($("workers-body"), list.map((worker) => el("tr", {"data-state": worker.state}, [
      td(worker.id),
      td(worker.state),
      td(fmtInt(worker.user_count), "num"),
      td(isNumber(worker.cpu_usage) ? worker.cpu_usage.toFixed(1) + "%" : "", "num"),
      td(fmtBytes(worker.memory_usage), "num"),
    ])));
  }

  function renderExceptions(reply) {
    const exceptions = Array.isArray(reply.exceptions) ? reply.exceptions : [];
    replaceRows($("exceptions-body"), exceptions.map((record) => el("tr", null, [
      td(fmtInt(record.count), "num"),
      td(unescapeHtml(record.msg), "message"),
      el("td", null, [el("pre", {text: unescapeHtml(record.traceback)})]),
      td(record.nodes),
    ])));
    show($("exceptions-empty"), exceptions.length === 0);
    $("exceptions-count").textContent = exceptions.length ? String(exceptions.length) : "";
  }

  // /tasks: {"per_class": {Class: {"ratio", "tasks": {name: {"ratio", "tasks"?}}}}, "total": ...}
  function taskList(level) {
    const items = Object.entries(level || {});
    if (!items.length) return null;
    return el("ul", {className: "task-list"}, items.map(([name, value]) => el("li", null, [
      el("span", {className: "ratio", text: ((value && value.ratio) * 100 || 0).toFixed(1) + "%"}),
      el("span", {className: "task-name", text: name}),
      value && value.tasks ? taskList(value.tasks) : null,
    ])));
  }

  function renderTasks(reply) {
    $("tasks-per-class").replaceChildren(taskList(reply.per_class) || el("p", {className: "empty", text: "No user classes."}));
    $("tasks-total").replaceChildren(taskList(reply.total) || el("p", {className: "empty", text: "No user classes."}));
  }

  // ---- charts: the history, then what is new every second -----------------------------------

  // Keeps the charts equal to the server's /stats/history: a whole load first, then
  // ?since=<the last point's time, a hair earlier>, whose first point must be the last one drawn.
  // When it is not (a reset or a new test cleared the history, or the server restarted), or when
  // the page holds far more points than the server keeps (it thins long runs), load it all again.
  function followHistory(charts, onLoaded, onPoint) {
    const follower = {lastTime: null, lastRequests: null, fullSize: 0};

    function remember(columns) {
      const times = columns.time || [];
      if (!times.length) return;
      follower.lastTime = times[times.length - 1];
      follower.lastRequests = (columns.num_requests || [])[times.length - 1];
    }

    async function full() {
      const columns = await getJson("stats/history");
      charts.load(columns);
      follower.lastTime = null;
      follower.lastRequests = null;
      follower.fullSize = (columns.time || []).length;
      remember(columns);
      if (onLoaded) onLoaded();
    }

    async function poll(forceFull) {
      try {
        if (forceFull || follower.lastTime === null) {
          await full();
        } else {
          const since = follower.lastTime - 0.0005;
          const columns = await getJson("stats/history?since=" + encodeURIComponent(String(since)));
          const times = columns.time || [];
          const known = times.length > 0 && Math.abs(times[0] - follower.lastTime) < 1e-6 &&
            (columns.num_requests || [])[0] === follower.lastRequests;
          if (!known) {
            await full();
          } else if (times.length > 1) {
            const fresh = {};
            for (const [key, column] of Object.entries(columns)) {
              fresh[key] = Array.isArray(column) ? column.slice(1) : column;
            }
            charts.append(fresh);
            remember(fresh);
            if (charts.size() > Math.max(2 * follower.fullSize, 2000)) await full();
          }
        }
        reportSuccess("history");
        if (onPoint) onPoint(charts.last());
      } catch (error) {
        reportFailure("history", error);
        throw error;
      }
    }

    let forceNext = false;
    const run = every(kHistoryInterval, () => {
      const force = forceNext;
      forceNext = false;
      return poll(force);
    });
    return (force) => {
      if (force) forceNext = true;
      run();
    };
  }

  // Builds the charts and starts following the history at once: the first load is usually in
  // before the Bokeh views are built, so they start from the data.
  async function initCharts(onPoint) {
    const charts = HornetCharts.create($("charts"), app.config.plot_config);
    app.charts = charts;
    window.hornetCharts = charts;
    let resolveLoaded;
    app.historyLoaded = new Promise((resolve) => { resolveLoaded = resolve; })
      .then(() => charts.ready);
    const refresh = followHistory(charts, () => {
      if (resolveLoaded) {
        resolveLoaded();
        resolveLoaded = null;
      }
    }, onPoint);
    await charts.ready;
    return refresh;
  }

  // ---- plot mode: the polled target's status ------------------------------------------------

  function renderPlotStatus(status, error) {
    const banner = $("plot-status");
    banner.classList.remove("ok", "warning", "error");
    if (error) {
      banner.classList.add("error");
      banner.dataset.ok = "false";
      banner.textContent = "Cannot reach the plotter itself: " + error.message;
    } else if (!status || typeof status !== "object") {
      banner.classList.add("error");
      banner.dataset.ok = "false";
      banner.textContent = "The plotter's status is unreadable.";
    } else if (status.ok === true) {
      banner.classList.add("ok");
      banner.dataset.ok = "true";
      banner.textContent = "Polling " + String(status.url ?? "") + " · OK · last success " +
        fmtClock(status.last_success);
    } else {
      banner.classList.add("warning");
      banner.dataset.ok = "false";
      banner.textContent = "Target " + String(status.url ?? "") + " is not answering properly: " +
        String(status.message || "no data") + " · last success " + fmtClock(status.last_success);
    }
    if (status && status.url) $("header-target").textContent = String(status.url);
    show(banner, true);
  }

  async function refreshPlotStatus() {
    let status;
    try {
      status = await getJson("plot/status");
    } catch (error) {
      renderPlotStatus(null, error);
      return;
    }
    renderPlotStatus(status, null);
  }

  // ---- start --------------------------------------------------------------------------------

  async function loadConfig() {
    for (;;) {
      try {
        const config = await getJson("ui/config");
        reportSuccess("configuration");
        return config;
      } catch (error) {
        reportFailure("configuration", error);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  async function main() {
    app.config = await loadConfig();
    app.mode = app.config.mode === "plot" ? "plot" : "live";
    document.body.classList.add("mode-" + app.mode);
    document.body.classList.remove("loading");
    $("version").textContent = app.config.version ? "v" + String(app.config.version) : "";
    if (app.mode === "plot") document.title = "Hornet plot";
    initTabs();

    if (app.mode === "plot") {
      const refreshHistory = await initCharts((last) => {
        if (last) {
          setHeader(last.state, last.user_count, last.current_rps,
                    last.num_requests ? last.num_failures / last.num_requests : 0);
        }
      });
      app.refreshHistory = refreshHistory;
      every(kPlotStatusInterval, refreshPlotStatus);
      return;
    }

    let renderAll = () => {};
    const refreshStats = every(kStatsInterval, async () => {
      let stats;
      try {
        stats = await getJson("stats/requests");
        reportSuccess("statistics");
      } catch (error) {
        reportFailure("statistics", error);
        throw error;
      }
      app.stats = stats;
      renderAll();
    });
    renderAll = () => {
      const stats = app.stats;
      if (!stats) return;
      setHeader(stats.state, stats.user_count, stats.total_rps, stats.fail_ratio);
      renderControls(stats.state);
      renderStatsTable(stats);
      renderFailures(stats);
      renderWorkers(stats);
    };
    initSorting(renderAll);
    renderControls(null);

    app.refreshExceptions = every(kExceptionsInterval, async () => renderExceptions(await getJson("exceptions")));
    app.refreshTasks = every(kTasksInterval, async () => renderTasks(await getJson("tasks")));

    app.refreshStats = refreshStats;
    // The forms work before the charts are built: a new test reloads the history once they are.
    initControls(refreshStats, (force) => {
      if (app.refreshHistory) app.refreshHistory(force);
    });
    app.refreshHistory = await initCharts(null);
  }

  main().catch((error) => {
    console.error(error);
    reportFailure("page", error);
  });
})();
