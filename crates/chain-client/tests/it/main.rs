//! walletdesk-chain-client's integration tests: the EVM client against a real anvil node, and
//! endpoints that misbehave (stand-ins on loopback).

mod anvil;
mod evm;
mod misbehaving;
