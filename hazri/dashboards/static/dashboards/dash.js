/* Dashboard pages: draw the charts (Chart.js) and sort tables by a click on a column.
   Both are enhancements: without JavaScript the numbers are in tables, and the area
   table's headers are links that sort on the server. Runs again on content that htmx
   swaps in (the period picker, the live compliance table). */
(function () {
  "use strict";

  var COLOURS = ["#1b5e20", "#1565c0", "#e65100", "#6a1b9a"];

  function drawCharts(root) {
    if (!window.Chart) return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (window.Chart.getChart(canvas)) return;
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      var bar = spec.type === "bar";
      // The reader's today (a trend's last day, mostly): partial, drawn hollow on a
      // dashed line (a lighter bar), with a note under the chart saying so.
      var partial = typeof spec.partial === "number" ? spec.partial : -1;
      new window.Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (series, index) {
            var colour = COLOURS[index % COLOURS.length];
            var isPartial = function (i) { return i === partial; };
            return {
              label: series.label,
              data: series.data,
              borderColor: colour,
              backgroundColor: bar
                ? series.data.map(function (_v, i) { return isPartial(i) ? colour + "66" : colour; })
                : colour + "33",
              borderWidth: bar ? 2 : 3,
              spanGaps: true,
              // Straight lines between days: a smoothed curve overshot (above 100 %,
              // below 0 %) between two days where no figure exists.
              tension: 0,
              cubicInterpolationMode: "default",
              pointRadius: series.data.map(function (_v, i) { return isPartial(i) ? 5 : 3; }),
              pointBackgroundColor: series.data.map(function (_v, i) {
                return isPartial(i) ? "#ffffff" : colour;
              }),
              segment: {
                borderDash: function (ctx) { return isPartial(ctx.p1DataIndex) ? [6, 4] : undefined; }
              }
            };
          })
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: bar && spec.labels.length > 6 ? "y" : "x",
          scales: bar && spec.labels.length > 6
            ? { x: { min: 0, max: 100 } }
            : { y: { min: 0, max: 100 } },
          plugins: { legend: { position: "bottom" } }
        }
      });
    });
  }

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) return "";
    var value = cell.getAttribute("data-value");
    return value === null ? cell.textContent.trim().toLowerCase() : value;
  }

  function compare(a, b) {
    // Empty (no figure) last; numbers as numbers; the rest as text.
    if (a === "" || b === "") return a === b ? 0 : a === "" ? 1 : -1;
    var x = Number(a), y = Number(b);
    if (!isNaN(x) && !isNaN(y)) return x - y;
    return a.localeCompare(b);
  }

  function sortBy(table, th) {
    var headers = Array.prototype.slice.call(th.parentNode.children);
    var index = headers.indexOf(th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var a = cellValue(r1, index), b = cellValue(r2, index);
      if (a === "" || b === "") return compare(a, b);
      return ascending ? compare(a, b) : compare(b, a);
    });
    rows.forEach(function (row) { body.appendChild(row); });
    headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(root) {
    root.querySelectorAll("table[data-sortable]").forEach(function (table) {
      if (table.hasAttribute("data-sort-ready")) return;
      table.setAttribute("data-sort-ready", "");
      table.querySelectorAll("thead th[data-sort]").forEach(function (th) {
        var control = th.querySelector("a");
        if (!control) {
          control = document.createElement("button");
          control.type = "button";
          control.className = "sort-button";
          while (th.firstChild) control.appendChild(th.firstChild);
          th.appendChild(control);
        }
        control.addEventListener("click", function (event) {
          event.preventDefault();
          sortBy(table, th);
        });
      });
    });
  }

  function init(root) {
    drawCharts(root);
    makeSortable(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) {
    init(event.target && event.target.querySelectorAll ? event.target : document);
  });
})();
