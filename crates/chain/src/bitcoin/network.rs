//! Which network a Bitcoin-format address belongs to. Bitcoin's networks and Litecoin's (a
//! Bitcoin Core fork with the same RPC and transaction format, used in the tests as a regtest
//! node) differ only in their address prefixes: the bech32 human-readable part (`bc`, `tb`,
//! `bcrt`, `ltc`, `tltc`, `rltc`) and the base58 version bytes.

use wallet::codec;

/// A network whose addresses a `[chain.<name>]` of kind `bitcoin_core` or `esplora` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Network {
    Mainnet,
    Testnet,
    Signet,
    Regtest,
    Litecoin,
    LitecoinTestnet,
    LitecoinRegtest,
}

/// `network = "…"` names no network this crate knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown Bitcoin network {0:?} (mainnet, testnet, signet, regtest, litecoin, litecoin-testnet, litecoin-regtest)"
)]
pub struct UnknownNetwork(pub String);

/// What an address is, for one configured network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressCheck {
    /// A valid address of the configured network.
    Valid,
    /// A valid address, of another network (the user picked the wrong one).
    OtherNetwork(Network),
    /// Not a Bitcoin-format address at all (bad checksum, unknown prefix, garbage).
    Invalid,
}

impl Network {
    pub const ALL: [Network; 7] = [
        Network::Mainnet,
        Network::Testnet,
        Network::Signet,
        Network::Regtest,
        Network::Litecoin,
        Network::LitecoinTestnet,
        Network::LitecoinRegtest,
    ];

    /// The configured name (`None` is mainnet).
    ///
    /// # Errors
    /// [`UnknownNetwork`] for any other name.
    pub fn parse(name: Option<&str>) -> Result<Network, UnknownNetwork> {
        let Some(name) = name else {
            return Ok(Network::Mainnet);
        };
        Network::ALL
            .into_iter()
            .find(|n| n.name() == name.trim().to_ascii_lowercase())
            .ok_or_else(|| UnknownNetwork(name.to_owned()))
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Network::Mainnet => "mainnet",
            Network::Testnet => "testnet",
            Network::Signet => "signet",
            Network::Regtest => "regtest",
            Network::Litecoin => "litecoin",
            Network::LitecoinTestnet => "litecoin-testnet",
            Network::LitecoinRegtest => "litecoin-regtest",
        }
    }

    /// For a sentence: `Bitcoin mainnet`, `Litecoin regtest`…
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Network::Mainnet => "Bitcoin mainnet",
            Network::Testnet => "Bitcoin testnet",
            Network::Signet => "Bitcoin signet",
            Network::Regtest => "Bitcoin regtest",
            Network::Litecoin => "Litecoin mainnet",
            Network::LitecoinTestnet => "Litecoin testnet",
            Network::LitecoinRegtest => "Litecoin regtest",
        }
    }

    /// The coin's symbol, for amounts.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Network::Mainnet | Network::Testnet | Network::Signet | Network::Regtest => "BTC",
            _ => "LTC",
        }
    }

    /// The bech32 human-readable part of its segwit addresses.
    #[must_use]
    pub fn hrp(self) -> &'static str {
        match self {
            Network::Mainnet => "bc",
            Network::Testnet | Network::Signet => "tb",
            Network::Regtest => "bcrt",
            Network::Litecoin => "ltc",
            Network::LitecoinTestnet => "tltc",
            Network::LitecoinRegtest => "rltc",
        }
    }

    /// The base58 version bytes of its P2PKH and P2SH addresses (Litecoin also still accepts
    /// Bitcoin's old P2SH byte 0x05 / 0xc4).
    #[must_use]
    pub fn base58_versions(self) -> &'static [u8] {
        match self {
            Network::Mainnet => &[0x00, 0x05],
            Network::Testnet | Network::Signet | Network::Regtest => &[0x6f, 0xc4],
            Network::Litecoin => &[0x30, 0x32, 0x05],
            Network::LitecoinTestnet | Network::LitecoinRegtest => &[0x6f, 0x3a, 0xc4],
        }
    }

    fn accepts(self, address: &str) -> bool {
        match decode(address) {
            Some(Decoded::Segwit(hrp)) => hrp == self.hrp(),
            Some(Decoded::Base58(version)) => self.base58_versions().contains(&version),
            None => false,
        }
    }

    /// Whether `address` is one of this network's, another network's, or no address.
    #[must_use]
    pub fn check(self, address: &str) -> AddressCheck {
        if decode(address).is_none() {
            return AddressCheck::Invalid;
        }
        if self.accepts(address) {
            return AddressCheck::Valid;
        }
        // The first other network that accepts it; for shared prefixes (testnet and regtest
        // base58) one of them is named, which is enough to say "not this network".
        Network::ALL
            .into_iter()
            .find(|n| n.accepts(address))
            .map_or(AddressCheck::Invalid, AddressCheck::OtherNetwork)
    }
}

enum Decoded {
    Segwit(String),
    Base58(u8),
}

fn decode(address: &str) -> Option<Decoded> {
    let address = address.trim();
    if address.is_empty() || address.len() > 100 {
        return None;
    }
    if let Ok((hrp, _version, program)) = bech32::segwit::decode(address) {
        if (2..=40).contains(&program.len()) {
            return Some(Decoded::Segwit(hrp.to_lowercase()));
        }
        return None;
    }
    let payload = codec::base58check_decode(address)?;
    (payload.len() == 21).then(|| Decoded::Base58(payload[0]))
}

/// A transaction id: 64 hex digits, lower-cased.
#[must_use]
pub fn parse_txid(id: &str) -> Option<String> {
    let id = id.trim();
    (id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| id.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_parse_by_name_and_default_to_mainnet() {
        assert_eq!(Network::parse(None), Ok(Network::Mainnet));
        assert_eq!(
            Network::parse(Some("litecoin-regtest")),
            Ok(Network::LitecoinRegtest)
        );
        assert!(Network::parse(Some("moonnet")).is_err());
    }

    #[test]
    fn addresses_are_told_apart_by_network() {
        // BIP173's and BIP350's test vectors, and well-known mainnet addresses.
        let mainnet_p2pkh = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
        let mainnet_bech32 = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
        let testnet_bech32 = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx";
        let regtest_bech32 = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
        assert_eq!(Network::Mainnet.check(mainnet_p2pkh), AddressCheck::Valid);
        assert_eq!(Network::Mainnet.check(mainnet_bech32), AddressCheck::Valid);
        assert_eq!(
            Network::Regtest.check(mainnet_bech32),
            AddressCheck::OtherNetwork(Network::Mainnet)
        );
        assert_eq!(
            Network::LitecoinRegtest.check(mainnet_p2pkh),
            AddressCheck::OtherNetwork(Network::Mainnet)
        );
        assert_eq!(
            Network::Mainnet.check(testnet_bech32),
            AddressCheck::OtherNetwork(Network::Testnet)
        );
        assert_eq!(Network::Regtest.check(regtest_bech32), AddressCheck::Valid);
        // A changed character breaks the checksum.
        assert_eq!(
            Network::Mainnet.check("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"),
            AddressCheck::Invalid
        );
        assert_eq!(Network::Mainnet.check("hello"), AddressCheck::Invalid);
        assert_eq!(Network::Mainnet.check(""), AddressCheck::Invalid);
    }

    #[test]
    fn txids_are_64_hex_digits() {
        let id = "A".repeat(64);
        assert_eq!(parse_txid(&id), Some("a".repeat(64)));
        assert_eq!(parse_txid(&"a".repeat(63)), None);
        assert_eq!(parse_txid(&"g".repeat(64)), None);
    }
}
