/* Streams: live "N new posts" and @mention completion.
   Every page works without this file: reloading shows new posts too. */
(function () {
  "use strict";

  function liveStream(stream) {
    var seen = {};
    var pending = 0;
    var banner = stream.querySelector(".stream-new");
    var list = stream.querySelector(".stream-items");
    stream.querySelectorAll("[data-activity]").forEach(function (item) {
      seen[item.dataset.activity] = true;
    });

    function label() {
      return pending === 1 ? stream.dataset.one : stream.dataset.many.replace("__count__", pending);
    }

    function reveal() {
      var url = stream.dataset.newUrl + "?stream=" + encodeURIComponent(stream.dataset.stream) +
        "&filter=" + encodeURIComponent(stream.dataset.filter || "") +
        "&na=" + encodeURIComponent(stream.dataset.top || "");
      fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          var top = response.headers.get("X-Stream-Top");
          if (top) stream.dataset.top = top;
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("ol");
          holder.innerHTML = html;
          var items = Array.prototype.slice.call(holder.children);
          items.reverse().forEach(function (item) {
            if (!list.querySelector("[data-activity='" + item.dataset.activity + "']")) {
              list.insertBefore(item, list.firstChild);
            }
          });
          var empty = stream.querySelector(".stream-empty");
          if (empty) empty.hidden = true;
          pending = 0;
          banner.hidden = true;
        })
        .catch(function () { window.location.reload(); });
    }

    banner.addEventListener("click", reveal);

    return {
      subscribe: function () {
        send({ type: "streams.subscribe", stream: stream.dataset.stream, filter: stream.dataset.filter || "" });
      },
      activity: function (event) {
        // Events for followed colleagues and topics come to every socket of the user;
        // only the home stream's "all" and "followed" views show those.
        var filter = stream.dataset.filter || "";
        if (event.followed && !(stream.dataset.stream === "home" && (filter === "alles" || filter === "gevolgd"))) return;
        var key = String(event.activity_id);
        if (seen[key]) return;  // a socket in several matching groups hears an item more than once
        seen[key] = true;
        pending += 1;
        banner.textContent = label();
        banner.hidden = false;
      }
    };
  }

  function send(frame) {
    WerkplekLive.send(frame);
  }

  // On the page's shared socket (workplace/live.js): subscribe again after every reconnect.
  function connect(live) {
    WerkplekLive.onOpen(function () { if (live) live.subscribe(); });
    WerkplekLive.on("stream.activity", function (event) { if (live) live.activity(event); });
    WerkplekLive.on("streams.subscribed", function () { document.body.dataset.streamLive = "true"; });
  }

  // @mentions: after "@" and two letters, suggest colleagues; a tap inserts @username.
  function mentions(textarea) {
    var list = document.createElement("ul");
    list.className = "suggestions mention-suggestions";
    list.hidden = true;
    textarea.parentNode.insertBefore(list, textarea.nextSibling);
    var timer = null;
    var latest = 0;

    function current() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = /(^|[^\w@])@([\w.\-]{2,30})$/.exec(before);
      return match ? match[2] : null;
    }

    function insert(username) {
      var caret = textarea.selectionStart;
      var before = textarea.value.slice(0, caret).replace(/@[\w.\-]*$/, "@" + username + " ");
      textarea.value = before + textarea.value.slice(caret);
      textarea.focus();
      textarea.setSelectionRange(before.length, before.length);
      list.hidden = true;
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = current();
      if (!query) { list.hidden = true; return; }
      timer = window.setTimeout(function () {
        var ticket = ++latest;
        fetch("/api/v1/people/?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (ticket !== latest) return;
            list.replaceChildren();
            data.results.forEach(function (person) {
              var li = document.createElement("li");
              var button = document.createElement("button");
              button.type = "button";
              button.className = "link-button";
              button.textContent = person.name + " (@" + person.username + ")";
              button.addEventListener("click", function () { insert(person.username); });
              li.appendChild(button);
              list.appendChild(li);
            });
            list.hidden = data.results.length === 0;
          })
          .catch(function () { list.hidden = true; });
      }, 150);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var stream = document.querySelector(".stream[data-stream]");
    var live = stream ? liveStream(stream) : null;
    if (window.WerkplekLive) connect(live);
    document.querySelectorAll("textarea[data-mentions]").forEach(mentions);
  });
})();
