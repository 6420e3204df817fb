/* Hazri offline app: the requests to the server, with a timeout, errors sorted by
   kind, and bodies compressed where the server reads them (docs/sync.md, "Compressed
   uploads"). Classic script: the page and the service worker both load it. */
(function (global) {
  "use strict";

  var config = { timeoutMs: 60000 };

  /* kind: "offline" (this device has no network), "unreachable" (the network is up but
     the server did not answer), "server" (a 5xx: not our fault, retried with the same
     client_uuid), "refused" (a 4xx: a judgement on what was sent), "auth". */
  function SyncError(kind, message, status, retryAfterMs, data) {
    this.kind = kind;
    this.message = message;
    this.status = status || 0;
    this.retryAfterMs = retryAfterMs === undefined ? null : retryAfterMs;
    this.data = data || {};
  }
  SyncError.prototype = Object.create(Error.prototype);

  /* Retry-After: seconds, or an HTTP date; null when absent or unreadable. */
  function retryAfter(response) {
    var value = response.headers.get("Retry-After");
    if (!value) return null;
    if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
    var when = Date.parse(value);
    return isNaN(when) ? null : Math.max(0, when - Date.now());
  }

  /* The body as it goes out: gzip-compressed when asked and the browser can
     (CompressionStream), else plain JSON. Resolves {body, gzip}. */
  function encode(body, gzip) {
    if (body === undefined) return Promise.resolve({ body: undefined, gzip: false });
    var text = JSON.stringify(body);
    if (!gzip || typeof global.CompressionStream !== "function") {
      return Promise.resolve({ body: text, gzip: false });
    }
    var stream = new Blob([text]).stream().pipeThrough(new global.CompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (bytes) {
      return { body: bytes, gzip: true };
    }, function () {
      return { body: text, gzip: false };
    });
  }

  /* fetch with a timeout; a network failure or a timeout is "offline" or "unreachable".
     options.gzip: send the body compressed (only where the server said it reads such
     bodies: the pull's accepts_gzip_bodies). */
  function request(method, path, token, body, options) {
    return encode(body, !!(options && options.gzip)).then(function (encoded) {
      return send(method, path, token, encoded);
    });
  }

  /* A body sent as it is (a Blob: a photo's chunk), with its Content-Type and any
     other headers (Upload-Offset); answered like request(). options.timeoutMs: a
     longer wait for a large body on a slow line. */
  function requestRaw(method, path, token, blob, options) {
    options = options || {};
    return send(method, path, token, { body: blob, gzip: false, type: options.type || "application/octet-stream",
      headers: options.headers, timeoutMs: options.timeoutMs });
  }

  function send(method, path, token, encoded) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, encoded.timeoutMs || config.timeoutMs);
    var headers = Object.assign({ Accept: "application/json" }, encoded.headers || {});
    if (token) headers.Authorization = "Bearer " + token;
    if (encoded.body !== undefined) headers["Content-Type"] = encoded.type || "application/json";
    if (encoded.gzip) headers["Content-Encoding"] = "gzip";
    return fetch(path, {
      method: method,
      headers: headers,
      body: encoded.body,
      credentials: "omit",
      cache: "no-store",
      signal: controller.signal,
    }).then(function (response) {
      clearTimeout(timer);
      // The server answers a token it does not know (wrong, revoked, idle too long), or
      // none, with 401 and the bearer challenge, never a CSRF 403 (accounts/auth.py).
      if (response.status === 401) {
        throw new SyncError("auth", "login expired", 401);
      }
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          var kind = response.status >= 500 ? "server" : "refused";
          throw new SyncError(kind, data.detail || response.statusText || "error", response.status,
            retryAfter(response), data);
        });
      }
      return response.json();
    }, function (error) {
      clearTimeout(timer);
      // navigator.onLine is false only when the device has no network at all: with a
      // network and no answer, it is the server (or the way to it) that is down.
      var kind = global.navigator && global.navigator.onLine === false ? "offline" : "unreachable";
      throw new SyncError(kind, String(error && error.message || error), 0);
    });
  }

  global.HazriNet = { config: config, SyncError: SyncError, request: request, requestRaw: requestRaw };
})(self);
