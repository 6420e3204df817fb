/* Hazri offline app: the teacher's journal (issue 19). At each sync the app keeps the
   teacher's lessons of the day (GET /api/v1/journal/today, with the school's kinds of
   work and the scale's grades) in IndexedDB, so the journal reads offline ("as of" the
   sync). A topic or a grade entered on the phone is kept in the journal store at once
   with its client_uuid and sent at the next sync, after the roll calls: one POST each
   (/api/v1/journal/lessons, /api/v1/journal/grades). The server answers a client_uuid
   it already holds with the row stored the first time (200), so a resend after a lost
   answer stores nothing twice. Stored (200, 201): "synced". Not accepted (another
   4xx: a grade the scale lacks, a closed term…): kept with the server's reasons until
   the teacher discards it; never sent again by itself. No answer, a 5xx, 429 or 401:
   the sync fails as for the roll calls and the item waits (backoff, Retry-After).
   For a parent or a student, the diary's current week (GET /api/v1/diary) is kept the
   same way and read offline. docs/sync.md, "The journal and the diary offline".
   Classic script: the page and the service worker both load it. */
(function (global) {
  "use strict";

  var DB = global.HazriDB;
  var Roll = global.HazriRoll;
  var Net = global.HazriNet;

  var config = { keepDays: 7 }; // a synced item's line stays this long
  // Answers that are no judgement on the item: sent again later.
  var TRANSIENT = [408, 425, 429];
  var PATHS = { topic: "/api/v1/journal/lessons", grade: "/api/v1/journal/grades" };

  function newItem(kind, payload, about) {
    var uuid = Roll.newUuid();
    return {
      client_uuid: uuid, kind: kind, status: "queued", created_at: new Date().toISOString(),
      payload: Object.assign({ client_uuid: uuid }, payload), about: about || {}, errors: [], server: null,
      on_wire: false,
    };
  }

  /* A lesson's topic: lesson = a row of the day's lessons. A topic of the same lesson
     still waiting, never sent, is changed where it waits; else a new item (the server
     keeps each as a version of the lesson's topic). Resolves the item. */
  function saveTopic(lesson, topic) {
    var text = String(topic || "").trim();
    if (!text) return Promise.reject(new Error("empty"));
    return DB.getAll("journal").then(function (items) {
      var waiting = items.filter(function (i) {
        return i.kind === "topic" && i.status === "queued" && !i.on_wire && i.payload.section === lesson.section &&
          i.payload.day === lesson.day && i.payload.period === lesson.period;
      })[0];
      var item = waiting || newItem("topic", { section: lesson.section, day: lesson.day, period: lesson.period },
        { section_label: lesson.section_label, subject_name: lesson.subject_name });
      item.payload.topic = text;
      item.changed_at = new Date().toISOString();
      return DB.put("journal", item).then(function () { return item; });
    });
  }

  /* A grade: grade = {student, kind, value, comment}, who = {name} for the queue's line. */
  function saveGrade(lesson, grade, who) {
    var item = newItem("grade", {
      section: lesson.section, subject: lesson.subject, student: grade.student, kind: grade.kind,
      day: lesson.day, period: lesson.period, value: String(grade.value).trim(),
      comment: String(grade.comment || "").trim(),
    }, { section_label: lesson.section_label, subject_name: lesson.subject_name, name: (who && who.name) || "",
      kind_name: (grade.kindRow && grade.kindRow.name) || "" });
    return DB.put("journal", item).then(function () { return item; });
  }

  /* Change one item in one transaction: fn(item) changes it, or returns false. */
  function update(uuid, fn) {
    return DB.tx("journal", "readwrite", function (s) {
      var request = s.journal.get(uuid);
      request.onsuccess = function () {
        var item = request.result;
        if (item && fn(item, s.journal) !== false) s.journal.put(item);
      };
    });
  }

  function waiting(item) { return item.status === "queued"; }

  /* One item: resolves "synced" or "rejected"; a failure that is not the item's
     rejects, and the item waits for the next sync (with the same client_uuid). */
  function send(token, item) {
    var sent = JSON.parse(JSON.stringify(item.payload));
    return update(item.client_uuid, function (now) { now.on_wire = true; }).then(function () {
      return Net.request("POST", PATHS[item.kind], token, sent);
    }).then(function (server) {
      return update(item.client_uuid, function (now, store) {
        now.on_wire = false;
        if (now.payload.topic !== sent.topic) {
          // Changed while on the way: the server holds what was sent; the new topic
          // goes as the lesson's next version.
          var next = newItem("topic", { section: sent.section, day: sent.day, period: sent.period }, now.about);
          next.payload.topic = now.payload.topic;
          store.put(next);
          now.payload = sent;
        }
        now.status = "synced";
        now.synced_at = new Date().toISOString();
        now.server = server;
        now.errors = [];
      }).then(function () { return "synced"; });
    }, function (error) {
      if (error.kind !== "refused" || TRANSIENT.indexOf(error.status) !== -1) {
        return update(item.client_uuid, function (now) { now.on_wire = false; }).then(function () { throw error; });
      }
      var data = error.data || {};
      return update(item.client_uuid, function (now) {
        now.on_wire = false;
        now.status = "rejected";
        now.rejected_at = new Date().toISOString();
        now.http_status = error.status;
        now.errors = data.errors && data.errors.length ? data.errors :
          [{ field: "", message: error.message, code: data.code || "" }];
      }).then(function () { return "rejected"; });
    });
  }

  /* Send every item waiting, oldest first (a lesson's topic before its grades when
     entered first). Resolves {synced, rejected}. */
  function upload(token) {
    return DB.getAll("journal").then(function (items) {
      var queued = items.filter(waiting);
      queued.sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      var total = { synced: 0, rejected: 0 };
      return queued.reduce(function (chain, item) {
        return chain.then(function () {
          return send(token, item).then(function (outcome) { total[outcome] += 1; });
        });
      }, Promise.resolve()).then(function () { return total; });
    });
  }

  /* A read the app keeps for offline use: failures leave the copy held (its "as of"
     says how old it is); only an expired login stops the sync. */
  function keep(token, path, key, day) {
    return Net.request("GET", path, token).then(function (data) {
      return DB.kvSet(key, { at: new Date().toISOString(), day: day, data: data });
    }, function (error) {
      if (error.kind === "auth") throw error;
      return null;
    });
  }

  /* After the pull: the day's lessons (when the pull ran, something was sent, or none
     are held), and the diary's week for a family (no school on this phone, or a diary
     already held). */
  function refresh(token, pulled, sent) {
    return DB.kvMany(["journalToday", "diary", "schools", "clockOffsetMs"]).then(function (held) {
      var work = [];
      var school = (held.schools || [])[0];
      // The day of the phone's (first) school, as its "today" screen shows it.
      var day = school ? Roll.dateIn(school.timezone, new Date(Date.now() + (held.clockOffsetMs || 0))) : "";
      if (pulled || sent || !held.journalToday || held.journalToday.day !== day) {
        work.push(keep(token, "/api/v1/journal/today" + (day ? "?day=" + day : ""), "journalToday", day));
      }
      var family = !(held.schools || []).length || (held.diary && held.diary.data.children.length);
      if (family && (pulled || !held.diary)) {
        work.push(keep(token, "/api/v1/diary", "diary", ""));
      }
      return Promise.all(work);
    });
  }

  /* Synced items' lines older than config.keepDays are forgotten. */
  function prune() {
    var cutoff = Roll.addDays(new Date().toISOString().slice(0, 10), -config.keepDays);
    return DB.forget("journal", function (item) {
      return item.status === "synced" && (item.synced_at || "").slice(0, 10) < cutoff;
    });
  }

  /* The teacher drops an item the server did not accept. */
  function discard(uuid) {
    return DB.remove("journal", uuid);
  }

  global.HazriJournal = {
    config: config,
    saveTopic: saveTopic,
    saveGrade: saveGrade,
    upload: upload,
    refresh: refresh,
    waiting: waiting,
    prune: prune,
    discard: discard,
  };
})(self);
