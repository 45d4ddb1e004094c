//! Electrum's own seed phrases. (Being written.)
