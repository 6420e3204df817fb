/* Hazri offline app: reference photos of students (issue 18, enrolment of faces). The
   teacher takes a photo of one student; it is made small on the phone (at most
   config.maxSide pixels on the long side, JPEG), kept in IndexedDB (ref_photos) and
   sent when there is a connection, after the roll calls and the class photos: one
   POST /api/v1/students/{id}/references with the photo as the body and the item's
   client_uuid as its Idempotency-Key, so a resend after a lost answer finds the
   reference stored the first time. Added (200, 201): the photo leaves the phone. Not
   accepted (another 4xx: no consent, no face, too small…): kept with the server's
   reason until the teacher discards it; never sent again by itself. No answer, a 5xx,
   429 or 401: the sync fails as for the roll calls and the item waits (backoff,
   Retry-After). docs/sync.md, "Reference photos from the app".
   Classic script: the page and the service worker both load it. */
(function (global) {
  "use strict";

  var DB = global.HazriDB;
  var Roll = global.HazriRoll;
  var Net = global.HazriNet;

  var config = {
    maxSide: 1280, // a reference needs a face of 60 px or more: one child's photo keeps it
    quality: 0.9,
    maxBytes: 8 * 1024 * 1024, // the server's MAX_REFERENCE_BYTES
    bytesPerSecond: 2048, // the request is given the time it takes on a 2G line
    keepDays: 7, // an added photo's line stays this long (the photo itself is gone)
  };
  // Answers that are no judgement on the photo: sent again later.
  var TRANSIENT = [408, 425, 429];

  function refusal(code) {
    var error = new Error(code);
    error.code = code;
    return error;
  }

  /* The decoded picture, turned as the camera held it (EXIF orientation). */
  function bitmapOf(file) {
    if (typeof global.createImageBitmap !== "function") return Promise.reject(refusal("no_canvas"));
    return global.createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
      return global.createImageBitmap(file); // an older browser without that option
    });
  }

  function canvasOf(width, height) {
    if (typeof global.OffscreenCanvas === "function") return new global.OffscreenCanvas(width, height);
    var canvas = global.document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    return canvas;
  }

  function jpeg(canvas) {
    if (canvas.convertToBlob) return canvas.convertToBlob({ type: "image/jpeg", quality: config.quality });
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) {
        if (blob) resolve(blob);
        else reject(refusal("no_canvas"));
      }, "image/jpeg", config.quality);
    });
  }

  /* The photo made small: at most config.maxSide on its long side, a JPEG (what the
     camera wrote about place and device stays behind). Resolves {blob, width, height};
     rejects with code "not_a_photo" when the file is no picture. */
  function shrink(file) {
    return bitmapOf(file).catch(function () { throw refusal("not_a_photo"); }).then(function (bitmap) {
      var scale = Math.min(1, config.maxSide / Math.max(bitmap.width, bitmap.height));
      var width = Math.max(1, Math.round(bitmap.width * scale));
      var height = Math.max(1, Math.round(bitmap.height * scale));
      var canvas = canvasOf(width, height);
      var context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(bitmap, 0, 0, width, height);
      if (bitmap.close) bitmap.close();
      return jpeg(canvas).then(function (blob) {
        if (blob.size > config.maxBytes) throw refusal("too_large");
        return { blob: blob, width: width, height: height };
      });
    });
  }

  /* Keep a reference photo of a student on the phone: who = {student, section, name}.
     Resolves the item as stored. */
  function save(who, file) {
    if (!file || !file.size) return Promise.reject(refusal("empty"));
    return shrink(file).then(function (small) {
      var uuid = Roll.newUuid();
      var item = {
        client_uuid: uuid, kind: "reference", status: "queued", created_at: new Date().toISOString(),
        student: who.student, section: who.section, name: who.name || "", size: small.blob.size,
        width: small.width, height: small.height, blob: small.blob, errors: [], server: null,
      };
      return DB.put("ref_photos", item).then(function () { return item; });
    });
  }

  /* Change one item in one transaction: fn(item) changes it, or returns false. */
  function update(uuid, fn) {
    return DB.tx("ref_photos", "readwrite", function (s) {
      var request = s.ref_photos.get(uuid);
      request.onsuccess = function () {
        var item = request.result;
        if (item && fn(item) !== false) s.ref_photos.put(item);
      };
    });
  }

  function added(uuid, server) {
    return update(uuid, function (item) {
      item.status = "added";
      item.added_at = new Date().toISOString();
      item.server = server;
      item.errors = [];
      delete item.blob; // the server holds it now
    });
  }

  function refuse(uuid, error) {
    var data = error.data || {};
    return update(uuid, function (item) {
      item.status = "rejected";
      item.rejected_at = new Date().toISOString();
      item.http_status = error.status;
      item.errors = data.errors && data.errors.length ? data.errors :
        [{ field: "", message: error.message, code: data.code || "" }];
    });
  }

  /* One item: resolves "added" or "rejected"; a failure that is not the photo's
     rejects, and the item waits for the next sync. */
  function send(token, item) {
    var path = "/api/v1/students/" + item.student + "/references";
    return Net.requestRaw("POST", path, token, item.blob, {
      type: item.blob.type || "image/jpeg",
      headers: { "Idempotency-Key": item.client_uuid },
      timeoutMs: Net.config.timeoutMs + Math.ceil(item.size / config.bytesPerSecond) * 1000,
    }).then(function (server) {
      return added(item.client_uuid, server).then(function () { return "added"; });
    }, function (error) {
      if (error.kind !== "refused" || TRANSIENT.indexOf(error.status) !== -1) throw error;
      return refuse(item.client_uuid, error).then(function () { return "rejected"; });
    });
  }

  function waiting(item) { return item.status === "queued"; }

  /* Send every photo waiting, oldest first. Resolves {added, rejected}. */
  function upload(token) {
    return DB.getAll("ref_photos").then(function (items) {
      var queued = items.filter(function (i) { return waiting(i) && i.blob; });
      queued.sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      var total = { added: 0, rejected: 0 };
      return queued.reduce(function (chain, item) {
        return chain.then(function () {
          return send(token, item).then(function (outcome) { total[outcome] += 1; });
        });
      }, Promise.resolve()).then(function () { return total; });
    });
  }

  /* Added photos' lines older than config.keepDays are forgotten. */
  function prune() {
    var cutoff = Roll.addDays(new Date().toISOString().slice(0, 10), -config.keepDays);
    return DB.forget("ref_photos", function (item) {
      return item.status === "added" && (item.added_at || "").slice(0, 10) < cutoff;
    });
  }

  /* The teacher drops a photo the server did not accept (or one not sent yet). */
  function discard(uuid) {
    return DB.remove("ref_photos", uuid);
  }

  global.HazriRefs = {
    config: config,
    shrink: shrink,
    save: save,
    upload: upload,
    waiting: waiting,
    prune: prune,
    discard: discard,
  };
})(self);
