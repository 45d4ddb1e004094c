// The live chat page (/chat): one conversation over the desk's chat protocol
// (docs/CHAT-PROTOCOL.md). What makes it safe to reload or lose the network:
// * the conversation (id, token) and every unacknowledged message (with its client id) are kept
//   in localStorage;
// * after every (re)connect it asks for the messages after the last one it has (`sync`) and
//   sends the pending ones again with the same client ids: the desk stores each once;
// * what it shows is keyed by the desk's message id, so nothing appears twice.
// The typing guard (secret-guard.js) checks every message before it is sent.

import "./secret-guard.js";

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
const strings = {};
for (const s of document.querySelectorAll("#chat-strings [data-key]")) strings[s.dataset.key] = s.textContent;
const t = (k) => strings[k] || k;

let saved = JSON.parse(localStorage.getItem(KEY) || "null");
let pending = saved?.pending || [];
const shown = new Map(); // message id → element
let lastId = 0;
let ws = null;
let retry = 0;
let typingSent = 0;

function save() {
  if (saved) localStorage.setItem(KEY, JSON.stringify({ ...saved, pending }));
}

function setStatus(text) {
  statusEl.textContent = text;
}

/** The status line for a conversation state (`agent`: with the agent's name when known). */
function stateStatus(state, name) {
  return t(`status.${state}`).replace("{name}", name || t("sender.agent"));
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
  const body = document.createElement("p");
  body.className = "text";
  body.textContent = m.text;
  li.append(who, body);
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
      setStatus(stateStatus(f.state));
      send({ type: "sync", after: lastId || null });
      for (const p of pending) send({ type: "message", client_id: p.client_id, text: p.text });
      break;
    case "history":
      for (const m of f.messages) render(m);
      setStatus(stateStatus(f.state, [...f.messages].reverse().find((m) => m.agent_name)?.agent_name));
      offerEmail(f.state === "queued" && Boolean(saved?.offerEmail));
      if (f.state === "ended") rateForm.hidden = false;
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
      setStatus(f.agents_online ? t("status.queued").replace("{position}", f.position) : t("status.nobody"));
      offerEmail(!f.agents_online);
      break;
    case "agent_joined":
      setStatus(stateStatus("agent", f.agent_name));
      offerEmail(false);
      break;
    case "ended":
      setStatus(t("status.ended"));
      rateForm.hidden = false;
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
      }
      break;
    default:
  }
}

function resendPending() {
  for (const p of pending) send({ type: "message", client_id: p.client_id, text: p.text });
}

function connect() {
  setStatus(t("status.connecting"));
  ws = new WebSocket(saved.ws_url);
  ws.addEventListener("message", (ev) => {
    try {
      onFrame(JSON.parse(ev.data));
    } catch {
      // A frame this page does not understand is ignored (the protocol adds types).
    }
  });
  ws.addEventListener("close", () => {
    setStatus(t("status.offline"));
    const wait = Math.min(30000, 1000 * 2 ** retry) * (0.5 + Math.random() / 2);
    retry += 1;
    setTimeout(connect, wait);
  });
}

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
  for (const p of pending) render({ sender: "user", text: p.text, client_id: p.client_id }, p.client_id);
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
  send({ type: "typing", typing: false });
  send({ type: "message", client_id: p.client_id, text });
});

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
for (const b of rateForm.querySelectorAll("[data-score]")) {
  b.addEventListener("click", () => {
    send({ type: "rate", score: Number(b.dataset.score) });
    rateForm.replaceChildren(Object.assign(document.createElement("p"), { textContent: t("rated") }));
  });
}
emailForm.addEventListener("submit", (ev) => {
  ev.preventDefault();
  send({ type: "continue_as_ticket", email: document.getElementById("chat-email-input").value });
});
document.addEventListener("visibilitychange", markRead);

start();
