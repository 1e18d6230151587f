/* The page's one WebSocket to /ws/, shared by every module's script.
 *
 *   WerkplekLive.on(type, fn)   frames of that type ("*" for all)
 *   WerkplekLive.onOpen(fn)     on every (re)connection: subscribe, catch up, resend
 *   WerkplekLive.onClose(fn)    when the connection drops
 *   WerkplekLive.send(frame)    true when it went out now
 *
 * It reconnects with back-off, leaves the page when the session ended, and
 * keeps navigation badges live: a badge that names a URL and event types is
 * asked again (from the database) after such an event.
 */
(function () {
  "use strict";

  var socket = null;
  var retry = 1000;
  var handlers = {};
  var openers = [];
  var closers = [];

  function dispatch(frame) {
    (handlers[frame.type] || []).concat(handlers["*"] || []).forEach(function (fn) { fn(frame); });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/");
    socket.addEventListener("open", function () {
      retry = 1000;
      openers.forEach(function (fn) { fn(); });
      // What a page's own frames went out after: tests (and styles) can wait on it.
      document.documentElement.dataset.socket = "open";
    });
    socket.addEventListener("message", function (message) {
      var frame;
      try { frame = JSON.parse(message.data); } catch (error) { return; }
      if (frame && typeof frame.type === "string") dispatch(frame);
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      document.documentElement.dataset.socket = "closed";
      closers.forEach(function (fn) { fn(event); });
      if (event.code === 4401) return;  // logged out: stay quiet
      var delay = retry * (0.5 + Math.random());
      retry = Math.min(retry * 2, 30000);
      window.setTimeout(connect, delay);
    });
  }

  var live = {
    on: function (type, fn) { (handlers[type] = handlers[type] || []).push(fn); },
    onOpen: function (fn) {
      openers.push(fn);
      if (socket && socket.readyState === WebSocket.OPEN) fn();
    },
    onClose: function (fn) { closers.push(fn); },
    send: function (frame) {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify(frame));
        return true;
      }
      return false;
    }
  };
  window.WerkplekLive = live;

  // Clears what the browser kept for this person and leaves (workplace/app.js).
  live.on("session.end", function () { window.Werkplek.sessionEnded(); });

  function liveBadge(badge) {
    var timer = null;
    var refresh = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (window.Werkplek.leaving()) return;
        fetch(badge.dataset.badgeUrl, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (!data) return;
            var count = data[badge.dataset.badgeField || "count"] || 0;
            badge.textContent = String(count);
            badge.hidden = !count;
          })
          .catch(function () { /* offline: the next event asks again */ });
      }, 300);
    };
    (badge.dataset.badgeOn || "").split(" ").filter(Boolean).forEach(function (type) {
      live.on(type, refresh);
    });
    live.onOpen(refresh);  // after a gap, ask once: events may have been missed
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.body.dataset.live || !("WebSocket" in window)) return;
    document.querySelectorAll(".mainnav [data-badge-url]").forEach(liveBadge);
    connect();
  });
})();
