// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// A minimal contract wallet for the tests (a stand-in for a multisig or smart-contract
/// wallet): it holds ETH, and its owner makes it pay out. Each payout is a call made by the
/// contract's code inside the owner's transaction: an internal transfer, seen only in traces.
contract PayoutWallet {
    address public immutable owner;

    constructor() payable {
        owner = msg.sender;
    }

    receive() external payable {}

    /// `pay(address,uint256)`: sends `amount` wei to `to`.
    function pay(address payable to, uint256 amount) external {
        require(msg.sender == owner, "not the owner");
        (bool ok, ) = to.call{value: amount}("");
        require(ok, "payment failed");
    }
}
