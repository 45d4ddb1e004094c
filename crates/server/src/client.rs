//! Who the client of a request is, behind trusted proxies.
//!
//! The README recommends a TLS proxy in front of the desk, and then every request arrives from
//! the proxy's address: rate limits keyed on the socket address would let one client block
//! everyone, and the audit log would record the proxy. So:
//!
//! - Only when the socket peer is in `trusted_proxies` (CIDRs, top level of `walletdesk.toml`,
//!   or `WALLETDESK_TRUSTED_PROXIES` comma-separated) are `Forwarded` (RFC 7239) or, when it is
//!   absent, `X-Forwarded-For` read. From anyone else those headers are ignored: they are
//!   trivially spoofed.
//! - The client is the **rightmost hop that is not a trusted proxy**: each trusted proxy appends
//!   the address it saw, so entries to the left of the first untrusted one were written by the
//!   client itself and prove nothing. A malformed entry stops the walk there (the last good
//!   hop, or the peer, is used).
//! - Limits key on [`Client::key`]: the address for IPv4, its /64 for IPv6 (one household or
//!   phone gets a whole /64 and can pick any address in it).

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// An address block such as `10.0.0.0/8`, `192.0.2.7` (a /32) or `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Whether `ip` lies in this block (IPv4-mapped IPv6 addresses count as IPv4).
    #[must_use]
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address or CIDR block"))?;
        let addr = canonical(addr);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?}: the prefix length must be 0 to {max}"))?,
        };
        Ok(Cidr { addr, prefix })
    }
}

impl<'de> serde::Deserialize<'de> for Cidr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Cidr, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// `::ffff:192.0.2.1` is `192.0.2.1`.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 @ IpAddr::V4(_) => v4,
    }
}

/// The client of a request (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
}

impl Client {
    /// What rate limits count under: the IPv4 address, or the IPv6 /64.
    #[must_use]
    pub fn key(&self) -> String {
        match self.ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let net = Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64));
                format!("{net}/64")
            }
        }
    }
}

/// The client of a request from `peer` with `headers`, trusting `proxies`.
#[must_use]
pub fn resolve(peer: IpAddr, headers: &HeaderMap, proxies: &[Cidr]) -> Client {
    let peer = canonical(peer);
    let trusted = |ip: IpAddr| proxies.iter().any(|c| c.contains(ip));
    if !trusted(peer) {
        return Client { ip: peer };
    }
    let hops = forwarded_hops(headers);
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = hop else { break };
        client = canonical(*ip);
        if !trusted(client) {
            break;
        }
    }
    Client { ip: client }
}

/// The hops of `Forwarded` (its `for=` parameters), or else of `X-Forwarded-For`, left to
/// right over all of the header's lines; `None` for an entry that is not an IP address
/// (`unknown`, an obfuscated name, garbage).
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let joined = |name: &str| -> Option<String> {
        let values: Vec<&str> = headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    };
    if let Some(fwd) = joined("forwarded") {
        return fwd
            .split(',')
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (k, v) = pair.split_once('=')?;
                    k.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| parse_node(v.trim().trim_matches('"')))
                })
            })
            .collect();
    }
    if let Some(xff) = joined("x-forwarded-for") {
        return xff.split(',').map(|h| parse_node(h.trim())).collect();
    }
    Vec::new()
}

/// `192.0.2.1`, `192.0.2.1:443`, `[2001:db8::1]`, `[2001:db8::1]:443`, `2001:db8::1`.
fn parse_node(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Some(sa.ip());
    }
    s.strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .and_then(|(ip, _)| ip.parse().ok())
}

/// Middleware: works out the [`Client`] once and puts it in the request.
pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let client = resolve(peer, req.headers(), &state.config.trusted_proxies);
    req.extensions_mut().insert(client);
    next.run(req).await
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Client, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Client>()
            .cloned()
            .unwrap_or_else(|| {
                let ip = parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
                Client { ip: canonical(ip) }
            }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies(list: &[&str]) -> Vec<Cidr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn cidrs_parse_and_contain() {
        let c: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(c.contains(ip("10.200.1.1")));
        assert!(!c.contains(ip("11.0.0.1")));
        assert!(c.contains(ip("::ffff:10.1.2.3")));
        let one: Cidr = "192.0.2.7".parse().unwrap();
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.9")));
        for bad in ["10.0.0.0/33", "example.com", "10.0.0/8", "::/129", ""] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn headers_from_untrusted_peers_are_ignored() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        let c = resolve(ip("203.0.113.5"), &h, &proxies(&["10.0.0.0/8"]));
        assert_eq!(c.ip, ip("203.0.113.5"));
        // No proxies configured: the peer, whatever the headers say.
        assert_eq!(resolve(ip("10.0.0.1"), &h, &[]).ip, ip("10.0.0.1"));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let p = proxies(&["10.0.0.0/8"]);
        // The client wrote a fake first entry; the proxy appended what it saw.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.4, 10.0.0.2")]);
        assert_eq!(resolve(ip("10.0.0.1"), &h, &p).ip, ip("198.51.100.4"));
        // Two header lines count as one list.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "198.51.100.4"),
        ]);
        assert_eq!(resolve(ip("10.0.0.1"), &h, &p).ip, ip("198.51.100.4"));
        // Every hop trusted: the leftmost.
        let h = headers(&[("x-forwarded-for", "10.9.9.9, 10.0.0.2")]);
        assert_eq!(resolve(ip("10.0.0.1"), &h, &p).ip, ip("10.9.9.9"));
        // Garbage stops the walk at the last good hop.
        let h = headers(&[("x-forwarded-for", "198.51.100.4, nonsense")]);
        assert_eq!(resolve(ip("10.0.0.1"), &h, &p).ip, ip("10.0.0.1"));
        // No header: the proxy itself.
        assert_eq!(
            resolve(ip("10.0.0.1"), &HeaderMap::new(), &p).ip,
            ip("10.0.0.1")
        );
    }

    #[test]
    fn forwarded_is_preferred_and_parsed() {
        let p = proxies(&["10.0.0.0/8"]);
        let h = headers(&[
            (
                "forwarded",
                r#"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https"#,
            ),
            ("x-forwarded-for", "198.51.100.9"),
        ]);
        assert_eq!(resolve(ip("10.0.0.1"), &h, &p).ip, ip("2001:db8:cafe::17"));
        let h = headers(&[("forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43")]);
        assert_eq!(resolve(ip("10.0.0.1"), &h, &p).ip, ip("192.0.2.60"));
    }

    #[test]
    fn ipv6_clients_are_keyed_per_64() {
        let a = Client {
            ip: ip("2001:db8:1:2:aaaa::1"),
        };
        let b = Client {
            ip: ip("2001:db8:1:2:ffff::9"),
        };
        let c = Client {
            ip: ip("2001:db8:1:3::1"),
        };
        assert_eq!(a.key(), "2001:db8:1:2::/64");
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), c.key());
        assert_eq!(
            Client {
                ip: ip("192.0.2.1")
            }
            .key(),
            "192.0.2.1"
        );
    }
}
