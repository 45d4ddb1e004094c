// Passkeys (auth/passkey.rs): the browser's part of adding one (#passkey-create), checking one
// as the second factor or for step-up (#passkey-check), and signing in with one
// (#passkey-sign-in). The server keeps the ceremony; this only turns its options into what
// navigator.credentials wants, and the authenticator's answer back into JSON. Messages come
// from #passkey-messages, in the page's language.

const messages = document.getElementById("passkey-messages");
const errorBox = document.getElementById("passkey-error");

function message(code) {
  const key = code.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  return messages?.dataset[key] || messages?.dataset.failed || code;
}

function showError(code) {
  if (!errorBox) return;
  errorBox.textContent = message(code);
  errorBox.hidden = false;
  // The page's green notice ("now create the passkey on this device") no longer holds.
  const notice = document.getElementById("notice");
  if (notice) notice.hidden = true;
  errorBox.focus?.();
}

function fromB64url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0)).buffer;
}

function toB64url(buffer) {
  let bin = "";
  for (const b of new Uint8Array(buffer)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function creationOptions(options) {
  const pk = { ...options.publicKey };
  pk.challenge = fromB64url(pk.challenge);
  pk.user = { ...pk.user, id: fromB64url(pk.user.id) };
  pk.excludeCredentials = (pk.excludeCredentials || []).map((c) => ({ ...c, id: fromB64url(c.id) }));
  return { publicKey: pk };
}

function requestOptions(options) {
  const pk = { ...options.publicKey };
  pk.challenge = fromB64url(pk.challenge);
  pk.allowCredentials = (pk.allowCredentials || []).map((c) => ({ ...c, id: fromB64url(c.id) }));
  return { publicKey: pk };
}

function createdJSON(cred) {
  return {
    id: cred.id,
    rawId: toB64url(cred.rawId),
    type: cred.type,
    extensions: cred.getClientExtensionResults?.() ?? {},
    response: {
      attestationObject: toB64url(cred.response.attestationObject),
      clientDataJSON: toB64url(cred.response.clientDataJSON),
      transports: cred.response.getTransports?.() ?? [],
    },
  };
}

function assertedJSON(cred) {
  const r = cred.response;
  return {
    id: cred.id,
    rawId: toB64url(cred.rawId),
    type: cred.type,
    extensions: cred.getClientExtensionResults?.() ?? {},
    response: {
      authenticatorData: toB64url(r.authenticatorData),
      clientDataJSON: toB64url(r.clientDataJSON),
      signature: toB64url(r.signature),
      userHandle: r.userHandle ? toB64url(r.userHandle) : null,
    },
  };
}

/** A refusal from the server or the browser, by its code. */
class Refused extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

async function post(url, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": messages?.dataset.csrf ?? "" },
      body: JSON.stringify(body ?? {}),
    });
  } catch {
    throw new Refused("failed");
  }
  let data = {};
  try {
    data = await response.json();
  } catch {
    throw new Refused("failed");
  }
  if (!response.ok) {
    const code = data.error === "csrf" ? "csrf_error" : data.error || "failed";
    throw new Refused(code);
  }
  return data;
}

/** What the browser's refusal means to the person. */
function browserCode(e) {
  if (e instanceof Refused) return e.code;
  switch (e?.name) {
    case "NotAllowedError":
      return "not_allowed";
    case "AbortError":
      return "cancelled";
    case "InvalidStateError":
      return "passkey_already_registered";
    case "SecurityError":
      return "insecure";
    case "NotSupportedError":
      return "unsupported";
    default:
      return "failed";
  }
}

function supported() {
  return typeof window.PublicKeyCredential === "function" && !!navigator.credentials;
}

async function run(button, steps) {
  if (!supported()) {
    showError("unsupported");
    return;
  }
  if (errorBox) errorBox.hidden = true;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    await steps();
  } catch (e) {
    showError(browserCode(e));
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

function follow(data) {
  if (data.redirect) location.assign(data.redirect);
}

const create = document.getElementById("passkey-create");
create?.addEventListener("click", () =>
  run(create, async () => {
    const options = JSON.parse(document.getElementById("passkey-register").dataset.options);
    const cred = await navigator.credentials.create(creationOptions(options));
    if (!cred) throw new Refused("cancelled");
    follow(await post("/agent/security/passkeys/finish", { credential: createdJSON(cred) }));
  }),
);

const check = document.getElementById("passkey-check");
check?.addEventListener("click", () =>
  run(check, async () => {
    const options = await post("/agent/passkey/check");
    const cred = await navigator.credentials.get(requestOptions(options));
    if (!cred) throw new Refused("cancelled");
    const data = await post("/agent/passkey/check/finish", { credential: assertedJSON(cred) });
    if (check.dataset.then === "step-up") {
      // The session is fresh now: send the kept form as it was, without a code.
      const form = document.getElementById("step-up");
      form.querySelector("[name=step_up_code]")?.remove();
      form.submit();
    } else {
      follow(data);
    }
  }),
);

const signIn = document.getElementById("passkey-sign-in");
signIn?.addEventListener("click", () =>
  run(signIn, async () => {
    const { ceremony, options } = await post("/agent/sign-in/passkey");
    const cred = await navigator.credentials.get(requestOptions(options));
    if (!cred) throw new Refused("cancelled");
    follow(await post("/agent/sign-in/passkey/finish", { ceremony, credential: assertedJSON(cred) }));
  }),
);
