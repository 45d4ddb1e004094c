const solc = require('solc');
const fs = require('fs');
const path = require('path');
// The contract is named as its file: TestToken.sol holds TestToken.
const file = path.basename(process.argv[2]);
const name = path.basename(file, '.sol');
const src = fs.readFileSync(process.argv[2], 'utf8');
const input = { language: 'Solidity', sources: { [file]: { content: src } },
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['evm.bytecode.object'] } } } };
const out = JSON.parse(solc.compile(JSON.stringify(input)));
if (out.errors) { for (const e of out.errors) console.error(e.formattedMessage); if (out.errors.some(e => e.severity === 'error')) process.exit(1); }
process.stdout.write(out.contracts[file][name].evm.bytecode.object + '\n');
console.error('solc ' + solc.version());
