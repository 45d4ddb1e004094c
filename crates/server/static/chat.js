// The live chat page (/chat): one conversation over the desk's chat protocol
// (docs/CHAT-PROTOCOL.md). What makes it safe to reload or lose the network:
// * the conversation (id, token) and every unacknowledged message (with its client id) are kept
//   in localStorage;
// * after every (re)connect it asks for the messages after the last one it has (`sync`) and
//   sends the pending ones again with the same client ids: the desk stores each once;
// * what it shows is keyed by the desk's message id, so nothing appears twice.
// The typing guard (secret-guard.js) checks every message before it is sent.
// Screenshots are uploaded over HTTP with the conversation's token first (the desk strips their
// metadata), then sent by a `message` frame naming the upload's id, pending like any message.
// A lost network shows at once (the browser's offline event closes the socket) and the page
// reconnects as soon as it is back.

import "./secret-guard.js";
import { renderAnswerInto } from "./assistant.js";

const root = document.getElementById("chat");
const lang = root.dataset.lang;
const KEY = `walletdesk-chat-${lang}`;
const log = document.getElementById("chat-log");
const statusEl = document.getElementById("chat-status");
const typingEl = document.getElementById("chat-typing");
const form = document.getElementById("chat-form");
const input = document.getElementById("chat-input");
const rateForm = document.getElementById("chat-rate");
const emailForm = document.getElementById("chat-email");
const fileInput = document.getElementById("chat-file");
const attachButton = document.getElementById("chat-attach");
const noticeEl = document.getElementById("chat-notice");
const strings = {};
for (const s of document.querySelectorAll("#chat-strings [data-key]")) strings[s.dataset.key] = s.textContent;
const t = (k) => strings[k] || k;
/** A string with its `{ $name }` placeholder filled (Fluent leaves it as `{$name}`). */
const fill = (text, name, value) => text.replace(new RegExp(`\\{\\s*\\$?${name}\\s*\\}`), value);

let saved = JSON.parse(localStorage.getItem(KEY) || "null");
let pending = saved?.pending || [];
const shown = new Map(); // message id → element
let lastId = 0;
let ws = null;
let retry = 0;
let typingSent = 0;
let officeClosed = false;

function save() {
  if (saved) localStorage.setItem(KEY, JSON.stringify({ ...saved, pending }));
}

function setStatus(text) {
  // What the conversation's state says, to come back to after a passing "uploading…".
  if (text !== t("uploading")) statusEl.dataset.last = text;
  statusEl.textContent = text;
}

/** The status line for a conversation state (`agent`: with the agent's name when known). */
function stateStatus(state, name) {
  return fill(t(`status.${state}`), "name", name || t("sender.agent"));
}

/** Says something the user must hear now (an upload refused), in the alert region. */
function notice(text) {
  noticeEl.textContent = text;
  noticeEl.hidden = !text;
}

function attachmentUrl(a) {
  return `/api/v1/chat/conversations/${saved.id}/attachments/${a.id}?token=${encodeURIComponent(saved.token)}`;
}

/** Offers to continue by e-mail while nobody can take the chat (kept across reloads). */
function offerEmail(on) {
  emailForm.hidden = !on;
  if (saved && saved.offerEmail !== on) {
    saved.offerEmail = on;
    save();
  }
}

function newId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

function render(m, pendingId) {
  let li = (m.id && shown.get(m.id)) || (pendingId && log.querySelector(`[data-client-id="${CSS.escape(pendingId)}"]`));
  if (!li) {
    li = document.createElement("li");
    log.append(li);
  }
  li.className = `chat-msg from-${m.sender}${m.id ? "" : " pending"}`;
  if (m.client_id) li.dataset.clientId = m.client_id;
  li.replaceChildren();
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = m.sender === "agent" && m.agent_name ? m.agent_name : t(`sender.${m.sender}`);
  // The assistant's answers keep their steps and lists (as on the help center); everything
  // else is text with its article links.
  const body = document.createElement(m.sender === "assistant" ? "div" : "p");
  body.className = "text";
  if (m.sender === "assistant") renderAnswerInto(body, m.text || "");
  else linkify(body, m.text);
  // Every link in a chat opens beside it, as the article cards do: the conversation stays open
  // (and, embedded in a wallet's page, the frame is not taken over by an article).
  for (const a of body.querySelectorAll("a")) {
    a.target = "_blank";
    if (!a.rel) a.rel = "noopener";
  }
  li.append(who);
  if (m.text) li.append(body);
  if (m.attachment && saved) {
    const a = document.createElement("a");
    a.className = "chat-shot";
    a.href = attachmentUrl(m.attachment);
    a.target = "_blank";
    a.rel = "noopener";
    a.setAttribute("aria-label", fill(t("open_screenshot"), "name", m.attachment.filename));
    const img = document.createElement("img");
    img.src = a.href;
    img.alt = `${t("screenshot")}: ${m.attachment.filename}`;
    img.loading = "lazy";
    a.append(img);
    li.append(a);
  }
  for (const c of m.cards || []) {
    const a = document.createElement("a");
    a.className = "card chat-card";
    a.href = c.url;
    a.target = "_blank";
    a.rel = "noopener";
    a.textContent = c.title;
    li.append(a);
  }
  const state = document.createElement("span");
  state.className = "state";
  state.textContent = !m.id ? t("state.sending") : m.read_at ? t("state.read") : m.sender === "user" ? t("state.sent") : "";
  li.append(state);
  if (m.id) {
    shown.set(m.id, li);
    lastId = Math.max(lastId, m.id);
  }
  li.scrollIntoView({ block: "end" });
}

function messageFrame(p) {
  const f = { type: "message", client_id: p.client_id, text: p.text };
  if (p.attachment) f.attachment = p.attachment.id;
  return f;
}

/**
 * Puts `text` in `el` as text, with the assistant's Markdown links `[title](/help/…)` as links
 * (only paths on this desk and https addresses; everything else stays text, never HTML).
 */
function linkify(el, text) {
  el.replaceChildren();
  const re = /\[([^\]\n]{1,300})\]\(((?:\/(?!\/)|https:\/\/)[^\s)]{0,500})\)/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    el.append(text.slice(at, m.index));
    const a = document.createElement("a");
    a.href = m[2];
    a.textContent = m[1];
    if (m[2].startsWith("https://")) a.rel = "noopener noreferrer";
    el.append(a);
    at = m.index + m[0].length;
  }
  el.append(text.slice(at));
}

function send(frame) {
  if (ws && ws.readyState === WebSocket.OPEN) {
    ws.send(JSON.stringify(frame));
    return true;
  }
  return false;
}

function markRead() {
  if (lastId && document.visibilityState === "visible") send({ type: "read", up_to: lastId });
}

function onFrame(f) {
  switch (f.type) {
    case "hello":
      retry = 0;
      root.classList.remove("offline");
      officeClosed = f.office_open === false;
      setStatus(officeClosed && f.state === "assistant" ? t("status.out_of_hours") : stateStatus(f.state));
      send({ type: "sync", after: lastId || null });
      resendPending();
      // A rating given while the connection was down goes now.
      if (pendingRate !== null && send({ type: "rate", score: pendingRate })) pendingRate = null;
      break;
    case "history":
      for (const m of f.messages) render(m);
      if (!(officeClosed && f.state === "assistant")) {
        setStatus(stateStatus(f.state, [...f.messages].reverse().find((m) => m.agent_name)?.agent_name));
      }
      // The e-mail offer stands while the chat waits, or out of hours before any person.
      offerEmail((f.state === "queued" || (officeClosed && f.state === "assistant")) && Boolean(saved?.offerEmail));
      if (f.rateable) rateForm.hidden = false;
      markRead();
      break;
    case "ack":
      pending = pending.filter((p) => p.client_id !== f.client_id);
      save();
      render(f.message, f.client_id);
      break;
    case "message":
      render(f.message);
      markRead();
      break;
    case "typing":
      typingEl.textContent = f.typing ? t("typing") : "";
      break;
    case "read":
      for (const [id, li] of shown) {
        if (id <= f.up_to && li.classList.contains("from-user")) li.querySelector(".state").textContent = t("state.read");
      }
      break;
    case "queue":
      setStatus(f.agents_online ? fill(t("status.queued"), "position", f.position) : t("status.nobody_wait"));
      offerEmail(!f.agents_online);
      break;
    case "out_of_hours":
      setStatus(t("status.out_of_hours"));
      offerEmail(true);
      break;
    case "agent_joined":
      setStatus(stateStatus("agent", f.agent_name));
      offerEmail(false);
      break;
    case "ended":
      if (f.follow_up) {
        // An agent made it a follow-up ticket: rated when that ticket is solved, not now.
        setStatus(t("status.ticket"));
      } else {
        setStatus(t("status.ended"));
        rateForm.hidden = false;
      }
      break;
    case "ticket":
      offerEmail(false);
      setStatus(t("status.ticket"));
      break;
    case "sync_needed":
      send({ type: "sync", after: lastId || null });
      break;
    case "error":
      if (f.code === "rate_limited") setTimeout(() => resendPending(), f.retry_after_ms || 1000);
      else if (f.client_id) {
        pending = pending.filter((p) => p.client_id !== f.client_id);
        save();
        const li = log.querySelector(`[data-client-id="${CSS.escape(f.client_id)}"]`);
        if (li) li.querySelector(".state").textContent = t("state.failed");
        notice(`${t("state.failed")}: ${f.message}`);
      }
      break;
    default:
  }
}

function resendPending() {
  for (const p of pending) send(messageFrame(p));
}

let timer = null;
function connect() {
  clearTimeout(timer);
  timer = null;
  if (!navigator.onLine) {
    offline();
    return;
  }
  setStatus(t("status.connecting"));
  const socket = new WebSocket(saved.ws_url);
  ws = socket;
  socket.addEventListener("message", (ev) => {
    try {
      onFrame(JSON.parse(ev.data));
    } catch {
      // A frame this page does not understand is ignored (the protocol adds types).
    }
  });
  socket.addEventListener("close", () => {
    if (ws !== socket) return; // replaced already (offline → online)
    offline();
    if (!navigator.onLine) return; // the online event reconnects
    const wait = Math.min(30000, 1000 * 2 ** retry) * (0.5 + Math.random() / 2);
    retry += 1;
    timer = setTimeout(connect, wait);
  });
}

/** Shows that the page is offline: pending messages stay pending and are resent after. */
function offline() {
  root.classList.add("offline");
  setStatus(t("status.offline"));
}

// The browser knows before the socket does: a dead connection can take a minute to time out.
window.addEventListener("offline", () => {
  offline();
  const old = ws;
  ws = null;
  if (old) old.close();
});
window.addEventListener("online", () => {
  if (!saved) return;
  retry = 0;
  connect();
});

async function start() {
  if (!saved) {
    const r = await fetch("/api/v1/chat/conversations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ lang }),
    });
    if (r.status !== 201) {
      setStatus(t("status.failed"));
      return;
    }
    const c = await r.json();
    saved = { id: c.id, token: c.token, ws_url: c.ws_url.replace(/^wss?:\/\/[^/]+/, `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`) };
    save();
  }
  for (const p of pending) render({ sender: "user", text: p.text, client_id: p.client_id, attachment: p.attachment }, p.client_id);
  connect();
}

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = input.value.trim();
  if (!text || !saved) return;
  const p = { client_id: newId(), text };
  pending.push(p);
  save();
  render({ sender: "user", text, client_id: p.client_id }, p.client_id);
  input.value = "";
  notice("");
  send({ type: "typing", typing: false });
  send(messageFrame(p));
  // Pressing Send moved the focus to the button: back to the box, for the next message.
  input.focus();
});

/** Uploads the chosen screenshot with the token, then sends it as a message of its own. */
async function sendScreenshot(file) {
  if (!saved || !file) return;
  notice("");
  attachButton.disabled = true;
  setStatus(t("uploading"));
  try {
    const body = new FormData();
    body.append("file", file, file.name);
    const r = await fetch(`/api/v1/chat/conversations/${saved.id}/attachments`, {
      method: "POST",
      headers: { authorization: `Bearer ${saved.token}` },
      body,
    });
    const answer = await r.json().catch(() => ({}));
    if (r.status !== 201) {
      notice(`${t("upload_failed")} ${answer.message || r.status}`);
      return;
    }
    const p = { client_id: newId(), text: "", attachment: answer };
    pending.push(p);
    save();
    render({ sender: "user", text: "", client_id: p.client_id, attachment: answer }, p.client_id);
    send(messageFrame(p));
  } catch {
    notice(`${t("upload_failed")} ${t("status.offline")}`);
  } finally {
    attachButton.disabled = false;
    fileInput.value = "";
    if (ws && ws.readyState === WebSocket.OPEN) setStatus(statusEl.dataset.last || statusEl.textContent);
    attachButton.focus();
  }
}

attachButton.addEventListener("click", () => fileInput.click());
fileInput.addEventListener("change", () => sendScreenshot(fileInput.files[0]));

input.addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    form.requestSubmit();
  }
});

input.addEventListener("input", () => {
  const now = Date.now();
  if (input.value && now - typingSent > 3000) {
    typingSent = now;
    send({ type: "typing", typing: true });
  } else if (!input.value) {
    typingSent = 0;
    send({ type: "typing", typing: false });
  }
});

document.getElementById("chat-handoff").addEventListener("click", () => send({ type: "handoff" }));
document.getElementById("chat-end").addEventListener("click", () => send({ type: "end" }));
// A rating clicked while the socket is reconnecting is kept and sent on the next `hello`, not
// dropped.
let pendingRate = null;
for (const b of rateForm.querySelectorAll("[data-score]")) {
  b.addEventListener("click", () => {
    pendingRate = Number(b.dataset.score);
    if (send({ type: "rate", score: pendingRate })) pendingRate = null;
    rateForm.replaceChildren(Object.assign(document.createElement("p"), { textContent: t("rated") }));
  });
}
emailForm.addEventListener("submit", (ev) => {
  ev.preventDefault();
  send({ type: "continue_as_ticket", email: document.getElementById("chat-email-input").value });
});
document.addEventListener("visibilitychange", markRead);

start();
