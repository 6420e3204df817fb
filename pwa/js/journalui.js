/* Hazri offline app: the journal's screens (journal.js keeps and sends): the teacher's
   lessons of the day as of the last sync, one lesson with its topic and grades, the
   journal's cards in the queue, and a family's diary week (read-only). */
(function (global) {
  "use strict";

  var I = global.HazriI18n;
  var UI = global.HazriUI;
  var Roll = global.HazriRoll;
  var Journal = global.HazriJournal;
  var h = UI.h;
  var t = I.t;

  function newestFirst(a, b) { return a.created_at < b.created_at ? 1 : -1; }

  function held(app) { return app.data.journalToday || null; }

  function lessonsOf(app) {
    var today = held(app);
    return today && Array.isArray(today.data) ? today.data : [];
  }

  function findLesson(app, section, period) {
    return lessonsOf(app).filter(function (l) { return l.section === section && l.period === period; })[0] || null;
  }

  function itemsOf(app, lesson) {
    return (app.data.journal || []).filter(function (i) {
      return i.payload.section === lesson.section && i.payload.day === lesson.day && i.payload.period === lesson.period;
    });
  }

  function hhmm(value) { return value ? I.clock(value) : ""; }

  function asOf(record) {
    return h("p", { class: "muted", "data-as-of": record.at }, t("As of %(time)s (the last sync)", { time: I.dateTime(record.at) }));
  }

  /* [state, badge text, badge class] of one item. */
  function stateOf(app, item) {
    if (item.status === "rejected") return ["rejected", t("Not accepted"), "late"];
    if (item.status === "synced") return ["synced", t("Synced"), "ok"];
    return app.syncing ? ["sending", t("Sending…"), "queued"] : ["queued", t("Waiting to sync"), "queued"];
  }

  function reasons(item) {
    return h("div", { class: "alert error" }, h("p", null, t("The server did not accept this entry:")),
      h("ul", { class: "errors" }, (item.errors || []).map(function (e) {
        return h("li", { "data-code": e.code, "data-field": e.field }, e.message);
      })));
  }

  function discardButton(app, item) {
    var button = h("button", { type: "button", class: "btn", "data-action": "discard-journal" }, t("Discard"));
    button.addEventListener("click", function () {
      if (button.getAttribute("data-armed")) { Journal.discard(item.client_uuid).then(app.refresh); return; }
      button.setAttribute("data-armed", "1");
      button.textContent = t("Tap again to discard it for good");
    });
    return button;
  }

  function itemTitle(app, item) {
    var p = item.payload, about = item.about || {};
    if (item.kind === "topic") return t("Topic: %(topic)s", { topic: p.topic });
    var student = app.data.studentsById[p.student];
    return t("Grade %(value)s: %(name)s", { value: p.value, name: student ? I.name(student) : about.name || "" });
  }

  function itemCard(app, item) {
    var state = stateOf(app, item), about = item.about || {};
    return h("li", { class: "card queue-item journal-item", "data-journal": item.client_uuid, "data-kind": item.kind,
      "data-status": item.status },
    h("div", { class: "section-head" }, h("h3", null, itemTitle(app, item)),
      h("span", { class: "badge " + state[2], "data-badge": state[0] }, state[1])),
    h("p", { class: "muted" }, [about.subject_name, about.section_label, I.day(item.payload.day)].filter(Boolean).join(" · "),
      item.kind === "grade" && item.payload.comment ? " · " + item.payload.comment : ""),
    state[0] === "rejected" ? [reasons(item), h("div", { class: "meeting-actions" }, discardButton(app, item))] : null);
  }

  /* The queue's group of journal entries (none: nothing shown). */
  function queueGroup(app) {
    var items = (app.data.journal || []).slice().sort(newestFirst);
    if (!items.length) return null;
    return h("section", { class: "queue-group", "data-group": "journal", "aria-label": t("Journal") },
      h("h2", null, t("Journal"), " ", h("span", { class: "muted" }, "(" + items.length + ")")),
      h("ul", { class: "sections" }, items.map(function (item) { return itemCard(app, item); })));
  }

  function lessonCard(app, lesson) {
    var items = itemsOf(app, lesson);
    var grades = items.filter(function (i) { return i.kind === "grade" && i.status === "queued"; }).length;
    var topic = items.filter(function (i) { return i.kind === "topic"; }).sort(newestFirst)[0];
    var shown = topic ? topic.payload.topic : lesson.topic;
    return h("li", { class: "card", "data-lesson": lesson.section + "/" + lesson.period },
      h("div", { class: "section-head" },
        h("h3", null, t("Period %(period)s", { period: lesson.period }), " · ", lesson.subject_name),
        h("span", { class: "muted" }, [hhmm(lesson.starts_at), hhmm(lesson.ends_at)].filter(Boolean).join("–"))),
      h("p", null, t("Class %(label)s", { label: lesson.section_label })),
      h("p", { class: shown ? null : "muted" }, shown ? t("Topic: %(topic)s", { topic: shown }) : t("No topic yet")),
      grades ? h("p", { class: "muted", "data-grades-waiting": grades },
        I.n("%(count)s grade waiting to sync", "%(count)s grades waiting to sync", grades)) : null,
      h("div", { class: "meeting-actions" }, h("a", { class: "btn primary", "data-action": "open-lesson",
        href: "#/lesson/" + lesson.section + "/" + lesson.period }, t("Open the lesson"))));
  }

  function journalScreen(app) {
    var record = held(app);
    var out = [h("h1", null, t("Journal"))];
    if (!record) return out.concat(h("p", { class: "alert" }, t("The journal is not on this phone yet: sync once while online.")));
    var lessons = lessonsOf(app);
    out.push(asOf(record));
    if (!lessons.length) return out.concat(h("p", { class: "muted" }, t("You have no lessons today.")));
    out.push(h("p", { class: "day-label" }, h("strong", null, I.day(lessons[0].day))),
      h("ul", { class: "sections", "data-journal-day": lessons[0].day }, lessons.map(function (l) { return lessonCard(app, l); })));
    return out;
  }

  function field(label, id, control) {
    return [h("label", { for: id }, label), control];
  }

  function select(id, options, chosen) {
    return h("select", { id: id, name: id, class: "select" }, options.map(function (o) {
      return h("option", { value: o[0], selected: String(o[0]) === String(chosen) }, o[1]);
    }));
  }

  function topicForm(app, lesson, items) {
    var waiting = items.filter(function (i) { return i.kind === "topic" && i.status === "queued"; }).sort(newestFirst)[0];
    var input = h("input", { id: "topic", name: "topic", type: "text", maxlength: 300,
      value: waiting ? waiting.payload.topic : lesson.topic || "" });
    var error = h("p", { class: "alert error", role: "alert", hidden: true });
    var form = h("form", { class: "stack", "data-topic-form": "1", novalidate: true },
      field(t("Topic"), "topic", input), error,
      h("button", { type: "submit", class: "btn primary wide" }, t("Save the topic")));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!input.value.trim()) { error.textContent = t("Write the topic."); error.hidden = false; return; }
      Journal.saveTopic(lesson, input.value).then(function () { saved(app, t("Saved on this phone: the topic. It is sent by itself when there is a connection.")); });
    });
    return form;
  }

  function gradeForm(app, lesson, roll) {
    var scale = lesson.scale;
    var kinds = lesson.kinds || [];
    if (!scale || !kinds.length) return h("p", { class: "alert" }, t("This school has no grading scheme yet: grades cannot be given."));
    var student = select("grade-student", roll.map(function (s) { return [s.id, s.number + ". " + I.name(s)]; }));
    var kind = select("grade-kind", kinds.map(function (k) { return [k.id, I.name(k)]; }));
    var value = scale.values.length ? select("grade-value", [["", "—"]].concat(scale.values.map(function (v) { return [v, v]; }))) :
      h("input", { id: "grade-value", name: "grade-value", type: "text", inputmode: "decimal", maxlength: 10 });
    var comment = h("input", { id: "grade-comment", name: "grade-comment", type: "text", maxlength: 500 });
    var error = h("p", { class: "alert error", role: "alert", hidden: true });
    var form = h("form", { class: "stack", "data-grade-form": "1", novalidate: true },
      h("h2", null, t("Give a grade")),
      field(t("Student"), "grade-student", student), field(t("Kind of work"), "grade-kind", kind),
      field(t("Grade"), "grade-value", value), field(t("Comment (optional)"), "grade-comment", comment), error,
      h("button", { type: "submit", class: "btn primary wide" }, t("Save the grade")));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!value.value.trim()) { error.textContent = t("Choose the grade."); error.hidden = false; return; }
      var who = roll.filter(function (s) { return String(s.id) === student.value; })[0];
      var kindRow = kinds.filter(function (k) { return String(k.id) === kind.value; })[0];
      Journal.saveGrade(lesson, { student: Number(student.value), kind: Number(kind.value), value: value.value,
        comment: comment.value, kindRow: kindRow }, who).then(function () {
        saved(app, t("Saved on this phone: grade %(value)s for %(name)s. It is sent by itself when there is a connection.",
          { value: value.value.trim(), name: I.name(who) }));
      });
    });
    return form;
  }

  function saved(app, text) {
    app.load().then(function () {
      app.flash = { kind: "success", text: text };
      app.render();
      global.scrollTo(0, 0);
      app.requestSync("save");
    });
  }

  function lessonScreen(app, route) {
    var back = h("a", { class: "back", href: "#/journal" }, I.back(t("Back to the journal")));
    var lesson = findLesson(app, Number(route.params[0]), Number(route.params[1]));
    if (!lesson) return [back, h("h1", null, t("Not found"))];
    var roll = Roll.rollOfDay(lesson.section, lesson.day, app.data).map(function (s, index) {
      return { id: s.id, name: s.name, name_local: s.name_local,
        number: s.roll_no !== null && s.roll_no !== undefined ? s.roll_no : index + 1 };
    });
    var items = itemsOf(app, lesson);
    var mine = items.slice().sort(newestFirst);
    return [back, h("h1", null, lesson.subject_name + " · " + t("Class %(label)s", { label: lesson.section_label })),
      h("p", { class: "day-label" }, h("strong", null, I.day(lesson.day)), " · ", t("Period %(period)s", { period: lesson.period })),
      asOf(held(app)), topicForm(app, lesson, items),
      roll.length ? gradeForm(app, lesson, roll) : h("p", { class: "alert" }, t("There is nobody on the list for this day.")),
      mine.length ? [h("h2", null, t("From this phone")),
        h("ul", { class: "sections", "data-lesson-items": "1" }, mine.map(function (i) { return itemCard(app, i); }))] : null];
  }

  global.HazriJournalUI = {
    journalScreen: journalScreen,
    lessonScreen: lessonScreen,
    queueGroup: queueGroup,
    itemCard: itemCard,
    asOf: asOf,
  };
})(self);
