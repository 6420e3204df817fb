/* Hazri offline app: building blocks, the frame (header, tabs, sync bar) and the
   "today" screen. Everything renders from the in-memory copy of IndexedDB. */
(function (global) {
  "use strict";

  var I = global.HazriI18n;
  var Roll = global.HazriRoll;
  var t = I.t;

  /* h("p", {class: "muted"}, "text", child…): a DOM element; null children are skipped. */
  function h(tag, attrs) {
    var node = global.document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, "");
      else node.setAttribute(key, String(value));
    });
    for (var i = 2; i < arguments.length; i += 1) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "object" ? child : global.document.createTextNode(String(child)));
  }

  function sectionLabel(section) {
    if (!section) return "?";
    return t("Class %(label)s", { label: section.grade + " " + section.name });
  }

  function meetingName(school, meeting) {
    if (!school || school.meetings_per_day <= 1) return t("Attendance");
    return meeting === 1 ? t("Forenoon") : t("Afternoon");
  }

  function timingWord(timing) {
    return {
      early: t("Early"),
      on_time: t("On time"),
      late: t("Late"),
      correction: t("Correction"),
      late_entry: t("Late entry"),
    }[timing] || timing || "";
  }

  /* The device's idea of now, corrected by what the server said at the last pull. */
  function now(app) {
    return new Date(Date.now() + (app.meta.clockOffsetMs || 0));
  }

  function schoolToday(app, school) {
    return Roll.dateIn(school.timezone, now(app));
  }

  function countsOf(codes) {
    var c = Roll.count(codes);
    return { present: c.P, absent: c.A, leave: c.L, duty: c.D };
  }

  function countsView(counts) {
    return h("span", { class: "counts" },
      ["P", "A", "L", "D"].map(function (code) {
        var value = counts[{ P: "present", A: "absent", L: "leave", D: "duty" }[code]];
        if (!value && code !== "P" && code !== "A") return null;
        var word = { P: t("Present"), A: t("Absent"), L: t("Leave"), D: t("Duty") }[code];
        return h("span", { class: "count count-" + code }, word + " ", h("strong", null, value));
      }));
  }

  function itemCounts(item) {
    return countsOf((item.payload.marks || []).map(function (m) { return m.code; }));
  }

  function sameKey(item, kind, key) {
    if (item.kind === "meal") return false;
    if ((item.kind === "staff") !== (kind === "staff")) return false;
    var p = item.payload;
    if (kind === "staff") return p.school === key.school && p.day === key.day;
    return p.section === key.section && p.day === key.day && p.meeting === key.meeting;
  }

  /* Where a roll call stands on this device: not-marked, queued, rejected, synced
     (our capture is the current version) or marked (someone else's is current). */
  function statusOf(app, kind, key) {
    var items = app.data.queue.filter(function (item) {
      return item.status !== "replaced" && sameKey(item, kind, key);
    }).sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; });
    var versions = kind === "staff" ? app.data.staffRollcalls : app.data.rollcalls;
    var current = versions.filter(function (v) {
      if (!v.is_current || v.day !== key.day) return false;
      return kind === "staff" ? v.school === key.school : v.section === key.section && v.meeting === key.meeting;
    })[0] || null;
    var latest = items[0] || null;
    if (latest && (latest.status === "queued" || latest.status === "rejected")) {
      return { status: latest.status, item: latest, current: current, counts: itemCounts(latest) };
    }
    if (current) {
      var ours = items.some(function (item) { return item.client_uuid === current.client_uuid; });
      // This phone's roll call was stored, and another's, captured later, counts instead.
      var replaced = !ours && !!latest && latest.status === "synced";
      return { status: ours ? "synced" : "marked", item: latest, current: current, counts: current.counts,
        replaced: replaced };
    }
    if (latest) return { status: "synced", item: latest, current: null, counts: itemCounts(latest) };
    return { status: "not-marked", item: null, current: null, counts: null };
  }

  /* Who took a version: their name (older servers sent only the username). */
  function takerName(version) {
    return version ? version.taken_by_name || version.taken_by : "";
  }

  /* If this phone's stored roll call is no longer the one that counts: the version that
     replaced it {version, by, at}; else null. The versions pulled since are the latest
     word; the push's answer (replaced_by) stands in when they are not on the phone. */
  function replacement(app, item) {
    if (item.status !== "synced" || !item.server || item.kind === "meal") return null;
    var versions = item.kind === "staff" ? app.data.staffRollcalls : app.data.rollcalls;
    var mine = versions.filter(function (v) { return v.id === item.server.id; })[0] || item.server;
    if (mine.is_current || (mine.approval && mine.approval !== "approved")) return null;
    var current = versions.filter(function (v) {
      return v.is_current && v.day === mine.day && (item.kind === "staff" ? v.school === mine.school :
        v.section === mine.section && v.meeting === mine.meeting);
    })[0];
    if (current) return { version: current.version, by: takerName(current), at: current.captured_at };
    var told = item.replaced_by;
    return told ? { version: told.version, by: told.taken_by_name, at: told.captured_at } : null;
  }

  function statusBadge(state) {
    var who = takerName(state.current);
    var words = {
      "not-marked": [t("Not marked"), "todo"],
      queued: [t("Waiting to sync"), "queued"],
      rejected: [t("Not accepted"), "late"],
      synced: [t("Synced"), "ok"],
      replaced: [t("Replaced"), "late"],
      marked: state.replaced ? [t("Replaced by %(user)s", { user: who }), "late"] :
        [t("Marked by %(user)s", { user: who }), "ok"],
    }[state.status];
    return h("span", { class: "badge " + words[1], "data-badge": state.status }, words[0]);
  }

  function dayBanner(status) {
    var name = I.name(status);
    var text = {
      school_day: t("School day"),
      national: t("National day: the school meets") + (name ? " (" + name + ")" : ""),
      weekly_off: t("Weekly off: no attendance on this day"),
      holiday: t("Holiday: %(name)s", { name: name || t("Holiday") }),
      unknown: t("This day's calendar is not on this phone; the server will check it."),
    }[status.kind] || status.kind;
    return h("p", { class: "day-status status-" + status.kind, "data-day-kind": status.kind }, text);
  }

  function markLink(href, state, label) {
    var text = label || (state.status === "rejected" ? t("Edit and send again") :
      state.status === "not-marked" ? t("Mark") : t("Mark again"));
    return h("a", { class: "btn mark-button" + (state.status === "not-marked" ? " primary" : ""), href: href }, text);
  }

  function meetingRow(app, school, section, day, meeting, open) {
    var state = statusOf(app, "student", { section: section.id, day: day, meeting: meeting });
    var href = state.status === "rejected" ? "#/edit/" + state.item.client_uuid :
      "#/mark/" + section.id + "/" + day + "/" + meeting;
    // Class photos (photoui.js, loaded after this file): their state and the button.
    var photos = global.HazriPhotoUI.meetingLine(app, section, day, meeting, open);
    return h("div", { class: "meeting", "data-meeting": meeting, "data-status": state.status },
      h("div", { class: "meeting-info" },
        h("span", { class: "meeting-name" }, meetingName(school, meeting)),
        statusBadge(state),
        state.counts ? countsView(state.counts) : null, photos[0]),
      open || photos[1].length ? h("div", { class: "meeting-actions" }, open ? markLink(href, state) : null, photos[1]) : null);
  }

  function staffCard(app, school, day, open, level) {
    var state = statusOf(app, "staff", { school: school.id, day: day });
    var href = state.status === "rejected" ? "#/edit/" + state.item.client_uuid :
      "#/staff/" + school.id + "/" + day;
    var onRoll = Roll.staffOfDay(school.id, day, app.data.staff).length;
    return h("li", { class: "card staff-card", "data-staff": school.id },
      h("div", { class: "section-head" },
        h(level, null, t("Staff attendance")),
        h("span", { class: "muted" }, t("On the list: %(count)s", { count: onRoll }))),
      h("div", { class: "meeting", "data-meeting": 1, "data-status": state.status },
        h("div", { class: "meeting-info" }, statusBadge(state), state.counts ? countsView(state.counts) : null),
        open && onRoll ? h("div", { class: "meeting-actions" }, markLink(href, state)) : null));
  }

  function schoolBlock(app, school, many) {
    var day = schoolToday(app, school);
    var status = Roll.dayStatus(school.id, day, app.data.days);
    var open = Roll.isSchoolDay(status);
    var sections = app.data.sections.filter(function (s) { return s.school === school.id; });
    var heading = many ? h("h2", null, I.name(school)) : h("p", { class: "school-name" }, I.name(school));
    var level = many ? "h3" : "h2";
    var meetings = [];
    for (var m = 1; m <= Math.max(1, school.meetings_per_day); m += 1) meetings.push(m);
    return h("section", { class: "school", "data-school": school.id, "aria-label": I.name(school) },
      heading,
      h("p", { class: "day-label" }, h("strong", null, I.day(day)), " ",
        h("span", { class: "badge today" }, t("Today"))),
      dayBanner(status),
      open ? null : h("p", { class: "muted" }, t("No attendance is taken on this day.")),
      h("ul", { class: "sections" },
        sections.map(function (section) {
          var onRoll = Roll.rollOfDay(section.id, day, app.data).length;
          return h("li", { class: "card", "data-section": section.id },
            h("div", { class: "section-head" },
              h(level, null, sectionLabel(section)),
              h("span", { class: "muted" }, t("On roll: %(count)s", { count: onRoll }))),
            meetings.map(function (meeting) {
              return meetingRow(app, school, section, day, meeting, open && onRoll > 0);
            }),
            // Reference photos of its students (refui.js, loaded after this file).
            onRoll ? global.HazriRefUI.sectionLink(app, section) : null);
        }),
        staffCard(app, school, day, open, level),
        mealsCard(app, school, day, open, level)));
  }

  /* The day's mid-day meals as this phone knows them: the latest it recorded. */
  function mealsOf(app, school, day) {
    return app.data.queue.filter(function (i) {
      return i.kind === "meal" && i.payload.school === school.id && i.payload.day === day;
    }).sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; })[0] || null;
  }

  /* Only those who may record the meals see them: whoever may mark at the school (the
     pull's role), as POST /schools/{id}/meals allows. */
  function mealsCard(app, school, day, open, level) {
    if (!school.role || !open) return null;
    var item = mealsOf(app, school, day);
    var status = item ? item.status : "not-marked";
    var badge = {
      "not-marked": [t("Not recorded"), "todo"],
      queued: [t("Waiting to sync"), "queued"],
      rejected: [t("Not accepted"), "late"],
      synced: [t("Synced"), "ok"],
    }[status] || [status, "todo"];
    return h("li", { class: "card meals-card", "data-meals": school.id },
      h("div", { class: "section-head" }, h(level, null, t("Mid-day meals"))),
      h("div", { class: "meeting", "data-status": status },
        h("div", { class: "meeting-info" },
          h("span", { class: "badge " + badge[1], "data-badge": status }, badge[0]),
          item ? h("span", { class: "counts" }, t("Meals served: %(count)s", { count: item.payload.meals_served })) : null),
        h("div", { class: "meeting-actions" },
          h("a", { class: "btn mark-button" + (item ? "" : " primary"), href: "#/meals/" + school.id + "/" + day },
            item ? t("Change") : t("Record meals")))));
  }

  function todayScreen(app) {
    var schools = app.data.schools;
    if (!schools.length) {
      return [h("h1", null, t("Today")),
        h("p", { class: "alert" }, t("You are not posted to any school, so there is nothing to mark here."))];
    }
    return [h("h1", null, t("Today")), schools.map(function (school) {
      return schoolBlock(app, school, schools.length > 1);
    })];
  }

  /* The frame around every screen: header with the language switch, tabs, sync bar. */
  function frame(app, route, content) {
    var sets = app.data.photoSets || [];
    var refs = app.data.refPhotos || [];
    var journal = app.data.journal || [];
    var count = function (status) {
      var has = function (i) { return i.status === status; };
      return app.data.queue.filter(has).length + sets.filter(has).length + refs.filter(has).length +
        journal.filter(has).length;
    };
    var today = app.data.journalToday;
    var teaches = journal.length || (today && Array.isArray(today.data) && today.data.length);
    var waiting = count("queued");
    var rejected = count("rejected");
    var lang = I.lang();
    var langButton = function (code, label) {
      return h("button", { type: "button", lang: code, "aria-pressed": lang === code ? "true" : "false",
        class: lang === code ? "current" : null, onclick: function () { app.setLang(code); } }, label);
    };
    var tab = function (name, href, label, extra) {
      return h("li", null, h("a", { href: href, class: "tab", "aria-current": route === name ? "page" : null },
        label, extra ? h("span", { class: "tab-count" }, extra) : null));
    };
    var header = h("header", { class: "topbar" },
      h("span", { class: "brand" }, h("span", null, "Hazri"), h("span", { "aria-hidden": "true" }, "/"),
        h("span", { lang: "hi" }, "हाज़िरी")),
      h("div", { class: "lang-switch", role: "group", "aria-label": t("Language") },
        langButton("en", "English"), langButton("hi", "हिन्दी"), langButton("fa", "فارسی"),
        langButton("ru", "Русский")));
    // Offered only while the browser has an offer (beforeinstallprompt, app.js).
    var install = app.installOffer ? h("p", { class: "install" },
      h("button", { type: "button", class: "btn small", "data-action": "install",
        onclick: function () { app.install(); } }, t("Install the app"))) : null;
    if (!app.meta.token || route === "login") {
      return [header, h("main", { class: "page", id: "main" }, install, content)];
    }
    var nav = h("nav", { class: "tabs", "aria-label": t("Main menu") },
      h("ul", null,
        tab("today", "#/", t("Today")),
        teaches ? tab("journal", "#/journal", t("Journal")) : null,
        tab("queue", "#/queue", t("Queue"), waiting + rejected ? I.num(waiting + rejected) : null),
        tab("history", "#/history", t("History"))));
    return [header, nav, syncBar(app, waiting, rejected),
      h("main", { class: "page", id: "main" },
      app.meta.authFailed ? h("p", { class: "alert error", role: "alert" },
        t("Your login has expired. Log in again to send what is waiting; nothing saved on this phone is lost."), " ",
        h("a", { href: "#/login" }, t("Log in again"))) : null,
      app.updateReady ? h("p", { class: "alert info" }, t("A new version of the app is ready."), " ",
        h("button", { type: "button", class: "link-like", onclick: function () { global.location.reload(); } }, t("Reload"))) : null,
        app.flash ? h("p", { class: "message " + (app.flash.kind || "success"), role: "status" }, app.flash.text) : null,
        install, content)];
  }

  /* The connection as the teacher needs to know it: no internet on this phone, a
     network but no server (down, or the way to it), or online. */
  function netState(app) {
    if (!global.navigator.onLine) return "offline";
    var last = app.meta.lastSync;
    if (!app.syncing && last && !last.ok && (last.kind === "unreachable" || last.kind === "server")) {
      return "unreachable";
    }
    return "online";
  }

  function syncBar(app, waiting, rejected) {
    var net = netState(app);
    var last = app.meta.lastSync;
    var text;
    if (app.syncing) text = t("Syncing…");
    else if (net === "offline" || (last && !last.ok && last.kind === "offline")) {
      text = t("No internet: saved on this phone, it will sync later.");
    }
    else if (last && !last.ok && last.kind === "server") text = t("The server is not available; trying again soon.");
    else if (net === "unreachable") text = t("The server cannot be reached: saved on this phone, it will sync later.");
    else if (last && !last.ok && last.kind === "refused") text = t("The server refused the upload; trying again soon.");
    else if (last && last.ok && last.retry) text = t("The server could not store %(count)s items this time; trying again soon.", { count: last.retry });
    else if (last && last.ok) text = t("Last synced %(time)s", { time: I.dateTime(last.at) });
    else text = t("Not synced yet");
    var label = { online: t("Online"), offline: t("No internet"), unreachable: t("Server unreachable") }[net];
    return h("aside", { class: "syncbar", "aria-label": t("Sync"), "data-sync": app.syncing ? "syncing" : last && !last.ok ? "error" : "idle" },
      h("span", { class: "net " + (net === "online" ? "on" : "off"), "data-net": net }, label),
      h("span", { class: "sync-text", role: "status" },
        waiting ? t("Waiting: %(count)s", { count: waiting }) + " · " : "",
        rejected ? t("Not accepted: %(count)s", { count: rejected }) + " · " : "",
        text),
      h("button", { type: "button", class: "btn small", "data-action": "sync", disabled: app.syncing,
        onclick: function () { app.syncNow("button"); } }, t("Sync now")));
  }

  global.HazriUI = {
    h: h,
    sectionLabel: sectionLabel,
    meetingName: meetingName,
    timingWord: timingWord,
    now: now,
    schoolToday: schoolToday,
    countsOf: countsOf,
    countsView: countsView,
    itemCounts: itemCounts,
    statusOf: statusOf,
    takerName: takerName,
    replacement: replacement,
    mealsOf: mealsOf,
    statusBadge: statusBadge,
    dayBanner: dayBanner,
    todayScreen: todayScreen,
    frame: frame,
  };
})(self);
