/* Hazri offline app: class photos (issue 18). The teacher takes 1 to 6 photos of a
   section for a day and meeting; they wait on the phone (IndexedDB: photo_sets, and
   the photos in photo_blobs) and go up when there is a connection: the set is
   announced (POST /api/v1/photo-sets, idempotent by client_uuid, answered with what
   the server holds of each photo), then each photo in chunks (PUT .../photos/{index}
   with Upload-Offset) from the server's count, so a cut connection resumes where it
   stopped. Once the server holds every photo the blobs are removed, and the set's
   progress is followed (GET /api/v1/photo-sets/{id}) until the photos propose a roll
   call for the teacher to check (review_url). docs/sync.md, "Class photos".
   Classic script: the page and the service worker both load it. */
(function (global) {
  "use strict";

  var DB = global.HazriDB;
  var Roll = global.HazriRoll;
  var Net = global.HazriNet;
  var SyncError = Net.SyncError;

  var config = {
    chunkBytes: 512 * 1024, // the server takes at most 1 MiB a request
    maxPhotos: 6,
    maxBytes: 12 * 1024 * 1024, // the server's MAX_PHOTO_BYTES
    bytesPerSecond: 2048, // a chunk is given the time it takes on this slow a line (2G)
    pollMs: 5000,
    keepDays: 21,
    onProgress: null, // the page's: called after each chunk the server took
  };
  // The server's statuses while the photos are on their way to a proposal.
  var FOLLOWED = ["uploading", "queued", "processing"];

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }

  function bytesOf(blob) {
    return blob.arrayBuffer ? blob.arrayBuffer() : new Response(blob).arrayBuffer();
  }

  /* The media type its first bytes announce, as the server checks them; null if the
     file is not a JPEG, PNG or WebP photo. */
  function sniff(buffer) {
    var b = new Uint8Array(buffer.slice(0, 12));
    var at = function (i, bytes) { return bytes.every(function (x, k) { return b[i + k] === x; }); };
    if (at(0, [0xff, 0xd8, 0xff])) return "image/jpeg";
    if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
    if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return "image/webp";
    return null;
  }

  /* When a photo was taken: the file's time where it is a plausible one (taken in the
     last 12 hours, not in the future), else now. */
  function captureTime(file, now) {
    var at = file.lastModified;
    if (!at || at > now + 60000 || now - at > 12 * 3600 * 1000) return new Date(now);
    return new Date(Math.min(at, now));
  }

  function refusal(code, index, file) {
    var error = new Error(code);
    error.code = code;
    error.index = index;
    error.name_ = file && file.name ? file.name : String(index + 1);
    return error;
  }

  /* One file read once: its bytes (kept as the phone's own copy: a camera's file may
     be gone by the time it is sent), type, size and SHA-256. */
  function describe(file, index) {
    if (!file.size) return Promise.reject(refusal("empty", index, file));
    if (file.size > config.maxBytes) return Promise.reject(refusal("too_large", index, file));
    return bytesOf(file).then(function (buffer) {
      var type = sniff(buffer);
      if (!type) throw refusal("not_a_photo", index, file);
      return global.crypto.subtle.digest("SHA-256", buffer).then(function (digest) {
        return { blob: new Blob([buffer], { type: type }), size: buffer.byteLength, type: type, sha256: hex(digest) };
      });
    });
  }

  /* Keep the photos of a section's meeting on the phone: what = {section, day,
     meeting}. Resolves the set; rejects with an Error whose code says which photo
     cannot be sent (empty, too_large, not_a_photo) or that the count is wrong. */
  function save(what, files) {
    if (!files.length || files.length > config.maxPhotos) return Promise.reject(refusal("count", 0, null));
    var now = Date.now();
    var described = [];
    var chain = Promise.resolve();
    files.forEach(function (file, index) { // one at a time: a few MB each
      chain = chain.then(function () {
        return describe(file, index).then(function (one) { described.push(one); });
      });
    });
    return chain.then(function () {
      var uuid = Roll.newUuid();
      var set = {
        client_uuid: uuid, kind: "photos", status: "queued", created_at: new Date(now).toISOString(),
        section: what.section, day: what.day, meeting: what.meeting, set_id: null, server: null, errors: [],
        photos: described.map(function (one, index) {
          return { index: index, size: one.size, type: one.type, sha256: one.sha256, received: 0,
            captured_at: Roll.isoWithOffset(captureTime(files[index], now)) };
        }),
      };
      return DB.tx(["photo_sets", "photo_blobs"], "readwrite", function (s) {
        s.photo_sets.put(set);
        described.forEach(function (one, index) {
          s.photo_blobs.put({ key: uuid + ":" + index, set: uuid, index: index, blob: one.blob });
        });
        return set;
      });
    });
  }

  /* Change one set in one transaction: fn(set) changes it, or returns false to leave
     it. Resolves the set as stored (null when gone). */
  function update(uuid, fn) {
    return DB.tx("photo_sets", "readwrite", function (s) {
      var out = { set: null };
      var request = s.photo_sets.get(uuid);
      request.onsuccess = function () {
        var set = request.result;
        if (!set || fn(set) === false) return;
        s.photo_sets.put(set);
        out.set = set;
      };
      return out;
    }).then(function (out) { return out.set; });
  }

  function serverPhoto(server, index) {
    return (server.photos || []).filter(function (p) { return p.index === index; })[0] || null;
  }

  /* How much of a photo the server holds (all of it once it is received). */
  function held(server, index) {
    var photo = serverPhoto(server, index);
    if (!photo) return 0;
    return photo.status && photo.status !== "uploading" ? photo.size : photo.received;
  }

  function complete(server) {
    return (server.photos || []).length === server.expected &&
      server.photos.every(function (p) { return held(server, p.index) >= p.size; });
  }

  /* The server's answer, kept with the set: its id, status and each photo's count. */
  function note(uuid, server) {
    return update(uuid, function (set) {
      set.set_id = server.id;
      set.server = server;
      set.photos.forEach(function (photo) { photo.received = held(server, photo.index); });
    }).then(function (set) {
      if (set && config.onProgress) config.onProgress(set);
      return server;
    });
  }

  function errorCode(error) {
    var data = error.data || {};
    return (data.errors && data.errors[0] && data.errors[0].code) || data.code || "";
  }

  /* A refusal of the set itself (4xx): kept on the phone with the server's reasons,
     to discard; never dropped silently. */
  function refuse(uuid, error) {
    var data = error.data || {};
    return update(uuid, function (set) {
      set.status = "rejected";
      set.rejected_at = new Date().toISOString();
      set.http_status = error.status;
      set.errors = data.errors && data.errors.length ? data.errors :
        [{ field: "", message: error.message, code: data.code || error.code || "" }];
    });
  }

  /* Every photo is on the server: the blobs go, the set is followed. */
  function finish(set, server) {
    return DB.tx(["photo_sets", "photo_blobs"], "readwrite", function (s) {
      set.photos.forEach(function (photo) { s.photo_blobs.delete(set.client_uuid + ":" + photo.index); });
      var request = s.photo_sets.get(set.client_uuid);
      request.onsuccess = function () {
        var now = request.result;
        if (!now) return;
        now.status = "uploaded";
        now.uploaded_at = new Date().toISOString();
        now.set_id = server.id;
        now.server = server;
        now.photos.forEach(function (photo) { photo.received = photo.size; });
        s.photo_sets.put(now);
      };
    }).then(function () {
      if (config.onProgress) config.onProgress(set);
    });
  }

  /* One photo, chunk after chunk, from what the server holds. An offset the server
     does not take (409 offset_mismatch) resumes from its count; bytes that did not
     make the photo (409 digest_mismatch: the server dropped them) start it again,
     once, as the server says. */
  function sendPhoto(token, set, photo, server) {
    if (held(server, photo.index) >= photo.size) return Promise.resolve(server);
    return DB.get("photo_blobs", set.client_uuid + ":" + photo.index).then(function (row) {
      if (!row) {
        var gone = new SyncError("refused", "The photo is no longer on this phone.", 0, null,
          { errors: [{ field: "photos[" + photo.index + "]", message: "The photo is no longer on this phone.", code: "photo_missing" }] });
        throw gone;
      }
      var path = "/api/v1/photo-sets/" + server.id + "/photos/" + photo.index;
      function resume(mismatches, restarts) {
        return Net.request("GET", "/api/v1/photo-sets/" + server.id, token).then(function (fresh) {
          return note(set.client_uuid, fresh).then(function () {
            return step(held(fresh, photo.index), fresh, mismatches, restarts);
          });
        });
      }
      function step(offset, latest, mismatches, restarts) {
        if (offset >= photo.size) return Promise.resolve(latest);
        var end = Math.min(offset + config.chunkBytes, photo.size);
        return Net.requestRaw("PUT", path, token, row.blob.slice(offset, end), {
          headers: { "Upload-Offset": String(offset) },
          timeoutMs: Net.config.timeoutMs + Math.ceil((end - offset) / config.bytesPerSecond) * 1000,
        }).then(function (answer) {
          return note(set.client_uuid, answer).then(function () {
            var next = held(answer, photo.index);
            if (next > offset) return step(next, answer, 0, restarts);
            if (mismatches >= 2) throw new SyncError("server", "the upload does not advance", 0);
            return step(next, answer, mismatches + 1, restarts);
          });
        }, function (error) {
          var code = errorCode(error);
          if (error.status === 409 && code === "offset_mismatch") {
            if (mismatches >= 2) throw new SyncError("server", error.message, 409);
            return resume(mismatches + 1, restarts);
          }
          if (error.status === 409 && code === "digest_mismatch" && !restarts) return resume(0, 1);
          throw error;
        });
      }
      return step(held(server, photo.index), server, 0, 0);
    });
  }

  /* One set: announced (again: the same client_uuid answers with what the server
     holds), then each photo. Resolves "sent" or "rejected"; a failure that is not the
     set's (no network, a 5xx, 401) rejects, and the set waits for the next sync. */
  function uploadSet(token, set) {
    var body = {
      client_uuid: set.client_uuid, section: set.section, day: set.day, meeting: set.meeting,
      device_clock: Roll.isoWithOffset(new Date()),
      photos: set.photos.map(function (p) { return { size: p.size, sha256: p.sha256, captured_at: p.captured_at }; }),
    };
    return Net.request("POST", "/api/v1/photo-sets", token, body).then(function (server) {
      return note(set.client_uuid, server);
    }).then(function (server) {
      var chain = Promise.resolve(server);
      set.photos.forEach(function (photo) {
        chain = chain.then(function (latest) { return sendPhoto(token, set, photo, latest); });
      });
      return chain;
    }).then(function (server) {
      if (complete(server)) return finish(set, server).then(function () { return "sent"; });
      throw new SyncError("server", "the server does not hold every photo yet", 0);
    }, function (error) {
      if (error.kind !== "refused") throw error;
      return refuse(set.client_uuid, error).then(function () { return "rejected"; });
    });
  }

  function waiting(set) { return set.status === "queued"; }

  /* Uploaded, and the server has not proposed a roll call yet (or, with `all`, not
     submitted one: asked at each sync for the sets of the last three days, so the
     phone learns that the teacher submitted the review on the web page). */
  function followed(set, all) {
    if (set.status !== "uploaded" || !set.server) return false;
    if (FOLLOWED.indexOf(set.server.status) !== -1) return true;
    var recent = set.day >= Roll.addDays(new Date().toISOString().slice(0, 10), -2);
    return !!all && recent && set.server.status === "proposed";
  }

  /* Send every set waiting, oldest first. Resolves {sent, rejected}. */
  function upload(token) {
    return DB.getAll("photo_sets").then(function (sets) {
      var queued = sets.filter(waiting).sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      var total = { sent: 0, rejected: 0 };
      return queued.reduce(function (chain, set) {
        return chain.then(function () {
          return uploadSet(token, set).then(function (outcome) { total[outcome] += 1; });
        });
      }, Promise.resolve()).then(function () { return total; });
    });
  }

  /* Ask the server how far its sets have gone. A failure to reach it leaves them as
     they are (asked again later); a 401 rejects. Resolves how many changed. */
  function follow(token, all) {
    return DB.getAll("photo_sets").then(function (sets) {
      var changed = 0;
      return sets.filter(function (set) { return followed(set, all); }).reduce(function (chain, set) {
        return chain.then(function () {
          return Net.request("GET", "/api/v1/photo-sets/" + set.set_id, token).then(function (server) {
            var before = JSON.stringify(set.server);
            if (before !== JSON.stringify(server)) changed += 1;
            return update(set.client_uuid, function (now) { now.server = server; });
          }, function (error) {
            if (error.kind === "auth") throw error;
            return null;
          });
        });
      }, Promise.resolve()).then(function () { return changed; });
    });
  }

  /* Sets the server holds, of days older than config.keepDays, are forgotten. */
  function prune() {
    var cutoff = Roll.addDays(new Date().toISOString().slice(0, 10), -config.keepDays);
    return DB.forget("photo_sets", function (set) {
      return set.status === "uploaded" && set.day < cutoff;
    });
  }

  /* The teacher drops a set the server refused (or one not sent yet). */
  function discard(uuid) {
    return DB.tx(["photo_sets", "photo_blobs"], "readwrite", function (s) {
      s.photo_sets.delete(uuid);
      s.photo_blobs.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (!cursor) return;
        if (cursor.value.set === uuid) cursor.delete();
        cursor.continue();
      };
    });
  }

  /* Bytes the server holds and bytes in all, over a set's photos. */
  function progress(set) {
    var sent = 0, total = 0;
    set.photos.forEach(function (photo) { sent += Math.min(photo.received || 0, photo.size); total += photo.size; });
    return { sent: sent, total: total };
  }

  global.HazriPhotos = {
    config: config,
    sniff: sniff,
    save: save,
    upload: upload,
    follow: follow,
    followed: followed,
    waiting: waiting,
    prune: prune,
    discard: discard,
    progress: progress,
  };
})(self);
