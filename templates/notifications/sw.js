{% load static %}/* Werkplek's service worker (served at /sw.js): push messages only.

   It has no fetch handler and uses no cache: it never sees, keeps or serves a page,
   so nothing of one person stays on a device for the next (shared terminals cannot
   subscribe at all). A push message carries only {title, body, url}. */
"use strict";

var ICON = "{% static 'workplace/favicon.svg' %}";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

// Only our own pages open from a notification: another origin's address keeps its path here.
function ownUrl(value) {
  try {
    var url = new URL(value || "/", self.location.origin);
    if (url.origin !== self.location.origin) {
      url = new URL(url.pathname + url.search + url.hash, self.location.origin);
    }
    return url.href;
  } catch (error) {
    return self.location.origin + "/";
  }
}

self.addEventListener("push", function (event) {
  var message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { body: event.data ? event.data.text() : "" };
  }
  var title = typeof message.title === "string" && message.title ? message.title : "Werkplek";
  event.waitUntil(self.registration.showNotification(title, {
    body: typeof message.body === "string" ? message.body : "",
    icon: ICON,
    data: { url: ownUrl(message.url) }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = ownUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true })
    .then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === target && "focus" in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(target);
    }));
});
