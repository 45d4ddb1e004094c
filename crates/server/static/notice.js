// After a form, the server redirects to a page with `?done=<what>` and the page shows that
// notice once (post/redirect/get). Once it is on screen, the flag leaves the address bar, so
// reloading or bookmarking the page does not show the notice again.
const url = new URL(location.href);
if (url.searchParams.has("done")) {
  url.searchParams.delete("done");
  history.replaceState(history.state, "", `${url.pathname}${url.search}${url.hash}`);
}

// A form sent back with errors: its summary takes the focus, so that it is read first and Tab
// leads to the links naming each field.
document.getElementById("form-errors")?.focus();
