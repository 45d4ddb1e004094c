//! Addresses and transaction ids. (Being written.)
