//! Esplora's REST API (to come).
