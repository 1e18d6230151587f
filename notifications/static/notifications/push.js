/* Push messages on this device (the preferences page, templates/notifications/includes/push_device.html).

   The browser asks for permission only when someone taps "on", never on load. The
   service worker (/sw.js) shows what arrives; the server keeps the subscription
   (/api/v1/push/subscriptions/). The CSRF token comes from the page, never the cookie. */
(function () {
  "use strict";

  var root, status, onButton, offButton, count;

  function supported() {
    return window.isSecureContext && "serviceWorker" in navigator &&
      "PushManager" in window && "Notification" in window;
  }

  // on | off | busy | blocked | unsupported | error: the sentence and the buttons to match.
  function show(state) {
    root.setAttribute("data-push-state", state);
    status.textContent = root.getAttribute("data-text-" + state) || "";
    if (state === "busy") {
      onButton.disabled = offButton.disabled = true;
      return;
    }
    onButton.disabled = offButton.disabled = false;
    onButton.hidden = !(state === "off" || state === "error");
    offButton.hidden = state !== "on";
  }

  function csrfToken() {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]") ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function api(method, url, body) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrfToken();
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.status === 204 ? null : response.json();
    });
  }

  function keyBytes(text) {
    var base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(subscription, key) {
    var own = subscription.options && subscription.options.applicationServerKey;
    if (!own) return false;
    own = new Uint8Array(own);
    if (own.length !== key.length) return false;
    for (var i = 0; i < key.length; i++) if (own[i] !== key[i]) return false;
    return true;
  }

  function currentSubscription() {
    return navigator.serviceWorker.getRegistration("/").then(function (registration) {
      return registration ? registration.pushManager.getSubscription() : null;
    });
  }

  function countChanged() {
    count.hidden = true;  // the page's count is from before; the status says what is true now
  }

  // Older Safari answers through a callback, the others with a promise.
  function askPermission() {
    return new Promise(function (resolve) {
      var answer = Notification.requestPermission(resolve);
      if (answer && answer.then) answer.then(resolve);
    });
  }

  function turnOn() {
    show("busy");
    askPermission().then(function (permission) {
      if (permission === "denied") return show("blocked");
      if (permission !== "granted") return show("off");  // dismissed: ask again on the next tap
      var ready = navigator.serviceWorker.register(root.getAttribute("data-worker-url"), { scope: "/" })
        .then(function () { return navigator.serviceWorker.ready; });
      var key = api("GET", root.getAttribute("data-key-url")).then(function (answer) {
        return keyBytes(answer.public_key);
      });
      return Promise.all([ready, key]).then(function (both) {
        var registration = both[0], applicationServerKey = both[1];
        return registration.pushManager.getSubscription().then(function (existing) {
          // Made with an earlier key, it would never receive ours: start again.
          if (existing && !sameKey(existing, applicationServerKey)) {
            return existing.unsubscribe().then(function () { return null; });
          }
          return existing;
        }).then(function (existing) {
          return existing || registration.pushManager.subscribe({
            userVisibleOnly: true, applicationServerKey: applicationServerKey
          });
        });
      }).then(function (subscription) {
        return api("POST", root.getAttribute("data-subscriptions-url"), subscription.toJSON());
      }).then(function () {
        countChanged();
        show("on");
      });
    }).catch(function () { show("error"); });
  }

  function turnOff() {
    show("busy");
    currentSubscription().then(function (subscription) {
      if (!subscription) return null;
      // The server first: offline, the device stays on and says so.
      return api("DELETE", root.getAttribute("data-subscriptions-url"), { endpoint: subscription.endpoint })
        .then(function () { return subscription.unsubscribe(); });
    }).then(function () {
      countChanged();
      show("off");
    }).catch(function () { show("error"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.querySelector("[data-push-device]");
    if (!root) return;
    status = root.querySelector("[data-push-status]");
    onButton = root.querySelector("[data-push-action=on]");
    offButton = root.querySelector("[data-push-action=off]");
    count = root.querySelector("[data-push-count]");
    if (!supported()) return show("unsupported");
    onButton.addEventListener("click", turnOn);
    offButton.addEventListener("click", turnOff);
    if (Notification.permission === "denied") return show("blocked");
    currentSubscription().then(function (subscription) {
      show(subscription && Notification.permission === "granted" ? "on" : "off");
    }).catch(function () { show("off"); });
  });
})();
