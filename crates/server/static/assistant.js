// The self-service assistant box: asks POST /api/v1/assistant/answer and shows the answer, its
// articles and, when a person should take over, a link to a pre-filled ticket. Everything is
// put in the page with textContent: nothing the server says is parsed as HTML. The typing guard
// (imported first, so its submit check runs first) holds a question that looks like a secret.
import "./secret-guard.js";

// Only links to this site: "/x", never "//host" (another site) or a scheme. The server writes
// every link the reader may follow as Markdown, a bare path of the desk's too ("/tickets/new"
// becomes "[/tickets/new](/tickets/new)", kb::plain_text_with_links): one rule, on the server.
const MD_LINK = /\[([^\]]+)\]\((\/(?![/\\])[^)\s]*)\)/;

// One line of answer text as pieces: {text} or {text, href}.
export function lineParts(line) {
  const parts = [];
  let rest = line;
  while (rest) {
    const md = MD_LINK.exec(rest);
    if (md) {
      if (md.index) parts.push({ text: rest.slice(0, md.index) });
      parts.push({ text: md[1], href: md[2] });
      rest = rest.slice(md.index + md[0].length);
    } else {
      parts.push({ text: rest });
      rest = "";
    }
  }
  return parts;
}

// The answer as blocks: paragraphs, and numbered steps with their "- " sub-items as a list.
export function answerBlocks(text) {
  const blocks = [];
  for (const raw of text.split("\n")) {
    const sub = /^\s+- (.*)$/.exec(raw);
    const item = /^- (.*)$/.exec(raw);
    const last = blocks[blocks.length - 1];
    if (sub && last && last.kind === "step") {
      last.items.push(lineParts(sub[1]));
    } else if (item) {
      if (last && last.kind === "list") last.items.push(lineParts(item[1]));
      else blocks.push({ kind: "list", items: [lineParts(item[1])] });
    } else if (/^\d+\. /.test(raw)) {
      blocks.push({ kind: "step", parts: lineParts(raw), items: [] });
    } else if (raw.trim()) {
      blocks.push({ kind: "p", parts: lineParts(raw) });
    }
  }
  return blocks;
}

function fill(el, parts) {
  for (const part of parts) {
    if (part.href) {
      const a = document.createElement("a");
      a.textContent = part.text;
      a.href = part.href;
      el.append(a);
    } else {
      el.append(part.text);
    }
  }
  return el;
}

function list(items) {
  const ul = document.createElement("ul");
  for (const parts of items) ul.append(fill(document.createElement("li"), parts));
  return ul;
}

// Puts an answer in `el`: paragraphs, steps with their sub-items as a list, links and site
// paths as real links, the rest as text (never HTML). The chat shows the assistant's answers
// the same way (chat.js).
export function renderAnswerInto(el, text) {
  el.replaceChildren();
  for (const block of answerBlocks(text)) {
    if (block.kind === "list") {
      el.append(list(block.items));
    } else {
      const p = fill(document.createElement("p"), block.parts);
      if (block.kind === "step" && block.items.length) p.append(list(block.items));
      el.append(p);
    }
  }
}

const box = typeof document === "undefined" ? null : document.getElementById("assistant");
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
  const renderAnswer = (text) => renderAnswerInto(answer, text);
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
      // An article the answer already links to is not listed a second time.
      for (const a of j.articles.filter((a) => !j.answer.includes(`](${a.url})`))) {
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
