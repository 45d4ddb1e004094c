// Inserting a canned reply keeps the draft: instead of reloading the page (what the form does
// without JavaScript), the filled-in reply is fetched from the same address and put into the
// reply box at the cursor, or after what is already written.
const form = document.querySelector("form.canned");
const box = document.getElementById("body");
if (form && box) {
  form.addEventListener("submit", async (event) => {
    const choice = form.querySelector("select").value;
    if (!choice) return;
    event.preventDefault();
    const url = new URL(form.action, location.href);
    url.searchParams.set("canned", choice);
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const text = page.getElementById("body")?.value ?? "";
      if (!text) throw new Error("empty");
      const start = box.selectionStart ?? box.value.length;
      const end = box.selectionEnd ?? start;
      const before = box.value.slice(0, start);
      const gap = before && !before.endsWith("\n") ? "\n\n" : "";
      box.value = before + gap + text + box.value.slice(end);
      const caret = (before + gap + text).length;
      box.focus();
      box.setSelectionRange(caret, caret);
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
}
