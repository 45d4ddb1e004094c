// The agents' minimal chat page (/agent/chats): the queue, and one conversation at a time over
// the agent WebSocket (/agent/chat/ws, the session cookie; docs/CHAT-PROTOCOL.md §9).
// Messages are keyed by the desk's id; each sent one has a client id, resent after a
// reconnect until acknowledged.

import "./secret-guard.js";

const strings = {};
for (const s of document.querySelectorAll("#chat-strings [data-key]")) strings[s.dataset.key] = s.textContent;
const t = (k) => strings[k] || k;
const statusEl = document.getElementById("agent-chat-status");
const queue = document.getElementById("chat-queue");
const pane = document.getElementById("agent-chat");
const log = document.getElementById("chat-log");
const typingEl = document.getElementById("chat-typing");
const form = document.getElementById("chat-form");
const input = document.getElementById("chat-input");
let ws = null;
let current = Number(sessionStorage.getItem("agent-chat") || 0);
let pending = [];
const shown = new Map();
let lastId = 0;
let retry = 0;
let typingSent = 0;

const send = (f) => ws && ws.readyState === WebSocket.OPEN && (ws.send(JSON.stringify(f)), true);

function render(m) {
  let li = shown.get(m.id) || (m.client_id && log.querySelector(`[data-client-id="${CSS.escape(m.client_id)}"]`));
  if (!li) {
    li = document.createElement("li");
    log.append(li);
  }
  li.className = `chat-msg from-${m.sender === "agent" ? "user" : m.sender}${m.id ? "" : " pending"}`;
  if (m.client_id) li.dataset.clientId = m.client_id;
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = m.agent_name || t(`sender.${m.sender}`);
  const p = document.createElement("p");
  p.className = "text";
  p.textContent = m.text;
  li.replaceChildren(who, p);
  if (m.id) {
    shown.set(m.id, li);
    lastId = Math.max(lastId, m.id);
  }
  li.scrollIntoView({ block: "end" });
}

function open(id, messages) {
  current = id;
  sessionStorage.setItem("agent-chat", String(id));
  pane.hidden = false;
  document.getElementById("agent-chat-id").textContent = `#${id}`;
  document.getElementById("agent-chat-ticket").href = `/agent/tickets/${id}`;
  log.replaceChildren();
  shown.clear();
  lastId = 0;
  for (const m of messages) render(m);
  queue.querySelector(`[data-conversation="${id}"]`)?.remove();
  if (lastId) send({ type: "read", conversation: id, up_to: lastId });
}

function addQueued(id, lang) {
  if (queue.querySelector(`[data-conversation="${id}"]`)) return;
  const li = document.createElement("li");
  li.dataset.conversation = String(id);
  li.textContent = `#${id} · ${lang} `;
  const b = document.createElement("button");
  b.type = "button";
  b.className = "button secondary";
  b.dataset.accept = String(id);
  b.textContent = t("accept");
  li.append(b);
  queue.append(li);
  statusEl.textContent = t("queued");
  document.title = `(${queue.children.length}) ${document.title.replace(/^\(\d+\) /, "")}`;
}

function onFrame(f) {
  const mine = f.conversation === current;
  switch (f.type) {
    case "hello":
      retry = 0;
      statusEl.textContent = t("online");
      if (current) send({ type: "sync", conversation: current, after: null });
      for (const p of pending) send(p);
      break;
    case "history":
      open(f.conversation, f.messages);
      break;
    case "queued":
      addQueued(f.conversation, f.lang);
      break;
    case "ack":
      pending = pending.filter((p) => p.client_id !== f.client_id);
      if (mine) render(f.message);
      break;
    case "message":
      if (mine) {
        render(f.message);
        send({ type: "read", conversation: current, up_to: f.message.id });
      }
      break;
    case "typing":
      if (mine) typingEl.textContent = f.typing ? t("typing") : "";
      break;
    case "agent_joined":
      queue.querySelector(`[data-conversation="${f.conversation}"]`)?.remove();
      break;
    case "ended":
      if (mine) statusEl.textContent = t("ended");
      break;
    case "rated":
      if (mine) statusEl.textContent = `${t("rated")} ${f.score}/5`;
      break;
    case "error":
      if (f.code === "conflict") statusEl.textContent = t("conflict");
      break;
    default:
  }
}

function connect() {
  const proto = location.protocol === "https:" ? "wss" : "ws";
  ws = new WebSocket(`${proto}://${location.host}/agent/chat/ws`);
  ws.addEventListener("message", (ev) => {
    try {
      onFrame(JSON.parse(ev.data));
    } catch {
      // Unknown frames are ignored.
    }
  });
  ws.addEventListener("close", () => {
    statusEl.textContent = t("offline");
    retry += 1;
    setTimeout(connect, Math.min(30000, 1000 * 2 ** retry));
  });
}

queue.addEventListener("click", (ev) => {
  const b = ev.target.closest("[data-accept]");
  if (b) send({ type: "accept", conversation: Number(b.dataset.accept) });
});
form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = input.value.trim();
  if (!text || !current) return;
  const client_id = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  const f = { type: "message", conversation: current, client_id, text };
  pending.push(f);
  render({ sender: "agent", text, client_id });
  input.value = "";
  send({ type: "typing", conversation: current, typing: false });
  send(f);
});
input.addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    form.requestSubmit();
  }
});
input.addEventListener("input", () => {
  if (!current) return;
  const now = Date.now();
  if (input.value && now - typingSent > 3000) {
    typingSent = now;
    send({ type: "typing", conversation: current, typing: true });
  }
});
document.getElementById("chat-end").addEventListener("click", () => send({ type: "end", conversation: current }));
connect();
