// Live chats in the agents' workspace (/agent/desk): the agent's side of the chat protocol
// (docs/CHAT-PROTOCOL.md §9) over /agent/chat/ws for the chat open in the pane — replies with a
// client id, resent after a reconnect until acknowledged; typing both ways; delivered and read
// — and the offers routing makes (accept or decline through /api/v1/tickets/{id}/…). Without
// this file (or without a socket) the composer posts the reply as a form, which reaches the
// chat all the same.

export function deskChat(ctx) {
  const { desk } = ctx;
  const strings = {};
  for (const s of document.querySelectorAll("#desk-strings [data-key]")) strings[s.dataset.key] = s.textContent;
  const t = (k) => strings[k] || "";
  const csrf = desk.dataset.csrf || "";
  const me = desk.dataset.me || "";
  let ws = null;
  let retry = 0;
  let typingSent = 0;
  let typingTimer = null;
  let lastId = 0;
  // Sent and not yet acknowledged, by client id: resent with the same id after a reconnect.
  const pending = new Map();

  const chatEl = () => document.getElementById("desk-chat");
  const current = () => Number(ctx.currentId() || 0);
  const isOpen = () => ws && ws.readyState === WebSocket.OPEN;
  const send = (f) => (isOpen() ? (ws.send(JSON.stringify(f)), true) : false);

  function seen(text) {
    const el = document.getElementById("desk-chat-seen");
    if (el) el.textContent = text;
  }
  // The user typing in the open chat: kept here, so a pane refreshed meanwhile shows it too.
  let userTyping = 0;
  function showTyping() {
    const el = document.getElementById("desk-chat-typing");
    if (el) el.textContent = userTyping && userTyping === current() ? t("typing") : "";
  }
  function typing(on) {
    userTyping = on ? current() : 0;
    showTyping();
    clearTimeout(typingTimer);
    if (on) {
      typingTimer = setTimeout(() => {
        userTyping = 0;
        showTyping();
      }, 6000);
    }
  }

  // Pending replies show at the end of the conversation until their ack.
  function renderPending() {
    const list = document.querySelector("#conversation ol.conversation");
    if (!list) return;
    for (const li of list.querySelectorAll("li.pending")) li.remove();
    for (const f of pending.values()) {
      if (f.conversation !== current()) continue;
      const li = document.createElement("li");
      li.className = "message pending";
      li.dataset.clientId = f.client_id;
      const meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = t("sending");
      const body = document.createElement("div");
      body.className = "body";
      body.textContent = f.text;
      li.append(meta, body);
      list.append(li);
    }
    list.lastElementChild?.scrollIntoView({ block: "nearest" });
  }

  function readUpTo(id) {
    if (id && document.visibilityState === "visible" && current()) {
      send({ type: "read", conversation: current(), up_to: id });
    }
  }

  // A chat was shown in the pane: ask for its history (for the last id to mark read).
  function opened() {
    lastId = 0;
    showTyping();
    if (chatEl() && current()) send({ type: "sync", conversation: current(), after: null });
    renderPending();
  }

  function onFrame(f) {
    const mine = f.conversation === current() && Boolean(chatEl());
    switch (f.type) {
      case "hello":
        retry = 0;
        desk.classList.remove("chat-offline");
        for (const p of pending.values()) send(p);
        opened();
        break;
      case "history":
        if (mine) {
          for (const m of f.messages) lastId = Math.max(lastId, m.id);
          readUpTo(lastId);
        }
        break;
      case "ack":
        pending.delete(f.client_id);
        if (mine) ctx.conversationSoon();
        break;
      case "message":
        if (mine) {
          lastId = Math.max(lastId, f.message.id);
          ctx.conversationSoon();
          if (f.message.sender === "user") {
            typing(false);
            send({ type: "delivered", conversation: current(), up_to: f.message.id });
            readUpTo(f.message.id);
          }
        }
        break;
      case "typing":
        if (mine && f.sender === "user") typing(f.typing);
        break;
      case "delivered":
      case "read":
        if (mine && f.reader === "user") seen(t(f.type));
        break;
      case "agent_joined":
      case "ended":
        if (mine) ctx.refreshPane();
        break;
      case "error":
        if (f.client_id && pending.has(f.client_id)) {
          const p = pending.get(f.client_id);
          pending.delete(f.client_id);
          renderPending();
          // The text goes back into an empty box, so nothing typed is lost.
          const b = ctx.box();
          if (b && !b.value && p.conversation === current()) b.value = p.text;
          ctx.showError(f.message || t("failed"));
        }
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
        // Frames this page does not know are ignored.
      }
    });
    ws.addEventListener("close", () => {
      desk.classList.add("chat-offline");
      if (pending.size) seen(t("offline"));
      retry += 1;
      setTimeout(connect, Math.min(30000, 1000 * 2 ** retry));
    });
  }

  // A reply in a live chat goes over the socket; `false` when it cannot (the form posts it).
  function sendMessage(id, text) {
    if (!isOpen()) return false;
    const client_id = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
    const f = { type: "message", conversation: Number(id), client_id, text };
    pending.set(client_id, f);
    send({ type: "typing", conversation: Number(id), typing: false });
    send(f);
    typingSent = 0;
    renderPending();
    return true;
  }

  function onInput(b) {
    if (chatEl()?.dataset.live !== "1") return;
    const now = Date.now();
    if (b.value && now - typingSent > 3000) {
      typingSent = now;
      send({ type: "typing", conversation: current(), typing: true });
    } else if (!b.value && typingSent) {
      typingSent = 0;
      send({ type: "typing", conversation: current(), typing: false });
    }
  }

  // Accept and decline through the JSON API, the session's CSRF token in a header.
  async function act(id, action) {
    try {
      const r = await fetch(`/api/v1/tickets/${id}/${action}`, {
        method: "POST",
        headers: { "x-csrf-token": csrf },
        credentials: "same-origin",
      });
      return r.ok;
    } catch {
      return false;
    }
  }

  // The offer box: a chat routing offered to this agent, wherever they are in the workspace.
  const offerBox = document.getElementById("desk-offer");
  let offered = 0;
  function showOffer(id) {
    if (!offerBox) return;
    offered = id;
    document.getElementById("desk-offer-text").textContent = `${t("offered")} #${id}`;
    offerBox.hidden = false;
  }
  function hideOffer(id) {
    if (offerBox && (!id || id === offered)) {
      offerBox.hidden = true;
      offered = 0;
    }
  }
  document.getElementById("desk-offer-accept")?.addEventListener("click", async () => {
    const id = offered;
    if (!id) return;
    if (await act(id, "accept")) {
      hideOffer(id);
      await ctx.openTicket(`/agent/desk?${desk.dataset.base || "view=mine"}&t=${id}`);
      ctx.box()?.focus();
    } else {
      document.getElementById("desk-offer-text").textContent = t("failed");
    }
  });
  document.getElementById("desk-offer-decline")?.addEventListener("click", async () => {
    const id = offered;
    hideOffer(id);
    if (id && (await act(id, "decline")) && id === current()) ctx.refreshPane();
  });

  // The pane's accept and decline forms (`data-api`): the same, without leaving the page.
  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    const action = form.dataset?.api;
    if (!action || form.dataset.plain === "1") return;
    ev.preventDefault();
    const id = current();
    if (await act(id, action)) {
      hideOffer(id);
      await ctx.refreshPane();
      ctx.listSoon();
      if (action === "accept") ctx.box()?.focus();
    } else {
      form.dataset.plain = "1";
      form.submit(); // the server's page says what is wrong
    }
  });

  // Events from the workspace's stream (`/agent/events`) about chats.
  function onEvent(e) {
    const id = Number(e.ticket);
    switch (e.type) {
      case "chat_offered":
        if (String(e.agent) === me) {
          ctx.notifyNew();
          showOffer(id);
        }
        if (id === current()) ctx.refreshPane();
        ctx.listSoon();
        return true;
      case "chat_offer_ended":
      case "chat_accepted":
      case "chat_ended":
        hideOffer(id);
        if (id === current()) ctx.refreshPane();
        ctx.listSoon();
        return true;
      // What the socket carries for the open chat; the list follows `message_added`.
      case "chat_message":
        if (id === current() && !isOpen()) ctx.conversationSoon();
        return true;
      // The rating shows in the context's satisfaction history.
      case "chat_rated":
        if (id === current()) ctx.refreshPane();
        return true;
      case "chat_typing":
      case "chat_read":
      case "chat_delivered":
        return true;
      default:
        return false;
    }
  }

  connect();
  return { opened, sendMessage, onInput, onEvent, renderPending };
}
