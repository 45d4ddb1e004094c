// The on-chain panel of the agent's ticket view (issue 12). After the page has loaded, asks
// /api/v1/chain/… about the ticket's transaction (or else its address) in the ticket's
// language, and shows the findings, the age of the data, the explorer link and the article.
// "Refresh" asks the chain again past the cache; "Insert explanation" puts the sentences into
// the reply box. Without configured chains (404 `chain_not_configured`) the panel hides itself;
// a failed lookup says "couldn't check" and never holds up the page.
const panel = document.getElementById("chain-panel");
if (panel) {
  const d = panel.dataset;
  const body = panel.querySelector(".chain-body");
  const path = d.tx
    ? `/api/v1/chain/tx/${encodeURIComponent(d.tx)}`
    : `/api/v1/chain/address/${encodeURIComponent(d.address)}`;
  let last = null;

  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };

  const render = (v) => {
    last = v;
    body.replaceChildren();
    const head = v.status ? `${v.chain}: ${d["status_" + v.status] || v.status}` : `${v.chain}: ${v.balance || ""}`;
    body.append(el("p", head + (v.confirmations != null ? ` (${v.confirmations})` : ""), "chain-head"));
    if (v.tokens && v.tokens.length) {
      body.append(el("p", v.tokens.map((t) => `${t.amount} ${t.symbol}`).join(" · "), "meta"));
    }
    const ul = el("ul", undefined, "findings");
    for (const f of v.findings) {
      const li = el("li", f.sentence, `finding finding-${f.severity}`);
      li.dataset.code = f.code;
      ul.append(li);
    }
    body.append(ul);
    const secs = Math.max(0, Math.round((Date.now() - v.fetched_at) / 1000));
    body.append(el("p", d.age.replace("{secs}", String(secs)), "meta chain-age"));
    const links = el("p", undefined, "meta");
    if (v.explorer_url) {
      const a = el("a", d.explorer);
      a.href = v.explorer_url;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      links.append(a, " ");
    }
    if (v.article) {
      const a = el("a", d.article);
      a.href = v.article.url;
      a.target = "_blank";
      links.append(a);
    }
    body.append(links);
  };

  const load = async (fresh) => {
    body.replaceChildren(el("p", d.loading, "meta"));
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 10000);
    try {
      const r = await fetch(`${path}?lang=${encodeURIComponent(d.lang)}${fresh ? "&fresh=true" : ""}`, {
        signal: ctl.signal,
        credentials: "same-origin",
        headers: { accept: "application/json" },
      });
      const v = await r.json();
      if (v.error === "chain_not_configured") { panel.hidden = true; return; }
      if (!r.ok) { body.replaceChildren(el("p", v.message || d.failed, "caution")); return; }
      render(v);
    } catch {
      body.replaceChildren(el("p", d.failed, "caution"));
    } finally {
      clearTimeout(timer);
    }
  };

  panel.querySelector(".chain-refresh")?.addEventListener("click", () => load(true));
  panel.querySelector(".chain-insert")?.addEventListener("click", () => {
    const box = document.getElementById("body");
    if (!box || !last) return;
    const lines = last.findings.map((f) => f.sentence);
    if (last.article) lines.push(new URL(last.article.url, location.origin).href);
    box.value = (box.value ? box.value.replace(/\s*$/, "\n\n") : "") + lines.join("\n");
    box.focus();
  });
  load(false);
}
