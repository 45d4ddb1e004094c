//! The configured chains, together: which client answers for a name, the search across all of
//! them when the user did not say (or said the wrong one), and a short cache in front.
//!
//! The cache keeps a diagnosis for seconds while it can still change (pending, not found, an
//! address) and a minute once it is settled (confirmed, failed, replaced); `fresh` skips it
//! (the agent's refresh button). Errors are not cached: the next lookup asks again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chain::evm::ForeignContract;
use chain::{
    AddressDiagnosis, ChainConfig, ChainKind, Finding, FindingCode, Severity, TxDiagnosis, TxStatus,
};
use futures_util::future::join_all;

use crate::evm::EvmClient;
use crate::{Client, LookupError};

/// How long a diagnosis is served from the cache.
#[derive(Debug, Clone, Copy)]
pub struct CacheTtl {
    /// Pending, not found, and addresses (balances move).
    pub changing: Duration,
    /// Confirmed, failed, dropped, replaced.
    pub settled: Duration,
}

impl Default for CacheTtl {
    fn default() -> Self {
        CacheTtl {
            changing: Duration::from_secs(5),
            settled: Duration::from_secs(60),
        }
    }
}

/// A diagnosis and when the chain said it.
#[derive(Debug, Clone)]
pub struct Lookup<T> {
    pub diagnosis: T,
    /// Unix milliseconds of the lookup that fetched it (older than now when cached).
    pub fetched_at_ms: i64,
    pub cached: bool,
}

/// Why the registry gave no diagnosis.
#[derive(Debug, thiserror::Error)]
pub enum ChainsError {
    /// No `[chain.<name>]` is configured: nothing is looked up anywhere.
    #[error("no chain is configured")]
    NotConfigured,
    /// `--chain`/`?chain=` names no configured chain.
    #[error("no chain named {0} is configured")]
    UnknownChain(String),
    /// The input is no transaction id or address any configured chain can have.
    #[error("not a transaction id or address of a configured chain")]
    BadInput,
    /// No endpoint that could have answered did.
    #[error("no endpoint answered: {0}")]
    Unreachable(String),
}

impl ChainsError {
    /// A stable snake_case code for JSON and the CLI.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ChainsError::NotConfigured => "chain_not_configured",
            ChainsError::UnknownChain(_) => "unknown_chain",
            ChainsError::BadInput => "bad_input",
            ChainsError::Unreachable(_) => "chain_unreachable",
        }
    }
}

type Cached<T> = (Instant, i64, T);

/// The configured chains.
#[derive(Debug, Default)]
pub struct Chains {
    clients: Vec<Arc<dyn Client>>,
    ttl: CacheTtl,
    txs: Mutex<HashMap<(String, String), Cached<TxDiagnosis>>>,
    addresses: Mutex<HashMap<(String, String), Cached<AddressDiagnosis>>>,
}

/// At most this many diagnoses are cached per kind; past it the cache starts over.
const CACHE_MAX: usize = 10_000;

impl Chains {
    /// The clients for `configs`, in their order. A kind without a client in this build is
    /// returned apart (the caller says so in its log), never silently looked up elsewhere.
    #[must_use]
    pub fn from_config(configs: &[ChainConfig]) -> (Chains, Vec<(String, LookupError)>) {
        let foreign: Vec<ForeignContract> = configs
            .iter()
            .flat_map(|c| {
                c.tokens.iter().map(|t| ForeignContract {
                    chain: c.name.clone(),
                    symbol: t.symbol.clone(),
                    contract: t.contract.clone(),
                })
            })
            .collect();
        let mut clients: Vec<Arc<dyn Client>> = Vec::new();
        let mut refused = Vec::new();
        for c in configs {
            match c.kind {
                ChainKind::Evm => match EvmClient::new(c.clone(), foreign.clone()) {
                    Ok(client) => clients.push(Arc::new(client)),
                    Err(e) => refused.push((c.name.clone(), e)),
                },
                ChainKind::BitcoinCore => {
                    add(
                        &mut clients,
                        &mut refused,
                        c,
                        crate::bitcoin_core::BitcoinCore::new(c.clone()),
                    );
                }
                ChainKind::Esplora => {
                    add(
                        &mut clients,
                        &mut refused,
                        c,
                        crate::esplora::Esplora::new(c.clone()),
                    );
                }
                ChainKind::Tron => add(
                    &mut clients,
                    &mut refused,
                    c,
                    crate::tron::Tron::new(c.clone()),
                ),
                ChainKind::Solana => add(
                    &mut clients,
                    &mut refused,
                    c,
                    crate::solana::Solana::new(c.clone()),
                ),
            }
        }
        (Chains::new(clients), refused)
    }

    #[must_use]
    pub fn new(clients: Vec<Arc<dyn Client>>) -> Chains {
        Chains {
            clients,
            ..Chains::default()
        }
    }

    #[must_use]
    pub fn with_ttl(mut self, ttl: CacheTtl) -> Chains {
        self.ttl = ttl;
        self
    }

    #[must_use]
    pub fn is_configured(&self) -> bool {
        !self.clients.is_empty()
    }

    /// The configured chains' names, in configuration order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.clients.iter().map(|c| c.config().name.as_str())
    }

    fn client(&self, name: &str) -> Result<&Arc<dyn Client>, ChainsError> {
        self.clients
            .iter()
            .find(|c| c.config().name == name)
            .ok_or_else(|| ChainsError::UnknownChain(name.to_owned()))
    }

    /// What the chains say about transaction `id`: on `chain` when given (and, when it is not
    /// there, on the others: found elsewhere is `wrong_network`), else on every chain.
    ///
    /// # Errors
    /// See [`ChainsError`].
    pub async fn tx(
        &self,
        id: &str,
        chain: Option<&str>,
        fresh: bool,
    ) -> Result<Lookup<TxDiagnosis>, ChainsError> {
        if self.clients.is_empty() {
            return Err(ChainsError::NotConfigured);
        }
        if let Some(c) = chain {
            self.client(c)?;
        }
        let key = (chain.unwrap_or("*").to_owned(), id.to_owned());
        if !fresh && let Some(hit) = cache_get(&self.txs, &key) {
            return Ok(hit);
        }
        let d = self.tx_uncached(id, chain).await?;
        let ttl = match d.status {
            TxStatus::Pending | TxStatus::NotFound => self.ttl.changing,
            _ => self.ttl.settled,
        };
        Ok(cache_put(&self.txs, key, d, ttl))
    }

    async fn tx_uncached(&self, id: &str, chain: Option<&str>) -> Result<TxDiagnosis, ChainsError> {
        // The chain asked first: found there, no other chain is asked.
        let mut first = None;
        if let Some(asked) = chain {
            match self.client(asked)?.tx(id).await {
                Ok(d) if d.found => return Ok(d),
                r => first = Some((asked, r)),
            }
        }
        let others: Vec<&Arc<dyn Client>> = self
            .clients
            .iter()
            .filter(|c| Some(c.config().name.as_str()) != chain)
            .collect();
        let results = join_all(others.iter().map(|c| c.tx(id))).await;
        let mut named: Vec<(&str, Result<TxDiagnosis, LookupError>)> = others
            .iter()
            .map(|c| c.config().name.as_str())
            .zip(results)
            .collect();
        if let Some(f) = first {
            named.insert(0, f);
        }
        let found =
            |(_, r): &&(&str, Result<TxDiagnosis, LookupError>)| matches!(r, Ok(d) if d.found);
        if let Some(asked) = chain {
            let here = named.iter().find(|(n, _)| *n == asked);
            if let Some((_, Ok(d))) = here
                && d.found
            {
                return Ok(d.clone());
            }
            if let Some((n, Ok(d))) = named.iter().find(found) {
                let mut d = d.clone();
                d.findings.insert(
                    0,
                    Finding::new(FindingCode::WrongNetwork, Severity::Problem)
                        .with("asked", asked)
                        .with("found_on", *n),
                );
                d.article = chain::evm::article_for(&d.findings, d.status);
                return Ok(d);
            }
            return match here {
                Some((_, Ok(d))) => Ok(d.clone()),
                Some((_, Err(LookupError::BadInput { .. }))) => Err(ChainsError::BadInput),
                Some((_, Err(e))) => Err(ChainsError::Unreachable(e.to_string())),
                None => Err(ChainsError::UnknownChain(asked.to_owned())),
            };
        }
        if let Some((_, Ok(d))) = named.iter().find(found) {
            return Ok(d.clone());
        }
        not_found_anywhere(&named)
    }

    /// What the chains say about `address`: on `chain` when given, else on every chain that
    /// can have it (the first where it holds or did anything, with where else it holds coins).
    ///
    /// # Errors
    /// See [`ChainsError`].
    pub async fn address(
        &self,
        address: &str,
        chain: Option<&str>,
        fresh: bool,
    ) -> Result<Lookup<AddressDiagnosis>, ChainsError> {
        if self.clients.is_empty() {
            return Err(ChainsError::NotConfigured);
        }
        let asked: Vec<&Arc<dyn Client>> = match chain {
            Some(c) => vec![self.client(c)?],
            None => self.clients.iter().collect(),
        };
        let key = (chain.unwrap_or("*").to_owned(), address.to_owned());
        if !fresh && let Some(hit) = cache_get(&self.addresses, &key) {
            return Ok(hit);
        }
        let results = join_all(asked.iter().map(|c| c.address(address))).await;
        let mut answered: Vec<AddressDiagnosis> = Vec::new();
        let mut errors = Vec::new();
        let mut bad_input = 0;
        for r in results {
            match r {
                Ok(d) => answered.push(d),
                Err(LookupError::BadInput { .. }) => bad_input += 1,
                Err(e) => errors.push(e.to_string()),
            }
        }
        if answered.is_empty() {
            return Err(if bad_input == asked.len() {
                ChainsError::BadInput
            } else {
                ChainsError::Unreachable(errors.join("; "))
            });
        }
        let pick = answered.iter().position(|d| d.found).unwrap_or(0);
        let mut d = answered.swap_remove(pick);
        // Nothing here: does the same address hold something on the other configured chains
        // ("tokens on another network")? Those not asked yet are asked now; one that cannot
        // have the address or does not answer is left out.
        if chain::holdings(&d).is_none() {
            if chain.is_some() {
                let others: Vec<&Arc<dyn Client>> = self
                    .clients
                    .iter()
                    .filter(|c| Some(c.config().name.as_str()) != chain)
                    .collect();
                let more = join_all(others.iter().map(|c| c.address(address))).await;
                answered.extend(more.into_iter().filter_map(Result::ok));
            }
            let mut elsewhere: Vec<(String, String)> = answered
                .iter()
                .filter_map(|o| Some((o.chain.clone(), chain::holdings(o)?)))
                .collect();
            elsewhere.sort();
            for (other, amount) in elsewhere {
                d.findings.push(
                    Finding::new(FindingCode::TokensOnOtherNetwork, Severity::Warning)
                        .with("other_chain", other)
                        .with("amount", amount),
                );
            }
            if d.findings
                .iter()
                .any(|f| f.code == FindingCode::TokensOnOtherNetwork)
            {
                d.article = Some("balance-missing-wrong-network".to_owned());
            }
        }
        Ok(cache_put(&self.addresses, key, d, self.ttl.changing))
    }
}

fn not_found_anywhere(
    named: &[(&str, Result<TxDiagnosis, LookupError>)],
) -> Result<TxDiagnosis, ChainsError> {
    let answered: Vec<&TxDiagnosis> = named.iter().filter_map(|(_, r)| r.as_ref().ok()).collect();
    if answered.is_empty() {
        if named
            .iter()
            .all(|(_, r)| matches!(r, Err(LookupError::BadInput { .. })))
        {
            return Err(ChainsError::BadInput);
        }
        let why: Vec<String> = named
            .iter()
            .filter_map(|(_, r)| r.as_ref().err())
            .filter(|e| !matches!(e, LookupError::BadInput { .. }))
            .map(ToString::to_string)
            .collect();
        return Err(ChainsError::Unreachable(why.join("; ")));
    }
    // Dropped or replaced (a chain remembers the hash) says more than not found.
    if let Some(d) = answered.iter().find(|d| d.status != TxStatus::NotFound) {
        return Ok((*d).clone());
    }
    let names: Vec<&str> = answered.iter().map(|d| d.chain.as_str()).collect();
    let mut d = answered[0].clone();
    d.chain = names.join(", ");
    for f in &mut d.findings {
        if f.code == FindingCode::NotFound {
            f.values.insert("chain".to_owned(), d.chain.clone());
        }
    }
    Ok(d)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn cache_get<T: Clone>(
    cache: &Mutex<HashMap<(String, String), Cached<T>>>,
    key: &(String, String),
) -> Option<Lookup<T>> {
    let map = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (expires, at, d) = map.get(key)?;
    (Instant::now() < *expires).then(|| Lookup {
        diagnosis: d.clone(),
        fetched_at_ms: *at,
        cached: true,
    })
}

fn cache_put<T: Clone>(
    cache: &Mutex<HashMap<(String, String), Cached<T>>>,
    key: (String, String),
    d: T,
    ttl: Duration,
) -> Lookup<T> {
    let at = now_ms();
    if !ttl.is_zero() {
        let mut map = cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= CACHE_MAX {
            map.clear();
        }
        map.insert(key, (Instant::now() + ttl, at, d.clone()));
    }
    Lookup {
        diagnosis: d,
        fetched_at_ms: at,
        cached: false,
    }
}

/// A client built, or the reason it was not, for [`Chains::from_config`].
fn add<C: Client + 'static>(
    clients: &mut Vec<Arc<dyn Client>>,
    refused: &mut Vec<(String, LookupError)>,
    config: &ChainConfig,
    built: Result<C, LookupError>,
) {
    match built {
        Ok(client) => clients.push(Arc::new(client)),
        Err(e) => refused.push((config.name.clone(), e)),
    }
}
