// File inputs in the page's language: the browser's own button reads "Choose Files" / "No file
// chosen" in the browser's language, not the page's. Each `input[type=file][data-pick]` keeps
// working as it is (focusable, read by screen readers, the form sends it) but is drawn as a
// button and a line in the page's language: `data-pick` (the button), `data-none` (nothing
// chosen yet) and `data-many` (several files, `{n}` for how many). Without script the browser's
// own control shows.
for (const input of document.querySelectorAll('input[type="file"][data-pick]')) {
  if (!input.id) continue;
  const button = document.createElement("label");
  button.htmlFor = input.id;
  button.className = "button secondary file-pick";
  button.textContent = input.dataset.pick;
  const chosen = document.createElement("span");
  chosen.className = "file-chosen";
  chosen.setAttribute("aria-live", "polite");
  const show = () => {
    const files = input.files ? [...input.files] : [];
    chosen.textContent = files.length === 0
      ? input.dataset.none || ""
      : files.length === 1
        ? files[0].name
        : (input.dataset.many || "{n}").replace("{n}", String(files.length));
  };
  input.classList.add("file-native");
  input.after(button, chosen);
  input.addEventListener("change", show);
  // The input itself is a pixel: scroll its button into sight when the keyboard reaches it.
  input.addEventListener("focus", () => button.scrollIntoView({ block: "nearest" }));
  show();
}

// A form with chosen screenshots that the server refuses comes back without them: a page cannot
// put files back into a file input. So such a form is checked here first for what the page can
// see alone — a required field left empty or only spaces, an e-mail address that is not one, a
// field the address and hash check has already marked wrong — and is not sent until they are
// fixed, the fields marked in the page's words (`data-required`, `data-email` on the form) and
// everything chosen and typed kept. The server still checks everything.
for (const form of document.querySelectorAll("form[data-required]")) {
  const messageOf = (el) => {
    if (el.closest("[hidden]") || el.disabled) return null;
    if (el.required && el.value.trim() === "") return form.dataset.required;
    if (el.type === "email" && el.validity.typeMismatch) return form.dataset.email || null;
    return null;
  };
  const errorFor = (el) => {
    const id = (el.getAttribute("aria-describedby") || "").split(" ").find((i) => i.startsWith("e-"));
    return id ? document.getElementById(id) : null;
  };
  form.addEventListener("submit", (ev) => {
    let first = null;
    for (const el of form.querySelectorAll("input, textarea, select")) {
      const message = messageOf(el);
      const out = errorFor(el);
      if (message) {
        if (out) out.textContent = message;
        el.setAttribute("aria-invalid", "true");
        el.dataset.prechecked = "";
      } else if (
        (el.dataset.check === "tx_hash" || el.dataset.check === "address") &&
        !el.closest("[hidden]") &&
        el.getAttribute("aria-invalid") === "true" &&
        out?.textContent
      ) {
        // Marked by the address and hash check as the user typed (it re-checks as they type):
        // the server would refuse it. Other marks are the server's, from the last send, and
        // may be stale: the server judges those again.
      } else {
        continue;
      }
      first ??= el;
    }
    if (first) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      first.focus();
    }
  });
  // A mark this check made goes as soon as the field is filled in.
  form.addEventListener("input", (ev) => {
    const el = ev.target;
    if (el.dataset?.prechecked === undefined || messageOf(el)) return;
    delete el.dataset.prechecked;
    el.removeAttribute("aria-invalid");
    const out = errorFor(el);
    if (out) out.textContent = "";
  });
}
