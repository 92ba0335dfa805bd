// HornetCharts: the web UI's charts, drawn with BokehJS (bokeh.min.js + bokeh-api.min.js loaded
// first). Used by the live page (app.js), `hornet plot`'s page (the same app.js) and the HTML
// report (report.js). It draws; it never fetches: callers hand it /stats/history's columns.
//
//   const charts = HornetCharts.create(element, plotConfig);
//   await charts.ready;             // the Bokeh views are built
//   charts.load(historyColumns);    // replace everything with a whole /stats/history answer
//   charts.append(historyColumns);  // stream the points of a ?since= answer
//
// Two groups of figures:
// - "Over time": total RPS and failures/s, p50/p95/p99 response times (the 10 s window),
//   user count, against time (a datetime axis in the browser's local time).
// - The seed plotter (shared/reference/seed.md), figure for figure from `plotConfig`: for each
//   state in `states`, each figure of `figures` (title with "{}" replaced by the capitalised
//   state, axis labels from xlabel/ylabel), each chart a marker plus a line in the chart's colour
//   against the `requests_key` column. A figure only gets the points recorded in its state.
//   `skip_null: true` leaves out points whose value is null or 0 (the seed sets it on
//   num_failures, so a run without failures draws no failure markers along the axis).
//
// Every series has its own ColumnDataSource with columns x, y and time (epoch seconds), so tests
// and tools can read what is drawn: `charts.sources[name]`, `charts.series` (name, group, state,
// title, key, legend, color, marker, skip_null), `charts.document` (the Bokeh Document).
// Series names: "time/<key>" and "seed/<state>/<figure index>/<key>".
(function (global) {
  "use strict";

  // BokehJS 3.10's MarkerType; anything else falls back to a circle (with a console warning).
  const kMarkers = new Set([
    "asterisk", "circle", "circle_cross", "circle_dot", "circle_x", "circle_y", "cross", "dash",
    "diamond", "diamond_cross", "diamond_dot", "dot", "hex", "hex_dot", "inverted_triangle",
    "plus", "square", "square_cross", "square_dot", "square_pin", "square_x", "star", "star_dot",
    "triangle", "triangle_dot", "triangle_pin", "x", "y",
  ]);

  // Locust 2's own charts, from the same history.
  const kTimeFigures = [
    {
      title: "Total requests per second",
      ylabel: "Requests/s",
      charts: [
        {key: "current_rps", legend: "RPS", color: "#00a870"},
        {key: "current_fail_per_sec", legend: "Failures/s", color: "#d62728"},
      ],
    },
    {
      title: "Response times (ms)",
      ylabel: "Milliseconds",
      charts: [
        {key: "response_time_percentile_50", legend: "50th percentile", color: "#1f77b4"},
        {key: "response_time_percentile_95", legend: "95th percentile", color: "#ff7f0e"},
        {key: "response_time_percentile_99", legend: "99th percentile", color: "#9467bd"},
      ],
    },
    {
      title: "Number of users",
      ylabel: "Users",
      charts: [{key: "user_count", legend: "Users", color: "#555555"}],
    },
  ];

  const kHeight = 300;
  const kTools = "pan,box_zoom,wheel_zoom,reset,save";

  function capitalize(text) {
    text = String(text);
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  // Python's str.format with one argument, as the seed's titles use it: "{}" and "{0}".
  function formatTitle(template, state) {
    return String(template == null ? "" : template).replace(/\{0?\}/g, capitalize(state));
  }

  function toNumber(value) {
    if (value === null || value === undefined || value === "") return NaN;
    const number = Number(value);
    return Number.isFinite(number) ? number : NaN;
  }

  // Epoch seconds -> milliseconds for a datetime axis showing the browser's local time (Bokeh's
  // datetime axis formats in UTC, so the offset is added to the value).
  function localMillis(epochSeconds) {
    const millis = epochSeconds * 1000;
    return millis - new Date(millis).getTimezoneOffset() * 60000;
  }

  function emptyColumns() {
    return {x: [], y: [], time: []};
  }

  function div(parent, className, text) {
    const element = document.createElement("div");
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    parent.appendChild(element);
    return element;
  }

  function newFigure(attributes) {
    const figure = Bokeh.Plotting.figure(Object.assign({
      sizing_mode: "stretch_width",
      height: kHeight,
      tools: kTools,
      toolbar_location: "right",
    }, attributes));
    figure.title.text_font_size = "14px";
    return figure;
  }

  // The legend above the plot, out of the data's way (two columns when there are many entries);
  // a click on an entry hides its series.
  function styleLegend(figure) {
    const legend = figure.legend;
    const entries = legend.items.length;
    figure.center = figure.center.filter((renderer) => renderer !== legend);
    figure.add_layout(legend, "above");
    legend.orientation = "horizontal";
    if (entries > 3) legend.ncols = 2;
    legend.location = "top_left";
    legend.click_policy = "hide";
    legend.border_line_alpha = 0;
    legend.background_fill_alpha = 0;
    legend.label_text_font_size = "12px";
    legend.label_height = 14;
    legend.glyph_height = 14;
    legend.spacing = 2;
    legend.padding = 2;
    legend.margin = 2;
  }

  // Clock times on a datetime axis, without Bokeh's partial labels (":18:00", "01s").
  function timeFormatter() {
    return new Bokeh.DatetimeTickFormatter({
      milliseconds: "%H:%M:%S.%3N", seconds: "%H:%M:%S", minsec: "%H:%M:%S", minutes: "%H:%M",
      hourmin: "%H:%M", hours: "%H:%M", days: "%b %d", months: "%b %Y", years: "%Y",
    });
  }

  function addHover(figure, renderers, tooltips, formatters) {
    const hover = new Bokeh.HoverTool({renderers, tooltips, formatters: formatters || {}});
    figure.add_tools(hover);
  }

  /// Builds the charts into `element` (emptied first). `plotConfig`: the seed plotter's config
  /// (/ui/config's plot_config). Returns the charts object described at the top of this file.
  function create(element, plotConfig, options) {
    options = options || {};
    const config = plotConfig || {};
    const states = Array.isArray(config.states) ? config.states.map(String) : [];
    const figuresConfig = Array.isArray(config.figures) ? config.figures : [];
    const requestsKey = config.requests_key || "num_requests";

    element.textContent = "";
    element.classList.add("hornet-charts");
    const doc = new Bokeh.Document();
    const targets = [];  // one element per document root, in add_root order
    const series = [];
    const sources = {};
    const warned = new Set();

    function addSeries(entry) {
      entry.source = new Bokeh.ColumnDataSource({data: emptyColumns()});
      sources[entry.name] = entry.source;
      series.push(entry);
      return entry.source;
    }

    function addRoot(figure, grid) {
      const target = div(grid, "chart");
      targets.push(target);
      doc.add_root(figure);
    }

    // Over time.
    if (options.timeCharts !== false) {
      div(element, "chart-group-title", "Over time");
      const grid = div(element, "chart-grid");
      for (const spec of kTimeFigures) {
        const figure = newFigure({
          title: spec.title,
          x_axis_type: "datetime",
          x_axis_label: "Time",
          y_axis_label: spec.ylabel,
        });
        figure.xaxis.formatter = timeFormatter();
        const lines = [];
        for (const chart of spec.charts) {
          const source = addSeries({
            name: "time/" + chart.key, group: "time", state: null, title: spec.title,
            key: chart.key, legend: chart.legend, color: chart.color, marker: null,
            skip_null: false, xKey: "time",
          });
          lines.push(figure.line({field: "x"}, {field: "y"}, {
            source, color: chart.color, line_width: 2, legend_label: chart.legend,
          }));
        }
        addHover(figure, lines, [["time", "@x{%H:%M:%S}"], ["", "$name"], ["value", "@y{0,0.[00]}"]],
                 {"@x": "datetime"});
        lines.forEach((line, i) => { line.name = spec.charts[i].legend; });
        styleLegend(figure);
        addRoot(figure, grid);
      }
    }

    // The seed plotter: figure for figure, two a row.
    if (states.length && figuresConfig.length) {
      div(element, "chart-group-title", "By request count (the seed's plotter)");
      const grid = div(element, "chart-grid");
      states.forEach((state) => {
        figuresConfig.forEach((figureConfig, figureIndex) => {
          const title = formatTitle(figureConfig.title, state);
          const figure = newFigure({
            title,
            x_axis_label: figureConfig.xlabel == null ? requestsKey : String(figureConfig.xlabel),
            y_axis_label: figureConfig.ylabel == null ? "" : String(figureConfig.ylabel),
          });
          const markers = [];
          const charts = Array.isArray(figureConfig.charts) ? figureConfig.charts : [];
          for (const chart of charts) {
            const key = String(chart.key);
            const color = chart.color ? String(chart.color) : "black";
            const legend = chart.legend == null ? key : String(chart.legend);
            let marker = chart.marker ? String(chart.marker) : "circle";
            if (!kMarkers.has(marker)) {
              console.warn("HornetCharts: unknown marker '" + marker + "', drawing circles");
              marker = "circle";
            }
            const source = addSeries({
              name: "seed/" + state + "/" + figureIndex + "/" + key, group: "seed", state, title,
              key, legend, color, marker, skip_null: Boolean(chart.skip_null), xKey: requestsKey,
            });
            const scatter = figure.scatter({field: "x"}, {field: "y"}, {
              source, marker, color, size: 9, legend_label: legend,
            });
            scatter.name = legend;
            markers.push(scatter);
            figure.line({field: "x"}, {field: "y"}, {
              source, color, line_width: 1, legend_label: legend,
            });
          }
          addHover(figure, markers, [["", "$name"], ["requests", "@x{0,0}"], ["value", "@y{0,0.[00]}"]]);
          styleLegend(figure);
          addRoot(figure, grid);
        });
      });
    }

    // The rows of `columns` as per-series column arrays.
    function split(columns) {
      const times = (columns && columns.time) || [];
      const stateColumn = (columns && columns.state) || [];
      const out = new Map();
      for (const entry of series) {
        const xs = columns[entry.xKey];
        const ys = columns[entry.key];
        if (times.length && (!xs || !ys)) {
          const missing = !xs ? entry.xKey : entry.key;
          if (!warned.has(missing)) {
            warned.add(missing);
            console.warn("HornetCharts: the history has no column '" + missing + "'");
          }
          continue;
        }
        const data = emptyColumns();
        for (let i = 0; i < times.length; ++i) {
          if (entry.state !== null && stateColumn[i] !== entry.state) continue;
          const y = toNumber(ys[i]);
          if (entry.skip_null && (Number.isNaN(y) || y === 0)) continue;
          const t = toNumber(times[i]);
          data.x.push(entry.group === "time" ? localMillis(t) : toNumber(xs[i]));
          data.y.push(y);
          data.time.push(t);
        }
        out.set(entry, data);
      }
      return out;
    }

    let points = 0;
    let lastRow = null;

    function rememberLast(columns) {
      const times = (columns && columns.time) || [];
      if (!times.length) return;
      const row = {};
      for (const key of Object.keys(columns)) {
        if (Array.isArray(columns[key])) row[key] = columns[key][times.length - 1];
      }
      lastRow = row;
    }

    const charts = {
      element,
      document: doc,
      sources,
      series,
      /// Resolves when the Bokeh views are built.
      ready: null,
      /// Replaces all data with a whole /stats/history answer.
      load(columns) {
        const split_ = split(columns || {});
        for (const entry of series) {
          entry.source.data = split_.get(entry) || emptyColumns();
        }
        points = ((columns && columns.time) || []).length;
        lastRow = null;
        rememberLast(columns);
      },
      /// Appends the points of a /stats/history?since= answer (ColumnDataSource.stream).
      append(columns) {
        const count = ((columns && columns.time) || []).length;
        if (!count) return;
        for (const [entry, data] of split(columns)) {
          if (data.x.length) entry.source.stream(data);
        }
        points += count;
        rememberLast(columns);
      },
      clear() {
        charts.load({});
      },
      /// Points loaded or appended since the last load() (all states).
      size() { return points; },
      /// The last history row ({time, state, user_count, ...}), or null.
      last() { return lastRow; },
      /// Number of points of each series, by name.
      lengths() {
        const out = {};
        for (const entry of series) out[entry.name] = entry.source.get_length() || 0;
        return out;
      },
    };
    charts.ready = Bokeh.embed.add_document_standalone(doc, element, targets).then(() => charts);
    return charts;
  }

  global.HornetCharts = {create, formatTitle, timeFigures: kTimeFigures};
})(window);
