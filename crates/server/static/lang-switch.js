// The language link keeps what the page was showing: its query (a search, a filter, a view)
// goes along with the new `lang`. Without JavaScript the link still switches the language.
for (const a of document.querySelectorAll(".lang a[hreflang]")) {
  a.addEventListener("click", () => {
    const target = new URL(a.href, location.href);
    const params = new URLSearchParams(location.search);
    params.set("lang", target.searchParams.get("lang") || "");
    a.href = `${location.pathname}?${params}${location.hash}`;
  });
}
