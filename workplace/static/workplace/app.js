/* Werkplek: small enhancements. Every page works without this file. */
(function () {
  "use strict";

  // On a shared terminal: log out after the idle time, even if nobody touches the screen.
  function terminalIdle() {
    var body = document.body;
    var seconds = parseInt(body.dataset.idleSeconds || "0", 10);
    var form = document.querySelector(".logout-form");
    if (!seconds || !form) return;
    var left = seconds;
    var label = document.querySelector(".idle-countdown");
    var reset = function () { left = seconds; };
    ["pointerdown", "keydown", "scroll", "touchstart"].forEach(function (name) {
      window.addEventListener(name, reset, { passive: true });
    });
    window.setInterval(function () {
      left -= 1;
      if (label) label.textContent = left <= 30 ? "(" + left + " s)" : "";
      if (left <= 0) form.submit();
    }, 1000);
  }

  // As-you-type suggestions for forms that name a JSON endpoint in data-suggest.
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
              var li = document.createElement("li");
              var a = document.createElement("a");
              a.href = item.url;
              a.textContent = item.name;
              var meta = document.createElement("span");
              meta.className = "person-meta";
              meta.textContent = [item.job_title, item.department].filter(Boolean).join(" · ");
              a.appendChild(meta);
              li.appendChild(a);
              list.appendChild(li);
            });
            list.hidden = data.results.length === 0;
          })
          .catch(function () { list.hidden = true; });
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") list.hidden = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    terminalIdle();
    document.querySelectorAll("form[data-suggest]").forEach(suggestions);
  });
})();
