/* Hazri pages: the running count on marking forms, and no double taps on submit. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-marking]").forEach(function (form) {
    function tally() {
      var counts = { P: 0, A: 0, L: 0, D: 0 };
      form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
        if (counts.hasOwnProperty(input.value)) counts[input.value] += 1;
        var row = input.closest("[data-mark]");
        if (row) {
          row.setAttribute("data-mark", input.value);
          row.classList.remove("missing");
        }
      });
      Object.keys(counts).forEach(function (code) {
        var out = form.querySelector('[data-count="' + code + '"]');
        if (out) out.textContent = counts[code];
      });
    }
    form.addEventListener("change", tally);
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    });
    // Coming back with the browser's Back button: the form is usable again.
    window.addEventListener("pageshow", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
      tally();
    });
    tally();
  });
})();
