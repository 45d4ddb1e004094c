//! Screenshots: recognising PNG, JPEG and WebP by their bytes, and stripping what a phone
//! writes into them besides pixels (GPS position, device, time, comments).
//!
//! Pure and byte-level on purpose: no decoder, so nothing here runs codec code on what a
//! stranger uploaded. Each format is walked chunk by chunk (segment by segment for JPEG) with
//! every length checked against what is left, so arbitrary bytes give an error, never a panic
//! (a proptest checks it). What comes out is the same container with the metadata chunks left
//! out; pixel data is copied untouched.

/// The largest screenshot accepted, before stripping.
pub(crate) const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageKind {
    Png,
    Jpeg,
    Webp,
}

impl ImageKind {
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Webp => "image/webp",
        }
    }

    pub(crate) fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Webp => "webp",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ImageError {
    #[error("larger than 10 MB")]
    TooLarge,
    #[error("not a PNG, JPEG or WebP image")]
    NotAnImage,
    /// It starts like an image but its structure is broken.
    #[error("damaged {0:?} image")]
    Malformed(ImageKind),
}

/// An image with its metadata removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cleaned {
    pub(crate) kind: ImageKind,
    pub(crate) bytes: Vec<u8>,
}

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Recognises the image by content and returns it without metadata.
///
/// # Errors
/// Too large, not one of the three formats, or structurally broken.
pub(crate) fn clean(bytes: &[u8]) -> Result<Cleaned, ImageError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge);
    }
    let (kind, out) = if bytes.starts_with(PNG_SIGNATURE) {
        (ImageKind::Png, png(bytes))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        (ImageKind::Jpeg, jpeg(bytes))
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        (ImageKind::Webp, webp(bytes))
    } else {
        return Err(ImageError::NotAnImage);
    };
    out.map(|bytes| Cleaned { kind, bytes })
        .ok_or(ImageError::Malformed(kind))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// PNG: signature, then chunks (length, type, data, CRC) from `IHDR` to `IEND`.
fn png(b: &[u8]) -> Option<Vec<u8>> {
    const DROP: [&[u8; 4]; 5] = [b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"];
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut at = PNG_SIGNATURE.len();
    let mut first = true;
    let mut saw_idat = false;
    loop {
        let len = be32(b, at)?;
        // The format caps chunk lengths at 2^31 - 1.
        if len > 0x7FFF_FFFF {
            return None;
        }
        let len = usize::try_from(len).ok()?;
        let kind = b.get(at + 4..at + 8)?;
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let end = at.checked_add(12)?.checked_add(len)?;
        let chunk = b.get(at..end)?;
        if first && (kind != b"IHDR" || len != 13) {
            return None;
        }
        first = false;
        saw_idat |= kind == b"IDAT";
        if !DROP.iter().any(|d| d.as_slice() == kind) {
            out.extend_from_slice(chunk);
        }
        at = end;
        if kind == b"IEND" {
            // Bytes after IEND are not part of the image; they are where things hide.
            return saw_idat.then_some(out);
        }
    }
}

/// JPEG: markers and length-prefixed segments up to the scan, entropy-coded data, then more
/// segments, until EOI.
fn jpeg(b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut at = 2;
    let mut saw_frame = false;
    let mut saw_scan = false;
    loop {
        if *b.get(at)? != 0xFF {
            return None;
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while *b.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *b.get(at)?;
        at += 1;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return (saw_frame && saw_scan).then_some(out);
            }
            // Standalone markers: no length.
            0x01 | 0xD0..=0xD7 => out.extend_from_slice(&[0xFF, marker]),
            0x00 | 0xD8 => return None,
            _ => {
                let len = usize::from(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]));
                if len < 2 {
                    return None;
                }
                let end = at.checked_add(len)?;
                let payload = b.get(at + 2..end)?;
                let keep = match marker {
                    // APP0: only JFIF itself, not the JFXX thumbnail extension.
                    0xE0 => payload.starts_with(b"JFIF\0"),
                    // APP1 (Exif, XMP) through APP15, and comments.
                    0xE1..=0xEF | 0xFE => false,
                    _ => true,
                };
                if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
                    saw_frame = true;
                }
                if keep {
                    out.extend_from_slice(&[0xFF, marker]);
                    out.extend_from_slice(b.get(at..end)?);
                }
                at = end;
                if marker == 0xDA {
                    if !saw_frame {
                        return None;
                    }
                    saw_scan = true;
                    // Entropy-coded data runs to the next marker that is neither a stuffed
                    // zero nor a restart marker.
                    let start = at;
                    loop {
                        if *b.get(at)? == 0xFF {
                            let next = *b.get(at + 1)?;
                            if next != 0x00 && !(0xD0..=0xD7).contains(&next) && next != 0xFF {
                                break;
                            }
                        }
                        at += 1;
                    }
                    out.extend_from_slice(b.get(start..at)?);
                }
            }
        }
    }
}

/// WebP: a RIFF container of chunks (FourCC, little-endian size, data, pad to even).
fn webp(b: &[u8]) -> Option<Vec<u8>> {
    // VP8X flags: EXIF and XMP present.
    const EXIF_FLAG: u8 = 0x08;
    const XMP_FLAG: u8 = 0x04;
    let riff = usize::try_from(le32(b, 4)?).ok()?;
    let total = riff.checked_add(8)?;
    if riff < 4 || total > b.len() {
        return None;
    }
    // Trailing bytes past the RIFF size are not part of the image.
    let b = &b[..total];
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut at = 12;
    let mut first = true;
    let mut saw_image = false;
    while at < b.len() {
        let fourcc = b.get(at..at + 4)?;
        let size = usize::try_from(le32(b, at + 4)?).ok()?;
        let data_end = at.checked_add(8)?.checked_add(size)?;
        let end = data_end.checked_add(size & 1)?;
        let chunk = b.get(at..data_end)?;
        if end > b.len() {
            return None;
        }
        if first && !matches!(fourcc, b"VP8 " | b"VP8L" | b"VP8X") {
            return None;
        }
        first = false;
        saw_image |= matches!(fourcc, b"VP8 " | b"VP8L" | b"ANMF");
        match fourcc {
            b"EXIF" | b"XMP " => {}
            b"VP8X" if size < 10 => return None,
            _ => {
                let flags_at = out.len() + 8;
                out.extend_from_slice(chunk);
                if fourcc == b"VP8X" {
                    out[flags_at] &= !(EXIF_FLAG | XMP_FLAG);
                }
                if size & 1 == 1 {
                    out.push(0);
                }
            }
        }
        at = end;
    }
    if !saw_image {
        return None;
    }
    let riff = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&riff.to_le_bytes());
    Some(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A TIFF block as an Exif APP1 or eXIf chunk carries it: one IFD pointing to a GPS IFD
    /// with latitude "N" — enough to find by its bytes.
    pub(crate) fn gps_exif() -> Vec<u8> {
        let mut t = b"MM\0\x2a\0\0\0\x08".to_vec();
        // IFD0: one entry, GPSInfo (0x8825) -> offset 26.
        t.extend_from_slice(&[0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
        // GPS IFD: GPSLatitudeRef = "N".
        t.extend_from_slice(&[0, 1, 0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0, 0, 0, 0, 0]);
        t.extend_from_slice(b"GPS-SECRET-47.3769N-8.5417E");
        t
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = u32::try_from(data.len())
            .expect("small")
            .to_be_bytes()
            .to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        // CRC is not checked by the walker; a fixed value keeps the fixture short.
        c.extend_from_slice(&[0xDE, 0xAD, 0xBE, 0xEF]);
        c
    }

    pub(crate) fn png_with_gps() -> Vec<u8> {
        let mut p = PNG_SIGNATURE.to_vec();
        p.extend(png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        p.extend(png_chunk(b"eXIf", &gps_exif()));
        p.extend(png_chunk(b"tEXt", b"Comment\0GPS-SECRET"));
        p.extend(png_chunk(b"tIME", &[7, 234, 12, 1, 8, 0, 0]));
        p.extend(png_chunk(
            b"IDAT",
            &[0x78, 1, 1, 4, 0, 0xFB, 0xFF, 0, 255, 0, 0],
        ));
        p.extend(png_chunk(b"IEND", &[]));
        p
    }

    fn jpeg_segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(payload.len() + 2).expect("small");
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&len.to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    pub(crate) fn jpeg_with_gps() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend(jpeg_segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend(gps_exif());
        j.extend(jpeg_segment(0xE1, &exif));
        j.extend(jpeg_segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPS-SECRET</x:xmpmeta>",
        ));
        j.extend(jpeg_segment(0xFE, b"GPS-SECRET comment"));
        j.extend(jpeg_segment(0xDB, &[0; 65]));
        j.extend(jpeg_segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        j.extend(jpeg_segment(0xC4, &[0; 17]));
        j.extend(jpeg_segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
        // Scan data with a stuffed 0xFF and a restart marker.
        j.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        j
    }

    fn riff_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = fourcc.to_vec();
        c.extend_from_slice(&u32::try_from(data.len()).expect("small").to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    pub(crate) fn webp_with_gps() -> Vec<u8> {
        let mut body = b"WEBP".to_vec();
        // VP8X: EXIF and XMP flags set, 1x1 canvas.
        body.extend(riff_chunk(b"VP8X", &[0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        body.extend(riff_chunk(b"VP8L", &[0x2F, 0, 0, 0, 0, 0x07]));
        body.extend(riff_chunk(b"EXIF", &gps_exif()));
        body.extend(riff_chunk(b"XMP ", b"<x:xmpmeta>GPS-SECRET</x:xmpmeta>"));
        let mut w = b"RIFF".to_vec();
        w.extend_from_slice(&u32::try_from(body.len()).expect("small").to_le_bytes());
        w.extend(body);
        w
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn png_loses_exif_text_and_time_and_still_parses() {
        let input = png_with_gps();
        let out = clean(&input).expect("valid png");
        assert_eq!(out.kind, ImageKind::Png);
        assert!(!contains(&out.bytes, b"GPS-SECRET"));
        for kind in [b"eXIf", b"tEXt", b"tIME"] {
            assert!(!contains(&out.bytes, kind), "{kind:?} left");
        }
        assert!(contains(&out.bytes, b"IHDR") && contains(&out.bytes, b"IDAT"));
        assert_eq!(clean(&out.bytes).expect("still parses"), out);
    }

    #[test]
    fn jpeg_loses_exif_xmp_and_comments_and_keeps_jfif_and_scan() {
        let input = jpeg_with_gps();
        let out = clean(&input).expect("valid jpeg");
        assert_eq!(out.kind, ImageKind::Jpeg);
        assert!(!contains(&out.bytes, b"GPS-SECRET"));
        assert!(!contains(&out.bytes, b"Exif\0\0"));
        assert!(contains(&out.bytes, b"JFIF\0"));
        assert!(contains(
            &out.bytes,
            &[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]
        ));
        assert!(out.bytes.ends_with(&[0xFF, 0xD9]));
        assert_eq!(clean(&out.bytes).expect("still parses"), out);
    }

    #[test]
    fn webp_loses_exif_and_xmp_clears_flags_and_fixes_size() {
        let input = webp_with_gps();
        let out = clean(&input).expect("valid webp");
        assert_eq!(out.kind, ImageKind::Webp);
        assert!(!contains(&out.bytes, b"GPS-SECRET"));
        assert!(!contains(&out.bytes, b"EXIF") && !contains(&out.bytes, b"XMP "));
        // The VP8X flags byte follows "RIFF", size, "WEBP", "VP8X", chunk size.
        assert_eq!(out.bytes[20] & 0x0C, 0);
        let riff = le32(&out.bytes, 4).expect("size");
        assert_eq!(usize::try_from(riff).expect("fits"), out.bytes.len() - 8);
        assert_eq!(clean(&out.bytes).expect("still parses"), out);
    }

    #[test]
    fn refuses_what_is_not_an_image() {
        assert_eq!(
            clean(b"hello, this is a text file named .png"),
            Err(ImageError::NotAnImage)
        );
        assert_eq!(clean(b""), Err(ImageError::NotAnImage));
        assert_eq!(clean(b"GIF89a\x01\0\x01\0"), Err(ImageError::NotAnImage));
    }

    #[test]
    fn refuses_broken_and_oversized_images() {
        let png = png_with_gps();
        assert_eq!(
            clean(&png[..png.len() - 5]),
            Err(ImageError::Malformed(ImageKind::Png))
        );
        let jpeg = jpeg_with_gps();
        assert_eq!(
            clean(&jpeg[..jpeg.len() - 2]),
            Err(ImageError::Malformed(ImageKind::Jpeg))
        );
        let mut webp = webp_with_gps();
        webp[4] = webp[4].wrapping_add(40);
        assert_eq!(clean(&webp), Err(ImageError::Malformed(ImageKind::Webp)));
        let mut big = jpeg_with_gps();
        big.resize(MAX_IMAGE_BYTES + 1, 0);
        assert_eq!(clean(&big), Err(ImageError::TooLarge));
    }

    #[test]
    fn bytes_after_the_end_are_dropped() {
        let mut png = png_with_gps();
        png.extend_from_slice(b"GPS-SECRET appended");
        let out = clean(&png).expect("valid");
        assert!(!contains(&out.bytes, b"GPS-SECRET"));
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = clean(&bytes);
        }

        #[test]
        fn never_panics_on_damaged_images(
            which in 0usize..3,
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8),
            cut in any::<usize>(),
        ) {
            let mut b = [png_with_gps(), jpeg_with_gps(), webp_with_gps()][which].clone();
            for (at, v) in edits {
                let i = at % b.len();
                b[i] = v;
            }
            b.truncate(cut % (b.len() + 1));
            if let Ok(out) = clean(&b) {
                // Whatever passes is stable: cleaning twice changes nothing.
                prop_assert_eq!(clean(&out.bytes), Ok(out));
            }
        }
    }
}
