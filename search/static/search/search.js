// As-you-type suggestions on the search page: titles, directive numbers, people.
(function () {
  "use strict";

  function attach(form) {
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
        fetch(form.dataset.searchSuggest + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (ticket !== latest) return;  // an older answer arrived late
            list.replaceChildren();
            data.results.forEach(function (item) {
              var li = document.createElement("li");
              li.setAttribute("role", "option");
              var a = document.createElement("a");
              a.href = item.url;
              a.textContent = (item.number ? item.number + " · " : "") + item.title;
              var meta = document.createElement("span");
              meta.className = "suggestion-meta";
              meta.textContent = [item.type_label, item.detail].filter(Boolean).join(" · ");
              a.appendChild(meta);
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
    document.querySelectorAll("form[data-search-suggest]").forEach(attach);
  });
})();
