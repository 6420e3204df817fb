/* Hazri offline app: the reference photos' screens (refs.js keeps and sends them): a
   section's students, each with a button to take a reference photo, the photos'
   cards in the queue, and the link from the section's card on the "today" screen. */
(function (global) {
  "use strict";

  var I = global.HazriI18n;
  var UI = global.HazriUI;
  var Roll = global.HazriRoll;
  var Refs = global.HazriRefs;
  var h = UI.h;
  var t = I.t;

  function byId(list, id) {
    return list.filter(function (x) { return x.id === id; })[0] || null;
  }

  function newestFirst(a, b) { return a.created_at < b.created_at ? 1 : -1; }

  function nameOf(app, item) {
    var student = app.data.studentsById[item.student];
    return student ? I.name(student) : item.name;
  }

  /* [state, badge text, badge class] of one photo. */
  function stateOf(app, item) {
    if (item.status === "rejected") return ["rejected", t("Not accepted"), "late"];
    if (item.status === "added") return ["added", t("Added"), "ok"];
    return app.syncing ? ["sending", t("Sending…"), "queued"] : ["queued", t("Waiting to sync"), "queued"];
  }

  function reasons(item) {
    return h("div", { class: "alert error" }, h("p", null, t("The server did not accept this photo:")),
      h("ul", { class: "errors" }, (item.errors || []).map(function (e) {
        return h("li", { "data-code": e.code, "data-field": e.field }, e.message);
      })));
  }

  function discardButton(app, item) {
    var button = h("button", { type: "button", class: "btn", "data-action": "discard-reference" }, t("Discard"));
    button.addEventListener("click", function () {
      if (button.getAttribute("data-armed")) { discard(app, item); return; }
      button.setAttribute("data-armed", "1");
      button.textContent = t("Tap again to discard it for good");
    });
    return button;
  }

  function refCard(app, item) {
    var section = byId(app.data.sections, item.section);
    var school = section ? byId(app.data.schools, section.school) : null;
    var state = stateOf(app, item);
    return h("li", { class: "card queue-item ref-photo", "data-ref": item.client_uuid, "data-status": item.status,
      "data-student": item.student },
    h("div", { class: "section-head" },
      h("h3", null, t("Reference photo: %(name)s", { name: nameOf(app, item) })),
      h("span", { class: "badge " + state[2], "data-badge": state[0] }, state[1])),
    h("p", { class: "muted" }, UI.sectionLabel(section), " · ",
      t("Taken at %(time)s on this phone", { time: I.dateTime(item.created_at, school ? school.timezone : undefined) }),
      item.blob ? " · " + t("%(size)s KB", { size: Math.round(item.size / 1024) }) : ""),
    state[0] === "rejected" ? [reasons(item), h("div", { class: "meeting-actions" }, discardButton(app, item))] : null);
  }

  /* The queue's group of reference photos (none: nothing shown). */
  function queueGroup(app) {
    var items = (app.data.refPhotos || []).slice().sort(newestFirst);
    if (!items.length) return null;
    return h("section", { class: "queue-group", "data-group": "references", "aria-label": t("Reference photos") },
      h("h2", null, t("Reference photos"), " ", h("span", { class: "muted" }, "(" + items.length + ")")),
      h("ul", { class: "sections" }, items.map(function (item) { return refCard(app, item); })));
  }

  /* On a section's card on the "today" screen: the way to its students' photos. */
  function sectionLink(app, section) {
    var waiting = (app.data.refPhotos || []).filter(function (i) {
      return i.section === section.id && i.status !== "added";
    }).length;
    return h("div", { class: "meeting-actions ref-link" },
      h("a", { class: "btn small", "data-action": "references", href: "#/references/" + section.id },
        t("Reference photos"), waiting ? h("span", { class: "tab-count" }, I.num(waiting)) : null));
  }

  function refusalText(error) {
    if (error.code === "empty") return t("The photo is empty: take it again.");
    if (error.code === "too_large") return t("The photo is too large even when made smaller.");
    if (error.code === "not_a_photo") return t("This file is not a photo this phone can read.");
    return t("This phone cannot make the photo smaller: use the web page to upload it.");
  }

  function take(app, section, student, file) {
    app.refNote = null;
    return Refs.save({ student: student.id, section: section.id, name: student.name }, file).then(app.load).then(function () {
      app.flash = { kind: "success", text: t("Saved on this phone: a reference photo of %(name)s. It is sent by itself when there is a connection.",
        { name: I.name(student) }) };
      app.render();
      app.requestSync("save");
    }, function (error) {
      app.refNote = { student: student.id, text: refusalText(error) };
      app.render();
    });
  }

  function discard(app, item) {
    Refs.discard(item.client_uuid).then(app.refresh);
  }

  function studentRow(app, section, student, items) {
    var mine = items.filter(function (i) { return i.student === student.id; }).sort(newestFirst);
    var count = function (status) { return mine.filter(function (i) { return i.status === status; }).length; };
    var id = "ref-file-" + student.id;
    var input = h("input", { id: id, type: "file", accept: "image/*", capture: "user", class: "sr-only",
      "data-ref-input": student.id });
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (file) take(app, section, student, file);
    });
    var note = app.refNote && app.refNote.student === student.id ? app.refNote.text : null;
    var facts = [];
    if (count("queued")) facts.push(I.n("%(count)s photo waiting to sync", "%(count)s photos waiting to sync", count("queued")));
    if (count("added")) facts.push(I.n("%(count)s photo added", "%(count)s photos added", count("added")));
    return h("li", { class: "member ref-member", "data-student": student.id },
      h("div", { class: "who" },
        h("span", { class: "num" }, student.number),
        h("span", { class: "name" }, I.name(student)),
        facts.length ? h("span", { class: "detail", "data-ref-counts": count("queued") + "/" + count("added") },
          facts.join(" · ")) : null),
      h("label", { for: id, class: "btn small ref-take" }, t("Take a reference photo")), input,
      note ? h("p", { class: "alert", role: "alert" }, note) : null,
      mine.filter(function (i) { return i.status === "rejected"; }).map(function (item) {
        return h("div", { "data-ref": item.client_uuid, "data-status": "rejected" }, reasons(item),
          h("div", { class: "meeting-actions" }, discardButton(app, item)));
      }));
  }

  function referencesScreen(app, route) {
    var section = byId(app.data.sections, Number(route.params[0]));
    var back = h("a", { class: "back", href: "#/" }, I.back(t("Back to today")));
    if (!section) return [back, h("h1", null, t("Not found"))];
    var school = byId(app.data.schools, section.school);
    var day = school ? UI.schoolToday(app, school) : new Date().toISOString().slice(0, 10);
    var students = Roll.rollOfDay(section.id, day, app.data).map(function (s, index) {
      return { id: s.id, name: s.name, name_local: s.name_local,
        number: s.roll_no !== null && s.roll_no !== undefined ? s.roll_no : index + 1 };
    });
    var items = (app.data.refPhotos || []).filter(function (i) { return i.section === section.id; });
    var out = [back, h("h1", null, t("Reference photos: %(what)s", { what: UI.sectionLabel(section) })),
      h("p", { class: "muted" }, t("Photograph one student at a time, face to the camera, in good light, close enough that the face fills a third of the photo. The server accepts them only for students whose guardian's consent is recorded. Each photo is kept on this phone and sent when there is a connection.")),
      h("p", { class: "muted" }, I.n("A student has at most %(count)s reference photo.",
        "A student has at most %(count)s reference photos.", 5))];
    if (!students.length) {
      out.push(h("p", { class: "alert" }, t("There is nobody on the list for this day.")));
      return out;
    }
    out.push(h("ol", { class: "roll ref-roll", "data-references": section.id },
      students.map(function (student) { return studentRow(app, section, student, items); })));
    return out;
  }

  global.HazriRefUI = {
    referencesScreen: referencesScreen,
    queueGroup: queueGroup,
    sectionLink: sectionLink,
    refCard: refCard,
  };
})(self);
