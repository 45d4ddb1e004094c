// SPDX-License-Identifier: AGPL-3.0-only
// A minimal ERC-20 for walletdesk's EVM tests against anvil (crates/chain-client/tests/it/evm.rs):
// a transfer that emits Transfer, and a transfer beyond the balance that reverts with a reason.
// Compiled once; see README.md beside it for the compiler and the command.
pragma solidity 0.8.28;

contract TestToken {
    string public constant symbol = "TUSD";
    uint8 public constant decimals = 6;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(uint256 supply) {
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        require(balanceOf[msg.sender] >= value, "transfer amount exceeds balance");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }

    // Burns gas in a loop: a call with a small gas limit runs out of gas.
    function burn(uint256 rounds) external returns (uint256 acc) {
        for (uint256 i = 0; i < rounds; i++) {
            acc = uint256(keccak256(abi.encode(acc, i)));
            balanceOf[address(uint160(acc))] = acc;
        }
    }
}
