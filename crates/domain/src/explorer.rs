//! Links to a public block explorer for a ticket's transaction id and address, so an agent
//! opens the chain's own record in one click instead of copying the value by hand.
//!
//! One well-known explorer per network key of [`crate::CHAINS`]; `other` has none. Values come
//! from the ticket's checked fields (normalised hex, base58 or bech32), and anything that is
//! not plain ASCII letters and digits gets no link, so a link can never carry markup, a path
//! or a query of its own.

/// `(network key, transaction URL prefix, address URL prefix)`.
const EXPLORERS: &[(&str, &str, &str)] = &[
    (
        "bitcoin",
        "https://mempool.space/tx/",
        "https://mempool.space/address/",
    ),
    (
        "ethereum",
        "https://etherscan.io/tx/",
        "https://etherscan.io/address/",
    ),
    (
        "bnb",
        "https://bscscan.com/tx/",
        "https://bscscan.com/address/",
    ),
    (
        "polygon",
        "https://polygonscan.com/tx/",
        "https://polygonscan.com/address/",
    ),
    (
        "arbitrum",
        "https://arbiscan.io/tx/",
        "https://arbiscan.io/address/",
    ),
    (
        "tron",
        "https://tronscan.org/#/transaction/",
        "https://tronscan.org/#/address/",
    ),
    (
        "solana",
        "https://solscan.io/tx/",
        "https://solscan.io/account/",
    ),
];

/// The explorer page of transaction `tx` on network `chain`.
#[must_use]
pub fn tx_url(chain: &str, tx: &str) -> Option<String> {
    let (_, prefix, _) = EXPLORERS.iter().find(|(k, _, _)| *k == chain)?;
    plain(tx).then(|| format!("{prefix}{tx}"))
}

/// The explorer page of `address` on network `chain`.
#[must_use]
pub fn address_url(chain: &str, address: &str) -> Option<String> {
    let (_, _, prefix) = EXPLORERS.iter().find(|(k, _, _)| *k == chain)?;
    plain(address).then(|| format!("{prefix}{address}"))
}

fn plain(value: &str) -> bool {
    !value.is_empty() && value.len() <= 128 && value.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_network_but_other_has_an_explorer() {
        for (key, _) in crate::CHAINS {
            assert_eq!(tx_url(key, "ab12").is_some(), *key != "other", "{key}");
        }
    }

    #[test]
    fn links_carry_the_value_and_nothing_else() {
        let tx = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";
        assert_eq!(
            tx_url("ethereum", tx).as_deref(),
            Some(format!("https://etherscan.io/tx/{tx}").as_str())
        );
        assert_eq!(
            address_url("tron", "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7").as_deref(),
            Some("https://tronscan.org/#/address/TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7")
        );
        for bad in ["", "abc/../x", "abc?x=1", "\"><script>", "abc def"] {
            assert_eq!(tx_url("bitcoin", bad), None, "{bad}");
            assert_eq!(address_url("bitcoin", bad), None, "{bad}");
        }
        assert_eq!(tx_url("no-such-chain", "ab12"), None);
    }
}
