/* The diary: draw each child's progress chart (Chart.js); the figures are on the page
   without JavaScript too. */
(function () {
  "use strict";
  var COLOURS = ["#1b5e20", "#1565c0", "#e65100", "#6a1b9a", "#00838f", "#ad1457"];
  function draw() {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source || window.Chart.getChart(canvas)) return;
      var spec = JSON.parse(source.textContent);
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (series, index) {
            var colour = COLOURS[index % COLOURS.length];
            return { label: series.label, data: series.data, borderColor: colour,
                     backgroundColor: colour + "33", spanGaps: true, tension: 0 };
          })
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false,
                   scales: { y: { min: 0, max: 100 } },
                   plugins: { legend: { position: "bottom" } } }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
