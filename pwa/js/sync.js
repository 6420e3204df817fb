/* Hazri offline app: push the queue, then pull (docs/sync.md). Classic script: the
   page and the service worker (Background Sync) both load it. */
(function (global) {
  "use strict";

  var DB = global.HazriDB;
  var Roll = global.HazriRoll;
  var config = { batchSize: 100, staffBatchSize: 50, timeoutMs: 60000, keepDays: 21 };

  function SyncError(kind, message, status) {
    this.kind = kind; // "offline" | "auth" | "server"
    this.message = message;
    this.status = status || 0;
  }
  SyncError.prototype = Object.create(Error.prototype);

  /* fetch with a timeout; a network failure or a timeout is "offline". */
  function request(method, path, token, body) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, config.timeoutMs);
    var headers = { Accept: "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
      signal: controller.signal,
    }).then(function (response) {
      clearTimeout(timer);
      if (response.status === 401) {
        throw new SyncError("auth", "login expired", 401);
      }
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          throw new SyncError("server", data.detail || response.statusText || "error", response.status);
        });
      }
      return response.json();
    }, function (error) {
      clearTimeout(timer);
      throw new SyncError("offline", String(error && error.message || error), 0);
    });
  }

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

  /* Apply the server's per-item answers; an item without an answer stays queued. The
     batch is answered brief: a stored version comes without its marks, which are the
     ones this phone sent. */
  function applyResults(items, results, key, now) {
    var versions = [];
    items.forEach(function (item, index) {
      var result = results[index];
      if (!result || result.client_uuid !== item.client_uuid) {
        result = results.filter(function (r) { return r.client_uuid === item.client_uuid; })[0];
      }
      if (!result) return;
      if (result.status === "created" || result.status === "duplicate") {
        var version = result[key] || null;
        if (version && !version.marks) version = Object.assign({}, version, { marks: item.payload.marks });
        item.status = "synced";
        item.synced_at = now;
        item.server = version;
        item.errors = [];
        if (version) versions.push(version);
      } else if (result.status === "rejected") {
        item.status = "rejected";
        item.rejected_at = now;
        item.http_status = result.http_status;
        item.errors = result.errors || [];
      }
    });
    return versions;
  }

  function pushChunk(token, students, staff) {
    var body = {
      device_clock: Roll.isoWithOffset(new Date()),
      rollcalls: students.map(wire),
      staff_rollcalls: staff.map(wire),
      answer: "brief",
    };
    return request("POST", "/api/v1/rollcalls/batch", token, body).catch(function (error) {
      // A token the server no longer knows can answer a POST with 403 (its session
      // fallback's CSRF check) instead of 401: ask who we are to tell them apart.
      if (error.kind !== "server" || error.status !== 403) throw error;
      return request("GET", "/api/v1/me", token).then(function () { throw error; });
    }).then(function (data) {
      var now = new Date().toISOString();
      var versions = applyResults(students, data.results || [], "rollcall", now);
      var staffVersions = applyResults(staff, data.staff_results || [], "staff_rollcall", now);
      return DB.tx("queue", "readwrite", function (s) {
        students.concat(staff).forEach(function (item) { s.queue.put(item); });
      }).then(function () {
        return saveVersions(versions, staffVersions);
      }).then(function () {
        return { sent: students.length + staff.length, skew: data.clock_skew_seconds };
      });
    });
  }

  /* Send every queued item, in batches, oldest first. */
  function push(token) {
    return DB.getAll("queue").then(function (all) {
      var queued = all.filter(function (item) { return item.status === "queued"; });
      queued.sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      var students = queued.filter(function (item) { return item.kind !== "staff"; });
      var staff = queued.filter(function (item) { return item.kind === "staff"; });
      var sent = 0;
      function next() {
        if (!students.length && !staff.length) return Promise.resolve(sent);
        var a = students.splice(0, config.batchSize);
        var b = staff.splice(0, config.staffBatchSize);
        return pushChunk(token, a, b).then(function (answer) {
          sent += answer.sent;
          return next();
        });
      }
      return next();
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
      s.kv.put(new Date(data.server_time).getTime() - localNow, "clockOffsetMs");
    }).then(function () {
      return saveVersions(data.rollcalls, data.staff_rollcalls);
    }).then(function () {
      return prune(data.days);
    }).then(heldState).then(function (state) {
      var verified = state === data.state_hash;
      var record = { at: new Date(localNow).toISOString(), full: data.full, verified: verified };
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

  var running = null;

  function locked(fn) {
    var locks = global.navigator && global.navigator.locks;
    if (locks && locks.request) return locks.request("hazri-sync", fn);
    return fn();
  }

  /* One sync: push everything queued, then pull. Resolves {pushed, verified};
     rejects with a SyncError (items stay queued). One at a time per device. */
  function syncOnce() {
    if (running) return running;
    running = DB.kvGet("token", "").then(function (token) {
      if (!token) throw new SyncError("auth", "not logged in", 401);
      return locked(function () {
        var pushed = 0;
        return push(token).then(function (n) {
          pushed = n;
          return pull(token, 0);
        }).then(function (verified) {
          return DB.kvSet("lastSync", { at: new Date().toISOString(), ok: true }).then(function () {
            return { pushed: pushed, verified: verified };
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
        return DB.kvSet("lastSync", { at: new Date().toISOString(), ok: false, kind: failure.kind, message: failure.message });
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
    syncOnce: syncOnce,
    saveVersions: saveVersions,
  };
})(self);
