//! `[chain.<name>]` from the environment: `WALLETDESK_CHAIN_<NAME>_<KEY>`, as the other sections
//! can be (`WALLETDESK_ASSISTANT_CHAT_URL`…). `<NAME>` is the chain's name in upper case (`_`
//! for `-`: `WALLETDESK_CHAIN_BSC_TESTNET_URL` is `[chain.bsc-testnet]` when the file has that
//! table, else `[chain.bsc_testnet]`); `<KEY>` is one of [`KEYS`]. A chain the file does not
//! have is created by its `_KIND` and `_URL` together; one it has is changed key by key.
//!
//! All the chain variables are gathered first and applied per chain afterwards, creating ones
//! first, so the order of the variables in the environment never matters. An unknown key is an
//! error naming the variable, like every other unknown `WALLETDESK_*` setting.

use std::collections::BTreeMap;

use chain::{ChainConfig, ChainKind, TokenConfig};

/// The keys of one chain, longest first (so `…_CHAIN_ID` is not read as a chain named `…_CHAIN`
/// with a key `ID`).
pub(super) const KEYS: &[&str] = &[
    "EXPLORER_ADDRESS",
    "EXPLORER_TX",
    "CONCURRENCY",
    "TIMEOUT_MS",
    "CHAIN_ID",
    "NETWORK",
    "TOKENS",
    "KIND",
    "URL",
];

/// One variable: (its full name, its value).
type Var = (String, String);

/// The chain variables gathered while the environment is read, applied at the end.
#[derive(Debug, Default)]
pub(super) struct ChainVars {
    /// Upper-case name → key → variable.
    by_chain: BTreeMap<String, BTreeMap<&'static str, Var>>,
}

impl ChainVars {
    /// Takes `WALLETDESK_CHAIN_<rest>`; `Err` (the message) when `<rest>` names no known key.
    pub(super) fn add(&mut self, rest: &str, name: String, value: String) -> Result<(), String> {
        let Some((chain, key)) = KEYS.iter().find_map(|k| {
            let chain = rest.strip_suffix(k)?.strip_suffix('_')?;
            (!chain.is_empty()).then_some((chain, *k))
        }) else {
            return Err(format!(
                "expected WALLETDESK_CHAIN_<NAME>_<KEY> with KEY one of {}",
                KEYS.join(", ")
            ));
        };
        self.by_chain
            .entry(chain.to_owned())
            .or_default()
            .insert(key, (name, value));
        Ok(())
    }

    /// Applies the gathered variables to `chains`; `Err` is (variable, message).
    pub(super) fn apply(
        self,
        chains: &mut BTreeMap<String, ChainConfig>,
    ) -> Result<(), (String, String)> {
        for (upper, mut vars) in self.by_chain {
            let lower = upper.to_ascii_lowercase();
            let name = chains
                .keys()
                .find(|n| n.replace('-', "_") == lower)
                .cloned()
                .unwrap_or(lower);
            if !chains.contains_key(&name) {
                if !(vars.contains_key("KIND") && vars.contains_key("URL")) {
                    let (var, _) = vars.values().next().cloned().unwrap_or_default();
                    return Err((
                        var,
                        format!(
                            "[chain.{name}] is not in the file: set both \
                             WALLETDESK_CHAIN_{upper}_KIND and WALLETDESK_CHAIN_{upper}_URL to add it"
                        ),
                    ));
                }
                let kind = vars.remove("KIND").unwrap_or_default();
                let url = vars.remove("URL").unwrap_or_default();
                let kind_value = parse_kind(&kind.1).map_err(|m| (kind.0.clone(), m))?;
                chains.insert(name.clone(), ChainConfig::new(&name, kind_value, url.1));
            }
            let Some(c) = chains.get_mut(&name) else {
                continue;
            };
            for (key, (var, value)) in vars {
                set(c, key, value).map_err(|m| (var, m))?;
            }
        }
        Ok(())
    }
}

fn kind_name(kind: ChainKind) -> &'static str {
    match kind {
        ChainKind::Evm => "evm",
        ChainKind::BitcoinCore => "bitcoin_core",
        ChainKind::Esplora => "esplora",
        ChainKind::Tron => "tron",
        ChainKind::Solana => "solana",
    }
}

fn parse_kind(value: &str) -> Result<ChainKind, String> {
    [
        ChainKind::Evm,
        ChainKind::BitcoinCore,
        ChainKind::Esplora,
        ChainKind::Tron,
        ChainKind::Solana,
    ]
    .into_iter()
    .find(|k| kind_name(*k) == value.trim())
    .ok_or_else(|| "expected evm, bitcoin_core, esplora, tron or solana".to_owned())
}

fn number<T: std::str::FromStr>(value: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    value.trim().parse().map_err(|e| format!("{e}"))
}

/// An empty value unsets an optional key.
fn optional(value: String) -> Option<String> {
    (!value.trim().is_empty()).then_some(value)
}

fn set(c: &mut ChainConfig, key: &str, value: String) -> Result<(), String> {
    match key {
        "KIND" => c.kind = parse_kind(&value)?,
        "URL" => c.url = value,
        "CHAIN_ID" => {
            c.chain_id = match optional(value) {
                Some(v) => Some(number(&v)?),
                None => None,
            };
        }
        "EXPLORER_TX" => c.explorer_tx = optional(value),
        "EXPLORER_ADDRESS" => c.explorer_address = optional(value),
        "TIMEOUT_MS" => c.timeout_ms = number(&value)?,
        "CONCURRENCY" => c.concurrency = number(&value)?,
        "NETWORK" => c.network = optional(value),
        "TOKENS" => c.tokens = parse_tokens(&value)?,
        _ => return Err(format!("unknown key {key}")),
    }
    Ok(())
}

/// `SYMBOL:CONTRACT:DECIMALS` separated by commas (`USDT:0xdac1…:6,USDC:0xa0b8…:6`); empty
/// for none. Replaces the file's list.
fn parse_tokens(value: &str) -> Result<Vec<TokenConfig>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            let parts: Vec<&str> = t.split(':').map(str::trim).collect();
            let [symbol, contract, decimals] = parts[..] else {
                return Err(format!(
                    "token {t:?}: expected SYMBOL:CONTRACT:DECIMALS, separated by commas"
                ));
            };
            if symbol.is_empty() || contract.is_empty() {
                return Err(format!("token {t:?}: the symbol and contract are needed"));
            }
            Ok(TokenConfig {
                symbol: symbol.to_owned(),
                contract: contract.to_owned(),
                decimals: number(decimals).map_err(|e| format!("token {t:?}: decimals: {e}"))?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigError};

    fn env(vars: &[(&str, &str)]) -> Vec<(String, String)> {
        vars.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn file(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().expect("file");
        std::fs::write(f.path(), text).expect("write");
        f
    }

    #[test]
    fn a_chain_comes_from_the_environment_whatever_the_order_of_the_variables() {
        let vars = [
            ("WALLETDESK_CHAIN_BSC_TESTNET_CHAIN_ID", "97"),
            (
                "WALLETDESK_CHAIN_BSC_TESTNET_TOKENS",
                "USDT:0xabc:18, BUSD:0xdef:18",
            ),
            ("WALLETDESK_CHAIN_BSC_TESTNET_URL", "http://127.0.0.1:8545"),
            (
                "WALLETDESK_CHAIN_BSC_TESTNET_EXPLORER_TX",
                "https://testnet.bscscan.com/tx/{tx}",
            ),
            ("WALLETDESK_CHAIN_BSC_TESTNET_KIND", "evm"),
            ("WALLETDESK_CHAIN_BSC_TESTNET_TIMEOUT_MS", "1500"),
        ];
        let mut seen = None;
        // Every rotation of the list gives the same configuration.
        for shift in 0..vars.len() {
            let mut v = vars.to_vec();
            v.rotate_left(shift);
            let mut rev = v.clone();
            rev.reverse();
            for order in [v, rev] {
                let c = Config::load(Some(file("").path()), env(&order)).expect("config");
                let chain = c.chain["bsc_testnet"].clone();
                assert_eq!(chain.name, "bsc_testnet");
                assert_eq!(chain.kind, chain::ChainKind::Evm);
                assert_eq!(chain.url, "http://127.0.0.1:8545");
                assert_eq!(chain.chain_id, Some(97));
                assert_eq!(chain.timeout_ms, 1500);
                assert_eq!(chain.concurrency, 4, "the file's default");
                assert_eq!(chain.tokens.len(), 2);
                assert_eq!(chain.tokens[1].symbol, "BUSD");
                assert_eq!(chain.tokens[1].decimals, 18);
                if let Some(first) = &seen {
                    assert_eq!(first, &chain);
                }
                seen = Some(chain);
            }
        }
    }

    #[test]
    fn the_environment_changes_a_chain_of_the_file_key_by_key() {
        let f = file(
            "[chain.bsc-main]\nkind = \"evm\"\nurl = \"http://file:8545\"\nchain_id = 56\n\
             tokens = [{ symbol = \"USDT\", contract = \"0x55d3\", decimals = 18 }]\n",
        );
        let c = Config::load(
            Some(f.path()),
            env(&[
                (
                    "WALLETDESK_CHAIN_BSC_MAIN_URL",
                    "https://u:pw@node.example/rpc",
                ),
                ("WALLETDESK_CHAIN_BSC_MAIN_CONCURRENCY", "2"),
            ]),
        )
        .expect("config");
        let chain = &c.chain["bsc-main"];
        assert_eq!(chain.url, "https://u:pw@node.example/rpc");
        assert_eq!(chain.concurrency, 2);
        assert_eq!(chain.chain_id, Some(56), "kept from the file");
        assert_eq!(chain.tokens.len(), 1, "kept from the file");
        assert_eq!(c.chain.len(), 1);
        // The password never shows in Debug.
        assert!(!format!("{c:?}").contains("pw@"));
        // An empty value unsets an optional key; TOKENS empties the list.
        let c = Config::load(
            Some(f.path()),
            env(&[
                ("WALLETDESK_CHAIN_BSC_MAIN_CHAIN_ID", ""),
                ("WALLETDESK_CHAIN_BSC_MAIN_TOKENS", ""),
            ]),
        )
        .expect("config");
        assert_eq!(c.chain["bsc-main"].chain_id, None);
        assert!(c.chain["bsc-main"].tokens.is_empty());
    }

    #[test]
    fn unknown_keys_and_bad_values_name_their_variable() {
        let refused = |vars: &[(&str, &str)]| -> (String, String) {
            match Config::load(Some(file("").path()), env(vars)) {
                Err(ConfigError::Env { name, message }) => (name, message),
                other => panic!("{vars:?}: {other:?}"),
            }
        };
        let (name, _) = refused(&[
            ("WALLETDESK_CHAIN_ETH_KIND", "evm"),
            ("WALLETDESK_CHAIN_ETH_URL", "http://x"),
            ("WALLETDESK_CHAIN_ETH_URLL", "http://x"),
        ]);
        assert_eq!(name, "WALLETDESK_CHAIN_ETH_URLL");
        let (name, _) = refused(&[("WALLETDESK_CHAIN_ETH", "evm")]);
        assert_eq!(name, "WALLETDESK_CHAIN_ETH");
        let (name, message) = refused(&[("WALLETDESK_CHAIN_ETH_URL", "http://x")]);
        assert_eq!(name, "WALLETDESK_CHAIN_ETH_URL");
        assert!(message.contains("WALLETDESK_CHAIN_ETH_KIND"), "{message}");
        let (name, _) = refused(&[
            ("WALLETDESK_CHAIN_ETH_URL", "http://x"),
            ("WALLETDESK_CHAIN_ETH_KIND", "evm-ish"),
        ]);
        assert_eq!(name, "WALLETDESK_CHAIN_ETH_KIND");
        let (name, _) = refused(&[
            ("WALLETDESK_CHAIN_ETH_URL", "http://x"),
            ("WALLETDESK_CHAIN_ETH_KIND", "evm"),
            ("WALLETDESK_CHAIN_ETH_CHAIN_ID", "one"),
        ]);
        assert_eq!(name, "WALLETDESK_CHAIN_ETH_CHAIN_ID");
        let (name, message) = refused(&[
            ("WALLETDESK_CHAIN_ETH_URL", "http://x"),
            ("WALLETDESK_CHAIN_ETH_KIND", "evm"),
            ("WALLETDESK_CHAIN_ETH_TOKENS", "USDT:0xabc"),
        ]);
        assert_eq!(name, "WALLETDESK_CHAIN_ETH_TOKENS");
        assert!(message.contains("SYMBOL:CONTRACT:DECIMALS"), "{message}");
        // What the file's tables must pass, variables pass too.
        assert!(matches!(
            Config::load(
                Some(file("").path()),
                env(&[
                    ("WALLETDESK_CHAIN_ETH_URL", "ftp://x"),
                    ("WALLETDESK_CHAIN_ETH_KIND", "evm"),
                ])
            ),
            Err(ConfigError::Invalid { .. })
        ));
    }
}
