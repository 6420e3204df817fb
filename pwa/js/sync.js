/* Hazri offline app: push the queue, then pull (docs/sync.md). Classic script: the
   page and the service worker (Background Sync) both load it. */
(function (global) {
  "use strict";

  var DB = global.HazriDB;
  var Roll = global.HazriRoll;
  var Net = global.HazriNet;
  var Photos = global.HazriPhotos;
  var Refs = global.HazriRefs;
  var Journal = global.HazriJournal;
  var SyncError = Net.SyncError;
  var request = Net.request;
  /* One object with the network's (timeoutMs). pullMaxAgeMs: after a push whose answer
     says nothing changed for this device, it still pulls when its last pull is older
     than this (the calendar, the schools' rules and staff carry no "changed" answer;
     docs/sync.md, "Pulling less"). */
  var config = Object.assign(Net.config, { batchSize: 100, staffBatchSize: 50, keepDays: 21,
    pullMaxAgeMs: 5 * 60 * 1000 });

  /* SHA-256 (hex) of JSON.stringify([enrolmentRows, studentRows]), rows sorted by id. */
  function stateHash(enrolments, students) {
    var byId = function (a, b) { return a.id - b.id; };
    var enrolmentRows = enrolments.slice().sort(byId).map(function (e) {
      return [e.id, e.student, e.section, e.admission_no, e.admitted_on, e.origin,
        e.roll_no === undefined ? null : e.roll_no, e.starts_on,
        e.ends_on === undefined ? null : e.ends_on];
    });
    var studentRows = students.slice().sort(byId).map(function (s) {
      return [s.id, s.name, s.name_local, s.gender];
    });
    var bytes = new TextEncoder().encode(JSON.stringify([enrolmentRows, studentRows]));
    return global.crypto.subtle.digest("SHA-256", bytes).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (b) {
        return (b + 256).toString(16).slice(1);
      }).join("");
    });
  }

  function heldState() {
    return Promise.all([DB.getAll("enrolments"), DB.getAll("students")]).then(function (both) {
      return stateHash(both[0], both[1]);
    });
  }

  function sameRollcall(a, b) {
    return a.section === b.section && a.day === b.day && a.meeting === b.meeting;
  }

  /* Store server versions; a newer current version makes the others not current. */
  function storeVersions(stores, name, incoming, existing) {
    var same = name === "rollcalls" ? sameRollcall : function (a, b) {
      return a.school === b.school && a.day === b.day;
    };
    incoming.forEach(function (version) {
      if (version.is_current) {
        existing.forEach(function (other) {
          if (other.id !== version.id && other.is_current && same(other, version)) {
            other.is_current = false;
            stores[name].put(other);
          }
        });
      }
      stores[name].put(version);
      existing.push(version);
    });
  }

  function saveVersions(rollcalls, staffRollcalls) {
    return Promise.all([DB.getAll("rollcalls"), DB.getAll("staff_rollcalls")]).then(function (held) {
      return DB.tx(["rollcalls", "staff_rollcalls"], "readwrite", function (s) {
        storeVersions(s, "rollcalls", rollcalls, held[0]);
        storeVersions(s, "staff_rollcalls", staffRollcalls, held[1]);
      });
    });
  }

  /* An item as it goes on the wire: its marks compact, the ids in one list and one
     letter each (the server reports errors by position in them, as in payload.marks). */
  function wire(item) {
    var p = item.payload, out = {}, staff = item.kind === "staff";
    Object.keys(p).forEach(function (k) { if (k !== "marks") out[k] = p[k]; });
    out[staff ? "staff" : "students"] = p.marks.map(function (m) { return staff ? m.staff : m.student; });
    out.codes = p.marks.map(function (m) { return m.code; }).join("");
    return out;
  }

  function isStaff(item) { return item.kind === "staff"; }
  function isMeal(item) { return item.kind === "meal"; }
  function isStudents(item) { return !isStaff(item) && !isMeal(item); }

  /* Waiting to be sent: queued, or refused by an older server with a 5xx status, which
     was never a judgement on the roll call (docs/sync.md, "Retryable failures"). */
  function waiting(item) {
    return item.status === "queued" || (item.status === "rejected" && item.http_status >= 500);
  }

  function marksMap(marks) {
    var out = {};
    (marks || []).forEach(function (m) { out[m.staff !== undefined ? "s" + m.staff : m.student] = m.code; });
    return out;
  }

  function sameMarks(a, b) {
    var x = marksMap(a), y = marksMap(b);
    var keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every(function (k) { return x[k] === y[k]; });
  }

  /* Read the items afresh and note that they go on the wire: from now on the server may
     hold this client_uuid even if no answer comes back (on_wire), so an edit of the item
     must be checked against what the server stored (edited_on_wire, set by the app). */
  function claim(items) {
    return DB.tx("queue", "readwrite", function (s) {
      var fresh = [];
      items.forEach(function (item) {
        var request = s.queue.get(item.client_uuid);
        request.onsuccess = function () {
          var now = request.result;
          if (!now || !waiting(now)) return;
          if (now.status === "rejected") { now.status = "queued"; now.errors = []; }
          now.rev = now.rev || 0;
          now.on_wire = true;
          s.queue.put(now);
          fresh.push(JSON.parse(JSON.stringify(now)));
        };
      });
      return fresh;
    });
  }

  /* What one answer makes of an item: the item(s) to put back. `sent` is the copy that
     went out, `now` the item as the queue holds it now (the teacher may have changed it
     while the batch was on its way). */
  function settle(sent, now, result, key, at, out) {
    if (!now) return [];
    var changed = (now.rev || 0) !== (sent.rev || 0);
    var status = result ? result.status : null;
    // An older server answered a failure of its own as "rejected" with a 5xx status.
    if (status === "rejected" && result.http_status >= 500) status = "retry";
    if (status === "created" || status === "duplicate") {
      var version = result[key] || null;
      var held = sent.payload;
      if (version && version.marks && status === "duplicate" &&
          (!sameMarks(version.marks, sent.payload.marks) || (version.note || "") !== (sent.payload.note || ""))) {
        // The server stored an earlier copy of this roll call under its client_uuid (its
        // answer was lost, then the teacher changed the marks): that copy is one
        // version, and the marks on the phone go as a new roll call.
        held = Object.assign({}, sent.payload, { marks: version.marks, note: version.note });
        changed = true;
      }
      if (version && !version.marks) version = Object.assign({}, version, { marks: held.marks });
      if (version) (key === "rollcall" ? out.versions : out.staffVersions).push(version);
      var done = Object.assign({}, now, {
        status: "synced", synced_at: at, server: version, errors: [], payload: held, rev: sent.rev,
        replaced_by: result.replaced_by || null, on_wire: false, edited_on_wire: false,
      });
      delete done.retry;
      if (!changed) return [done];
      var uuid = Roll.newUuid();
      out.split += 1;
      return [done, {
        client_uuid: uuid, kind: now.kind, status: "queued", created_at: at, errors: [], rev: 0,
        payload: Object.assign({}, now.payload, { client_uuid: uuid }), follows: now.client_uuid,
      }];
    }
    if (status === "rejected" || status === "retry") {
      // Not stored: the client_uuid is free again, whatever was sent under it.
      now.on_wire = false;
      now.edited_on_wire = false;
      if (status === "retry") {
        out.retry += 1;
        now.retry = { at: at, count: ((now.retry && now.retry.count) || 0) + 1, errors: result.errors || [] };
      } else if (!changed) {
        // A judgement on marks the teacher has since changed is not theirs any more.
        now.status = "rejected";
        now.rejected_at = at;
        now.http_status = result.http_status;
        now.errors = result.errors || [];
      }
      return [now];
    }
    // No answer for it: it stays queued, and may be stored.
    return [now];
  }

  function settleAll(s, items, results, key, at, out) {
    items.forEach(function (item, index) {
      var result = results[index];
      if (!result || result.client_uuid !== item.client_uuid) {
        result = results.filter(function (r) { return r.client_uuid === item.client_uuid; })[0];
      }
      var request = s.queue.get(item.client_uuid);
      request.onsuccess = function () {
        settle(item, request.result, result, key, at, out).forEach(function (one) { s.queue.put(one); });
      };
    });
  }

  function pushChunk(token, students, staff) {
    return claim(students.concat(staff)).then(function (sent) {
      var a = sent.filter(isStudents), b = sent.filter(isStaff);
      if (!sent.length) return { sent: 0, retry: 0, split: 0, answered: false, changed: false };
      var body = {
        device_clock: Roll.isoWithOffset(new Date()),
        rollcalls: a.map(wire),
        staff_rollcalls: b.map(wire),
        // Brief: a stored version comes back without its marks, the ones this phone sent;
        // full when an item changed after it went out, to compare with what was stored.
        answer: sent.some(function (i) { return i.edited_on_wire; }) ? "full" : "brief",
      };
      return DB.kvGet("acceptsGzip", false).then(function (gzip) {
        return request("POST", "/api/v1/rollcalls/batch", token, body, { gzip: gzip === true });
      }).then(function (data) {
        var at = new Date().toISOString();
        var out = { versions: [], staffVersions: [], retry: 0, split: 0 };
        return DB.tx("queue", "readwrite", function (s) {
          settleAll(s, a, data.results || [], "rollcall", at, out);
          settleAll(s, b, data.staff_results || [], "staff_rollcall", at, out);
        }).then(function () {
          return saveVersions(out.versions, out.staffVersions);
        }).then(function () {
          return { sent: sent.length, retry: out.retry, split: out.split, skew: data.clock_skew_seconds,
            // An older server does not say: then something may have changed.
            answered: true, changed: data.changed_since_pull !== false };
        });
      });
    });
  }

  /* The day's mid-day meals, one POST each (the school's count for the day: sending
     it again sets the same number). */
  function pushMeal(token, item, total) {
    return claim([item]).then(function (sent) {
      if (!sent.length) return null;
      var one = sent[0];
      var path = "/api/v1/schools/" + one.payload.school + "/meals";
      var body = { day: one.payload.day, meals_served: one.payload.meals_served };
      return request("POST", path, token, body).then(function (data) {
        return { ok: data };
      }, function (error) {
        // A 401 (the token expired or revoked) is "auth", not a refusal: the sync stops,
        // the app asks to log in again, and the number waits in the queue.
        if (error.kind !== "refused") throw error;
        return { refused: error };
      }).then(function (answer) {
        var at = new Date().toISOString();
        return DB.tx("queue", "readwrite", function (s) {
          var request = s.queue.get(one.client_uuid);
          request.onsuccess = function () {
            var now = request.result;
            if (!now) return;
            now.on_wire = false;
            if ((now.rev || 0) !== (one.rev || 0)) {
              // Changed on the way: the new number is sent next (it replaces the day's).
            } else if (answer.ok) {
              now.status = "synced";
              now.synced_at = at;
              now.server = answer.ok;
              now.errors = [];
            } else {
              var data = answer.refused.data || {};
              now.status = "rejected";
              now.rejected_at = at;
              now.http_status = answer.refused.status;
              now.errors = data.errors && data.errors.length ? data.errors :
                [{ field: "", message: answer.refused.message, code: data.code || "" }];
            }
            s.queue.put(now);
          };
        }).then(function () { total.sent += 1; });
      });
    });
  }

  /* Send every queued item, in batches, oldest first; then the meals. Resolves
     {sent, retry}: retry counts the items the server could not store this time. */
  function push(token, round) {
    return DB.getAll("queue").then(function (all) {
      var queued = all.filter(waiting);
      queued.sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      var students = queued.filter(isStudents);
      var staff = queued.filter(isStaff);
      var meals = queued.filter(isMeal);
      var total = { sent: 0, retry: 0, split: 0, answered: false, changed: false };
      function next() {
        if (!students.length && !staff.length) return Promise.resolve(total);
        var a = students.splice(0, config.batchSize);
        var b = staff.splice(0, config.staffBatchSize);
        return pushChunk(token, a, b).then(function (answer) {
          total.sent += answer.sent;
          total.retry += answer.retry;
          total.split += answer.split;
          total.answered = total.answered || answer.answered;
          total.changed = total.changed || answer.changed;
          return next();
        });
      }
      function nextMeal() {
        if (!meals.length) return Promise.resolve(total);
        return pushMeal(token, meals.shift(), total).then(nextMeal);
      }
      return next().then(nextMeal).then(function () {
        // Marks changed after an earlier copy was stored went back in the queue as new
        // roll calls: send them now.
        if (!total.split || (round || 0) >= 2) return total;
        return push(token, (round || 0) + 1).then(function (more) {
          return { sent: total.sent + more.sent, retry: total.retry + more.retry, split: more.split,
            answered: total.answered || more.answered, changed: total.changed || more.changed };
        });
      });
    });
  }

  function prune(days) {
    var cutoff = Roll.addDays(new Date().toISOString().slice(0, 10), -config.keepDays);
    return DB.tx(["rollcalls", "staff_rollcalls", "queue"], "readwrite", function (s) {
      ["rollcalls", "staff_rollcalls"].forEach(function (name) {
        s[name].openCursor().onsuccess = function (event) {
          var cursor = event.target.result;
          if (!cursor) return;
          if (cursor.value.day < cutoff) cursor.delete();
          cursor.continue();
        };
      });
      // Only what the server has acknowledged is ever removed from the queue.
      s.queue.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (!cursor) return;
        var item = cursor.value;
        if ((item.status === "synced" || item.status === "replaced") && item.payload.day < cutoff) {
          cursor.delete();
        }
        cursor.continue();
      };
      return days;
    });
  }

  function applyPull(data) {
    var localNow = Date.now();
    return DB.tx(["kv", "students", "enrolments"], "readwrite", function (s) {
      if (data.full) {
        s.students.clear();
        s.enrolments.clear();
      }
      data.students.forEach(function (row) { s.students.put(row); });
      data.enrolments.forEach(function (row) { s.enrolments.put(row); });
      s.kv.put(data.schools, "schools");
      s.kv.put(data.days, "days");
      s.kv.put(data.sections, "sections");
      s.kv.put(data.staff, "staff");
      s.kv.put(data.token, "pullToken");
      s.kv.put(data.accepts_gzip_bodies === true, "acceptsGzip");
      s.kv.put(new Date(data.server_time).getTime() - localNow, "clockOffsetMs");
    }).then(function () {
      return saveVersions(data.rollcalls, data.staff_rollcalls);
    }).then(function () {
      return prune(data.days);
    }).then(heldState).then(function (state) {
      var verified = state === data.state_hash;
      var record = { at: new Date(localNow).toISOString(), full: data.full, verified: verified,
        todays: todays(data.schools, new Date(data.server_time)) };
      return DB.kvSet("lastPull", record).then(function () {
        // What we hold differs from what the server meant us to hold: the next pull is full.
        return verified ? true : DB.kvSet("pullToken", "").then(function () { return false; });
      });
    });
  }

  function pull(token, attempt) {
    return Promise.all([DB.kvGet("pullToken", ""), heldState()]).then(function (held) {
      var query = "?token=" + encodeURIComponent(held[0] || "") +
        "&state=" + encodeURIComponent(held[0] ? held[1] : "") +
        "&device_clock=" + encodeURIComponent(Roll.isoWithOffset(new Date()));
      return request("GET", "/api/v1/sync/pull" + query, token);
    }).then(applyPull).then(function (verified) {
      if (!verified && !attempt) return pull(token, 1);
      return verified;
    });
  }

  /* Each school's today ("id:date" joined), in its own zone, at an instant. */
  function todays(schools, when) {
    return (schools || []).map(function (school) {
      return school.id + ":" + Roll.dateIn(school.timezone, when);
    }).join(",");
  }

  /* After a push: pull only when the server said something changed for this device
     since its last pull, when that pull is older than config.pullMaxAgeMs, when a
     school's day has turned since (the roll of the day being marked is then another
     one), or when nothing tells us (no batch answered, no verified pull held). */
  function pullNeeded(pushed) {
    if (!pushed.answered || pushed.changed) return Promise.resolve(true);
    return Promise.all([DB.kvGet("lastPull", null), DB.kvGet("pullToken", ""),
      DB.kvGet("schools", []), DB.kvGet("clockOffsetMs", 0)]).then(function (held) {
      var last = held[0];
      if (!last || !last.verified || !held[1] || !last.at) return true;
      var age = Date.now() - Date.parse(last.at);
      if (!(age >= 0 && age < config.pullMaxAgeMs)) return true;
      return todays(held[2], new Date(Date.now() + (held[3] || 0))) !== last.todays;
    });
  }

  var running = null;

  function locked(fn) {
    var locks = global.navigator && global.navigator.locks;
    if (locks && locks.request) return locks.request("hazri-sync", fn);
    return fn();
  }

  /* One sync: push everything queued, then pull (after a push, only when pullNeeded).
     Resolves {pushed, retry, verified, pulled} (retry: items the server could not store
     this time, still queued; verified null when it did not pull); rejects with a
     SyncError (items stay queued). One at a time per device. */
  function syncOnce() {
    if (running) return running;
    running = DB.kvGet("token", "").then(function (token) {
      if (!token) throw new SyncError("auth", "not logged in", 401);
      return locked(function () {
        var pushed = { sent: 0, retry: 0 };
        var pulled = false;
        var photos = { sent: 0, rejected: 0 };
        var journal = { synced: 0, rejected: 0 };
        return push(token).then(function (answer) {
          pushed = answer;
          // Then the journal's topics and grades (journal.js), one request each.
          return Journal.upload(token);
        }).then(function (sent) {
          journal = sent;
          // Then the class photos (photos.js): after the roll calls, which are small and
          // urgent; a failure here is handled as the batch's (backoff, Retry-After).
          return Photos.upload(token).then(function (sent) {
            photos = sent;
            return Photos.follow(token, true);
          }).then(Photos.prune).then(function () {
            // Then the students' reference photos (refs.js), one request each.
            return Refs.upload(token);
          }).then(Refs.prune).then(Journal.prune);
        }).then(function () {
          // A device sends all it holds before it pulls: the server refuses marks dated
          // well before a pull of the device that sends them (captured_before_last_sync).
          // With items the server could not store yet, the pull waits for them.
          if (pushed.retry) return null;
          return pullNeeded(pushed).then(function (needed) {
            if (!needed) return null;
            pulled = true;
            return pull(token, 0);
          });
        }).then(function (verified) {
          // The day's lessons and a family's week, kept to read offline (journal.js).
          return Journal.refresh(token, pulled, journal.synced + journal.rejected).then(function () { return verified; });
        }).then(function (verified) {
          var record = { at: new Date().toISOString(), ok: true, retry: pushed.retry, pulled: pulled };
          return DB.kvSet("lastSync", record).then(function () {
            return { pushed: pushed.sent, retry: pushed.retry, verified: verified, pulled: pulled,
              photos: photos.sent };
          });
        });
      });
    }).then(function (result) {
      running = null;
      return result;
    }, function (error) {
      running = null;
      var failure = error instanceof SyncError ? error : new SyncError("server", String(error && error.message || error));
      var mark = failure.kind === "auth" ? DB.kvSet("authFailed", true) : Promise.resolve();
      return mark.then(function () {
        return DB.kvSet("lastSync", { at: new Date().toISOString(), ok: false, kind: failure.kind,
          message: failure.message, status: failure.status });
      }).then(function () { throw failure; });
    });
    return running;
  }

  global.HazriSync = {
    config: config,
    SyncError: SyncError,
    request: request,
    stateHash: stateHash,
    heldState: heldState,
    push: push,
    pull: pull,
    pullNeeded: pullNeeded,
    settle: settle,
    syncOnce: syncOnce,
    saveVersions: saveVersions,
  };
})(self);
