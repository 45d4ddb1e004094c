// The ticket form suggests up to three help articles matching the subject as the user types.
// It tells the server once that suggestions were shown; opening one is recorded by the article
// page (the link carries from=ticket). Together with the submitted ticket this gives the
// deflection rate. The subject goes in a POST body, never in a URL, and nothing is sent while
// the typing guard sees a secret in it, or the start of one (`quiet`).
import { quiet } from "./secret-guard.js";

const form = document.getElementById("ticket-form");
const box = document.getElementById("ticket-suggestions");
if (form && box) {
  const subject = form.querySelector("#f-subject");
  const list = box.querySelector("ul");
  const csrf = form.querySelector("input[name=csrf]").value;
  const lang = document.documentElement.lang;
  let timer;
  let seq = 0;
  let told = false;
  const tell = (kind) =>
    fetch("/api/v1/help/events", {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify({ kind }),
    }).catch(() => {});
  const update = async () => {
    const q = subject.value.trim();
    const mine = ++seq;
    if (q.length < 2 || quiet(subject)) {
      box.hidden = true;
      return;
    }
    try {
      const r = await fetch("/api/v1/help/search", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ q, lang, limit: 3 }),
      });
      const j = r.ok ? await r.json() : {};
      if (mine !== seq) return;
      const results = (j.results || []).slice(0, 3);
      list.replaceChildren(...results.map((hit) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = hit.url + "&from=ticket";
        a.target = "_blank";
        a.rel = "noopener";
        a.textContent = hit.title;
        li.append(a);
        return li;
      }));
      box.hidden = results.length === 0;
      if (results.length > 0 && !told) {
        told = true;
        tell("suggestions_shown");
      }
    } catch {
      box.hidden = true;
    }
  };
  subject.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
}
