/* Hazri offline app: the class photos' screens (photos.js keeps and sends them): the
   screen where the teacher takes or picks 1-6 photos of a section's meeting, each
   set's card (in the queue, on that screen) with its progress, and the line on the
   "today" screen. */
(function (global) {
  "use strict";

  var I = global.HazriI18n;
  var UI = global.HazriUI;
  var Photos = global.HazriPhotos;
  var h = UI.h;
  var t = I.t;

  function byId(list, id) {
    return list.filter(function (x) { return x.id === id; })[0] || null;
  }

  function setsOf(app, section, day, meeting) {
    return (app.data.photoSets || []).filter(function (set) {
      return set.section === section && set.day === day && set.meeting === meeting;
    }).sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; });
  }

  /* Where a set stands, as the teacher needs to know it: [state, badge text, badge class]. */
  function stateOf(app, set) {
    if (set.status === "rejected") return ["rejected", t("Not accepted"), "late"];
    if (set.status === "queued") {
      return app.syncing ? ["sending", t("Sending…"), "queued"] : ["queued", t("Waiting to sync"), "queued"];
    }
    var server = (set.server && set.server.status) || "queued";
    return {
      uploading: ["processing", t("Being processed"), "queued"],
      queued: ["processing", t("Being processed"), "queued"],
      processing: ["processing", t("Being processed"), "queued"],
      proposed: ["proposed", t("Ready to check"), "ok"],
      failed: ["failed", t("Could not be processed"), "late"],
      submitted: ["submitted", t("Roll call submitted"), "ok"],
    }[server] || ["processing", server, "queued"];
  }

  function kb(bytes) { return Math.round(bytes / 1024); }

  function reviewLink(set) {
    return h("a", { class: "btn primary", href: set.server.review_url, target: "_blank", rel: "noopener",
      "data-action": "review" }, t("Check the roll call"));
  }

  /* What a set's card says under its title: progress, the review link, the reasons. */
  function details(app, set) {
    var state = stateOf(app, set)[0];
    var count = set.photos.length;
    var out = [];
    if (state === "queued" || state === "sending") {
      var p = Photos.progress(set);
      if (p.sent) {
        out.push(h("p", { class: "muted", "data-sent": p.sent },
          t("Sent %(sent)s of %(total)s KB", { sent: kb(p.sent), total: kb(p.total) })),
        h("progress", { max: p.total, value: p.sent, "aria-label": t("Upload progress") }));
      }
    } else if (state === "processing") {
      var server = set.server || {};
      if (server.status === "processing") {
        out.push(h("p", { class: "muted", "data-processed": server.processed || 0 },
          I.n("Processing: %(done)s of %(count)s photo", "Processing: %(done)s of %(count)s photos", count,
            { done: server.processed || 0 })),
        h("progress", { max: count, value: server.processed || 0, "aria-label": t("Processing progress") }));
      } else {
        out.push(h("p", { class: "muted" }, t("The server has the photos; they wait to be processed.")));
      }
    } else if (state === "proposed") {
      out.push(h("p", null, t("The photos propose a roll call: check it and submit it.")),
        h("div", { class: "meeting-actions" }, reviewLink(set)));
    } else if (state === "failed") {
      out.push(h("p", { class: "alert error" }, t("The photos could not be processed."),
        set.server.error ? " " + set.server.error : ""));
    } else if (state === "submitted") {
      out.push(h("p", { class: "muted" }, t("The roll call from these photos is submitted.")));
    } else if (state === "rejected") {
      var discard = h("button", { type: "button", class: "btn", "data-action": "discard-photos" }, t("Discard"));
      discard.addEventListener("click", function () {
        if (discard.getAttribute("data-armed")) { app.discardPhotos(set); return; }
        discard.setAttribute("data-armed", "1");
        discard.textContent = t("Tap again to discard it for good");
      });
      out.push(h("div", { class: "alert error" }, h("p", null, t("The server did not accept these photos:")),
        h("ul", { class: "errors" }, (set.errors || []).map(function (e) {
          return h("li", { "data-code": e.code, "data-field": e.field },
            e.code === "photo_missing" ? t("The photo is no longer on this phone.") : e.message);
        }))),
      h("div", { class: "meeting-actions" }, discard));
    }
    return out;
  }

  function setCard(app, set) {
    var section = byId(app.data.sections, set.section);
    var school = section ? byId(app.data.schools, section.school) : null;
    var tz = school ? school.timezone : undefined;
    var state = stateOf(app, set);
    return h("li", { class: "card queue-item photo-set", "data-photo-set": set.client_uuid, "data-status": set.status,
      "data-state": state[0] },
    h("div", { class: "section-head" },
      h("h3", null, t("Class photos") + " · " + UI.sectionLabel(section) + " · " + UI.meetingName(school, set.meeting)),
      h("span", { class: "badge " + state[2], "data-badge": state[0] }, state[1])),
    h("p", { class: "muted" }, I.day(set.day), " · ",
      t("Taken at %(time)s on this phone", { time: I.time(set.photos[0].captured_at, tz) }), " · ",
      I.n("%(count)s photo", "%(count)s photos", set.photos.length)),
    details(app, set));
  }

  /* The queue's group of class photos (none: nothing shown). */
  function queueGroup(app) {
    var sets = (app.data.photoSets || []).slice().sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; });
    if (!sets.length) return null;
    return h("section", { class: "queue-group", "data-group": "photos", "aria-label": t("Class photos") },
      h("h2", null, t("Class photos"), " ", h("span", { class: "muted" }, "(" + sets.length + ")")),
      h("ul", { class: "sections" }, sets.map(function (set) { return setCard(app, set); })));
  }

  /* On the "today" screen, under a meeting: the latest set's state, the review link
     once ready, and the button to take photos. */
  function meetingLine(app, section, day, meeting, open) {
    var latest = setsOf(app, section.id, day, meeting)[0];
    var state = latest ? stateOf(app, latest) : null;
    var line = latest ? h("p", { class: "photo-line", "data-photos": state[0] },
      t("Class photos") + ": ", h("span", { class: "badge " + state[2] }, state[1])) : null;
    var actions = [];
    if (latest && state[0] === "proposed") actions.push(reviewLink(latest));
    if (open) {
      actions.push(h("a", { class: "btn photo-button", "data-action": "photos",
        href: "#/photos/" + section.id + "/" + day + "/" + meeting }, t("Class photos")));
    }
    return [line, actions];
  }

  /* The photos chosen and not saved yet, for one meeting: kept across renders. */
  function draftFor(app, key) {
    if (!app.photoDraft || app.photoDraft.key !== key) {
      clearDraft(app);
      app.photoDraft = { key: key, files: [], urls: [], note: null };
    }
    return app.photoDraft;
  }

  function clearDraft(app) {
    if (app.photoDraft) app.photoDraft.urls.forEach(function (url) { global.URL.revokeObjectURL(url); });
    app.photoDraft = null;
  }

  function refusalText(error) {
    if (error.code === "count") return t("Choose 1 to 6 photos.");
    if (error.code === "too_large") return t("%(name)s is too large: a photo is at most 12 MB.", { name: error.name_ });
    if (error.code === "empty") return t("%(name)s is empty.", { name: error.name_ });
    if (error.code === "not_a_photo") return t("%(name)s is not a JPEG, PNG or WebP photo.", { name: error.name_ });
    return String(error.message || error);
  }

  function photoScreen(app, route) {
    var p = route.params;
    var section = byId(app.data.sections, Number(p[0]));
    var day = p[1];
    var meeting = Number(p[2]) || 1;
    var back = h("a", { class: "back", href: "#/" }, I.back(t("Back to today")));
    if (!section || !day) return [back, h("h1", null, t("Not found"))];
    var school = byId(app.data.schools, section.school);
    var draft = draftFor(app, section.id + "/" + day + "/" + meeting);
    var out = [back, h("h1", null, t("Class photos: %(what)s", { what: UI.sectionLabel(section) })),
      h("p", { class: "day-label" }, h("strong", null, I.day(day)), " · ", UI.meetingName(school, meeting)),
      h("p", { class: "muted" }, t("Take 1 to 6 photos of the whole class from different corners of the room, so that every face is seen. They are kept on this phone and sent when there is a connection; then you check the roll call they propose."))];
    var sets = setsOf(app, section.id, day, meeting);
    if (sets.length) {
      out.push(h("h2", null, t("Photos of this meeting")),
        h("ul", { class: "sections" }, sets.map(function (set) { return setCard(app, set); })));
    }
    var input = h("input", { id: "photo-files", type: "file", accept: "image/*", capture: "environment",
      multiple: true, class: "sr-only" });
    input.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(input.files || []);
      var room = Photos.config.maxPhotos - draft.files.length;
      draft.note = chosen.length > room ? t("At most 6 photos: the others were left out.") : null;
      chosen.slice(0, Math.max(room, 0)).forEach(function (file) {
        draft.files.push(file);
        draft.urls.push(global.URL.createObjectURL(file));
      });
      app.render();
    });
    var count = draft.files.length;
    var previews = h("ul", { class: "photo-previews" }, draft.files.map(function (file, index) {
      return h("li", { "data-preview": index },
        h("img", { src: draft.urls[index], alt: t("Photo %(number)s", { number: index + 1 }) }),
        h("button", { type: "button", class: "btn small", "data-action": "remove-photo", onclick: function () {
          global.URL.revokeObjectURL(draft.urls[index]);
          draft.files.splice(index, 1);
          draft.urls.splice(index, 1);
          draft.note = null;
          app.render();
        } }, t("Remove")));
    }));
    var save = h("button", { type: "submit", class: "btn primary wide", disabled: !count }, t("Save photos"));
    var form = h("form", { class: "stack photo-form", "data-photo-form": section.id, novalidate: true },
      h("label", { for: "photo-files", class: "btn photo-pick" + (count ? "" : " primary") },
        count ? t("Take or choose more photos") : t("Take or choose photos")), input,
      h("p", { class: "muted", "data-chosen": count, "aria-live": "polite" },
        I.n("%(count)s photo chosen", "%(count)s photos chosen", count)),
      draft.note ? h("p", { class: "alert", role: "alert" }, draft.note) : null,
      previews,
      h("div", { class: "submit-bar" }, save));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!draft.files.length) return;
      save.disabled = true;
      var files = draft.files.slice();
      app.savePhotos({ section: section.id, day: day, meeting: meeting }, files).then(function () {
        clearDraft(app);
      }, function (error) {
        draft.note = refusalText(error);
        app.render();
      });
    });
    out.push(form);
    return out;
  }

  global.HazriPhotoUI = {
    photoScreen: photoScreen,
    queueGroup: queueGroup,
    meetingLine: meetingLine,
    setCard: setCard,
    stateOf: stateOf,
    clearDraft: clearDraft,
  };
})(self);
