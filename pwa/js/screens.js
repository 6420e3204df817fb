/* Hazri offline app: marking (a section or the staff), the queue, history, login. */
(function (global) {
  "use strict";

  var I = global.HazriI18n;
  var Roll = global.HazriRoll;
  var UI = global.HazriUI;
  var h = UI.h;
  var t = I.t;
  var WORDS = function () { return { P: t("Present"), A: t("Absent"), L: t("Leave"), D: t("Duty") }; };

  function byId(list, id) {
    return list.filter(function (x) { return x.id === id; })[0] || null;
  }

  /* The server's reasons, each naming the child or staff member it is about. */
  function errorList(app, item) {
    return h("ul", { class: "errors" }, (item.errors || []).map(function (e) {
      // marks[3].student, or students[3] / staff[3] / codes[3] as the marks went compact.
      var found = /^(?:marks|students|staff|codes)\[(\d+)\]/.exec(e.field || "");
      var mark = found && item.payload.marks ? item.payload.marks[Number(found[1])] : null;
      var who = null;
      if (mark && mark.student) who = app.data.studentsById[mark.student];
      if (mark && mark.staff) who = app.data.staff.filter(function (m) { return m.id === mark.staff; })[0];
      return h("li", { "data-code": e.code, "data-field": e.field }, who ? I.name(who) + ": " : "", e.message);
    }));
  }

  /* What to mark: a section meeting, the staff of a school, or a rejected item to redo. */
  function target(app, route) {
    var p = route.params;
    if (route.name === "edit") {
      var item = app.data.queue.filter(function (i) { return i.client_uuid === p[0]; })[0];
      if (!item) return null;
      var payload = item.payload;
      var base = item.kind === "staff" ? target(app, { name: "staff", params: [payload.school, payload.day] }) :
        target(app, { name: "mark", params: [payload.section, payload.day, payload.meeting] });
      if (base) base.editing = item;
      return base;
    }
    if (route.name === "staff") {
      var school = byId(app.data.schools, Number(p[0]));
      if (!school) return null;
      return {
        kind: "staff", school: school, day: p[1], title: t("Staff attendance"),
        key: { school: school.id, day: p[1] },
        members: Roll.staffOfDay(school.id, p[1], app.data.staff).map(function (m) {
          return { id: m.id, name: m.name, name_local: m.name_local, number: "", detail: m.employee_code };
        }),
      };
    }
    var section = byId(app.data.sections, Number(p[0]));
    if (!section) return null;
    var meeting = Number(p[2]);
    return {
      kind: "student", section: section, school: byId(app.data.schools, section.school), day: p[1],
      meeting: meeting, title: UI.sectionLabel(section),
      key: { section: section.id, day: p[1], meeting: meeting },
      members: Roll.rollOfDay(section.id, p[1], app.data).map(function (s, index) {
        return {
          id: s.id, name: s.name, name_local: s.name_local,
          number: s.roll_no !== null && s.roll_no !== undefined ? s.roll_no : index + 1,
          detail: s.admission_no ? t("S.R. No. %(number)s", { number: s.admission_no }) : "",
        };
      }),
    };
  }

  function memberRow(member, code) {
    var words = WORDS();
    var name = I.name(member);
    return h("li", { class: "member", "data-member": member.id, "data-mark": code },
      h("div", { class: "who" },
        h("span", { class: "num" }, member.number),
        h("span", { class: "name" }, name),
        member.detail ? h("span", { class: "detail" }, member.detail) : null),
      h("fieldset", { class: "chips" },
        h("legend", { class: "sr-only" }, t("Mark for %(name)s", { name: name })),
        Roll.CODES.map(function (c) {
          return h("label", { class: "chip chip-" + c },
            h("input", { type: "radio", name: "mark-" + member.id, value: c, checked: c === code }),
            h("span", { class: "chip-face" }, h("b", { "aria-hidden": "true" }, c), h("small", null, words[c])));
        })));
  }

  /* When the roll call opens and until when it is on time, as the web marking page
     says it (today only, before the cutoff), and a warning before the opening: marks
     saved then are kept, judged early by the server (attendance/rules.py). */
  function windowNotes(app, what) {
    var school = what.school;
    var span = Roll.meetingWindow(school, what.kind === "staff" ? 1 : what.meeting);
    if (!span || what.day !== UI.schoolToday(app, school)) return null;
    var now = Roll.timeIn(school.timezone, UI.now(app));
    if (now >= span.cutoff) return null;
    return [h("p", { class: "muted window", "data-opens": span.opens },
      t("The roll call opens at %(opens)s and is on time until %(late)s; after that it is saved as late. Marking closes at %(cutoff)s.",
        { opens: I.clock(span.opens), late: I.clock(span.lateAfter), cutoff: I.clock(span.cutoff) })),
    now < span.opens ? h("p", { class: "alert", "data-early": span.opens },
      t("It is before %(opens)s: the roll call is not open yet. Marks saved now are kept, but shown as taken early.",
        { opens: I.clock(span.opens) })) : null];
  }

  function markScreen(app, route) {
    var what = target(app, route);
    if (!what) return [h("h1", null, t("Not found")), h("p", null, h("a", { href: "#/" }, t("Back to today")))];
    var state = UI.statusOf(app, what.kind, what.key);
    // A roll call of this still waiting to sync is changed where it waits (app.save).
    if (!what.editing && state.status === "queued") what.pending = state.item;
    var status = Roll.dayStatus(what.school.id, what.day, app.data.days);
    var tz = what.school.timezone;
    // Start from the rejected item being redone, else what was last marked, else all present.
    var start = {};
    var source = what.editing ? what.editing.payload.marks :
      state.item && state.status !== "synced" && state.status !== "marked" ? state.item.payload.marks :
        state.current ? state.current.marks : [];
    source.forEach(function (m) { start[what.kind === "staff" ? m.staff : m.student] = m.code; });
    var codes = what.members.map(function (m) { return start[m.id] || "P"; });
    var counts = Roll.count(codes);
    var note = what.editing ? what.editing.payload.note : what.pending ? what.pending.payload.note || "" : "";
    var title = what.kind === "staff" ? what.title : t("Attendance: %(what)s", { what: what.title });

    var out = [h("a", { class: "back", href: what.editing ? "#/queue" : "#/" },
      I.back(what.editing ? t("Back to the queue") : t("Back to today"))),
    h("h1", null, title),
    h("p", { class: "day-label" }, h("strong", null, I.day(what.day)),
      what.kind === "student" ? " · " + UI.meetingName(what.school, what.meeting) : "")];
    if (what.editing) {
      out.push(h("div", { class: "alert error", role: "alert", "data-rejected": what.editing.client_uuid },
        h("p", null, t("The server did not accept this roll call:")), errorList(app, what.editing),
        h("p", null, t("Correct the marks and save: it is sent again as a new roll call."))));
    } else if (what.pending) {
      out.push(h("p", { class: "alert info", "data-pending": what.pending.client_uuid },
        t("This roll call is waiting to sync. Saving changes its marks: it is still sent as one roll call.")));
    } else if (state.current) {
      out.push(h("p", { class: "alert info", "data-current-version": state.current.version },
        t("Already marked: version %(version)s, by %(by)s at %(at)s.",
          { version: state.current.version, by: UI.takerName(state.current), at: I.time(state.current.captured_at, tz) }), " ",
        t("This will be saved as a new version; the earlier one stays in history.")));
    }
    if (!Roll.isSchoolDay(status)) {
      out.push(UI.dayBanner(status), h("p", { class: "alert" }, t("No attendance is taken on this day.")));
      return out;
    }
    if (!what.members.length) {
      out.push(h("p", { class: "alert" }, t("There is nobody on the list for this day.")));
      return out;
    }
    out.push(windowNotes(app, what));
    var tallies = {};
    var tally = h("div", { class: "tally", "aria-live": "polite" },
      Roll.CODES.map(function (c) {
        tallies[c] = h("strong", { "data-count": c }, I.num(counts[c]));
        return h("span", { class: "tally-item count-" + c }, WORDS()[c] + " ", tallies[c]);
      }),
      h("span", { class: "tally-item tally-total" }, t("Total") + " ", h("strong", null, I.num(what.members.length))));
    var noteBox = h("textarea", { id: "note", name: "note", rows: 2, maxlength: 500 }, note);
    var form = h("form", { class: "mark-form", "data-marking": what.kind, novalidate: true },
      tally,
      h("p", { class: "roll-head muted" }, what.kind === "staff" ? t("Staff posted to this school") :
        t("Roll no., name and S.R. No., in the order of the register")),
      h("ol", { class: "roll" }, what.members.map(function (m, i) { return memberRow(m, codes[i]); })),
      h("label", { class: "note-label", for: "note" }, t("Reason if late (optional)")),
      noteBox,
      h("div", { class: "submit-bar" },
        h("button", { type: "submit", class: "btn primary wide" }, t("Save attendance"))));
    form.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type !== "radio") return;
      input.closest("[data-mark]").setAttribute("data-mark", input.value);
      var now = Roll.count(what.members.map(function (m) {
        return form.querySelector('input[name="mark-' + m.id + '"]:checked').value;
      }));
      Roll.CODES.forEach(function (c) { tallies[c].textContent = I.num(now[c]); });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      form.querySelector("button[type=submit]").disabled = true;
      var marks = what.members.map(function (m) {
        var code = form.querySelector('input[name="mark-' + m.id + '"]:checked').value;
        return what.kind === "staff" ? { staff: m.id, code: code } : { student: m.id, code: code };
      });
      app.save(what, marks, noteBox.value);
    });
    out.push(form);
    return out;
  }

  function itemLabel(app, item) {
    var p = item.payload;
    if (item.kind === "meal") {
      var at = byId(app.data.schools, p.school);
      return t("Mid-day meals") + (app.data.schools.length > 1 && at ? " · " + I.name(at) : "");
    }
    if (item.kind === "staff") {
      var school = byId(app.data.schools, p.school);
      return t("Staff attendance") + (app.data.schools.length > 1 && school ? " · " + I.name(school) : "");
    }
    var section = byId(app.data.sections, p.section);
    var school2 = section ? byId(app.data.schools, section.school) : null;
    return UI.sectionLabel(section) + " · " + UI.meetingName(school2, p.meeting);
  }

  function schoolOf(app, item) {
    var id = item.payload.school;
    if (!id) {
      var section = byId(app.data.sections, item.payload.section);
      id = section ? section.school : null;
    }
    return byId(app.data.schools, id);
  }

  function queueItem(app, item) {
    var school = schoolOf(app, item);
    var tz = school ? school.timezone : undefined;
    var lines = [h("p", { class: "muted" }, I.day(item.payload.day), " · ",
      t("Taken at %(time)s on this phone", { time: I.time(item.payload.captured_at, tz) })),
    item.kind === "meal" ? h("p", { class: "counts" }, t("Meals served: %(count)s", { count: item.payload.meals_served })) :
      UI.countsView(UI.itemCounts(item))];
    var replaced = UI.replacement(app, item);
    if (item.status === "synced" && item.server && item.kind !== "meal") {
      lines.push(h("p", { class: "muted", "data-timing": item.server.timing }, t("Synced at %(time)s · version %(version)s · %(timing)s", {
        time: I.time(item.synced_at, tz), version: item.server.version, timing: UI.timingWord(item.server.timing),
      })));
    } else if (item.status === "synced") {
      lines.push(h("p", { class: "muted" }, t("Synced at %(time)s", { time: I.time(item.synced_at, tz) })));
    }
    if (replaced) {
      lines.push(h("p", { class: "replaced", "data-replaced-by": replaced.version },
        t("Replaced by %(by)s at %(time)s: their roll call, taken later, counts instead of this one.",
          { by: replaced.by, time: I.time(replaced.at, tz) })));
    }
    if (item.status === "queued" && item.retry) {
      lines.push(h("p", { class: "muted", "data-retry": item.retry.count },
        t("The server could not store it (not a fault of the roll call); it is sent again by itself.")));
    }
    if (item.status === "rejected") {
      var discard = h("button", { type: "button", class: "btn", "data-action": "discard" }, t("Discard"));
      discard.addEventListener("click", function () {
        if (discard.getAttribute("data-armed")) { app.discard(item); return; }
        discard.setAttribute("data-armed", "1");
        discard.textContent = t("Tap again to discard it for good");
      });
      lines.push(h("div", { class: "alert error" }, h("p", null, t("The server did not accept this roll call:")),
        errorList(app, item)),
      h("div", { class: "meeting-actions" },
        item.kind === "meal" ? h("a", { class: "btn primary", href: "#/meals/" + item.payload.school + "/" + item.payload.day }, t("Change")) :
          h("a", { class: "btn primary", href: "#/edit/" + item.client_uuid }, t("Edit and send again")), discard));
    }
    if (item.status === "replaced") lines.push(h("p", { class: "muted" }, t("Replaced by a corrected copy.")));
    return h("li", { class: "card queue-item", "data-uuid": item.client_uuid, "data-status": item.status },
      h("div", { class: "section-head" }, h("h3", null, itemLabel(app, item)),
        UI.statusBadge({ status: item.status === "replaced" ? "rejected" : replaced ? "replaced" : item.status })),
      lines);
  }

  function queueScreen(app) {
    var items = app.data.queue.slice().sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; });
    var group = function (status, title) {
      var chosen = items.filter(function (i) { return i.status === status; });
      return h("section", { class: "queue-group", "data-group": status, "aria-label": title },
        h("h2", null, title, " ", h("span", { class: "muted" }, "(" + chosen.length + ")")),
        chosen.length ? h("ul", { class: "sections" }, chosen.map(function (i) { return queueItem(app, i); })) :
          h("p", { class: "muted" }, t("Nothing here.")));
    };
    return [h("h1", null, t("Sync queue")),
      h("p", { class: "muted" }, t("Everything is saved on this phone first. It is removed from here only after the server has answered for it.")),
      group("queued", t("Waiting to sync")),
      group("rejected", t("Not accepted by the server")),
      group("synced", t("Synced")),
      items.some(function (i) { return i.status === "replaced"; }) ? group("replaced", t("Replaced")) : null,
      global.HazriPhotoUI.queueGroup(app),
      global.HazriRefUI.queueGroup(app),
      global.HazriJournalUI.queueGroup(app),
      h("p", { class: "muted", "data-signed-in": app.meta.username },
        t("Logged in as %(name)s", { name: app.meta.fullName || app.meta.username })),
      h("p", null, h("button", { type: "button", class: "btn", "data-action": "logout", onclick: function () { app.logout(); } },
        t("Log out")))];
  }

  function versionLine(version, current, tz, mine) {
    var facts = [t("Version %(number)s", { number: version.version }), " · ", UI.takerName(version), " · ",
      I.time(version.captured_at, tz), " · ", h("span", { "data-timing": version.timing }, UI.timingWord(version.timing))];
    return h("li", { class: "version" + (version.is_current ? " current" : ""), "data-version": version.version,
      "data-current": version.is_current ? "1" : "0" },
    h("p", { class: "version-head" }, facts, version.is_current ? [" ", h("span", { class: "badge ok" }, t("Current"))] : null,
      mine ? [" ", h("span", { class: "badge", "data-mine": "1" }, t("From this phone"))] : null),
    UI.countsView(version.counts),
    version.clock_suspect ? h("p", { class: "muted" }, t("The phone's clock was off by %(minutes)s minutes.",
      { minutes: Math.round(Math.abs(version.clock_skew_seconds) / 60) })) : null,
    !version.is_current && current && (!version.approval || version.approval === "approved") ?
      h("p", { class: "superseded", "data-replaced-by": current.version }, t("Replaced by version %(version)s, taken later by %(by)s at %(at)s.",
        { version: current.version, by: UI.takerName(current), at: I.time(current.captured_at, tz) })) : null,
    version.approval === "pending" ? h("p", { class: "muted" }, t("Waiting for approval.")) : null,
    version.note ? h("p", { class: "muted" }, t("Note") + ": " + version.note) : null);
  }

  function historyScreen(app) {
    var groups = {};
    var add = function (v, kind) {
      var key = v.day + "|" + (kind === "staff" ? "s" + v.school : v.section + "|" + v.meeting);
      (groups[key] = groups[key] || { day: v.day, kind: kind, first: v, versions: [] }).versions.push(v);
    };
    app.data.rollcalls.forEach(function (v) { add(v, "student"); });
    app.data.staffRollcalls.forEach(function (v) { add(v, "staff"); });
    var list = Object.keys(groups).map(function (k) { return groups[k]; });
    var mine = {};
    app.data.queue.forEach(function (item) { mine[item.client_uuid] = true; });
    list.sort(function (a, b) { return a.day < b.day ? 1 : a.day > b.day ? -1 : 0; });
    var out = [h("h1", null, t("History")),
      h("p", { class: "muted" }, t("Roll calls of the last days as the server had them at the last sync, every version."))];
    if (!list.length) { out.push(h("p", null, t("No roll calls in the last days."))); return out; }
    var lastDay = null;
    list.forEach(function (g) {
      if (g.day !== lastDay) { out.push(h("h2", null, I.day(g.day))); lastDay = g.day; }
      var section = g.kind === "staff" ? null : byId(app.data.sections, g.first.section);
      var school = byId(app.data.schools, section ? section.school : g.first.school);
      var tz = school ? school.timezone : undefined;
      var label = g.kind === "staff" ? t("Staff attendance") :
        UI.sectionLabel(section) + " · " + UI.meetingName(school, g.first.meeting);
      g.versions.sort(function (a, b) { return b.version - a.version; });
      var current = g.versions.filter(function (v) { return v.is_current; })[0];
      out.push(h("div", { class: "card history-card", "data-history": g.kind === "staff" ? "staff" : g.first.section,
        "data-meeting": g.first.meeting || null },
      h("h3", null, label),
      h("ol", { class: "versions" }, g.versions.map(function (v) { return versionLine(v, current, tz, mine[v.client_uuid]); }))));
    });
    return out;
  }

  /* The day's mid-day meals at a school: one number, saved on the phone first. */
  function mealsScreen(app, route) {
    var school = byId(app.data.schools, Number(route.params[0]));
    var day = route.params[1] || (school ? UI.schoolToday(app, school) : "");
    var back = h("a", { class: "back", href: "#/" }, I.back(t("Back to today")));
    if (!school || !school.role) {
      return [back, h("h1", null, t("Not found"))];
    }
    var status = Roll.dayStatus(school.id, day, app.data.days);
    var out = [back, h("h1", null, t("Mid-day meals")),
      h("p", { class: "day-label" }, h("strong", null, I.day(day)), app.data.schools.length > 1 ? " · " + I.name(school) : "")];
    if (!Roll.isSchoolDay(status)) {
      out.push(UI.dayBanner(status), h("p", { class: "alert" }, t("No meals are recorded on this day.")));
      return out;
    }
    var known = UI.mealsOf(app, school, day);
    if (known && known.status === "rejected") {
      out.push(h("div", { class: "alert error", role: "alert" }, h("p", null, t("The server did not accept this number:")),
        errorList(app, known)));
    }
    var input = h("input", { id: "meals", name: "meals", type: "number", inputmode: "numeric", min: 0, max: 5000,
      required: true, value: known ? known.payload.meals_served : "" });
    var error = h("p", { class: "alert error", role: "alert", hidden: true });
    var form = h("form", { class: "stack", "data-meals-form": school.id, novalidate: true },
      h("label", { for: "meals" }, t("Meals served today")), input, error,
      h("div", { class: "submit-bar" }, h("button", { type: "submit", class: "btn primary wide" }, t("Save meals"))));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = input.value.trim();
      if (!/^\d+$/.test(value) || Number(value) > 5000) {
        error.textContent = t("Enter a whole number from 0 to 5000.");
        error.hidden = false;
        input.focus();
        return;
      }
      form.querySelector("button[type=submit]").disabled = true;
      app.saveMeals(school, day, Number(value));
    });
    out.push(form);
    return out;
  }

  function loginScreen(app, message) {
    // The screen is drawn again whenever the app re-renders (an install offer arriving,
    // the network coming back): what the user has typed so far is kept, never wiped.
    var typedName = global.document.getElementById("username");
    var typedPassword = global.document.getElementById("password");
    var username = h("input", { id: "username", name: "username", type: "text", autocomplete: "username",
      autocapitalize: "none", required: true, value: app.meta.username || "" });
    var password = h("input", { id: "password", name: "password", type: "password",
      autocomplete: "current-password", required: true });
    if (typedName && typedName.value) username.value = typedName.value;
    if (typedPassword && typedPassword.value) password.value = typedPassword.value;
    var error = h("p", { class: "alert error", role: "alert", hidden: !message }, message || "");
    var form = h("form", { class: "stack", "data-login": "1" },
      h("label", { for: "username" }, t("Username")), username,
      h("label", { for: "password" }, t("Password")), password,
      h("button", { type: "submit", class: "btn primary wide" }, t("Log in")));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      error.hidden = true;
      app.login(username.value.trim(), password.value).catch(function (problem) {
        button.disabled = false;
        error.textContent = problem.message;
        error.hidden = false;
      });
    });
    return [h("h1", null, t("Log in")),
      h("p", null, t("Log in once while online. After that the app works without internet.")),
      app.meta.authFailed ? h("p", { class: "alert info" }, t("Your attendance saved on this phone stays here and is sent after you log in.")) : null,
      global.navigator.onLine ? null : h("p", { class: "alert" }, t("You are offline. Connect to the internet to log in.")),
      error, form];
  }

  global.HazriScreens = {
    markScreen: markScreen,
    queueScreen: queueScreen,
    historyScreen: historyScreen,
    mealsScreen: mealsScreen,
    loginScreen: loginScreen,
  };
})(self);
