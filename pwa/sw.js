/* Hazri offline app: the service worker. The server puts `const HAZRI = {version,
   shell, scripts}` above this file. It keeps the app shell (page, scripts, styles,
   icons, manifest) so the app opens with no network, and sends the queue by itself
   when Background Sync wakes it and no page of the app is open. API calls are never
   cached: they go to the network or fail. */
/* global HAZRI, HazriSync, HazriDB */
"use strict";

var CACHE = "hazri-shell-" + HAZRI.version;

importScripts.apply(null, HAZRI.scripts);

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // Fresh copies, not the HTTP cache's: this version's files, exactly.
    return cache.addAll(HAZRI.shell.map(function (url) { return new Request(url, { cache: "reload" }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("hazri-shell-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var shellUrl = HAZRI.shell[0];
  if (request.mode === "navigate" && url.pathname === shellUrl) {
    // The page: from the cache, whatever the query or #route; the network only if missing.
    event.respondWith(caches.match(shellUrl, { cacheName: CACHE }).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  if (HAZRI.shell.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname, { cacheName: CACHE }).then(function (hit) {
      return hit || fetch(request);
    }));
  }
});

/* Background Sync: an open page syncs itself (it shows progress); with none open,
   the worker sends the queue. A failure rejects, so the browser tries again later. */
self.addEventListener("sync", function (event) {
  if (event.tag !== "hazri-sync") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (windows) {
    if (windows.length) {
      windows.forEach(function (client) { client.postMessage({ type: "sync" }); });
      return null;
    }
    return HazriSync.syncOnce().then(function (result) {
      return HazriDB.kvSet("authFailed", false).then(function () {
        // Items the server could not store this time: the browser tries again later.
        if (result.retry) throw new Error("the server asked to retry " + result.retry);
      });
    }, function (error) {
      if (error.kind === "auth") return null;
      throw error;
    });
  }));
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "version" && event.source) {
    event.source.postMessage({ type: "version", version: HAZRI.version });
  }
});
