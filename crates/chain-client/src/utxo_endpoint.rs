//! What the two Bitcoin clients (`bitcoin_core`, Core's JSON-RPC, and `esplora`, the REST API)
//! share around [`GuardedHttp`]: the configured network, the HTTP plumbing built from the same
//! `[chain.<name>]`, and the checks every lookup starts with (a txid is 64 hex digits; an
//! address of another network is answered `wrong_network` without asking anyone).

use chain::bitcoin::{self, AddressCheck, AddressFacts, Network, TxFacts};
use chain::{AddressDiagnosis, ChainConfig, TxDiagnosis};

use crate::LookupError;
use crate::guarded_http::GuardedHttp;

#[derive(Debug)]
pub(crate) struct UtxoEndpoint {
    pub(crate) config: ChainConfig,
    pub(crate) network: Network,
    pub(crate) http: GuardedHttp,
}

/// What a typed address turned out to be.
pub(crate) enum AddressInput<'a> {
    /// An address of the configured network: look it up.
    Lookup(&'a str),
    /// A valid address of another network: this is the whole answer.
    Answered(AddressDiagnosis),
}

impl UtxoEndpoint {
    /// # Errors
    /// The URL is not http(s) or the `network` is unknown.
    pub(crate) fn new(config: ChainConfig) -> Result<UtxoEndpoint, LookupError> {
        let network = Network::parse(config.network.as_deref())
            .map_err(|e| LookupError::Unreachable(format!("configuration: {e}")))?;
        let http = GuardedHttp::new(&config)?;
        Ok(UtxoEndpoint {
            config,
            network,
            http,
        })
    }

    /// The transaction id, normalised, or `BadInput`.
    pub(crate) fn txid(id: &str) -> Result<String, LookupError> {
        bitcoin::parse_txid(id).ok_or(LookupError::BadInput {
            what: "transaction id",
        })
    }

    /// The address to look up, the answer for one of another network, or `BadInput`.
    pub(crate) fn address<'a>(&self, address: &'a str) -> Result<AddressInput<'a>, LookupError> {
        let address = address.trim();
        match self.network.check(address) {
            AddressCheck::Invalid => Err(LookupError::BadInput { what: "address" }),
            AddressCheck::OtherNetwork(other) => Ok(AddressInput::Answered(
                bitcoin::wrong_network_address(&self.config, self.network, other),
            )),
            AddressCheck::Valid => Ok(AddressInput::Lookup(address)),
        }
    }

    pub(crate) fn diagnose_tx(&self, facts: &TxFacts) -> TxDiagnosis {
        bitcoin::diagnose_tx(&self.config, self.network, facts)
    }

    pub(crate) fn diagnose_address(&self, facts: &AddressFacts) -> AddressDiagnosis {
        bitcoin::diagnose_address(&self.config, self.network, facts)
    }
}
