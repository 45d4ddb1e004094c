//! Screenshots on tickets: reading them from a multipart form, storing the stripped bytes under
//! their SHA-256, recording them, and serving them back.
//!
//! Invariant: nothing reaches the disk before [`crate::images::clean`] has removed its metadata,
//! and a file on disk is only ever named by the hash of its content, never by the user's name.

use std::path::Path;

use axum::body::Body;
use axum::extract::multipart::{Field, Multipart};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::{AttachmentId, FieldError, MessageId, TicketId};
use sha2::{Digest, Sha256};
use store::{Attachment, NewAttachment};

use crate::AppState;
use crate::error::{ApiError, ErrorCode};
use crate::images::{self, Cleaned, ImageError};

/// How many screenshots one form may carry.
pub(crate) const MAX_FILES: usize = 5;

/// A cleaned screenshot and the name the user gave it.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    pub(crate) filename: String,
    pub(crate) image: Cleaned,
}

/// A screenshot written to disk, not yet recorded.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    filename: String,
    content_type: &'static str,
    size: i64,
    sha256: String,
}

/// Why a file in a form was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Not a PNG, JPEG or WebP image, damaged, over 10 MB, or one file too many.
    BadFile,
    /// More pixels than a screenshot may have (`images::MAX_SIDE`, `images::MAX_PIXELS`).
    TooManyPixels,
}

impl Refused {
    pub(crate) fn code(self) -> ErrorCode {
        match self {
            Refused::BadFile => ErrorCode::BadImage,
            Refused::TooManyPixels => ErrorCode::ImageTooManyPixels,
        }
    }

    /// The refusal as an error (the reply page shows it, keeping the text).
    pub(crate) fn error(self) -> ApiError {
        let message = match self {
            Refused::BadFile => "only PNG, JPEG and WebP images up to 10 MB".to_owned(),
            Refused::TooManyPixels => format!(
                "an image may have at most {} pixels on a side and {} in all",
                images::MAX_SIDE,
                images::MAX_PIXELS
            ),
        };
        ApiError::bad_request(self.code(), message)
    }
}

/// What a multipart form held: its text fields in order, the screenshots that passed, and
/// why a file was refused, if one was.
#[derive(Debug, Default)]
pub(crate) struct FormParts {
    pub(crate) text: Vec<(String, String)>,
    pub(crate) uploads: Vec<Upload>,
    pub(crate) refused: Option<Refused>,
}

impl FormParts {
    /// The text fields as a JSON object, for `serde` to turn into a typed form.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.text
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect(),
        )
    }

    /// The inline error for the screenshots field, if a file was refused.
    pub(crate) fn file_error(&self) -> Option<FieldError> {
        self.refused.map(|r| FieldError {
            field: "screenshots",
            code: r.code().as_str().into(),
            found: None,
            detail: None,
        })
    }

    /// Notes a refused file; a size refusal is the more specific message and wins.
    fn refuse(&mut self, why: Refused) {
        if self.refused != Some(Refused::TooManyPixels) {
            self.refused = Some(why);
        }
    }
}

/// A form that may carry screenshots in its `screenshots` field: `multipart/form-data` (what
/// the pages send) or, without files, `application/x-www-form-urlencoded` (scripts, old links).
#[derive(Debug)]
pub(crate) struct FormWithFiles(pub(crate) FormParts);

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormWithFiles {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if multipart {
            let m = Multipart::from_request(req, state).await.map_err(|e| {
                ApiError::bad_request(crate::error::ErrorCode::BadForm, e.body_text())
            })?;
            return read_form(m, "screenshots").await.map(FormWithFiles);
        }
        let axum::Form(text) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request(crate::error::ErrorCode::BadForm, e.body_text()))?;
        Ok(FormWithFiles(FormParts {
            text,
            ..FormParts::default()
        }))
    }
}

/// Only the text fields of a form like [`FormWithFiles`]'s, files read and dropped unlooked-at:
/// for showing a refused form back as typed (`limit.rs`) without the work of cleaning images.
/// Anything unreadable gives what was read so far.
pub(crate) async fn text_fields(req: axum::extract::Request) -> Vec<(String, String)> {
    use axum::extract::FromRequest;
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        return axum::Form::<Vec<(String, String)>>::from_request(req, &())
            .await
            .map(|axum::Form(text)| text)
            .unwrap_or_default();
    }
    let Ok(mut m) = Multipart::from_request(req, &()).await else {
        return Vec::new();
    };
    let mut text = Vec::new();
    while let Ok(Some(field)) = m.next_field().await {
        if field.file_name().is_some() {
            // Skipped: the rest of the part is drained by the next `next_field`.
            continue;
        }
        let name = field.name().unwrap_or_default().to_owned();
        match field.text().await {
            Ok(value) => text.push((name, value)),
            Err(_) => break,
        }
    }
    text
}

/// Reads a multipart form: text fields as strings, file field `file_field` as screenshots
/// (each cleaned at once; the raw bytes are dropped here).
///
/// # Errors
/// A malformed multipart body.
pub(crate) async fn read_form(
    mut multipart: Multipart,
    file_field: &str,
) -> Result<FormParts, ApiError> {
    let mut parts = FormParts::default();
    let malformed = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(
            crate::error::ErrorCode::BadForm,
            format!("unreadable form: {}", e.body_text()),
        )
    };
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            let filename = field.file_name().unwrap_or_default().to_owned();
            let bytes = read_limited(field).await.map_err(malformed)?;
            // An empty file input still sends a part with no name and no bytes.
            let Some(bytes) = bytes else {
                parts.refuse(Refused::BadFile);
                continue;
            };
            if bytes.is_empty() && filename.is_empty() {
                continue;
            }
            if parts.uploads.len() >= MAX_FILES {
                parts.refuse(Refused::BadFile);
                continue;
            }
            match images::clean(&bytes) {
                Ok(image) => parts.uploads.push(Upload { filename, image }),
                Err(ImageError::TooManyPixels { width, height }) => {
                    tracing::info!(width, height, "screenshot refused for its size in pixels");
                    parts.refuse(Refused::TooManyPixels);
                }
                Err(ImageError::TooLarge | ImageError::NotAnImage | ImageError::Malformed(_)) => {
                    parts.refuse(Refused::BadFile);
                }
            }
        } else {
            let value = field.text().await.map_err(malformed)?;
            parts.text.push((name, value));
        }
    }
    Ok(parts)
}

/// A file field's bytes, or `None` when it is larger than an image may be (the rest is read
/// and dropped, never kept).
async fn read_limited(
    mut field: Field<'_>,
) -> Result<Option<Vec<u8>>, axum::extract::multipart::MultipartError> {
    let mut buf = Vec::new();
    let mut too_large = false;
    while let Some(chunk) = field.chunk().await? {
        if too_large || buf.len() + chunk.len() > images::MAX_IMAGE_BYTES {
            too_large = true;
            buf = Vec::new();
            continue;
        }
        buf.extend_from_slice(&chunk);
    }
    Ok((!too_large).then_some(buf))
}

/// Writes each screenshot as `<attachments_dir>/<sha256>`, atomically: a temporary file,
/// fsync, rename, fsync of the directory. The same picture twice is stored once.
///
/// # Errors
/// The disk failed.
pub(crate) async fn write_files(
    state: &AppState,
    uploads: &[Upload],
) -> Result<Vec<Stored>, ApiError> {
    let dir = state.config.effective_attachments_dir();
    let mut stored = Vec::with_capacity(uploads.len());
    for u in uploads {
        let sha256 = hex(&Sha256::digest(&u.image.bytes));
        write_atomically(&dir, &sha256, &u.image.bytes)
            .await
            .map_err(|e| ApiError::Internal(format!("writing attachment: {e}")))?;
        stored.push(Stored {
            filename: sanitize_filename(&u.filename, u.image.kind),
            content_type: u.image.kind.content_type(),
            size: i64::try_from(u.image.bytes.len()).unwrap_or(i64::MAX),
            sha256,
        });
    }
    Ok(stored)
}

async fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let mut builder = tokio::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(crate::datadir::DIR_MODE);
    builder.create(dir).await?;
    let target = dir.join(name);
    if tokio::fs::try_exists(&target).await? {
        return Ok(());
    }
    let nonce = crate::auth::new_token().map_err(std::io::Error::other)?;
    let tmp = dir.join(format!(".{name}.{nonce}.tmp"));
    let result = async {
        // Owner-only, whatever the process's umask (datadir.rs).
        let mut f = tokio::fs::OpenOptions::from(crate::datadir::private_options())
            .open(&tmp)
            .await?;
        f.write_all(bytes).await?;
        f.sync_all().await?;
        drop(f);
        tokio::fs::rename(&tmp, &target).await?;
        // The rename itself is durable only once the directory is synced.
        tokio::fs::File::open(dir).await?.sync_all().await
    }
    .await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&tmp).await;
    }
    result
}

/// Records written screenshots on a ticket (and the message they came with).
///
/// # Errors
/// Storage failures.
pub(crate) async fn record(
    state: &AppState,
    ticket: TicketId,
    message: Option<MessageId>,
    stored: Vec<Stored>,
) -> Result<Vec<Attachment>, ApiError> {
    let mut out = Vec::with_capacity(stored.len());
    for s in stored {
        let a = state
            .store
            .add_attachment(NewAttachment {
                ticket_id: ticket,
                message_id: message,
                filename: s.filename,
                content_type: s.content_type.to_owned(),
                size: s.size,
                sha256: s.sha256,
                now: state.now(),
            })
            .await?;
        tracing::info!(ticket.id = %ticket, attachment.id = %a.id, size = a.size, "attachment stored");
        out.push(a);
    }
    Ok(out)
}

/// A screenshot as a page lists it: a link to `<base>/<id>` (the route that checks the viewer
/// may see it), the file name and size.
#[derive(Debug)]
pub(crate) struct AttachmentView {
    pub url: String,
    pub filename: String,
    pub size_kb: i64,
}

/// The views of a ticket's screenshots, each linked under `base`.
pub(crate) fn views(list: Vec<Attachment>, base: &str) -> Vec<AttachmentView> {
    list.into_iter()
        .map(|a| AttachmentView {
            url: format!("{base}/{}", a.id),
            filename: a.filename,
            size_kb: (a.size + 1023) / 1024,
        })
        .collect()
}

/// `…/attachments/{id}` for a viewer already allowed to see `ticket`: the file, if `id` (as the
/// URL has it) is one of that ticket's. Another ticket's file, an unknown id and one that is
/// not a number are all `not_found`, so a guessed id tells nothing.
pub(crate) async fn serve_ticket_attachment(
    state: &AppState,
    ticket: TicketId,
    id: &str,
) -> Result<Response, ApiError> {
    let id: AttachmentId = id.parse().map_err(|_| ApiError::NotFound)?;
    let a = state.store.attachment(id).await?;
    if a.ticket_id != ticket {
        return Err(ApiError::NotFound);
    }
    Ok(serve_attachment(state, &a).await)
}

/// The file as a response: its stored type, shown inline, never sniffed as something else.
/// Whoever calls it has already checked that the viewer may see this ticket.
pub(crate) async fn serve_attachment(state: &AppState, a: &Attachment) -> Response {
    let known_type = [
        images::ImageKind::Png,
        images::ImageKind::Jpeg,
        images::ImageKind::Webp,
    ]
    .into_iter()
    .any(|k| k.content_type() == a.content_type);
    let hash_ok = a.sha256.len() == 64
        && a.sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !known_type || !hash_ok {
        tracing::error!(attachment.id = %a.id, "attachment record has a bad type or hash");
        return ApiError::NotFound.into_response();
    }
    let path = state.config.effective_attachments_dir().join(&a.sha256);
    let bytes = match tokio::fs::read(&path).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::error!(attachment.id = %a.id, "attachment file missing");
            return ApiError::NotFound.into_response();
        }
        Err(e) => return ApiError::Internal(format!("reading attachment: {e}")).into_response(),
    };
    let mut resp = (StatusCode::OK, Body::from(bytes)).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&a.content_type)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&content_disposition(&a.filename))
            .unwrap_or_else(|_| HeaderValue::from_static("inline")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    resp
}

/// The user's file name reduced to letters, digits, `-`, `_` and `.`, at most 80 characters,
/// with the extension of what the file really is. A name that holds a recovery phrase or a
/// key (people name files after what they hold: `abandon_ability_….png`) becomes
/// `screenshot`: a file name is user text like any other, and is never stored unredacted.
pub(crate) fn sanitize_filename(name: &str, kind: images::ImageKind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let stem = if name_holds_secret(stem) { "" } else { stem };
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let stem = stem.trim_matches('_');
    let stem = if stem.is_empty() { "screenshot" } else { stem };
    format!("{stem}.{}", kind.extension())
}

/// Whether a file name holds what the redaction finds, read as words (file names join words
/// with `_`, `-`, `.` or `+`). Too long to read means it is not kept either.
fn name_holds_secret(stem: &str) -> bool {
    let spaced: String = stem
        .chars()
        .map(|c| {
            if matches!(c, '_' | '-' | '.' | '+') {
                ' '
            } else {
                c
            }
        })
        .collect();
    [stem, spaced.as_str()]
        .iter()
        .any(|s| domain::Redacted::new(s).map_or(true, |(_, found)| !found.is_empty()))
}

/// `inline; filename="ascii"; filename*=UTF-8''percent-encoded`.
fn content_disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in filename.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::ImageKind;

    #[test]
    fn file_names_lose_paths_and_odd_characters() {
        assert_eq!(
            sanitize_filename("../../etc/pass\"wd.png", ImageKind::Png),
            "pass_wd.png"
        );
        assert_eq!(
            sanitize_filename("C:\\Users\\me\\转账 失败.JPG", ImageKind::Jpeg),
            "转账_失败.jpg"
        );
        assert_eq!(sanitize_filename("", ImageKind::Webp), "screenshot.webp");
        assert_eq!(sanitize_filename("notes.txt", ImageKind::Png), "notes.png");
    }

    #[test]
    fn a_file_name_holding_a_phrase_or_key_is_replaced() {
        let phrase =
            "abandon_ability_able_about_above_absent_absorb_abstract_absurd_abuse_access_accident";
        assert_eq!(
            sanitize_filename(&format!("{phrase}.png"), ImageKind::Png),
            "screenshot.png"
        );
        assert_eq!(
            sanitize_filename(
                &format!("my-seed-{}.jpg", phrase.replace('_', "-")),
                ImageKind::Jpeg
            ),
            "screenshot.jpg"
        );
        let wif = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
        assert_eq!(
            sanitize_filename(&format!("key {wif}.png"), ImageKind::Png),
            "screenshot.png"
        );
        // Ordinary names stay.
        assert_eq!(
            sanitize_filename("transfer_failed_2026-12-07.png", ImageKind::Png),
            "transfer_failed_2026-12-07.png"
        );
    }

    #[test]
    fn content_disposition_is_ascii_with_a_utf8_name() {
        let v = content_disposition("转账.png");
        assert!(v.is_ascii());
        assert_eq!(
            v,
            "inline; filename=\"__.png\"; filename*=UTF-8''%E8%BD%AC%E8%B4%A6.png"
        );
    }
}
