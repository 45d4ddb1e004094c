// "Sign with my browser wallet" in a ticket's address proof: asks the wallet this browser has
// (EIP-1193 for EVM, TronLink, a Phantom-style Solana wallet, Unisat for Bitcoin) to sign the
// text shown, exactly, and puts the signature in the box. Nothing is sent until the user
// presses "Check the signature". No wallet: the button stays hidden.
const button = document.getElementById("prove-browser");
const shown = document.getElementById("prove-text");
const box = document.getElementById("prove-signature");

const utf8 = (s) => new TextEncoder().encode(s);
const hex = (bytes) => "0x" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const base64 = (bytes) => btoa(String.fromCharCode(...bytes));

const signers = {
  evm: () => window.ethereum && (async (text, address) => {
    const accounts = await window.ethereum.request({ method: "eth_requestAccounts" });
    const from = accounts.find((a) => a.toLowerCase() === address.toLowerCase()) ?? accounts[0];
    return window.ethereum.request({ method: "personal_sign", params: [hex(utf8(text)), from] });
  }),
  tron: () => window.tronWeb?.trx?.signMessageV2 && ((text) => window.tronWeb.trx.signMessageV2(text)),
  solana: () => window.solana?.signMessage && (async (text) => {
    await window.solana.connect();
    const { signature } = await window.solana.signMessage(utf8(text), "utf8");
    return base64(signature);
  }),
  bitcoin: () => window.unisat?.signMessage && ((text) => window.unisat.signMessage(text, "bip322-simple")),
};

const sign = button && shown && box && signers[button.dataset.chain]?.();
if (sign) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      box.value = await sign(shown.textContent, button.dataset.address);
      box.focus();
    } catch {
      box.setAttribute("placeholder", button.dataset.failed);
      box.focus();
    }
  });
}
