// Runs the package's mnemonic check (index.js) under Node on a JSON array of inputs and prints
// a JSON array of results, for the parity test against the wallet crate
// (crates/walletdesk/tests/it/mnemonic_parity.rs):
//
//     node packages/mnemonic-check/test/parity.mjs inputs.json > reports.json
//
// Each result is the report, or `{"error": code, ...fields}` when the input is refused.
// Not served and not published (package.json `files` leaves test/ out).

import { readFileSync } from "node:fs";
import { CheckError, checkMnemonic } from "../index.js";

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
