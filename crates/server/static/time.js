// Shows every <time datetime> in the viewer's own time zone and language.
const fmt = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
  dateStyle: "medium",
  timeStyle: "short",
});
export function localise(root = document) {
  for (const el of root.querySelectorAll("time[datetime]")) {
    const d = new Date(el.getAttribute("datetime"));
    if (!Number.isNaN(d.getTime())) el.textContent = fmt.format(d);
  }
}
localise();
