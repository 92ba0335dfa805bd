// The HTML report's charts (ui/report.html, filled by src/web/report.cpp): the same charts as the
// live page, drawn once from window.HORNET_REPORT = {"history": <the /stats/history columns>,
// "plot_config": <the seed plotter's config>}. Everything is inlined: no network is needed.
// window.hornetCharts is the charts object, as on the live page.
(function () {
  "use strict";

  // An empty table says so, rather than showing a bare header.
  for (const tbody of document.querySelectorAll("section.block tbody")) {
    if (tbody.querySelector("tr")) continue;
    const columns = tbody.parentElement.querySelectorAll("thead th").length || 1;
    const row = document.createElement("tr");
    const cell = document.createElement("td");
    cell.colSpan = columns;
    cell.className = "none";
    cell.textContent = "None.";
    row.appendChild(cell);
    tbody.replaceChildren(row);
  }

  // The Aggregated rows in bold, as on the live page.
  for (const row of document.querySelectorAll("#requests-table tbody tr, #percentiles-table tbody tr")) {
    if (row.cells.length > 1 && row.cells[1].textContent === "Aggregated") row.classList.add("total");
  }

  const data = window.HORNET_REPORT || {};
  const element = document.getElementById("charts");
  if (!element || typeof Bokeh === "undefined" || typeof HornetCharts === "undefined") return;
  const charts = HornetCharts.create(element, data.plot_config || {});
  charts.load(data.history || {});  // before the views are built: they start from the data
  window.hornetCharts = charts;
  window.hornetReport = {rendered: charts.ready};
  window.hornetReport.rendered.catch((error) => console.error(error));
})();
