/* "Notify this phone": register the notices' service worker, subscribe with the
   server's VAPID key, and keep the subscription on the server. */
(function () {
  "use strict";
  const button = document.querySelector("[data-push-subscribe]");
  if (!button) return;
  const status = document.querySelector("[data-push-status]");
  const say = (text) => { if (status) status.textContent = text; };
  function keyBytes(base64) {
    const padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }
  function b64(buffer) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(buffer)))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  async function save(subscription) {
    const json = subscription.toJSON ? subscription.toJSON() : subscription;
    const keys = json.keys || {
      p256dh: b64(subscription.getKey("p256dh")), auth: b64(subscription.getKey("auth")),
    };
    const response = await fetch(button.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": button.dataset.csrf },
      body: JSON.stringify({ endpoint: json.endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } }),
    });
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  }
  window.hazriSavePushSubscription = save; // the browser test calls it with a made-up one
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !button.dataset.key) {
    button.disabled = true;
    say(button.dataset.unsupported);
    return;
  }
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      if ((await Notification.requestPermission()) !== "granted") throw new Error("denied");
      const registration = await navigator.serviceWorker.register(button.dataset.worker);
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(button.dataset.key),
      });
      await save(subscription);
      say(button.dataset.done);
    } catch (error) {
      say(button.dataset.failed);
      button.disabled = false;
    }
  });
})();
