// The agents' workspace as a one-page app. Without this file every part is a link or a form
// and works; with it: tickets open without reloading the page (the pane is fetched from
// `?partial=pane`), drafts are kept per ticket (also across reloads, in sessionStorage),
// canned replies go in at the cursor, live updates arrive over `/agent/events`, keyboard
// shortcuts work, the agent goes away after a while without activity, and new tickets show in
// the title (and as a sound, when the agent turned it on). Replies are sent without leaving
// the page: a live chat's over the chat socket, a ticket's as the form's POST with `js=1`, and
// so are the pane's actions (assign, solve…) (`desk-chat.js` has the chat's side: offers,
// typing, delivered and read).
import { localise } from "/static/time.js";
import { deskChat } from "/static/desk-chat.js";

const desk = document.getElementById("desk");
// Due times in the list: short ("Dec 8, 05:16"), the full date is in the ticket.
const short = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
  month: "numeric",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
function shortTimes(root = document) {
  for (const el of root.querySelectorAll("time.short[datetime]")) {
    const d = new Date(el.getAttribute("datetime"));
    if (!Number.isNaN(d.getTime())) el.textContent = short.format(d);
  }
}
const IDLE_MS = 5 * 60 * 1000;
// How long a chat has waited ("3 minutes ago") and how long an offer has left ("in 40 seconds").
const rel = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: "auto" });
function relTimes(root = document) {
  for (const el of root.querySelectorAll("time.ago[datetime], time.until[datetime]")) {
    const d = new Date(el.getAttribute("datetime"));
    if (Number.isNaN(d.getTime())) continue;
    const secs = Math.round((d.getTime() - Date.now()) / 1000);
    el.textContent = Math.abs(secs) < 90 ? rel.format(secs, "second") : rel.format(Math.round(secs / 60), "minute");
  }
}

if (desk) {
  const csrf = desk.dataset.csrf || "";
  const strings = {};
  for (const s of document.querySelectorAll("#desk-strings [data-key]")) strings[s.dataset.key] = s.textContent;
  const pane = document.getElementById("desk-pane");
  const draftKey = (id) => `desk-draft-${id}`;
  let events = null;
  let unread = 0;
  const baseTitle = document.title;

  const currentId = () => document.getElementById("desk-ticket")?.dataset.id ?? null;
  const box = () => document.getElementById("body");

  // Drafts: saved as the agent types, put back when the ticket is shown again.
  function saveDraft() {
    const id = currentId();
    const b = box();
    if (!id || !b) return;
    if (b.value) sessionStorage.setItem(draftKey(id), b.value);
    else sessionStorage.removeItem(draftKey(id));
  }
  function restoreDraft() {
    const id = currentId();
    const b = box();
    if (!id || !b) return;
    const saved = sessionStorage.getItem(draftKey(id));
    // A draft the server gave back (a refused reply) wins over an older saved one.
    if (saved && !b.value) b.value = saved;
  }

  function markSelected(id) {
    for (const row of document.querySelectorAll(".desk-row")) {
      const on = row.dataset.id === id;
      row.classList.toggle("selected", on);
      const a = row.querySelector("a");
      if (on) a?.setAttribute("aria-current", "true");
      else a?.removeAttribute("aria-current");
    }
  }

  function partialUrl(href, partial) {
    const url = new URL(href, location.href);
    url.searchParams.set("partial", partial);
    url.searchParams.delete("done");
    return url;
  }

  // Live updates can overlap: only the answer to the latest request of each kind is shown, so
  // an older answer that arrives last never puts back what a newer one replaced.
  // Opening a ticket discards any refresh of the pane started before it, never the other way.
  const latest = { list: 0, conversation: 0, pane: 0, open: 0 };

  async function openTicket(href, { push = true, focus = false } = {}) {
    saveDraft();
    const seq = ++latest.open;
    const resp = await fetch(partialUrl(href, "pane"), { credentials: "same-origin" });
    if (seq !== latest.open) return; // another ticket was opened meanwhile
    if (!resp.ok) {
      location.href = href; // let the server's page say what is wrong
      return;
    }
    const html = await resp.text();
    if (seq !== latest.open) return;
    pane.innerHTML = html;
    localise(pane);
    relTimes(pane);
    restoreDraft();
    desk.classList.toggle("has-ticket", Boolean(currentId()));
    markSelected(currentId());
    if (push) history.pushState({ desk: true }, "", href);
    listen();
    chat.opened();
    if (focus) document.getElementById("desk-ticket-h")?.setAttribute("tabindex", "-1");
    if (focus) document.getElementById("desk-ticket-h")?.focus();
  }

  async function refreshList() {
    const el = document.getElementById("desk-list");
    if (!el?.dataset.src) return;
    const seq = ++latest.list;
    const resp = await fetch(el.dataset.src, { credentials: "same-origin" });
    if (!resp.ok || seq !== latest.list) return;
    const html = await resp.text();
    if (seq !== latest.list) return;
    const tpl = document.createElement("template");
    tpl.innerHTML = html;
    const fresh = tpl.content.getElementById("desk-list");
    if (!fresh) return;
    // A live update must not take the keyboard away from an agent working in the list.
    const hadFocus = el.contains(document.activeElement);
    el.replaceWith(fresh);
    localise(fresh);
    shortTimes(fresh);
    relTimes(fresh);
    markSelected(currentId());
    if (hadFocus) (fresh.querySelector(".desk-row.selected a") || fresh.querySelector(".desk-row a"))?.focus();
  }

  async function refreshConversation() {
    const el = document.getElementById("conversation");
    if (!el?.dataset.src) return;
    const seq = ++latest.conversation;
    const resp = await fetch(el.dataset.src, { credentials: "same-origin" });
    if (!resp.ok || seq !== latest.conversation) return;
    const html = await resp.text();
    if (seq !== latest.conversation) return;
    el.innerHTML = html;
    localise(el);
    chat.renderPending();
    el.querySelector("ol.conversation")?.lastElementChild?.scrollIntoView({ block: "nearest" });
  }
  let conversationTimer = null;
  const conversationSoon = () => {
    clearTimeout(conversationTimer);
    conversationTimer = setTimeout(refreshConversation, 120);
  };

  // The ticket's header and context changed (status, assignee…): fetch the pane again and
  // keep what is being typed, where the cursor is.
  async function refreshPane() {
    const id = currentId();
    if (!id) return;
    const seq = ++latest.pane;
    const opened = latest.open;
    const stale = () => seq !== latest.pane || opened !== latest.open || currentId() !== id;
    const resp = await fetch(partialUrl(location.href, "pane"), { credentials: "same-origin" });
    if (!resp.ok || stale()) return;
    const html = await resp.text();
    if (stale()) return;
    // Taken now, not before the fetch, so nothing typed meanwhile is lost.
    const b = box();
    const keep = b ? { value: b.value, start: b.selectionStart, end: b.selectionEnd, focused: document.activeElement === b, note: b.form?.classList.contains("note-mode") } : null;
    pane.innerHTML = html;
    localise(pane);
    relTimes(pane);
    chat.opened();
    const nb = box();
    if (keep && nb) {
      nb.value = keep.value;
      nb.form?.classList.toggle("note-mode", Boolean(keep.note));
      if (keep.focused) {
        nb.focus();
        nb.setSelectionRange(keep.start, keep.end);
      }
    }
  }

  async function refreshTeam() {
    const el = document.getElementById("desk-team");
    if (!el) return;
    const resp = await fetch(el.dataset.src, { credentials: "same-origin" });
    if (!resp.ok) return;
    const tpl = document.createElement("template");
    tpl.innerHTML = (await resp.text()).trim();
    const fresh = tpl.content.getElementById("desk-team");
    if (fresh) el.replaceWith(fresh);
  }

  async function refreshViewers(id) {
    const el = document.getElementById("desk-viewers");
    if (!el) return;
    const resp = await fetch(`/agent/tickets/${id}/presence`, { credentials: "same-origin" });
    if (!resp.ok) return;
    const tpl = document.createElement("template");
    tpl.innerHTML = (await resp.text()).trim();
    const fresh = tpl.content.getElementById("presence");
    if (!fresh) return;
    el.textContent = fresh.textContent;
    el.classList.toggle("empty", !fresh.textContent.trim());
  }

  // Sound: made here, so there is no file to load; browsers allow it after a first click or key.
  let audio = null;
  const wakeAudio = () => {
    if (!audio && window.AudioContext) audio = new AudioContext();
  };
  document.addEventListener("pointerdown", wakeAudio, { once: true });
  document.addEventListener("keydown", wakeAudio, { once: true });
  function chime() {
    if (desk.dataset.sound !== "1" || !audio) return;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.4);
  }
  function notifyNew() {
    unread += 1;
    document.title = `(${unread} ${desk.dataset.newTitle || ""}) ${baseTitle}`;
    desk.dataset.unread = String(unread);
    chime();
  }
  const seen = () => {
    if (document.visibilityState === "visible" && document.hasFocus()) {
      unread = 0;
      document.title = baseTitle;
      delete desk.dataset.unread;
    }
  };
  document.addEventListener("visibilitychange", seen);
  window.addEventListener("focus", seen);

  let listTimer = null;
  const listSoon = () => {
    clearTimeout(listTimer);
    listTimer = setTimeout(refreshList, 250);
  };

  // One event stream per tab: `desk=1` keeps the agent on the desk, `ticket=` tells others
  // who has which ticket open. Opening another ticket reopens it.
  function listen() {
    if (!("EventSource" in window)) return;
    const id = currentId();
    const url = `/agent/events?desk=1${id ? `&ticket=${id}` : ""}`;
    if (events && events.url.endsWith(url)) return;
    events?.close();
    events = new EventSource(url);
    // What happened between the page (or the last stream) and this stream is not replayed:
    // the parts that events update are fetched again once the stream is open.
    events.onopen = () => {
      refreshTeam();
      refreshPane();
      listSoon();
    };
    events.onmessage = (msg) => {
      let e;
      try {
        e = JSON.parse(msg.data);
      } catch {
        return;
      }
      const mine = String(e.ticket) === currentId();
      if (chat.onEvent(e)) return;
      switch (e.type) {
        case "ticket_created":
          notifyNew();
          listSoon();
          break;
        case "message_added":
          listSoon();
          if (mine) conversationSoon();
          break;
        case "ticket_updated":
          listSoon();
          if (mine) refreshPane();
          break;
        case "presence_changed":
          listSoon();
          if (mine) refreshViewers(currentId());
          break;
        case "agent_presence_changed":
          refreshTeam();
          break;
        // A chat waiting for a person (the chat channel's event) is as new as a new ticket.
        case "chat_queued":
          notifyNew();
          listSoon();
          break;
        default:
          listSoon();
          refreshConversation();
      }
    };
  }

  // Links that open a ticket stay in the page.
  document.addEventListener("click", (ev) => {
    const a = ev.target.closest?.("a");
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    if (a.closest(".desk-row") || a.closest(".desk-others")) {
      ev.preventDefault();
      openTicket(a.href);
    } else if (a.id === "desk-back") {
      ev.preventDefault();
      saveDraft();
      desk.classList.remove("has-ticket");
      history.pushState({ desk: true }, "", a.href);
      document.querySelector(".desk-row.selected a")?.focus();
    }
  });
  window.addEventListener("popstate", () => {
    const t = new URL(location.href).searchParams.get("t");
    if (t) openTicket(location.href, { push: false });
    else desk.classList.remove("has-ticket");
  });

  // A form posted by the script: its fields, `extra`, and `js=1` (the server answers 204, or
  // the reason as JSON, instead of a redirect). The response, or null if it never came.
  async function postJs(form, extra = {}) {
    const body = new URLSearchParams(new FormData(form));
    for (const [k, v] of Object.entries(extra)) body.set(k, v);
    body.set("js", "1");
    try {
      return await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
    } catch {
      return null;
    }
  }

  // The same form sent the old way (its page says what went wrong), with `extra` as hidden
  // fields and the draft kept.
  function sendPlain(form, extra = {}) {
    saveDraft();
    form.dataset.plain = "1";
    for (const [name, value] of Object.entries(extra)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    }
    form.submit();
  }

  document.addEventListener("input", (ev) => {
    if (ev.target.id === "body") {
      saveDraft();
      chat.onInput(ev.target);
    }
  });
  function showError(text) {
    const el = document.getElementById("e-body");
    if (el) el.textContent = text;
    box()?.setAttribute("aria-invalid", text ? "true" : "false");
  }
  // Sending stays on the page: a live chat's reply over the socket, anything else as the
  // form's POST with `js=1` (204, or 422 with the reason, the draft kept). Anything else the
  // server answers: the form is sent the old way, and its page says what is wrong.
  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    if (form.id !== "desk-reply" || form.dataset.plain === "1") return;
    ev.preventDefault();
    const kind = ev.submitter?.value || form.dataset.mode || "public";
    const b = box();
    const id = currentId();
    if (!b || !id || !b.value.trim()) return;
    const done = () => {
      if (currentId() === id && box() === b) b.value = "";
      sessionStorage.removeItem(draftKey(id));
      showError("");
    };
    if (kind === "public" && form.dataset.chat === "1" && chat.sendMessage(id, b.value)) {
      done();
      return;
    }
    const resp = await postJs(form, { kind });
    if (resp?.status === 204) {
      done();
      conversationSoon();
      listSoon();
      return;
    }
    if (resp?.status === 422) {
      const j = await resp.json().catch(() => ({}));
      showError(j.message || "");
      return;
    }
    sendPlain(form, { kind });
  });

  // What an action did, where the redirect's notice would be (read out: role=status).
  function notice(text) {
    let n = document.getElementById("notice");
    if (!text) return;
    if (!n) {
      n = document.createElement("p");
      n.id = "notice";
      n.className = "card notice";
      n.setAttribute("role", "status");
      desk.before(n);
    }
    n.classList.remove("notice-info");
    n.textContent = text;
  }

  // The pane's ticket actions (assign, solve, decline, transfer, follow-up) stay on the page:
  // posted with `js=1` (204), then the pane and the list are fetched again. Anything else: the
  // form is sent the old way, and the server's page says what is wrong.
  const DONE = {
    assign: "desk_assigned",
    solve: "desk_solved",
    decline: "desk_declined",
    transfer: "desk_transferred",
    "follow-up": "desk_follow_up",
  };
  const actionPath = /^\/agent\/desk\/tickets\/\d+\/(assign|solve|decline|transfer|follow-up)$/;
  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    if (form.dataset?.api || form.dataset?.plain === "1" || !form.action) return;
    if (!actionPath.test(new URL(form.action, location.href).pathname)) return;
    ev.preventDefault();
    const resp = await postJs(form);
    if (resp?.status === 204) {
      const action = actionPath.exec(new URL(form.action, location.href).pathname)[1];
      notice(strings[DONE[action]] || "");
      await refreshPane();
      listSoon();
      return;
    }
    sendPlain(form);
  });

  // Canned replies: fetched filled in, put in at the cursor, the draft kept.
  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    if (!form.classList?.contains("desk-canned")) return;
    const choice = form.querySelector("select").value;
    if (!choice) return;
    ev.preventDefault();
    const url = new URL(form.action, location.href);
    for (const [k, v] of new FormData(form)) url.searchParams.set(k, v);
    try {
      const resp = await fetch(url, { credentials: "same-origin" });
      if (!resp.ok) throw new Error(String(resp.status));
      const text = await resp.text();
      if (!text) throw new Error("empty");
      const b = box();
      const start = b.selectionStart ?? b.value.length;
      const end = b.selectionEnd ?? start;
      const before = b.value.slice(0, start);
      const gap = before && !before.endsWith("\n") ? "\n\n" : "";
      b.value = before + gap + text + b.value.slice(end);
      const caret = (before + gap + text).length;
      b.focus();
      b.setSelectionRange(caret, caret);
      saveDraft();
    } catch {
      let note = form.querySelector(".field-error");
      if (!note) {
        note = document.createElement("p");
        note.className = "field-error";
        note.setAttribute("role", "alert");
        form.append(note);
      }
      note.textContent = form.dataset.failed || "";
    }
  });

  // Presence: the select applies at once; idle for a while is away, activity is back.
  async function setState(state) {
    const body = new URLSearchParams({ csrf, state, js: "1" });
    await fetch("/agent/desk/presence", { method: "POST", body, credentials: "same-origin" }).catch(() => {});
  }
  const mySelect = document.getElementById("my-state");
  let chosenAway = mySelect?.value === "away";
  let autoAway = false;
  mySelect?.addEventListener("change", () => {
    chosenAway = mySelect.value === "away";
    autoAway = false;
    setState(mySelect.value);
  });
  let lastActive = Date.now();
  const active = () => {
    lastActive = Date.now();
    if (autoAway && !chosenAway) {
      autoAway = false;
      if (mySelect) mySelect.value = "online";
      setState("online");
    }
  };
  for (const t of ["keydown", "pointerdown", "pointermove", "focus"]) {
    window.addEventListener(t, active, { passive: true });
  }
  setInterval(() => {
    if (!chosenAway && !autoAway && Date.now() - lastActive > IDLE_MS) {
      autoAway = true;
      if (mySelect) mySelect.value = "away";
      setState("away");
    }
  }, 15000);

  // Keyboard shortcuts, never while typing in a field.
  const help = document.getElementById("desk-help");
  let helpOpener = null;
  function openHelp() {
    if (!help || help.open) return;
    helpOpener = document.activeElement;
    help.showModal(); // modal: the rest of the page is inert, Esc closes
    document.getElementById("desk-help-close")?.focus();
  }
  // Back to where the agent was; if a live update replaced that element meanwhile, to the
  // selected ticket in the list.
  help?.addEventListener("close", () => {
    if (helpOpener?.isConnected) helpOpener.focus();
    else document.querySelector(".desk-row.selected a")?.focus();
  });
  document.getElementById("desk-help-open")?.addEventListener("click", openHelp);

  function typing(el) {
    if (!el) return false;
    const tag = el.tagName;
    return el.isContentEditable || tag === "TEXTAREA" || tag === "SELECT" ||
      (tag === "INPUT" && !["checkbox", "radio", "button", "submit"].includes(el.type));
  }
  function move(step) {
    const rows = [...document.querySelectorAll(".desk-row a")];
    if (!rows.length) return;
    const at = rows.findIndex((a) => a.closest(".desk-row").classList.contains("selected"));
    const next = at < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, at + step));
    if (next === at) return;
    rows[next].scrollIntoView({ block: "nearest" });
    openTicket(rows[next].href).then(() => document.querySelector(".desk-row.selected a")?.focus());
  }
  function compose(note) {
    const b = box();
    if (!b) return;
    b.form.classList.toggle("note-mode", note);
    b.form.dataset.mode = note ? "note" : "public";
    b.focus();
  }
  function submitForm(id) {
    const f = document.getElementById(id);
    if (f) {
      saveDraft();
      f.requestSubmit();
    }
  }
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && typing(ev.target) && !help?.open) {
      ev.target.blur();
      return;
    }
    // Ctrl/⌘+Enter in the composer sends what the mode says (reply or note).
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && ev.target.id === "body") {
      ev.preventDefault();
      const note = ev.target.form.dataset.mode === "note";
      document.getElementById(note ? "desk-send-note" : "desk-send-reply")?.click();
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target) || help?.open) return;
    const act = {
      j: () => move(1),
      k: () => move(-1),
      r: () => compose(false),
      n: () => compose(true),
      a: () => submitForm("desk-assign"),
      s: () => submitForm("desk-solve"),
      "/": () => document.getElementById("desk-q")?.focus(),
      "?": openHelp,
    }[ev.key];
    if (act) {
      ev.preventDefault();
      act();
    }
  });

  const chat = deskChat({
    desk,
    currentId,
    box,
    openTicket,
    refreshPane,
    listSoon,
    notifyNew,
    conversationSoon,
    showError,
  });
  shortTimes();
  relTimes();
  setInterval(relTimes, 15000);
  restoreDraft();
  listen();
  chat.opened();
}
