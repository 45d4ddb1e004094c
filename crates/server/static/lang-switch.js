// The language link keeps what the page was showing: its query (a search, a filter, a view)
// goes along with the new `lang`, and so does what was typed into the page's forms: saved in
// sessionStorage (this tab only) just before the switch, put back once the page is loaded in
// the other language, then deleted. Text the typing guard (secret-guard.js) sees a recovery
// phrase or key in is saved without it — a secret never reaches storage — and passwords,
// files and hidden fields are never saved. Without JavaScript the link still switches the
// language.

const PREFIX = "wd-draft:";

/** The boxes whose text is worth keeping, with a key stable across languages. */
function boxes() {
  const out = [];
  document.querySelectorAll("form").forEach((form, fi) => {
    for (const el of form.elements) {
      const type = (el.type || "").toLowerCase();
      if (!el.name || el.disabled || el.readOnly) continue;
      // A choice whose default is the page's language (a new agent's language) follows it.
      if (el.dataset.followsLang !== undefined) continue;
      if (["password", "hidden", "file", "submit", "button", "reset", "image"].includes(type)) continue;
      // Several checkboxes share a name (the inbox's ticket selection): each is its own box.
      const own = type === "radio" || type === "checkbox" ? el.value : "";
      const key = `${form.getAttribute("action") || fi}|${el.name}|${own}`;
      out.push([key, el]);
    }
  });
  return out;
}

/**
 * What the page's boxes hold now — not only what was changed since it loaded: a page that is
 * the answer to a sent form (a form back with its errors, a check's result) shows what the
 * server put back as the boxes' defaults, and the other language's page is a fresh GET that
 * would show none of it. Restoring a value the new page already shows changes nothing.
 */
async function save() {
  const typed = {};
  let any = false;
  for (const [key, el] of boxes()) {
    if (el.type === "checkbox" || el.type === "radio") {
      typed[key] = el.checked;
      any ||= el.checked || el.defaultChecked;
    } else if (el.tagName === "SELECT") {
      if (el.value !== el.options[0]?.value) {
        typed[key] = el.value;
        any = true;
      }
    } else if (el.value.trim() !== "") {
      typed[key] = el.value;
      any = true;
    }
  }
  if (!any) return;
  const texts = Object.entries(typed).filter(([, v]) => typeof v === "string" && v.length > 3);
  if (texts.length > 0) {
    // Loaded only when there is text to check: the word lists are large.
    const { findSecrets, removeSecrets } = await import("/static/secret-guard.js");
    for (const [key, value] of texts) {
      const el = boxes().find(([k]) => k === key)?.[1];
      const hint = el?.dataset?.secretGuard ?? "";
      if (findSecrets(value, hint).length === 0) continue;
      const cleaned = removeSecrets(value, hint);
      if (findSecrets(cleaned, hint).length === 0) typed[key] = cleaned;
      else delete typed[key];
    }
  }
  try {
    sessionStorage.setItem(PREFIX + location.pathname, JSON.stringify(typed));
  } catch {
    // Storage full or blocked: the switch goes on without the draft.
  }
}

function restore() {
  let typed;
  try {
    typed = JSON.parse(sessionStorage.getItem(PREFIX + location.pathname) || "null");
    sessionStorage.removeItem(PREFIX + location.pathname);
  } catch {
    return;
  }
  if (!typed) return;
  let restored = false;
  for (const [key, el] of boxes()) {
    if (!(key in typed)) continue;
    const v = typed[key];
    // Events only for a real change: a filter that submits itself on change must not fire
    // for a value the page already shows.
    if (el.type === "checkbox" || el.type === "radio") {
      if (el.checked === Boolean(v)) continue;
      el.checked = Boolean(v);
      el.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (el.tagName === "SELECT") {
      if (el.value === v) continue;
      el.value = v;
      el.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (el.value === v) {
      continue;
    } else if (el.value.trim() === "" || el.value === el.defaultValue) {
      // What the server put back (a form sent with errors) is never overwritten.
      el.value = v;
      el.dispatchEvent(new Event("input", { bubbles: true }));
    } else continue;
    restored = true;
  }
  if (restored) document.documentElement.dataset.draftRestored = "";
}

for (const a of document.querySelectorAll(".lang a[hreflang]")) {
  a.addEventListener("click", async (ev) => {
    const target = new URL(a.href, location.href);
    const params = new URLSearchParams(location.search);
    params.set("lang", target.searchParams.get("lang") || "");
    params.delete("done");
    a.href = `${location.pathname}?${params}${location.hash}`;
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
    ev.preventDefault();
    try {
      await save();
    } finally {
      location.href = a.href;
    }
  });
}

restore();
