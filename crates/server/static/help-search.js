// The help center's search box: suggestions as the user types (a <datalist>), and the top
// results under the box. Results come from the JSON API; their snippets are the index's
// escaped HTML with <mark>, but here only the title is used, set as text. The query goes in a
// POST body, never in a URL, and nothing is sent while the typing guard sees a secret in it, or
// the start of one (`quiet`).
import { quiet } from "./secret-guard.js";

const post = (path, body) =>
  fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  }).then((x) => (x.ok ? x.json() : {}));

const form = document.getElementById("help-search");
if (form) {
  const input = form.querySelector("#help-q");
  const list = form.querySelector("#help-suggestions");
  const live = form.querySelector("#help-live");
  const lang = input.dataset.lang || document.documentElement.lang;
  let timer;
  let seq = 0;
  const update = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q || quiet(input)) {
      list.replaceChildren();
      live.replaceChildren();
      return;
    }
    try {
      const body = { q, lang, limit: 5 };
      const [s, r] = await Promise.all([post("/api/v1/help/suggest", body), post("/api/v1/help/search", body)]);
      if (mine !== seq) return;
      list.replaceChildren(...(s.suggestions || []).map((text) => {
        const o = document.createElement("option");
        o.value = text;
        return o;
      }));
      live.replaceChildren(...(r.results || []).map((hit) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = hit.url;
        a.textContent = hit.title;
        li.append(a);
        return li;
      }));
    } catch {
      // Search-as-you-type is a convenience; the form still submits.
    }
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  });
}
