//! What the rate-limit layer (`server::limit`) costs a request: [`limit::classify`] alone,
//! classification plus the budget check ([`limit::spend`]) over many clients, and a request
//! through a one-route axum router with and without the layer (the difference is the layer's
//! whole overhead: the matched route, the client, the key, the counter).
//! `cargo bench -p walletdesk-server --bench limit_layer`; prints figures, asserts nothing.

#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use axum::middleware;
use axum::routing::post;
use server::limit::{self, RateLimiter};
use server::{AppState, Config};
use tower::ServiceExt;

/// Route templates as the router matches them, writes and reads, limited or not.
const ROUTES: &[(Method, &str)] = &[
    (Method::POST, "/tickets/new"),
    (Method::POST, "/t/{token}/reply"),
    (Method::GET, "/t/{token}"),
    (Method::GET, "/help/search"),
    (Method::GET, "/help/{slug}"),
    (Method::POST, "/api/v1/assistant/answer"),
    (Method::GET, "/api/v1/tickets"),
    (Method::PATCH, "/api/v1/tickets/{id}"),
    (Method::POST, "/agent/tickets/{id}/messages"),
    (Method::POST, "/admin/brand"),
    (Method::POST, "/verify"),
    (Method::GET, "/"),
];

/// Distinct clients the counters hold while measuring.
const CLIENTS: usize = 1000;
const RUNS: usize = 7;

/// Median of `RUNS` runs of `n` calls of `f`, in nanoseconds per call.
fn median_ns(n: usize, mut f: impl FnMut(usize)) -> f64 {
    let mut runs: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            for i in 0..n {
                f(i);
            }
            t.elapsed().as_secs_f64() * 1e9 / n as f64
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[RUNS / 2]
}

fn unlimited() -> server::config::Limits {
    let mut c = Config::default();
    let l = &mut c.limits;
    for b in [
        &mut l.sign_in,
        &mut l.tickets_per_ip,
        &mut l.replies_per_client,
        &mut l.ratings_per_client,
        &mut l.feedback_per_client,
        &mut l.help_events_per_client,
        &mut l.searches_per_client,
        &mut l.verify_per_ip,
        &mut l.public_writes_per_client,
        &mut l.costly_reads_per_client,
        &mut l.agent_writes_per_client,
        &mut l.api_per_token,
        &mut l.api_per_client,
    ] {
        *b = u32::MAX;
    }
    c.limits
}

fn client(i: usize) -> String {
    format!("198.51.{}.{}", (i / 250) % 250, i % 250)
}

async fn ok() -> &'static str {
    "ok"
}

fn main() {
    let limits = unlimited();
    let clients: Vec<String> = (0..CLIENTS).map(client).collect();

    let n = 1_000_000;
    let classify = median_ns(n, |i| {
        let (m, p) = &ROUTES[i % ROUTES.len()];
        black_box(limit::classify(black_box(m), black_box(p)));
    });

    let limiter = RateLimiter::new(600);
    let n = 500_000;
    let check = median_ns(n, |i| {
        let (m, p) = &ROUTES[i % ROUTES.len()];
        if let Some(class) = limit::classify(m, p) {
            let c = &clients[i % CLIENTS];
            black_box(limit::spend(&limiter, &limits, class, c, None));
        }
    });

    // The real middleware on a router of one cheap route, against the same router without it.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let (with, without) = rt.block_on(async {
        let db = dir.path().join("bench.db");
        let store = store_sqlite::SqliteStore::open(db.to_str().expect("utf-8"))
            .await
            .expect("sqlite");
        let config = Config {
            data_dir: dir.path().to_owned(),
            demo: false,
            limits: limits.clone(),
            ..Config::default()
        };
        let state = AppState::new(Arc::new(store), config);
        let base = || Router::new().route("/t/{token}/reply", post(ok));
        let with = base()
            .route_layer(middleware::from_fn_with_state(state.clone(), limit::layer))
            .layer(middleware::from_fn_with_state(
                state.clone(),
                server::client::layer,
            ))
            .with_state(state.clone());
        let without = base()
            .layer(middleware::from_fn_with_state(
                state.clone(),
                server::client::layer,
            ))
            .with_state(state);
        (with, without)
    });
    let peers: Vec<SocketAddr> = clients
        .iter()
        .map(|c| SocketAddr::new(c.parse().expect("ip"), 40_000))
        .collect();
    let request = |i: usize| {
        let mut r = Request::builder()
            .method(Method::POST)
            .uri("/t/abc/reply")
            .body(Body::empty())
            .expect("request");
        r.extensions_mut().insert(ConnectInfo(peers[i % CLIENTS]));
        r
    };
    let n = 100_000;
    let through = |router: &Router| {
        median_ns(n, |i| {
            let resp = rt
                .block_on(router.clone().oneshot(request(i)))
                .expect("infallible");
            assert_eq!(resp.status(), 200);
        })
    };
    let with_ns = through(&with);
    let without_ns = through(&without);

    println!("rate-limit layer, median of {RUNS} runs, {CLIENTS} clients in the counters");
    println!("{:<48} {:>10}", "measure", "ns/request");
    println!(
        "{:<48} {:>10.0}",
        "classify (route template, method)", classify
    );
    println!(
        "{:<48} {:>10.0}",
        "classify + spend (key, mutex, counter)", check
    );
    println!(
        "{:<48} {:>10.0}",
        "one-route router, without the layer", without_ns
    );
    println!(
        "{:<48} {:>10.0}",
        "one-route router, with the layer", with_ns
    );
    println!(
        "{:<48} {:>10.0}",
        "the layer's overhead (difference)",
        with_ns - without_ns
    );
}
