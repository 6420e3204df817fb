/* Hazri offline app: a small promise wrapper around IndexedDB.
   Classic script (no modules) so the service worker can importScripts() it too. */
(function (global) {
  "use strict";

  var NAME = "hazri";
  // 1: the roll calls' stores. 2: photo_sets and photo_blobs (class photos); an
  // upgrade from 1 adds them and keeps everything else as it is. 3: ref_photos
  // (students' reference photos); added the same way. 4: journal (the teacher's topics
  // and grades entered on the phone), added the same way.
  var VERSION = 4;
  // kv: settings and the small lists that the server always sends whole.
  // students, enrolments: by id (full pulls replace, deltas upsert).
  // rollcalls, staff_rollcalls: the server's roll-call versions, by id.
  // queue: what this device captured, by client_uuid, until the server answers.
  // photo_sets: a section's class photos for a day and meeting, by client_uuid: what
  //   was announced, how much the server holds, its progress (pwa/js/photos.js).
  // photo_blobs: the photos themselves ("<client_uuid>:<index>"), removed once the
  //   server holds every photo of the set.
  // ref_photos: reference photos of students, by client_uuid, the photo with them until
  //   the server added it (pwa/js/refs.js).
  // journal: lessons' topics and grades entered on this phone, by client_uuid, until the
  //   server stored them (pwa/js/journal.js). The day's lessons and the diary's week are
  //   kept in kv ("journalToday", "diary").
  var STORES = {
    kv: null,
    students: "id",
    enrolments: "id",
    rollcalls: "id",
    staff_rollcalls: "id",
    queue: "client_uuid",
    photo_sets: "client_uuid",
    photo_blobs: "key",
    ref_photos: "client_uuid",
    journal: "client_uuid",
  };
  var opening = null;

  function promised(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function open() {
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      var request = global.indexedDB.open(NAME, VERSION);
      // Each version only adds stores: whatever an older version holds is kept.
      request.onupgradeneeded = function () {
        var db = request.result;
        Object.keys(STORES).forEach(function (name) {
          if (db.objectStoreNames.contains(name)) return;
          var options = STORES[name] ? { keyPath: STORES[name] } : undefined;
          db.createObjectStore(name, options);
        });
      };
      request.onsuccess = function () {
        var db = request.result;
        // Another tab upgrading the schema: let it, and open again next time.
        db.onversionchange = function () { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = function () { opening = null; reject(request.error); };
      request.onblocked = function () { /* an old tab holds it; onsuccess follows */ };
    });
    return opening;
  }

  /* Run fn(stores) in one transaction; resolves with fn's result once committed. */
  function tx(names, mode, fn) {
    names = [].concat(names);
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(names, mode);
        var stores = {};
        names.forEach(function (name) { stores[name] = transaction.objectStore(name); });
        var result;
        try {
          result = fn(stores);
        } catch (error) {
          transaction.abort();
          reject(error);
          return;
        }
        transaction.oncomplete = function () {
          Promise.resolve(result).then(resolve, reject);
        };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error || new Error("aborted")); };
      });
    });
  }

  function getAll(name) {
    return tx(name, "readonly", function (s) { return promised(s[name].getAll()); });
  }

  function get(name, key) {
    return tx(name, "readonly", function (s) { return promised(s[name].get(key)); });
  }

  function put(name, value) {
    return tx(name, "readwrite", function (s) { s[name].put(value); });
  }

  function putMany(name, values) {
    return tx(name, "readwrite", function (s) {
      values.forEach(function (value) { s[name].put(value); });
    });
  }

  function remove(name, key) {
    return tx(name, "readwrite", function (s) { s[name].delete(key); });
  }

  function kvGet(key, fallback) {
    return get("kv", key).then(function (value) {
      return value === undefined ? fallback : value;
    });
  }

  function kvSet(key, value) {
    return tx("kv", "readwrite", function (s) { s.kv.put(value, key); });
  }

  function kvMany(keys) {
    return tx("kv", "readonly", function (s) {
      return Promise.all(keys.map(function (key) { return promised(s.kv.get(key)); }));
    }).then(function (values) {
      var out = {};
      keys.forEach(function (key, index) { out[key] = values[index]; });
      return out;
    });
  }

  /* Forget everything (a different user logs in on this device). */
  function wipe() {
    return tx(Object.keys(STORES), "readwrite", function (s) {
      Object.keys(s).forEach(function (name) { s[name].clear(); });
    });
  }

  /* Delete the rows of one store that `isOld(row)` says are done with (the queues'
     lines of synced items past their keeping days). */
  function forget(name, isOld) {
    return tx(name, "readwrite", function (s) {
      s[name].openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (!cursor) return;
        if (isOld(cursor.value)) cursor.delete();
        cursor.continue();
      };
    });
  }

  global.HazriDB = {
    open: open,
    forget: forget,
    tx: tx,
    promised: promised,
    get: get,
    getAll: getAll,
    put: put,
    putMany: putMany,
    remove: remove,
    kvGet: kvGet,
    kvSet: kvSet,
    kvMany: kvMany,
    wipe: wipe,
  };
})(self);
