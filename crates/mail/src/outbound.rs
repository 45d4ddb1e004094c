//! Outbound mail: building the messages the desk sends.
