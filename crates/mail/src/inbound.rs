//! Inbound mail: parsing, quote cutting, threading keys, loop and junk detection.
