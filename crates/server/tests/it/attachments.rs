//! Screenshots: uploaded with the ticket form or a reply, stored without their metadata under
//! their hash, served only through the ticket's own access link.

use reqwest::multipart::{Form, Part};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, extract_csrf};

/// A JPEG whose Exif block holds a GPS position (and an XMP packet and a comment saying so).
pub(crate) fn jpeg_with_gps() -> Vec<u8> {
    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(payload.len() + 2).expect("small");
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&len.to_be_bytes());
        s.extend_from_slice(payload);
        s
    }
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0 -> GPS IFD with GPSLatitudeRef "N", then the position as text to look for.
    exif.extend_from_slice(&[0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
    exif.extend_from_slice(&[0, 1, 0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0, 0, 0, 0, 0]);
    exif.extend_from_slice(b"GPS 47.3769N 8.5417E");
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(segment(0xE1, &exif));
    j.extend(segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x>GPS 47.3769N</x>",
    ));
    j.extend(segment(0xFE, b"GPS 47.3769N taken at home"));
    j.extend(segment(0xDB, &[0; 65]));
    j.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    j.extend(segment(0xC4, &[0; 17]));
    j.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    j.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD9]);
    j
}

pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Between `start` and the next `"`, after `start`.
fn attr_after(html: &str, start: &str) -> Option<String> {
    let at = html.find(start)? + start.len();
    let end = html[at..].find('"')? + at;
    Some(html[at..end].to_owned())
}

fn ticket_form(csrf: &str, subject: &str, body: &str) -> Form {
    Form::new()
        .text("csrf", csrf.to_owned())
        .text("email", "shots@example.com")
        .text("category", "app")
        .text("app_version", "3.2.1")
        .text("device_os", "Android 15")
        .text("subject", subject.to_owned())
        .text("body", body.to_owned())
}

pub(crate) fn file(bytes: Vec<u8>, name: &str, mime: &str) -> Part {
    Part::bytes(bytes)
        .file_name(name.to_owned())
        .mime_str(mime)
        .expect("mime")
}

/// Submits the ticket form with one file; returns the status and the page (after a `303`,
/// the page it leads to).
async fn submit(app: &TestApp, subject: &str, body: &str, part: Part) -> (u16, String) {
    let csrf = app.csrf(&app.client).await;
    let form = ticket_form(&csrf, subject, body).part("screenshots", part);
    let r = app
        .client
        .post(app.url("/tickets/new"))
        .multipart(form)
        .send()
        .await
        .expect("POST");
    let status = r.status().as_u16();
    if status == 303 {
        let to = TestApp::see_other(&r);
        return (status, app.get_text(&to).await.1);
    }
    (status, r.text().await.expect("body"))
}

/// A ticket with a screenshot: its access path and the screenshot's URL path.
async fn ticket_with_screenshot(app: &TestApp) -> (String, String) {
    let (status, html) = submit(
        app,
        "app crashes",
        "see the screenshot",
        file(jpeg_with_gps(), "IMG_0042.jpg", "image/jpeg"),
    )
    .await;
    assert_eq!(status, 303, "{html}");
    let link = attr_after(&html, "id=\"access-link\" href=\"").expect("access link");
    let path = link
        .strip_prefix(&app.base)
        .expect("on this app")
        .to_owned();
    let (status, page) = app.get_text(&path).await;
    assert_eq!(status, 200);
    let prefix = format!("<img src=\"{path}/attachments/");
    let id = attr_after(&page, &prefix).expect("a thumbnail on the ticket page");
    let shot = format!("{path}/attachments/{id}");
    (path, shot)
}

#[tokio::test]
async fn a_jpeg_with_gps_exif_is_stored_and_served_without_it() {
    let app = TestApp::spawn().await;
    let (_, shot) = ticket_with_screenshot(&app).await;

    let r = app.get(&shot).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let disposition = r.headers()["content-disposition"].to_str().expect("ascii");
    assert!(
        disposition.starts_with("inline; filename=\"IMG_0042.jpg\""),
        "{disposition}"
    );
    let served = r.bytes().await.expect("bytes").to_vec();

    for bytes in [&served, &jpeg_with_gps()] {
        assert!(bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]));
    }
    assert!(!contains(&served, b"GPS 47.3769N"), "the position is gone");
    assert!(
        !contains(&served, b"Exif\0\0"),
        "the whole Exif block is gone"
    );
    assert!(
        !contains(&served, b"JFIF\0"),
        "no APPn segment stays, JFIF neither"
    );
    assert!(
        contains(&served, &[0x12, 0xFF, 0x00, 0x34]),
        "the scan data stays"
    );

    // On disk: one file, named by the hash of exactly what is served.
    let dir = app.state.config.effective_attachments_dir();
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("attachments dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let hash: String = Sha256::digest(&served)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(names, [hash.as_str()], "no temporary files are left behind");
    assert_eq!(std::fs::read(dir.join(&hash)).expect("file"), served);
}

#[tokio::test]
async fn a_text_file_named_png_is_refused_and_nothing_typed_is_lost() {
    let app = TestApp::spawn().await;
    let (status, html) = submit(
        &app,
        "wallet balance shows zero",
        "it was fine yesterday",
        file(
            b"not really a picture, just text\n".to_vec(),
            "screenshot.png",
            "image/png",
        ),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Only PNG, JPEG and WebP images up to 10 MB can be attached."),
        "the inline message: {html}"
    );
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(
        html.contains("value=\"wallet balance shows zero\""),
        "subject kept"
    );
    assert!(html.contains("it was fine yesterday"), "body kept");
    assert!(html.contains("value=\"shots@example.com\""), "e-mail kept");
    assert!(extract_csrf(&html).is_some(), "the form can be sent again");
    let dir = app.state.config.effective_attachments_dir();
    let stored = std::fs::read_dir(&dir).map_or(0, Iterator::count);
    assert_eq!(stored, 0, "nothing was written");
}

#[tokio::test]
async fn another_tickets_link_cannot_fetch_the_screenshot() {
    let app = TestApp::spawn().await;
    let (_, shot) = ticket_with_screenshot(&app).await;
    let id = shot.rsplit('/').next().expect("id").to_owned();
    let (_, other) = app.create_ticket("another one", "unrelated").await;

    let r = app.get(&format!("{other}/attachments/{id}")).await;
    assert_eq!(r.status(), 404);
    let body = r.bytes().await.expect("bytes");
    assert!(
        !body.starts_with(&[0xFF, 0xD8]),
        "no image bytes in the refusal"
    );

    // Nor can a made-up link or id.
    let fake = format!("/t/{}/attachments/{id}", "A".repeat(43));
    assert_eq!(app.get(&fake).await.status(), 404);
    let own = shot.rsplit_once('/').expect("path").0;
    assert_eq!(app.get(&format!("{own}/999999")).await.status(), 404);
    assert_eq!(app.get(&format!("{own}/..%2F..%2Fetc")).await.status(), 404);
}

#[tokio::test]
async fn a_reply_can_carry_a_screenshot() {
    let app = TestApp::spawn().await;
    let (_, path) = app
        .create_ticket("no screenshot yet", "will send one")
        .await;
    let html = app.get_text(&path).await.1;
    let csrf = extract_csrf(&html).expect("csrf");
    let form = Form::new()
        .text("csrf", csrf)
        .text("body", "here it is")
        .part(
            "screenshots",
            file(jpeg_with_gps(), "later.jpg", "image/jpeg"),
        );
    let r = app
        .client
        .post(app.url(&format!("{path}/reply")))
        .multipart(form)
        .send()
        .await
        .expect("POST");
    let to = TestApp::see_other(&r);
    let page = app.get_text(&to).await.1;
    assert!(page.contains("here it is"));
    let id = attr_after(&page, &format!("<img src=\"{path}/attachments/")).expect("thumbnail");
    let shot = format!("{path}/attachments/{id}");
    let r = app.get(&shot).await;
    assert_eq!(r.status(), 200);
    assert!(!contains(&r.bytes().await.expect("bytes"), b"GPS 47.3769N"));
}

#[tokio::test]
async fn agents_see_a_merged_tickets_screenshots_under_the_target() {
    let app = TestApp::spawn().await;
    let agent = app
        .create_agent("agent@example.com", domain::Role::Agent)
        .await;
    let client = app.signed_in_client(&agent).await;
    let (path, _) = ticket_with_screenshot(&app).await;
    let token = path.strip_prefix("/t/").expect("access path");
    let from = app
        .state
        .store
        .ticket_by_access_token(&server::auth::hash_token(token))
        .await
        .expect("ticket")
        .id;
    // The same requester: tickets of different people are never merged.
    let r = app
        .post_json(
            "/api/v1/tickets",
            &serde_json::json!({"email": "shots@example.com", "category": "other",
                "subject": "Original", "body": "the same crash"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let into = r.json::<serde_json::Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let agent_page = |id: String| {
        let client = client.clone();
        let url = app.url(&format!("/agent/tickets/{id}"));
        async move {
            client
                .get(url)
                .send()
                .await
                .expect("GET")
                .text()
                .await
                .expect("body")
        }
    };

    // Before the merge, on the source ticket's agent page.
    let page = agent_page(from.to_string()).await;
    let prefix = format!("<img src=\"/agent/tickets/{from}/attachments/");
    let id = attr_after(&page, &prefix).expect("a thumbnail on the agent page");
    let r = client
        .get(app.url(&format!("/agent/tickets/{from}/attachments/{id}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    let before = r.bytes().await.expect("bytes");
    // Not under another ticket, nor without signing in.
    let wrong = format!("/agent/tickets/{into}/attachments/{id}");
    let r = client.get(app.url(&wrong)).send().await.expect("GET");
    assert_eq!(r.status(), 404);
    let r = app
        .get(&format!("/agent/tickets/{from}/attachments/{id}"))
        .await;
    assert_ne!(r.status(), 200);
    assert!(!contains(&r.bytes().await.expect("bytes"), b"JFIF"));

    let r = app
        .post_form(
            &client,
            &format!("/agent/tickets/{from}/merge"),
            &[("into", &into.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);

    // After it: listed and served under the target, the same bytes.
    let page = agent_page(into.to_string()).await;
    assert!(page.contains(&format!(
        "<img src=\"/agent/tickets/{into}/attachments/{id}\""
    )));
    assert!(page.contains("IMG_0042.jpg"));
    let r = client.get(app.url(&wrong)).send().await.expect("GET");
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.expect("bytes"), before);
    // A link kept from the source ticket's page still opens it.
    let r = client
        .get(app.url(&format!("/agent/tickets/{from}/attachments/{id}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 200);
    // The user's old link opens the target, screenshot included.
    let (_, user_page) = app.get_text(&path).await;
    assert!(user_page.contains("IMG_0042.jpg"));
}

/// A PNG chunk with a fixed CRC (the desk does not check CRCs; viewers of these fixtures do
/// not matter).
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = u32::try_from(data.len())
        .expect("small")
        .to_be_bytes()
        .to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    c.extend_from_slice(&[0xDE, 0xAD, 0xBE, 0xEF]);
    c
}

/// A PNG that says it is `width`×`height`, with the given chunks before a tiny IDAT.
pub(crate) fn png(width: u32, height: u32, extra: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
    p.extend(png_chunk(b"IHDR", &ihdr));
    for (kind, data) in extra {
        p.extend(png_chunk(kind, data));
    }
    p.extend(png_chunk(
        b"IDAT",
        &[0x78, 1, 1, 4, 0, 0xFB, 0xFF, 0, 255, 0, 0],
    ));
    p.extend(png_chunk(b"IEND", &[]));
    p
}

#[tokio::test]
async fn a_png_keeps_only_the_chunks_a_picture_needs() {
    let app = TestApp::spawn().await;
    let exif = b"MM\0\x2a\0\0\0\x08GPS 47.3769N 8.5417E";
    let input = png(
        3,
        2,
        &[
            (b"eXIf", exif),
            (b"iCCP", b"Pixel 9 display\0\0GPS 47.3769N profile"),
            (b"hoSt", b"anything at all: GPS 47.3769N ..."),
            (b"sRGB", &[0]),
        ],
    );
    let (status, html) = submit(
        &app,
        "screen looks odd",
        "png attached",
        file(input, "shot.png", "image/png"),
    )
    .await;
    assert_eq!(status, 303, "{html}");
    let link = attr_after(&html, "id=\"access-link\" href=\"").expect("access link");
    let path = link
        .strip_prefix(&app.base)
        .expect("on this app")
        .to_owned();
    let page = app.get_text(&path).await.1;
    let id = attr_after(&page, &format!("<img src=\"{path}/attachments/")).expect("thumbnail");
    let served = app
        .get(&format!("{path}/attachments/{id}"))
        .await
        .bytes()
        .await
        .expect("bytes");
    assert!(!contains(&served, b"GPS 47.3769N"));
    for gone in [b"eXIf", b"iCCP", b"hoSt"] {
        assert!(
            !contains(&served, gone),
            "{}",
            String::from_utf8_lossy(gone)
        );
    }
    for kept in [b"IHDR", b"sRGB", b"IDAT", b"IEND"] {
        assert!(contains(&served, kept), "{}", String::from_utf8_lossy(kept));
    }
}

#[tokio::test]
async fn pictures_with_too_many_pixels_are_refused_in_both_languages_keeping_the_text() {
    let app = TestApp::spawn().await;
    // The form: 20000×20000 in a few hundred bytes.
    let (status, html) = submit(
        &app,
        "huge picture",
        "it is only a header",
        file(png(20_000, 20_000, &[]), "big.png", "image/png"),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("The image has too many pixels"),
        "the inline message: {html}"
    );
    assert!(html.contains("value=\"huge picture\""), "subject kept");
    assert!(html.contains("it is only a header"), "body kept");

    // A reply, in Chinese: a 74-byte header claiming 100000×100000.
    let (_, path) = app.create_ticket("reply with a big one", "first").await;
    let page = app.get_text(&path).await.1;
    let csrf = extract_csrf(&page).expect("csrf");
    let mut header = b"\x89PNG\r\n\x1a\n".to_vec();
    header.extend(png_chunk(
        b"IHDR",
        &[0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 6, 0, 0, 0],
    ));
    header.extend(png_chunk(b"IDAT", &[0; 8]));
    header.extend(png_chunk(b"IEND", &[]));
    let form = Form::new()
        .text("csrf", csrf)
        .text("body", "这是我的截图说明")
        .part("screenshots", file(header, "huge.png", "image/png"));
    let r = app
        .client
        .post(app.url(&format!("{path}/reply?lang=zh-CN")))
        .multipart(form)
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 400);
    let html = r.text().await.expect("body");
    assert!(html.contains("图片像素过多"), "{html}");
    assert!(
        html.contains("这是我的截图说明"),
        "the text is kept to copy"
    );
    let dir = app.state.config.effective_attachments_dir();
    assert_eq!(std::fs::read_dir(&dir).map_or(0, Iterator::count), 0);
    let page = app.get_text(&path).await.1;
    assert!(!page.contains("这是我的截图说明"), "no reply was stored");
}
