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

if (target && "EventSource" in window) {
  const ticketId = target.id === "conversation"
    ? Number(location.pathname.split("/").filter(Boolean).pop())
    : null;
  const events = new EventSource("/agent/events");
  events.onmessage = (msg) => {
    let e;
    try {
      e = JSON.parse(msg.data);
    } catch {
      return;
    }
    if (ticketId === null || e.type === "lagged" || e.ticket === ticketId) soon();
  };
}
