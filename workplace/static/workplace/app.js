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
              var li = document.createElement("li");
              li.setAttribute("role", "option");
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

  document.addEventListener("DOMContentLoaded", function () {
    terminalIdle();
    document.querySelectorAll("form[data-suggest]").forEach(suggestions);
  });
})();
