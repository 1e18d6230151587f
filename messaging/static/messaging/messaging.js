/* Messaging, live: frames on the page's shared socket, an outbox that survives reloads, receipts.
 * The pages work without this file (plain form posts); this makes them instant.
 * Protocol: docs/realtime.md, section Messaging.
 */
(function () {
  "use strict";

  // Kept per person (workplace/app.js): never sent or shown for the next one on this browser.
  var store = window.Werkplek.store;
  var chat = null;        // the <ol> of the open conversation, if any
  var me = 0;
  var typingTimer = null;

  // --- outbox: unacknowledged messages, kept in localStorage -------------------
  function loadOutbox() {
    try { return JSON.parse(store.get("outbox") || "[]"); } catch (e) { return []; }
  }
  function saveOutbox(items) { store.set("outbox", JSON.stringify(items)); }
  function dropFromOutbox(clientId) {
    saveOutbox(loadOutbox().filter(function (item) { return item.client_id !== clientId; }));
  }
  function lastSeen() { return parseInt(store.get("lastMessage") || "0", 10) || 0; }
  function noteSeen(id) { if (id > lastSeen()) store.set("lastMessage", String(id)); }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function label(name, count) {
    var text = chat ? chat.dataset[name] || "" : "";
    return text.replace("{count}", count).replace("{name}", count);
  }

  // --- the page's shared socket (workplace/live.js), with messaging's catch-up ---
  function connect() {
    WerkplekLive.onOpen(function () {
      document.body.dataset.messagingSocket = "open";  // a condition tests can wait for
      status("");
      // Catch up from the database first, then resend what was never acknowledged.
      if (lastSeen()) {
        var frame = { type: "sync", since: lastSeen() };
        var at = store.get("syncedAt");
        if (at) frame.changed_since = at;
        send(frame);
      }
      loadOutbox().forEach(function (item) { send(item); });
      presence();
    });
    WerkplekLive.on("*", handle);
    WerkplekLive.onClose(function (event) {
      document.body.dataset.messagingSocket = "closed";
      if (event.code !== 4401) status(chat ? chat.dataset.pendingLabel : "");
    });
  }

  function send(frame) {
    return WerkplekLive.send(frame);
  }

  function status(text) {
    var el = document.getElementById("connection");
    if (!el) return;
    el.textContent = text;
    el.hidden = !text;
  }

  // --- frames from the server -------------------------------------------------
  function handle(frame) {
    switch (frame.type) {
      case "message.new":
      case "message.update":
        noteSeen(frame.message.id);
        render(frame.message);
        if (frame.type === "message.new" && !chat) refreshInbox(frame.conversation);
        if (chat && frame.message.conversation === conversationId() && !document.hidden) markRead();
        break;
      case "sync.done":
        store.set("syncedAt", frame.at);
        if (frame.more) send({ type: "sync", since: frame.last });
        break;
      case "message.ack":
        dropFromOutbox(frame.client_id);
        noteSeen(frame.message.id);
        render(frame.message);
        break;
      case "read":
        if (frame.user === me) break;
        receipt(frame);
        break;
      case "delivered":
        delivered(frame);
        break;
      case "typing":
        if (chat && frame.conversation === conversationId()) showTyping(frame.name);
        break;
      case "presence.state":
        frame.users.forEach(showPresence);
        break;
      case "conversation.removed":
        if (chat && frame.conversation === conversationId()) window.location.reload();
        break;
      case "error":
        if (frame.client_id) failed(frame);
        break;
    }
  }

  function conversationId() { return chat ? parseInt(chat.dataset.conversation, 10) : 0; }

  function findMessage(message) {
    return (message.id && document.getElementById("m" + message.id)) ||
      chat.querySelector('[data-client-id="' + CSS.escape(message.client_id || "") + '"]');
  }

  // Build a message bubble from its JSON; ``html`` is sanitized on the server.
  function render(message) {
    if (!chat || message.conversation !== conversationId()) return;
    var empty = chat.querySelector(".chat-empty");
    if (empty) empty.remove();
    var li = findMessage(message);
    var fresh = !li;
    if (fresh) {
      li = document.createElement("li");
      chat.appendChild(li);
    }
    li.id = message.id ? "m" + message.id : "";
    li.className = "chat-message" + (message.sender.id === me ? " mine" : "") +
      (message.deleted ? " deleted" : "") + (message.id ? "" : " pending");
    li.dataset.clientId = message.client_id;
    if (message.id) li.dataset.id = message.id;
    var meta = document.createElement("p");
    meta.className = "chat-meta";
    var who = document.createElement("strong");
    who.textContent = message.sender.name;
    var when = window.Werkplek.momentElement(message.created);  // as the page says it
    meta.append(who, " ", when);
    if (message.edited && !message.deleted) meta.append(" (" + chat.dataset.editedLabel + ")");
    var body = document.createElement("div");
    body.className = "chat-body" + (message.deleted ? " muted" : "");
    if (message.deleted) body.textContent = chat.dataset.deletedLabel;
    else if (message.html) body.innerHTML = message.html;
    else body.textContent = message.body;
    var oldState = fresh ? null : li.querySelector("[data-receipt]");
    var oldText = oldState ? oldState.textContent : "";
    li.replaceChildren(meta, body);
    if (message.attachment && !message.deleted) {
      var attachment = document.createElement("p");
      attachment.className = "chat-attachment";
      attachment.appendChild(message.attachment.image ? photo(message) :
        link(message.attachment.url, message.attachment.name));
      li.appendChild(attachment);
    }
    if (!message.deleted) {
      var mine = message.sender.id === me;
      var tools = document.createElement("p");
      tools.className = "chat-tools";
      if (message.id) {
        tools.appendChild(link("?reply=" + message.id + "#composer", chat.dataset.replyLabel));
        if (mine) {
          var base = "/berichten/" + message.conversation + "/" + message.id + "/";
          tools.appendChild(link(base + "bewerken/", chat.dataset.editLabel));
          tools.appendChild(link(base + "verwijderen/", chat.dataset.deleteLabel));
        }
      }
      if (mine) {
        var state = document.createElement("span");
        state.className = "receipt";
        state.dataset.receipt = "";
        if (!message.id) state.textContent = chat.dataset.pendingLabel;
        else if (oldText && oldText !== chat.dataset.pendingLabel) state.textContent = oldText;
        else if (message.id <= deliveredUpTo) state.textContent = chat.dataset.deliveredLabel;
        else state.textContent = chat.dataset.sentLabel;
        tools.appendChild(state);
      }
      if (tools.childNodes.length) li.appendChild(tools);
    }
    if (fresh) li.scrollIntoView({ block: "end" });
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  // A photo as the server renders it (templates/messaging/message.html): its small copy,
  // sized and lazy, linking to the full image. Only DOM properties: no markup from the payload.
  function photo(message) {
    var a = link(message.attachment.url, "");
    a.className = "chat-photo";
    var img = document.createElement("img");
    img.src = message.attachment.thumbnail || message.attachment.url;
    if (message.attachment.width && message.attachment.height) {
      img.width = message.attachment.width;
      img.height = message.attachment.height;
    }
    img.alt = message.sender.name ?
      (chat.dataset.photoLabel || "{name}").replace("{name}", message.sender.name) :
      message.attachment.name;
    img.loading = "lazy";
    a.appendChild(img);
    return a;
  }

  function failed(frame) {
    if (!chat) return;
    var li = chat.querySelector('[data-client-id="' + CSS.escape(frame.client_id) + '"]');
    // Refused for good (not a member, too long): it will never be sent, so drop it.
    if (frame.code !== "rate_limited") dropFromOutbox(frame.client_id);
    if (!li) return;
    var state = li.querySelector("[data-receipt]");
    if (state) { state.textContent = frame.detail; state.classList.add("error"); }
    if (frame.code === "rate_limited") {
      window.setTimeout(function () {
        loadOutbox().filter(function (i) { return i.client_id === frame.client_id; }).forEach(send);
      }, 3000);
    }
  }

  // Read receipts: in a direct conversation "gelezen"; in a group "gelezen door N".
  var readers = {};
  function receipt(frame) {
    if (!chat || frame.conversation !== conversationId()) return;
    readers[frame.user] = frame.message;
    var direct = chat.dataset.direct === "1";
    chat.querySelectorAll(".chat-message.mine[data-id]").forEach(function (li) {
      var id = parseInt(li.dataset.id, 10);
      var count = Object.keys(readers).filter(function (u) { return readers[u] >= id; }).length;
      var state = li.querySelector("[data-receipt]");
      if (!state || !count) return;
      state.textContent = direct ? chat.dataset.readLabel : label("readByLabel", count);
    });
  }

  var deliveredUpTo = 0;
  function delivered(frame) {
    if (!chat || frame.conversation !== conversationId()) return;
    deliveredUpTo = Math.max(deliveredUpTo, frame.message);
    chat.querySelectorAll(".chat-message.mine[data-id]").forEach(function (li) {
      var state = li.querySelector("[data-receipt]");
      if (state && parseInt(li.dataset.id, 10) <= frame.message &&
          state.textContent === chat.dataset.sentLabel) {
        state.textContent = chat.dataset.deliveredLabel;
      }
    });
  }

  function markRead() {
    var last = chat.querySelector(".chat-message[data-id]:last-of-type");
    var items = chat.querySelectorAll(".chat-message[data-id]");
    if (!items.length) return;
    last = items[items.length - 1];
    send({ type: "read", conversation: conversationId(), message: parseInt(last.dataset.id, 10) });
  }

  function showTyping(name) {
    var el = document.getElementById("typing");
    if (!el) return;
    el.textContent = label("typingLabel", name);
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () { el.textContent = ""; }, 4000);
  }

  function showPresence(user) {
    // The header and the list of conversations alike; the words change only with the
    // state, so that the server's "last seen …" stays until the person comes back.
    var state = user.online ? "1" : "0";
    document.querySelectorAll('[data-presence="' + user.id + '"]').forEach(function (el) {
      if (el.dataset.online === state) return;
      el.dataset.online = state;
      if (user.online || !user.last_seen || !el.dataset.seenLabel) {
        el.textContent = user.online ? el.dataset.onlineLabel : el.dataset.awayLabel;
        return;
      }
      // Gone away (their last socket closed): "last seen just now", said as every
      // time on the page is, and kept true by app.js as the minutes pass.
      var words = el.dataset.seenLabel.split("{when}");
      el.textContent = words[0];
      el.appendChild(window.Werkplek.momentElement(user.last_seen));
      el.appendChild(document.createTextNode(words[1] || ""));
    });
  }

  function presence() {
    var watch = [];
    document.querySelectorAll("[data-presence]").forEach(function (el) {
      watch.push(parseInt(el.dataset.presence, 10));
    });
    send({ type: "presence", watch: watch });
  }

  // The list of conversations: counts from the database; a new conversation reloads it.
  var inboxTimer = null;
  function refreshInbox(conversation) {
    var list = document.getElementById("inbox");
    if (document.getElementById("inbox-empty") ||
        (list && !list.querySelector('[data-conversation="' + conversation + '"]'))) {
      window.location.reload();
      return;
    }
    if (!list) return;
    window.clearTimeout(inboxTimer);
    inboxTimer = window.setTimeout(function () {
      fetch("/api/v1/conversations/", { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          data.results.forEach(function (item) {
            var li = list.querySelector('[data-conversation="' + item.id + '"]');
            if (!li) return;
            var unread = li.querySelector("[data-unread]");
            unread.textContent = list.dataset.unreadLabel.replace("{count}", item.unread);
            unread.hidden = !item.unread;
            var preview = li.querySelector(".conversation-preview");
            if (preview) preview.textContent = item.preview;
            list.appendChild(li);  // the API answers newest first: re-append in that order
          });
        })
        .catch(function () { /* offline: the next event tries again */ });
    }, 300);
  }

  // --- the composer -----------------------------------------------------------
  function composer() {
    var form = document.getElementById("composer");
    if (!form || !chat) return;
    var textarea = form.querySelector("textarea[name=body]");
    var file = form.querySelector("input[type=file]");
    var reply = form.querySelector("input[name=reply_to]");
    form.addEventListener("submit", function (event) {
      // Attachments go through the plain form post; text goes over the socket.
      if (file && file.files.length) return;
      event.preventDefault();
      var body = textarea.value.trim();
      if (!body) return;
      var frame = { type: "message.send", conversation: conversationId(), body: body, client_id: uuid() };
      if (reply && reply.value) frame.reply_to = parseInt(reply.value, 10);
      var outbox = loadOutbox();
      outbox.push(frame);
      saveOutbox(outbox);
      render({ id: 0, conversation: frame.conversation, client_id: frame.client_id, body: body,
        html: "", created: new Date().toISOString(), edited: null, deleted: false,
        sender: { id: me, name: "" }, attachment: null });
      send(frame);
      textarea.value = "";
      if (reply) reply.value = "";
      var replying = form.querySelector(".replying");
      if (replying) replying.remove();
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    var lastTyping = 0;
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTyping > 3000) {
        lastTyping = now;
        send({ type: "typing", conversation: conversationId() });
      }
    });
  }

  // Messages still in the outbox from before a reload appear as "sending…".
  function restoreOutbox() {
    loadOutbox().forEach(function (frame) {
      if (frame.conversation !== conversationId()) return;
      render({ id: 0, conversation: frame.conversation, client_id: frame.client_id, body: frame.body,
        html: "", created: new Date().toISOString(), edited: null, deleted: false,
        sender: { id: me, name: "" }, attachment: null });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.WerkplekLive || !("WebSocket" in window)) return;
    chat = document.getElementById("chat");
    var inbox = document.getElementById("inbox");
    if (inbox) me = parseInt(inbox.dataset.user, 10);
    if (chat) {
      me = parseInt(chat.dataset.user, 10);
      noteSeen(parseInt(chat.dataset.last || "0", 10));
      restoreOutbox();
      composer();
    }
    connect();
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && chat) markRead();
    });
    window.setInterval(presence, 60000);
  });
})();
