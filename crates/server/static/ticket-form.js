// The ticket form: shows the fields the chosen category asks for, and checks transaction
// hashes and addresses with the server's wallet checks as the user types: the value in a POST
// body, never in a URL, and not at all while the typing guard sees a secret in it (a key pasted
// into the address field).
import { flagged } from "./secret-guard.js";

const form = document.getElementById("ticket-form");
if (form) {
  const category = form.querySelector("#f-category");
  const chain = form.querySelector("#f-chain");
  const lang = document.documentElement.lang;
  const showFields = () => {
    for (const f of form.querySelectorAll(".field[data-categories]")) {
      const cats = f.dataset.categories.split(" ");
      f.hidden = category.value !== "" && !cats.includes(category.value);
    }
  };
  category.addEventListener("change", showFields);
  showFields();
  let timer;
  const check = async (input) => {
    const out = document.getElementById("e-" + input.name);
    const value = input.value.trim();
    if (!value || flagged(input)) {
      out.textContent = "";
      input.removeAttribute("aria-invalid");
      return;
    }
    const body = { field: input.dataset.check, value, lang };
    if (chain.value) body.chain = chain.value;
    try {
      const r = await fetch("/api/v1/fields/check", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
      });
      const j = await r.json();
      out.textContent = j.ok ? "" : j.message;
      if (j.ok) input.removeAttribute("aria-invalid");
      else input.setAttribute("aria-invalid", "true");
    } catch {
      // Offline: the server checks again on submit.
    }
  };
  for (const input of form.querySelectorAll("input[data-check]")) {
    if (input.dataset.check !== "tx_hash" && input.dataset.check !== "address") continue;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => check(input), 250);
    });
    input.addEventListener("blur", () => check(input));
  }
  chain.addEventListener("change", () => {
    for (const input of form.querySelectorAll("input[data-check]")) if (input.value) check(input);
  });
  const errors = document.getElementById("form-errors");
  if (errors) errors.focus();
}
