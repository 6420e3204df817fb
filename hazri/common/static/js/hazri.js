/* Hazri pages: the running count on marking forms, no double taps on submit, marks
   that survive a dropped network, and the offline app one tap away. */
(function () {
  "use strict";

  var DRAFTS = "hazri:marks:";
  var KEEP_DAYS = 7;

  function storage() {
    try {
      var probe = DRAFTS + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode, or storage switched off: the form still works
    }
  }

  function newUuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* Drafts older than a week are of no use to anyone: forget them. */
  function forgetOldDrafts(store) {
    var limit = Date.now() - KEEP_DAYS * 24 * 3600 * 1000;
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var key = store.key(i);
      if (!key || key.indexOf(DRAFTS) !== 0) continue;
      try {
        if ((JSON.parse(store.getItem(key)) || {}).at < limit) store.removeItem(key);
      } catch (error) {
        store.removeItem(key);
      }
    }
  }

  function timeOf(ms) {
    var at = new Date(ms);
    return ("0" + at.getHours()).slice(-2) + ":" + ("0" + at.getMinutes()).slice(-2);
  }

  document.querySelectorAll("form[data-marking]").forEach(function (form) {
    var store = storage();
    var key = form.getAttribute("data-draft-key") ? DRAFTS + form.getAttribute("data-draft-key") : "";
    var notice = document.querySelector("[data-draft-notice]");
    var noticeText = notice && notice.querySelector("[data-draft-text]");
    var uuidInput = form.querySelector("input[name=client_uuid]");
    var note = form.querySelector("textarea[name=note]");
    var sent = false; // the marks now on the form went to the server at least once

    function buttons(enabled) {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = !enabled;
      });
    }

    /* A count in the page's digits: Persian ones on a Persian page (docs/languages.md). */
    function pageDigits(n) {
      var text = String(n);
      if (document.documentElement.lang !== "fa") return text;
      return text.replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹".charAt(Number(d)); });
    }

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
        if (out) out.textContent = pageDigits(counts[code]);
      });
    }

    function say(text, kind) {
      if (!notice || !noticeText) return;
      noticeText.textContent = text;
      notice.className = "alert " + (kind || "info");
      notice.hidden = false;
    }

    function marks() {
      var chosen = {};
      form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
        chosen[input.name] = input.value;
      });
      return chosen;
    }

    /* Every tap is written to the phone before anything goes to the network. */
    function keep() {
      if (!store || !key) return;
      try {
        store.setItem(key, JSON.stringify({
          at: Date.now(),
          client_uuid: uuidInput ? uuidInput.value : "",
          sent: sent,
          marks: marks(),
          note: note ? note.value : "",
        }));
      } catch (error) { /* storage full: nothing more we can do */ }
    }

    function forget() {
      if (store && key) store.removeItem(key);
    }

    function restore() {
      if (!store || !key) return;
      var draft;
      try {
        draft = JSON.parse(store.getItem(key) || "null");
      } catch (error) {
        draft = null;
      }
      if (!draft || !draft.marks) return;
      Object.keys(draft.marks).forEach(function (name) {
        var input = form.querySelector('input[type=radio][name="' + name + '"][value="' + draft.marks[name] + '"]');
        if (input) input.checked = true;
      });
      if (note && draft.note) note.value = draft.note;
      // The same marks keep the same id: if an earlier Save did reach the server, the
      // retry is stored once.
      if (uuidInput && draft.client_uuid) uuidInput.value = draft.client_uuid;
      sent = Boolean(draft.sent);
      say(form.getAttribute("data-text-restored").replace("%(time)s", timeOf(draft.at)), "info");
    }

    function changed() {
      if (sent && uuidInput) {
        // Other marks than those sent: a new roll call, with its own id.
        uuidInput.value = newUuid();
        sent = false;
      }
      tally();
      keep();
    }

    form.addEventListener("change", changed);
    if (note) note.addEventListener("input", keep);

    form.addEventListener("submit", function (event) {
      buttons(false);
      keep();
      if (!window.fetch || !store || !key) return; // the plain form post
      event.preventDefault();
      sent = true;
      keep();
      window.fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        redirect: "manual",
      }).then(function (response) {
        if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
          // Saved: the server sends us back to the school's day, with its message.
          forget();
          window.location.assign(form.getAttribute("data-done") || window.location.href);
          return;
        }
        if (response.status >= 500 || response.status === 0) throw new Error("server " + response.status);
        // Refused (a mark missing, the reason for a correction…): nothing was stored,
        // so the plain post shows the page with the refusal, the taps kept on it.
        form.submit();
      }).catch(function () {
        buttons(true);
        say(form.getAttribute("data-text-offline"), "error");
      });
    });

    var discard = notice && notice.querySelector("[data-draft-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        forget();
        window.location.reload();
      });
    }

    // Coming back with the browser's Back button: the form is usable again.
    window.addEventListener("pageshow", function () {
      buttons(true);
      tally();
    });
    window.addEventListener("online", function () {
      if (notice && !notice.hidden && notice.classList.contains("error")) {
        say(form.getAttribute("data-text-online"), "info");
      }
    });
    if (store) forgetOldDrafts(store);
    restore();
    tally();
  });

  /* The offline app, offered for installation where the browser offers it. */
  var install = document.querySelector("[data-install-app]");
  if (install) {
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      install.hidden = false;
      install.addEventListener("click", function () {
        install.hidden = true;
        event.prompt();
      }, { once: true });
    });
  }
})();
