/* Hazri offline app: a family's diary week, as of the last sync (journal.js keeps
   GET /api/v1/diary in kv "diary"). Read-only: a parent or a student reads it here
   without a connection; signing the week and the rest are on the web pages. */
(function (global) {
  "use strict";

  var I = global.HazriI18n;
  var UI = global.HazriUI;
  var h = UI.h;
  var t = I.t;

  function hhmm(value) { return value ? I.clock(value) : ""; }

  function lessonLine(lesson) {
    var homework = (lesson.homework_set || []).map(function (hw) {
      return h("p", { class: "muted", "data-homework": hw.id }, t("Homework: %(text)s (due %(due)s)",
        { text: hw.text, due: I.day(hw.due_on) }));
    });
    return h("li", { class: "diary-lesson", "data-period": lesson.period, "data-cancelled": lesson.cancelled ? "1" : null },
      h("p", null, h("strong", null, lesson.period + ". " + lesson.subject_name), " ",
        h("span", { class: "muted" }, [hhmm(lesson.starts_at), hhmm(lesson.ends_at)].filter(Boolean).join("–")),
        lesson.cancelled ? [" ", h("span", { class: "badge late" }, t("Cancelled"))] : null),
      lesson.topic ? h("p", null, t("Topic: %(topic)s", { topic: lesson.topic })) : null, homework);
  }

  function dayBlock(day) {
    var absences = day.absences || [];
    return h("section", { class: "card diary-day", "data-day": day.day },
      h("h3", null, I.day(day.day)),
      absences.length ? h("p", { class: "alert", "data-absent": day.day }, absences.map(function (a) {
        return (a.excused ? t("Absent, excused") : t("Absent")) + (a.reason ? ": " + a.reason : "");
      }).join(" · ")) : null,
      (day.lessons || []).length ? h("ul", { class: "plain" }, day.lessons.map(lessonLine)) :
        h("p", { class: "muted" }, t("No lessons")));
  }

  function childBlock(child) {
    var grades = child.grades || [];
    var remarks = child.remarks || [];
    return h("section", { class: "diary-child", "data-student": child.student },
      h("h2", null, child.name),
      (child.days || []).map(dayBlock),
      h("h3", null, t("Grades")),
      grades.length ? h("ul", { class: "sections", "data-grades": child.student }, grades.map(function (g) {
        return h("li", { class: "card", "data-grade": g.value },
          h("p", null, h("strong", null, g.value), " · ", g.subject, " · ", g.kind, " · ", I.day(g.day)),
          g.comment ? h("p", { class: "muted" }, g.comment) : null);
      })) : h("p", { class: "muted" }, t("No grades this week")),
      remarks.length ? [h("h3", null, t("Remarks")), h("ul", { class: "sections" }, remarks.map(function (r) {
        return h("li", { class: "card", "data-remark": r.kind }, h("p", null, r.subject, " · ", I.day(r.day)), h("p", null, r.text));
      }))] : null);
  }

  /* The "today" screen of a phone with a family's diary and no school to mark. */
  function diaryScreen(app) {
    var record = app.data.diary;
    var out = [h("h1", null, t("Diary"))];
    if (!record || !record.data) return out.concat(h("p", { class: "alert" }, t("The diary is not on this phone yet: sync once while online.")));
    var week = record.data;
    out.push(global.HazriJournalUI.asOf(record),
      h("p", { class: "day-label", "data-week": week.week }, t("Week of %(day)s", { day: I.day(week.week) })));
    if (!week.children.length) return out.concat(h("p", { class: "muted" }, t("Nothing here.")));
    return out.concat(week.children.map(childBlock));
  }

  /* A family's phone: no school, and a diary with children. */
  function isFamily(app) {
    var record = app.data.diary;
    return !app.data.schools.length && !!(record && record.data && record.data.children.length);
  }

  global.HazriDiaryUI = { diaryScreen: diaryScreen, isFamily: isFamily };
})(self);
