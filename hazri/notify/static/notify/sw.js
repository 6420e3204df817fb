/* Hazri notices: show a Web Push notice, and open its page when tapped. */
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { body: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "Hazri", {
    body: data.body || "",
    tag: "hazri-notice-" + (data.notice || ""),
    data: { url: data.url || "/notices/" },
  }));
});
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
