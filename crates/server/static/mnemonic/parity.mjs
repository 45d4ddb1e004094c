// Runs the browser's mnemonic check (check.js) under Node on a JSON array of inputs and prints
// a JSON array of results, for the parity test against the wallet crate
// (crates/walletdesk/tests/it/mnemonic_parity.rs):
//
//     node crates/server/static/mnemonic/parity.mjs inputs.json > reports.json
//
// Each result is the report, or `{"error": code, ...fields}` when the input is refused.
// Not served: the server's static list does not include it.

import { readFileSync } from "node:fs";
import { CheckError, checkMnemonic } from "./check.js";

const inputs = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = inputs.map((input) => {
  try {
    return checkMnemonic(input);
  } catch (e) {
    if (!(e instanceof CheckError)) throw e;
    const { code, ...fields } = e;
    delete fields.name;
    return { error: code, ...fields };
  }
});
process.stdout.write(JSON.stringify(results));
