// The article editor's live preview: the server renders the Markdown exactly as the help
// center will (raw HTML escaped), so the preview cannot drift from the page.
const form = document.getElementById("article-form");
const preview = document.getElementById("article-preview");
if (form && preview) {
  const body = form.querySelector("#a-body");
  const csrf = form.dataset.csrf;
  let timer;
  let seq = 0;
  const render = async () => {
    const mine = ++seq;
    try {
      const r = await fetch("/agent/help/preview", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-csrf-token": csrf },
        body: new URLSearchParams({ body: body.value }),
      });
      if (r.ok && mine === seq) {
        // Sanitized by the server (kb::render_html).
        preview.innerHTML = await r.text();
      }
    } catch {
      // Keep the last preview.
    }
  };
  body.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(render, 300);
  });
}
