/* Privacy Desk website chat: a small client of Rasa's socket.io channel.
 *
 * Every piece of user or bot text reaches the page through textContent, never as markup.
 * The conversation survives a reload: the session id (which Rasa uses as the conversation id) and the
 * messages shown so far are kept in this browser's localStorage until the visitor clears them.
 */
(function () {
  "use strict";

  var KEY_SESSION = "privacyDesk.sessionId";
  var KEY_HISTORY = "privacyDesk.history";
  var KEY_OPEN = "privacyDesk.open";
  var MAX_HISTORY = 300;
  // Rasa acknowledges a message only after it has answered it, which includes calls to the action server.
  var ANSWER_TIMEOUT_MS = 30000;

  var root = document.getElementById("pd-chat");
  var el = {};
  ["launcher", "panel", "close", "body", "log", "replies", "status", "error", "form", "input", "send",
   "forget", "live"].forEach(function (name) { el[name] = document.getElementById("pd-" + name); });
  var email = root.getAttribute("data-compliance-email");
  var socket = null;
  // idle until the chat is first opened; ready once connected and the session confirmed, since only then can
  // a message reach the assistant; offline after a failed attempt or a lost connection (socket.io retries).
  var state = "idle";
  var pending = null;  // a message written while connecting
  var botReplies = 0;
  var history = load(KEY_HISTORY, []);

  function load(key, fallback) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* storage full or disabled: the chat still works, it just will not survive a reload */ }
  }

  function newSessionId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function sessionId() {
    var id = load(KEY_SESSION, null);
    if (typeof id !== "string" || !/^[0-9a-f]{32}$/.test(id)) {
      id = newSessionId();
      save(KEY_SESSION, id);
    }
    return id;
  }

  function language() {
    var locale = (navigator.languages && navigator.languages[0]) || navigator.language || "";
    return { language: locale.split("-")[0].toLowerCase(), locale: locale };
  }

  /* ---- showing messages ---- */

  function render(entry) {
    var item = document.createElement("li");
    item.className = "pd-msg pd-" + entry.who;
    var who = document.createElement("span");
    who.className = "pd-hidden";
    who.textContent = entry.who === "bot" ? "Assistant: " : "You: ";
    var text = document.createElement("span");
    text.className = "pd-text";
    text.textContent = entry.text;
    item.appendChild(who);
    item.appendChild(text);
    el.log.appendChild(item);
    el.forget.hidden = false;
    el.body.scrollTop = el.body.scrollHeight;
  }

  function showReplies(replies) {
    el.replies.textContent = "";
    (replies || []).forEach(function (reply) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pd-reply";
      button.textContent = reply.title;
      button.addEventListener("click", function () {
        send(reply.payload, reply.title);
        el.input.focus();  // the buttons go away once used; keep the keyboard in the chat
      });
      el.replies.appendChild(button);
    });
  }

  function remember(entry) {
    history.push(entry);
    if (history.length > MAX_HISTORY) history = history.slice(-MAX_HISTORY);
    save(KEY_HISTORY, history);
  }

  function announce(text) {
    var line = document.createElement("p");
    line.textContent = text;
    el.live.appendChild(line);
    while (el.live.childNodes.length > 3) el.live.removeChild(el.live.firstChild);
  }

  function setStatus(text) { el.status.textContent = text; }

  function showError(text) {
    el.error.textContent = "";
    if (!text) return;
    el.error.appendChild(document.createTextNode(text + " "));
    var link = document.createElement("a");
    link.href = "mailto:" + email;
    link.textContent = email;
    el.error.appendChild(link);
    el.error.appendChild(document.createTextNode("."));
  }

  function onBotMessage(message) {
    if (!message || typeof message !== "object") return;
    var replies = (message.quick_replies || []).filter(function (r) { return r && r.title; })
      .map(function (r) { return { title: String(r.title), payload: String(r.payload || r.title) }; });
    botReplies += 1;
    if (typeof message.text === "string" && message.text) {
      var entry = { who: "bot", text: message.text, replies: replies };
      render(entry);
      remember(entry);
      announce("Assistant: " + message.text);
    }
    showReplies(replies);
    setStatus("");
  }

  /* ---- the connection ---- */

  var NOT_SENT = "We could not reach the assistant; your message was not sent. Try again in a moment, or write to";

  function connect() {
    if (socket) return;
    if (typeof window.io !== "function") {
      setStatus("The chat is not available right now.");
      return;
    }
    state = "connecting";
    setStatus("Connecting to the assistant…");
    socket = window.io(root.getAttribute("data-rasa-url"), { path: "/socket.io", reconnectionDelayMax: 10000,
                                                             timeout: 8000 });
    socket.on("connect", function () {
      state = "connecting";
      socket.emit("session_request", { session_id: sessionId() });
    });
    socket.on("session_confirm", function (confirmed) {
      if (typeof confirmed === "string" && confirmed !== sessionId()) save(KEY_SESSION, confirmed);
      state = "ready";
      setStatus("");
      showError("");
      if (pending) sendPending();
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("connect_error", offline);
    socket.on("disconnect", offline);
  }

  function offline() {
    state = "offline";
    setStatus("The assistant cannot be reached at the moment; trying again…");
    if (pending) {
      pending = null;
      showError(NOT_SENT);
    }
  }

  function sendPending() {
    var waiting = pending;
    pending = null;
    deliver(waiting.text, waiting.shownAs);
    if (el.input.value.trim() === waiting.text) el.input.value = "";
  }

  /* Send a message; true when it left, so the message box can be emptied. Written while the connection is
   * still being made, it stays in the box and leaves as soon as the assistant is there (or an error says not). */
  function send(message, shownAs) {
    var text = (message || "").trim();
    if (!text) return false;
    if (state === "ready") {
      deliver(text, shownAs);
      return true;
    }
    if (state === "connecting") {
      pending = { text: text, shownAs: shownAs };
      return false;
    }
    showError(NOT_SENT);
    return false;
  }

  function deliver(text, shownAs) {
    showError("");
    var entry = { who: "user", text: shownAs || text };
    render(entry);
    remember(entry);
    showReplies([]);
    setStatus("The assistant is writing…");
    var payload = { message: text, session_id: sessionId(), metadata: language() };
    var repliesBefore = botReplies;
    // The acknowledgement comes after Rasa has sent every reply to this message, so none by then means none.
    socket.timeout(ANSWER_TIMEOUT_MS).emit("user_uttered", payload, function (err) {
      if (!err && botReplies > repliesBefore) return;
      setStatus("");
      showError(err ? "The assistant did not answer; your message may not have arrived. Try again, or write to"
                    : "The assistant has not replied to this message. Try again, or write to");
    });
  }

  /* ---- opening, closing and the keyboard ---- */

  function open() {
    el.panel.hidden = false;
    root.classList.add("pd-open");
    el.launcher.setAttribute("aria-expanded", "true");
    window.sessionStorage.setItem(KEY_OPEN, "1");
    connect();
    el.body.scrollTop = el.body.scrollHeight;
    el.input.focus();
  }

  function close() {
    el.panel.hidden = true;
    root.classList.remove("pd-open");
    el.launcher.setAttribute("aria-expanded", "false");
    window.sessionStorage.removeItem(KEY_OPEN);
    el.launcher.focus();
  }

  function forget() {
    history = [];
    window.localStorage.removeItem(KEY_HISTORY);
    window.localStorage.removeItem(KEY_SESSION);
    el.log.textContent = "";
    el.forget.hidden = true;
    showReplies([]);
    showError("");
    if (socket && socket.connected) {
      state = "connecting";
      socket.emit("session_request", { session_id: sessionId() });
    }
    setStatus("This chat was cleared from this device. You can start a new one.");
    el.input.focus();
  }

  el.launcher.addEventListener("click", function () { if (el.panel.hidden) open(); else close(); });
  el.close.addEventListener("click", close);
  el.forget.addEventListener("click", forget);
  document.addEventListener("keydown", function (event) {
    var inChat = el.panel.contains(document.activeElement) || document.activeElement === document.body;
    if (event.key === "Escape" && !el.panel.hidden && inChat) { event.preventDefault(); close(); }
  });
  el.input.addEventListener("keydown", function (event) {
    // Enter sends, Shift+Enter starts a new line; never while an input method is composing a character.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.dispatchEvent(new Event("submit"));
    }
  });
  el.form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (send(el.input.value)) el.input.value = "";
  });

  el.forget.hidden = true;  // until there is something to clear
  history.forEach(render);
  var last = history[history.length - 1];
  if (last && last.who === "bot") showReplies(last.replies);
  if (window.sessionStorage.getItem(KEY_OPEN)) open();
})();
