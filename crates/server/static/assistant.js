// The self-service assistant box: asks POST /api/v1/assistant/answer and shows the answer, its
// articles and, when a person should take over, a link to a pre-filled ticket. Everything is
// put in the page with textContent: nothing the server says is parsed as HTML. The typing guard
// (imported first, so its submit check runs first) holds a question that looks like a secret.
import "./secret-guard.js";

const box = document.getElementById("assistant");
if (box) {
  const lang = box.dataset.lang || document.documentElement.lang;
  const form = document.getElementById("assistant-form");
  const q = document.getElementById("assistant-q");
  const out = document.getElementById("assistant-out");
  const answer = document.getElementById("assistant-answer");
  const links = document.getElementById("assistant-links");
  const conf = document.getElementById("assistant-confidence");
  const handoff = document.getElementById("assistant-handoff");
  const ticket = document.getElementById("assistant-ticket");
  const secret = document.getElementById("assistant-secret");
  const byModel = document.getElementById("assistant-model");
  const error = document.getElementById("assistant-error");
  const person = document.getElementById("assistant-person-link");
  // Markdown links in the answer become real links; the rest stays text.
  const renderAnswer = (text) => {
    answer.replaceChildren();
    for (const line of text.split("\n")) {
      const p = document.createElement("p");
      let rest = line;
      const re = /\[([^\]]+)\]\((\/[^)\s]*)\)/;
      let m;
      while ((m = re.exec(rest))) {
        p.append(rest.slice(0, m.index));
        const a = document.createElement("a");
        a.textContent = m[1];
        a.href = m[2];
        p.append(a);
        rest = rest.slice(m.index + m[0].length);
      }
      p.append(rest);
      answer.append(p);
    }
  };
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const question = q.value.trim();
    if (!question) return;
    error.hidden = true;
    try {
      const r = await fetch("/api/v1/assistant/answer", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ question, lang }),
      });
      if (!r.ok) throw new Error(String(r.status));
      const j = await r.json();
      renderAnswer(j.answer);
      links.replaceChildren();
      for (const a of j.articles) {
        const li = document.createElement("li");
        const link = document.createElement("a");
        link.textContent = a.title;
        link.href = a.url;
        li.append(link);
        links.append(li);
      }
      conf.textContent = `${conf.dataset.label}: ${Math.round(j.confidence * 100)}%`;
      secret.hidden = !j.secret_removed;
      if (byModel) byModel.hidden = j.composed_by !== "model";
      handoff.hidden = !j.handoff;
      if (j.ticket_url) {
        ticket.href = j.ticket_url;
        person.href = j.ticket_url;
      }
      out.hidden = false;
      // The question may have held a secret: do not leave it on the screen.
      if (j.secret_removed) q.value = "";
    } catch {
      error.hidden = false;
    }
  });
}
