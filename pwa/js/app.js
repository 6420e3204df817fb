/* Hazri offline app: start-up, the router, saving, logging in, and when to sync. */
(function (global) {
  "use strict";

  var DB = global.HazriDB;
  var Roll = global.HazriRoll;
  var Sync = global.HazriSync;
  var I = global.HazriI18n;
  var UI = global.HazriUI;
  var Screens = global.HazriScreens;
  var Photos = global.HazriPhotos;
  var PhotoUI = global.HazriPhotoUI;
  var t = I.t;
  var doc = global.document;

  var BACKOFF_START = 5000;
  var BACKOFF_MAX = 5 * 60 * 1000;

  var app = {
    meta: {},
    data: { schools: [], days: [], sections: [], staff: [], students: [], studentsById: {},
      enrolments: [], rollcalls: [], staffRollcalls: [], queue: [], photoSets: [], refPhotos: [], journal: [],
      journalToday: null, diary: null },
    flash: null,
    syncing: false,
    updateReady: false,
    retryDelay: BACKOFF_START,
    retryTimer: null,
    pulls: 0,
  };

  var META = ["token", "username", "fullName", "lang", "authFailed", "lastSync", "lastPull", "clockOffsetMs",
    "schools", "days", "sections", "staff", "journalToday", "diary"];

  app.load = function () {
    return Promise.all([DB.kvMany(META), DB.getAll("students"), DB.getAll("enrolments"),
      DB.getAll("rollcalls"), DB.getAll("staff_rollcalls"), DB.getAll("queue"), DB.getAll("photo_sets"),
      DB.getAll("ref_photos"), DB.getAll("journal")]).then(function (r) {
      var kv = r[0];
      app.meta = {
        token: kv.token || "", username: kv.username || "", fullName: kv.fullName || "", lang: kv.lang || "",
        authFailed: !!kv.authFailed, lastSync: kv.lastSync || null, lastPull: kv.lastPull || null,
        clockOffsetMs: kv.clockOffsetMs || 0,
      };
      // An older app kept the server's own failures (a 5xx) as "not accepted": they were
      // never a judgement on the roll call, and wait to be sent with their client_uuid.
      var failed = r[5].filter(function (i) { return i.status === "rejected" && i.http_status >= 500; });
      failed.forEach(function (i) { i.status = "queued"; i.errors = []; i.on_wire = false; });
      if (failed.length) DB.putMany("queue", failed);
      var byId = {};
      r[1].forEach(function (s) { byId[s.id] = s; });
      app.data = {
        schools: kv.schools || [], days: kv.days || [], sections: kv.sections || [], staff: kv.staff || [],
        students: r[1], studentsById: byId, enrolments: r[2], rollcalls: r[3], staffRollcalls: r[4], queue: r[5],
        photoSets: r[6], refPhotos: r[7], journal: r[8], journalToday: kv.journalToday || null, diary: kv.diary || null,
      };
    });
  };

  function parseRoute() {
    var parts = (global.location.hash || "#/").replace(/^#\/?/, "").split("/").filter(Boolean);
    return { name: parts[0] || "today", params: parts.slice(1) };
  }

  app.render = function () {
    var route = parseRoute();
    if (!app.meta.token && route.name !== "login") route = { name: "login", params: [] };
    var content;
    if (route.name === "login") content = Screens.loginScreen(app, app.loginMessage);
    else if (route.name === "mark" || route.name === "staff" || route.name === "edit") content = Screens.markScreen(app, route);
    else if (route.name === "queue") content = Screens.queueScreen(app);
    else if (route.name === "history") content = Screens.historyScreen(app);
    else if (route.name === "meals") content = Screens.mealsScreen(app, route);
    else if (route.name === "photos") content = PhotoUI.photoScreen(app, route);
    else if (route.name === "references") content = global.HazriRefUI.referencesScreen(app, route);
    else if (route.name === "journal") content = global.HazriJournalUI.journalScreen(app);
    else if (route.name === "lesson") content = global.HazriJournalUI.lessonScreen(app, route);
    else if (global.HazriDiaryUI.isFamily(app)) content = global.HazriDiaryUI.diaryScreen(app);
    else content = UI.todayScreen(app);
    var root = doc.getElementById("app");
    var focused = doc.activeElement && doc.activeElement.getAttribute("data-action");
    root.textContent = "";
    UI.frame(app, route.name, content).forEach(function (node) { if (node) root.appendChild(node); });
    doc.title = t("Hazri") + " · " + (root.querySelector("h1") ? root.querySelector("h1").textContent : "");
    if (focused) {
      var again = root.querySelector('[data-action="' + focused + '"]');
      if (again) again.focus();
    }
    doc.body.setAttribute("data-route", route.name);
    doc.body.setAttribute("data-pulls", String(app.pulls));
    doc.body.setAttribute("data-queued", String(app.data.queue.filter(function (i) { return i.status === "queued"; }).length));
    doc.body.setAttribute("data-photos-queued", String(app.data.photoSets.filter(Photos.waiting).length));
    doc.body.setAttribute("data-refs-queued", String(app.data.refPhotos.filter(global.HazriRefs.waiting).length));
    doc.body.setAttribute("data-journal-queued", String(app.data.journal.filter(global.HazriJournal.waiting).length));
  };

  /* Items that only this phone holds: roll calls, meals, class and reference photos,
     the journal's topics and grades not sent yet. */
  function unsent(statuses) {
    var held = function (i) { return statuses.indexOf(i.status) !== -1; };
    return app.data.queue.filter(held).length + app.data.photoSets.filter(held).length +
      app.data.refPhotos.filter(held).length + app.data.journal.filter(held).length;
  }

  app.refresh = function () {
    return app.load().then(app.render);
  };

  app.go = function (hash, flash) {
    app.flash = flash || null;
    if (global.location.hash === hash) app.render();
    else { app.keepFlash = true; global.location.hash = hash; }
    global.scrollTo(0, 0);
  };

  app.setLang = function (lang) {
    I.setLang(lang);
    try { global.localStorage.setItem("hazri-lang", lang); } catch (e) { /* private mode */ }
    app.meta.lang = lang;
    app.render();
    DB.kvSet("lang", lang);
  };

  /* Save a roll call on the device at once; the server hears of it when it can. A roll
     call still waiting to sync is changed where it waits: it keeps its client_uuid, so
     the server stores it once, with the latest marks. If a copy went out without an
     answer (on_wire), the server may hold that copy: the next send asks for it back and
     compares (sync.js, settle). */
  app.save = function (what, marks, note) {
    var uuid = Roll.newUuid();
    var payload = what.kind === "staff" ?
      { client_uuid: uuid, school: what.school.id, day: what.day } :
      { client_uuid: uuid, section: what.section.id, day: what.day, meeting: what.meeting };
    payload.captured_at = Roll.isoWithOffset(new Date());
    payload.marks = marks;
    payload.note = note.trim();
    var item = { client_uuid: uuid, kind: what.kind, status: "queued", created_at: new Date().toISOString(),
      payload: payload, errors: [], rev: 0, replaces: what.editing ? what.editing.client_uuid : null };
    return DB.tx("queue", "readwrite", function (s) {
      if (!what.pending) {
        s.queue.put(item);
      } else {
        var request = s.queue.get(what.pending.client_uuid);
        request.onsuccess = function () {
          var waiting = request.result;
          if (!waiting || waiting.status !== "queued") {
            s.queue.put(item); // answered meanwhile: this is a new roll call
            return;
          }
          waiting.payload = Object.assign({}, payload, { client_uuid: waiting.client_uuid });
          waiting.rev = (waiting.rev || 0) + 1;
          waiting.changed_at = new Date().toISOString();
          if (waiting.on_wire) waiting.edited_on_wire = true;
          s.queue.put(waiting);
        };
      }
      if (what.editing) {
        what.editing.status = "replaced";
        what.editing.replaced_by = uuid;
        s.queue.put(what.editing);
      }
    }).then(app.load).then(function () {
      var c = Roll.count(marks.map(function (m) { return m.code; }));
      app.go("#/", { kind: "success", text: t("Saved on this phone: %(present)s present, %(absent)s absent, %(leave)s on leave. It is sent by itself when there is a connection.",
        { present: c.P + c.D, absent: c.A, leave: c.L }) });
      app.requestSync("save");
    });
  };

  /* The mid-day meals served at a school on a day: one number, queued like a roll call
     (a number still waiting is changed where it waits) and posted when online. */
  app.saveMeals = function (school, day, mealsServed) {
    var uuid = Roll.newUuid();
    var payload = { school: school.id, day: day, meals_served: mealsServed,
      captured_at: Roll.isoWithOffset(new Date()) };
    return DB.getAll("queue").then(function (all) {
      var waiting = all.filter(function (i) {
        return i.kind === "meal" && i.status === "queued" && i.payload.school === school.id && i.payload.day === day;
      })[0];
      return DB.tx("queue", "readwrite", function (s) {
        if (waiting) {
          var request = s.queue.get(waiting.client_uuid);
          request.onsuccess = function () {
            var now = request.result;
            if (now && now.status === "queued") {
              now.payload = payload;
              now.rev = (now.rev || 0) + 1;
              s.queue.put(now);
            } else {
              s.queue.put({ client_uuid: uuid, kind: "meal", status: "queued", created_at: new Date().toISOString(),
                payload: payload, errors: [], rev: 0 });
            }
          };
        } else {
          s.queue.put({ client_uuid: uuid, kind: "meal", status: "queued", created_at: new Date().toISOString(),
            payload: payload, errors: [], rev: 0 });
        }
      });
    }).then(app.load).then(function () {
      app.go("#/", { kind: "success", text: t("Saved on this phone: %(count)s mid-day meals. It is sent by itself when there is a connection.",
        { count: mealsServed }) });
      app.requestSync("save");
    });
  };

  app.discard = function (item) {
    DB.remove("queue", item.client_uuid).then(app.refresh);
  };

  /* Class photos of a section's meeting, kept on the phone at once (photos.js) and
     sent when there is a connection. Rejects when a photo cannot be sent (its type,
     its size): nothing is kept then. */
  app.savePhotos = function (what, files) {
    return Photos.save(what, files).then(app.load).then(function () {
      app.go("#/", { kind: "success", text: I.n("Saved on this phone: %(count)s photo. It is sent by itself when there is a connection.",
        "Saved on this phone: %(count)s photos. They are sent by themselves when there is a connection.", files.length) });
      app.requestSync("save");
    });
  };

  app.discardPhotos = function (set) {
    Photos.discard(set.client_uuid).then(app.refresh);
  };

  /* While the server processes photos this phone sent, ask it every few seconds how
     far it is (only while the app is open and online). The screen is drawn again only
     where it shows photos and no form of the teacher's is open. */
  function quietRoute() {
    var name = parseRoute().name;
    return name === "today" || name === "queue" || name === "photos" || name === "references";
  }

  app.followPhotos = function () {
    clearTimeout(app.photoTimer);
    if (!app.meta.token || !app.data.photoSets.some(function (set) { return Photos.followed(set, false); })) return;
    app.photoTimer = setTimeout(function () {
      if (!global.navigator.onLine || app.syncing) { app.followPhotos(); return; }
      Photos.follow(app.meta.token, false).then(function (changed) {
        return app.load().then(function () { if (changed && quietRoute()) app.render(); });
      }).then(app.followPhotos, app.followPhotos);
    }, Photos.config.pollMs);
  };

  /* Each chunk the server takes moves the progress bar (at most once a second). */
  Photos.config.onProgress = function () {
    if (app.progressTimer) return;
    app.progressTimer = setTimeout(function () {
      app.progressTimer = null;
      DB.getAll("photo_sets").then(function (sets) {
        app.data.photoSets = sets;
        if (quietRoute()) app.render();
      });
    }, 1000);
  };

  /* --- When to sync: at start, on "online", after a save, Background Sync, backoff. --- */

  function registerBackgroundSync() {
    if (!("serviceWorker" in global.navigator)) return;
    global.navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync && reg.sync.register) return reg.sync.register("hazri-sync");
      return null;
    }).catch(function () { /* not allowed here: the backoff timer covers it */ });
  }

  /* Try again later: after the server's Retry-After when it gave one, else after the
     backoff, which doubles each time up to five minutes. */
  function scheduleRetry(afterMs) {
    clearTimeout(app.retryTimer);
    var delay = afterMs === null || afterMs === undefined ? app.retryDelay :
      Math.min(Math.max(afterMs, 1000), BACKOFF_MAX);
    app.retryAt = Date.now() + delay;
    app.retryTimer = setTimeout(function () { app.retryAt = null; app.requestSync("retry"); }, delay);
    app.retryDelay = Math.min(app.retryDelay * 2, BACKOFF_MAX);
  }

  app.requestSync = function (why) {
    if (!app.meta.token) return Promise.resolve();
    if (!global.navigator.onLine) {
      registerBackgroundSync();
      return Promise.resolve();
    }
    return app.syncNow(why);
  };

  /* The signed-in user's name (/me), for a phone logged in before the app kept it. */
  function learnName() {
    if (app.meta.fullName || !app.meta.token) return null;
    return Sync.request("GET", "/api/v1/me", app.meta.token).then(function (me) {
      return DB.kvSet("fullName", me.full_name || me.username);
    }, function () { return null; });
  }

  app.syncNow = function (why) {
    if (why === "button" || why === "online") app.retryDelay = BACKOFF_START;
    clearTimeout(app.retryTimer);
    app.syncing = true;
    app.render();
    return Sync.syncOnce().then(function (result) {
      app.pulls += 1;
      // Roll calls the server could not store this time (not their fault) wait in the
      // queue with their client_uuid and go again after the backoff.
      if (result.retry) scheduleRetry();
      else app.retryDelay = BACKOFF_START;
      return Promise.all([DB.kvSet("authFailed", false), learnName()]);
    }, function (error) {
      if (error.kind === "auth") return null; // the banner asks to log in again; the queue waits
      // Background Sync fires as soon as the browser thinks it is online: asked for
      // while online, it would retry a failing server in a tight loop. The timer backs off.
      if (!global.navigator.onLine) registerBackgroundSync();
      scheduleRetry(error.retryAfterMs);
      return null;
    }).then(app.load).then(function () {
      app.syncing = false; // after the load, so "not syncing" means the screen is up to date
      app.render();
      app.followPhotos();
    }, function () {
      app.syncing = false;
      app.render();
    });
  };

  /* --- Logging in and out. --- */

  app.login = function (username, password) {
    if (!global.navigator.onLine) return Promise.reject(new Error(t("You are offline. Connect to the internet to log in.")));
    var waiting = unsent(["queued", "rejected"]);
    var other = app.meta.username && app.meta.username !== username;
    if (other && waiting) {
      return Promise.reject(new Error(t("This phone has roll calls of %(name)s that are not sent yet (%(count)s). Log in as %(user)s first to send them.",
        { count: waiting, name: app.meta.fullName || app.meta.username, user: app.meta.username })));
    }
    var body = { username: username, password: password, device_name: "Hazri app · " + global.navigator.userAgent.slice(0, 60) };
    return Sync.request("POST", "/api/v1/auth/token", "", body).catch(function (error) {
      if (error.kind === "offline") throw new Error(t("You are offline. Connect to the internet to log in."));
      if (error.kind === "unreachable" || error.kind === "server") {
        throw new Error(t("The server cannot be reached. Try again in a while."));
      }
      // A lock after too many failed logins (429, "try again in N minutes") or a role
      // that signs in with single sign-on only: the server's own words say why.
      var refusal = (error.data && error.data.errors && error.data.errors[0]) || {};
      if (refusal.code === "locked" || refusal.code === "use_sso") throw new Error(error.message);
      throw new Error(t("Wrong username or password."));
    }).then(function (answer) {
      return (other ? DB.wipe() : Promise.resolve()).then(function () {
        return Promise.all([DB.kvSet("token", answer.token), DB.kvSet("username", answer.username),
          DB.kvSet("fullName", ""), DB.kvSet("authFailed", false)]);
      }).then(function () {
        return Sync.request("GET", "/api/v1/me", answer.token).then(function (me) {
          var kept = [DB.kvSet("fullName", me.full_name || me.username)];
          if (!app.meta.lang && !readStoredLang() && me.language) {
            I.setLang(me.language);
            kept.push(DB.kvSet("lang", I.lang()));
          }
          return Promise.all(kept);
        }, function () { return null; });
      });
    }).then(function () {
      if (global.navigator.storage && global.navigator.storage.persist) global.navigator.storage.persist();
      return app.load();
    }).then(function () {
      app.loginMessage = null;
      var downloading = { kind: "info", text: t("Downloading your school's data…") };
      app.go("#/", downloading);
      return app.syncNow("login").then(function () {
        // The notice was about the download: once it is over, say how it ended (unless
        // the teacher has moved on and another message stands).
        if (app.flash !== downloading) return;
        var done = app.meta.lastSync && app.meta.lastSync.ok;
        app.flash = done ? { kind: "success", text: t("Your school's data is on this phone: you can mark attendance without internet.") } :
          { kind: "error", text: t("The download did not finish. It is tried again by itself.") };
        app.render();
      });
    });
  };

  app.logout = function () {
    var waiting = unsent(["queued"]);
    if (waiting) {
      app.flash = { kind: "error", text: t("Roll calls waiting to be sent: %(count)s. Sync them before logging out.", { count: waiting }) };
      app.render();
      return Promise.resolve();
    }
    var token = app.meta.token;
    return Sync.request("DELETE", "/api/v1/auth/token", token).catch(function () { return null; }).then(function () {
      return DB.kvSet("token", "");
    }).then(app.load).then(function () { app.go("#/login"); });
  };

  /* --- Start. --- */

  function readStoredLang() {
    try { return global.localStorage.getItem("hazri-lang"); } catch (e) { return null; }
  }

  function registerWorker() {
    if (!("serviceWorker" in global.navigator)) return;
    var hadController = !!global.navigator.serviceWorker.controller;
    global.navigator.serviceWorker.register(doc.body.getAttribute("data-sw"), { scope: doc.body.getAttribute("data-scope") })
      .catch(function () { /* no offline shell in this browser; the app still runs online */ });
    global.navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (hadController) { app.updateReady = true; app.render(); }
      hadController = true;
    });
    global.navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "sync") app.syncNow("background");
      if (event.data && event.data.type === "synced") app.refresh();
    });
  }

  /* The browser offers to install the app (Chromium's beforeinstallprompt): keep its
     offer for the "Install the app" button; once installed there is nothing to offer. */
  function catchInstallOffer() {
    global.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      app.installOffer = event;
      if (app.started) app.render();
    });
    global.addEventListener("appinstalled", function () {
      app.installOffer = null;
      if (app.started) app.render();
    });
  }

  app.install = function () {
    var offer = app.installOffer;
    if (!offer) return;
    app.installOffer = null; // an offer can be shown once; the browser makes a new one if declined
    app.render();
    offer.prompt();
  };

  function start() {
    catchInstallOffer();
    I.load();
    I.setLang(readStoredLang() || doc.documentElement.lang || "en");
    global.HazriApp = app;
    app.load().then(function () {
      if (app.meta.lang && !readStoredLang()) I.setLang(app.meta.lang);
      app.started = true;
      app.render();
      global.addEventListener("hashchange", function () {
        if (!app.keepFlash) app.flash = null;
        app.keepFlash = false;
        app.render();
      });
      global.addEventListener("online", function () { app.requestSync("online"); });
      global.addEventListener("offline", function () { app.render(); });
      registerWorker();
      app.requestSync("start");
    }).catch(function (error) {
      doc.getElementById("app").textContent = t("This browser could not open the app's storage.") + " " + error;
    });
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();
})(self);
