//! The connection under the IMAP session: plain TCP (loopback only) or rustls, with STARTTLS.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::{Client, Session};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::{self, pki_types::ServerName};

use super::FetchError;
use super::config::{ImapUrl, Security};

/// How long connecting, the TLS handshake and logging in may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// A TCP stream, or one wrapped in TLS.
#[derive(Debug)]
pub enum Conn {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_flush(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The web PKI roots (webpki-roots), built once.
fn tls_connector() -> TlsConnector {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        Arc::new(
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .expect("ring supports the default protocol versions")
                .with_root_certificates(roots)
                .with_no_client_auth(),
        )
    });
    TlsConnector::from(Arc::clone(config))
}

async fn wrap_tls(url: &ImapUrl, tcp: TcpStream) -> Result<Conn, FetchError> {
    let name = ServerName::try_from(url.host.clone())
        .map_err(|_| FetchError::Connect(format!("{} is not a valid TLS server name", url.host)))?;
    let tls = tls_connector()
        .connect(name, tcp)
        .await
        .map_err(|e| FetchError::Connect(format!("TLS: {e}")))?;
    Ok(Conn::Tls(Box::new(tls)))
}

/// Connects, protects the connection as the URL says, and logs in.
///
/// # Errors
/// Unreachable, TLS refused or unverifiable, STARTTLS missing, login refused, or too slow.
pub async fn open(url: &ImapUrl) -> Result<Session<Conn>, FetchError> {
    tokio::time::timeout(CONNECT_TIMEOUT, open_inner(url))
        .await
        .map_err(|_| FetchError::Connect("timed out connecting and logging in".into()))?
}

async fn open_inner(url: &ImapUrl) -> Result<Session<Conn>, FetchError> {
    let tcp = TcpStream::connect((url.host.as_str(), url.port))
        .await
        .map_err(|e| FetchError::Connect(format!("{}:{}: {e}", url.host, url.port)))?;
    // IMAP is small commands and replies in turn: without this, Nagle's algorithm and delayed
    // ACKs add tens of milliseconds to a command written in two parts.
    tcp.set_nodelay(true)
        .map_err(|e| FetchError::Connect(format!("TCP_NODELAY: {e}")))?;
    let conn = match url.security {
        Security::Tls => wrap_tls(url, tcp).await?,
        Security::Plain | Security::StartTls => Conn::Plain(tcp),
    };
    let mut client = Client::new(conn);
    let greeting = client
        .read_response()
        .await
        .map_err(|e| FetchError::Connect(format!("greeting: {e}")))?;
    if greeting.is_none() {
        return Err(FetchError::Connect("closed before the greeting".into()));
    }
    if url.security == Security::StartTls {
        client
            .run_command_and_check_ok("STARTTLS", None)
            .await
            .map_err(|e| {
                FetchError::Connect(format!(
                    "the server refused STARTTLS ({}); plain IMAP is only allowed to loopback",
                    super::describe(&e)
                ))
            })?;
        let Conn::Plain(tcp) = client.into_inner() else {
            return Err(FetchError::Connect(
                "STARTTLS on a connection already in TLS".into(),
            ));
        };
        client = Client::new(wrap_tls(url, tcp).await?);
    }
    client
        .login(&url.user, &url.password)
        .await
        .map_err(|(e, _)| FetchError::Login(super::describe(&e)))
}
