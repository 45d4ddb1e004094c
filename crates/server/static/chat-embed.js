// The desk's chat on a wallet's own website, with one tag:
//   <script src="https://desk.example/static/chat-embed.js" data-lang="zh-CN" async></script>
// It adds a launcher button; pressing it opens the desk's /chat page in an iframe (served from
// the desk's origin, so the conversation's token never reaches the wallet's page). No
// third-party anything; the desk allows the framing only for the brand's official websites.
(() => {
  const me = document.currentScript;
  if (!me) return;
  const origin = new URL(me.src).origin;
  const lang = me.dataset.lang === "zh-CN" ? "zh-CN" : "en";
  const label = lang === "zh-CN" ? "在线客服" : "Chat with support";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483000;padding:10px 16px;border-radius:24px;border:0;background:#1f6feb;color:#fff;font:inherit;cursor:pointer";
  let frame = null;
  button.addEventListener("click", () => {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = `${origin}/chat?embed=1&lang=${encodeURIComponent(lang)}`;
      frame.title = label;
      frame.style.cssText = "position:fixed;right:16px;bottom:68px;z-index:2147483000;width:min(380px,calc(100vw - 32px));height:min(600px,calc(100vh - 96px));border:1px solid #ccc;border-radius:12px;background:#fff";
      document.body.append(frame);
    } else {
      frame.hidden = !frame.hidden;
    }
    button.setAttribute("aria-expanded", String(!frame.hidden));
  });
  document.body.append(button);
})();
