// Live agent pages: on every desk event, reload the part of the page that may have changed
// (the inbox table or a ticket's conversation) from its fragment URL in `data-src`.
import { localise } from "/static/time.js";

const target = document.getElementById("inbox-table") || document.getElementById("conversation");

async function refresh() {
  const el = document.getElementById("inbox-table") || document.getElementById("conversation");
  if (!el) return;
  // Keep the agent's ticked checkboxes across a refresh of the table.
  const ticked = new Set(
    [...el.querySelectorAll('input[type="checkbox"]:checked')].map((c) => c.value),
  );
  const resp = await fetch(el.dataset.src, { credentials: "same-origin" });
  if (!resp.ok) return;
  const html = await resp.text();
  if (el.id === "inbox-table") {
    const tpl = document.createElement("template");
    tpl.innerHTML = html;
    const fresh = tpl.content.getElementById("inbox-table");
    if (!fresh) return;
    for (const c of fresh.querySelectorAll('input[type="checkbox"]')) {
      if (ticked.has(c.value)) c.checked = true;
    }
    el.replaceWith(fresh);
    localise(fresh);
  } else {
    el.innerHTML = html;
    localise(el);
  }
}

let timer = null;
function soon() {
  clearTimeout(timer);
  timer = setTimeout(refresh, 300);
}

// Who else has this ticket open: the server keeps count while this page's event stream is
// open, and says when it changes.
async function refreshPresence() {
  const el = document.getElementById("presence");
  if (!el) return;
  const resp = await fetch(el.dataset.src, { credentials: "same-origin" });
  if (!resp.ok) return;
  const tpl = document.createElement("template");
  tpl.innerHTML = (await resp.text()).trim();
  const fresh = tpl.content.getElementById("presence");
  if (fresh) el.replaceWith(fresh);
}

if (target && "EventSource" in window) {
  const ticketId = target.id === "conversation"
    ? Number(location.pathname.split("/").filter(Boolean).pop())
    : null;
  const events = new EventSource(ticketId === null ? "/agent/events" : `/agent/events?ticket=${ticketId}`);
  events.onmessage = (msg) => {
    let e;
    try {
      e = JSON.parse(msg.data);
    } catch {
      return;
    }
    // resync: events were missed (this page's stream moved to another node, or the nodes lost
    // touch); reload everything shown.
    if (e.type === "resync") {
      soon();
      refreshPresence();
      return;
    }
    if (e.type === "presence_changed") {
      if (ticketId === null) soon();
      else if (e.ticket === ticketId) refreshPresence();
      return;
    }
    if (ticketId === null || e.type === "lagged" || e.ticket === ticketId) soon();
  };
}
