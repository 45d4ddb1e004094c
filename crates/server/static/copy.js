// "Copy" buttons next to a ticket's transaction id and address: the value goes to the
// clipboard and the button says so for a moment. Without clipboard access the value stays
// selectable as text.
for (const button of document.querySelectorAll("button[data-copy]")) {
  const label = button.textContent;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = button.dataset.copied || label;
      setTimeout(() => { button.textContent = label; }, 1500);
    } catch {
      const code = button.closest("dd")?.querySelector("code");
      if (code) getSelection().selectAllChildren(code);
    }
  });
}
