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
