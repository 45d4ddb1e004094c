//! Clients for the chains' APIs, around the pure rules of `walletdesk-chain`. Nothing is looked
//! up anywhere an admin did not configure.
