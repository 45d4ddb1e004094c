//! TRON's HTTP API (to come).
