/* Werkplek: small enhancements. Every page works without this file. */
(function () {
  "use strict";

  var body = document.body;

  // --- emoji are decoration beside words --------------------------------------------
  // A screen without an emoji font (many shared terminals) draws them as empty boxes:
  // when an emoji comes out exactly like a code point no font has, hide them all.
  var EMOJI_FONT = '16px "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", sans-serif';

  function drawsEmoji() {
    var canvas = document.createElement("canvas");
    var context = canvas.getContext && canvas.getContext("2d");
    if (!context) return true;  // cannot tell: leave them
    canvas.width = canvas.height = 24;
    function pixels(text) {
      context.clearRect(0, 0, 24, 24);
      context.font = EMOJI_FONT;
      context.textBaseline = "top";
      context.fillText(text, 0, 0);
      return Array.prototype.join.call(context.getImageData(0, 0, 24, 24).data, "");
    }
    return pixels("\ud83c\udf89") !== pixels(String.fromCodePoint(0x3fffd));
  }

  if (document.querySelector(".emoji") && !drawsEmoji()) {
    document.documentElement.classList.add("no-emoji");
  }

  // --- what the browser keeps belongs to one person ------------------------------
  // Every key is "werkplek.<user id>.<name>" and is only read for that person.
  // Anything else under "werkplek." (another person's, or from before keys had an
  // owner) is removed on every page, and everything at logout and session end.
  var PREFIX = "werkplek.";
  var owner = body.dataset.userId || "";

  function areas() {
    var found = [];
    try { found.push(window.localStorage, window.sessionStorage); } catch (e) { /* storage blocked */ }
    return found;
  }

  function removeKeys(keep) {
    areas().forEach(function (area) {
      try {
        for (var i = area.length - 1; i >= 0; i--) {
          var key = area.key(i);
          if (key && key.indexOf(PREFIX) === 0 && !keep(key)) area.removeItem(key);
        }
      } catch (e) { /* storage blocked */ }
    });
  }

  var store = {
    get: function (name) {
      if (!owner) return null;
      try { return window.localStorage.getItem(PREFIX + owner + "." + name); } catch (e) { return null; }
    },
    set: function (name, value) {
      if (!owner) return;
      try { window.localStorage.setItem(PREFIX + owner + "." + name, value); } catch (e) { /* full, private mode */ }
    },
    remove: function (name) {
      try { window.localStorage.removeItem(PREFIX + owner + "." + name); } catch (e) { /* storage blocked */ }
    },
    clear: function () { removeKeys(function () { return false; }); }
  };

  var mine = PREFIX + owner + ".";
  removeKeys(function (key) { return owner !== "" && key.indexOf(mine) === 0; });

  // --- the end of a session ------------------------------------------------------
  var leaving = false;

  // The session is over, or about to be: nothing of it may stay in this browser.
  // On a terminal go to the idle logout, which lands on its PIN login; elsewhere
  // reload and let the server say where to go.
  function leave(url) {
    if (leaving) return;
    leaving = true;
    store.clear();
    if (url) window.location.assign(url);
    else window.location.reload();
  }

  function sessionEnded() { leave(body.dataset.idleLogoutUrl || ""); }

  document.querySelectorAll("form[data-logout]").forEach(function (form) {
    form.addEventListener("submit", function () {
      leaving = true;  // no reload on the socket's session.end may race this logout
      store.clear();
    });
  });

  // Back into a page from the browser's memory (after a logout, say): ask the server.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && owner) window.location.reload();
  });

  // --- the idle clock ------------------------------------------------------------
  // Taps and key presses, shared by this person's tabs, are reported to the server
  // (at most every few seconds, but always, a little later), so the server's idle
  // clock, its sockets' deadlines and the terminal's countdown agree: the server
  // never counts a session idle that the page saw in use.
  function idleClock() {
    var seconds = parseInt(body.dataset.idleSeconds || "0", 10);
    var url = body.dataset.activityUrl;
    if (!seconds || !url || !owner) return;
    var every = Math.min(Math.max(seconds / 20, 5), 300) * 1000;
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var reported = Date.now();  // loading this page was a request
    var pending = null;
    var noted = 0;

    function report() {
      pending = null;
      if (leaving) return;  // the tap was on "Afmelden": the session is ending
      reported = Date.now();
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: token ? { "X-CSRFToken": token.value } : {}
      }).then(function (response) {
        if (response.status === 401 || response.redirected) sessionEnded();
      }).catch(function () { /* offline: the next tap reports again */ });
    }

    function lastActive() {
      return Math.max(parseInt(store.get("activeAt") || "0", 10) || 0, reported);
    }

    function touched() {
      var now = Date.now();
      if (now - noted > 1000) { noted = now; store.set("activeAt", String(now)); }
      if (pending) return;
      var wait = reported + every - now;
      if (wait <= 0) report();
      else pending = window.setTimeout(report, wait);
    }

    ["pointerdown", "keydown", "scroll", "touchstart"].forEach(function (name) {
      window.addEventListener(name, touched, { passive: true });
    });
    store.set("activeAt", String(reported));

    // A shared terminal shows the last 30 seconds and leaves at the end.
    var logoutUrl = body.dataset.idleLogoutUrl;
    if (!logoutUrl) return;
    var label = document.querySelector(".idle-countdown");
    window.setInterval(function () {
      var left = Math.ceil((lastActive() + seconds * 1000 - Date.now()) / 1000);
      if (label) label.textContent = left <= 30 && left > 0 ? "(" + left + " s)" : "";
      if (left <= 0) leave(logoutUrl);
    }, 1000);
  }

  // --- when something happened --------------------------------------------------------
  // The twin of workplace/templatetags/moments.py: the same buckets, the same words (which
  // base.html hands over in data-moment-words), the same time zone as the server's pages.
  var momentWords = null;

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function inGhent(date, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric", hourCycle: "h23"
    }).formatToParts(date).forEach(function (part) { parts[part.type] = Number(part.value); });
    return parts;
  }

  function dayNumber(parts) { return Date.UTC(parts.year, parts.month - 1, parts.day) / 86400000; }

  function moment(iso, now) {
    if (!momentWords) {
      var source = body.dataset.momentWords;
      momentWords = source ? JSON.parse(source) : null;
      if (!momentWords) return { text: "", title: "" };
    }
    var w = momentWords;
    var date = new Date(iso);
    now = now || new Date();
    var seconds = (now - date) / 1000;
    var local = inGhent(date, w.timeZone);
    var today = inGhent(now, w.timeZone);
    var clock = pad(local.hour) + ":" + pad(local.minute);
    var weekday = (new Date(dayNumber(local) * 86400000).getUTCDay() + 6) % 7;  // Monday 0
    var title = w.weekdays[weekday] + " " + local.day + " " + w.months[local.month - 1] + " " +
      local.year + ", " + clock;
    var text;
    var days = dayNumber(today) - dayNumber(local);
    if (seconds > -60 && seconds < 60) text = w.now;
    else if (seconds >= 60 && seconds < 3600) text = w.minutes.replace("%(minutes)s", Math.floor(seconds / 60));
    else if (days === 0) text = clock;
    else if (days === 1) text = w.yesterday.replace("%(time)s", clock);
    else {
      text = local.day + " " + w.shortMonths[local.month - 1];
      if (local.year !== today.year) text += " " + local.year;
    }
    return { text: text, title: title };
  }

  // A <time> for a moment, as the |moment filter writes it.
  function momentElement(iso) {
    var element = document.createElement("time");
    var said = moment(iso);
    element.dateTime = iso;
    element.title = said.title;
    element.textContent = said.text;
    element.setAttribute("data-moment", "");
    return element;
  }

  // "5 min geleden" does not stay true: every minute, every moment on the page is said anew.
  window.setInterval(function () {
    document.querySelectorAll("time[data-moment]").forEach(function (element) {
      var text = moment(element.dateTime).text;
      if (text && element.textContent !== text) element.textContent = text;
    });
  }, 60000);

  window.Werkplek = {
    store: store, sessionEnded: sessionEnded, moment: moment, momentElement: momentElement,
    // Requests in the background stop once the session ends: sent after the logout
    // they would only be refused (a 401 in the console of a page on its way out).
    leaving: function () { return leaving; }
  };

  // As-you-type suggestions for forms that name a JSON endpoint in data-suggest.
  // Each result has a url, a title or a name, and optionally a number and details.
  function suggestionLabel(item) {
    return (item.number ? item.number + " · " : "") + (item.title || item.name || "");
  }

  function suggestionDetail(item) {
    return [item.type_label, item.job_title, item.department, item.detail].filter(Boolean).join(" · ");
  }

  function suggestions(form) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector(".suggestions");
    if (!input || !list) return;
    var timer = null;
    var latest = 0;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2) { list.hidden = true; return; }
      timer = window.setTimeout(function () {
        var ticket = ++latest;
        fetch(form.dataset.suggest + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (ticket !== latest) return;  // an older answer arrived late
            list.replaceChildren();
            data.results.forEach(function (item) {
              // A plain list of links: a listbox's options may not hold a link, and
              // these are links to follow, not values to pick.
              var li = document.createElement("li");
              var a = document.createElement("a");
              a.href = item.url;
              a.textContent = suggestionLabel(item);
              var detail = document.createElement("span");
              detail.className = "suggestion-meta";
              detail.textContent = suggestionDetail(item);
              a.appendChild(detail);
              li.appendChild(a);
              list.appendChild(li);
            });
            list.hidden = data.results.length === 0;
          })
          .catch(function () { list.hidden = true; });
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") list.hidden = true;
    });
  }

  // "Seen" counters: an element with data-seen-url that stays at least half on screen
  // for a second is reported once per page (a POST; without script, the element's
  // <noscript> image counts it instead). Elements added later (the stream's "more",
  // live items) are watched too.
  function seenCounters() {
    if (!("IntersectionObserver" in window)) return;
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var timers = new Map();
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var element = entry.target;
        if (entry.isIntersecting) {
          if (timers.has(element)) return;
          timers.set(element, window.setTimeout(function () {
            observer.unobserve(element);
            if (leaving) return;
            fetch(element.dataset.seenUrl, {
              method: "POST",
              credentials: "same-origin",
              keepalive: true,
              headers: token ? { "X-CSRFToken": token.value } : {}
            }).catch(function () { /* offline: not counted, as nothing was shown to count */ });
          }, 1000));
        } else if (timers.has(element)) {
          window.clearTimeout(timers.get(element));
          timers.delete(element);
        }
      });
    }, { threshold: 0.5 });
    function watch(root) {
      if (root.matches && root.matches("[data-seen-url]")) observer.observe(root);
      if (root.querySelectorAll) root.querySelectorAll("[data-seen-url]").forEach(function (el) { observer.observe(el); });
    }
    watch(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) { change.addedNodes.forEach(watch); });
    }).observe(document.body, { childList: true, subtree: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    idleClock();
    seenCounters();
    document.querySelectorAll("form[data-suggest]").forEach(suggestions);
  });
})();
