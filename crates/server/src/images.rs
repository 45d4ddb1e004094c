//! Screenshots: recognising PNG, JPEG and WebP by their bytes, checking their size in pixels,
//! and keeping only what a viewer needs to draw them.
//!
//! Pure and byte-level on purpose: no decoder, so nothing here runs codec code on what a
//! stranger uploaded. Each format is walked chunk by chunk (segment by segment for JPEG) with
//! every length checked against what is left, so arbitrary bytes give an error, never a panic
//! (a proptest checks it). What comes out is the same container holding only the chunks on an
//! **allow-list**; pixel data is copied untouched. A deny-list (drop `eXIf`, `tEXt`…) let
//! through whatever it did not name — an `iCCP` profile, private chunks, which made the desk
//! free file hosting — so every format now keeps only what it names:
//!
//! * **PNG**: `IHDR`, `PLTE`, `IDAT`, `IEND`, and `tRNS` (transparency), `gAMA`, `cHRM`,
//!   `sRGB` (how colours are shown). The last four only at their fixed sizes (`tRNS` at most a
//!   palette's 256 bytes), so none of them can carry anything else. `iCCP` is dropped: an ICC
//!   profile can be megabytes and holds a device's name; a screenshot is sRGB anyway. Animation
//!   chunks (`acTL`, `fcTL`, `fdAT`) are dropped, leaving the first frame as a still picture.
//! * **JPEG**: SOI, the frame headers (SOF0–SOF15 but the three that are not frames), `DHT`,
//!   `DAC`, `DQT`, `DRI`, `DNL`, `SOS` with its entropy-coded data and restart markers, EOI.
//!   Every APPn (JFIF, Exif, XMP, ICC, thumbnails, maker notes) and `COM` is dropped, with one
//!   exception: Adobe's APP14 at its fixed 12-byte size, which only says how the colour
//!   channels are coded (without it an RGB- or CMYK-coded JPEG shows the wrong colours).
//!   Orientation lives in Exif, so a photo may show turned; screenshots have none.
//! * **WebP**: `VP8X` (its ICC, Exif and XMP flags cleared), `VP8 `, `VP8L`, `ALPH`, `ANIM`,
//!   and `ANMF` frames rebuilt with only their header and image sub-chunks.
//! * GIF and anything else is refused.
//!
//! **Dimensions** are read from the header (`IHDR`; the SOF segments; `VP8X`, `VP8 `, `VP8L`)
//! and checked before anything is accepted: at most [`MAX_SIDE`] pixels on a side and
//! [`MAX_PIXELS`] in all. A picture that compresses well (a 48 KB PNG of 20000×20000 pixels, or
//! a 74-byte header claiming 100000×100000) is otherwise small on disk and hangs the browser of
//! the agent who opens it.

/// The largest screenshot accepted, before stripping.
pub(crate) const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// The longest side accepted, in pixels: WebP's own limit (16383) rounded up, and more than a
/// long scrolling phone screenshot needs.
pub(crate) const MAX_SIDE: u32 = 16_384;

/// The most pixels accepted in all: 40 million (a 6000×6666 picture; a 4K screen is 8.3
/// million). Decoded, that is 160 MB of RGBA in a viewer's browser.
pub(crate) const MAX_PIXELS: u64 = 40_000_000;

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
    /// More pixels than [`MAX_SIDE`] on a side or [`MAX_PIXELS`] in all.
    #[error("{width}×{height} pixels is more than a screenshot may have")]
    TooManyPixels { width: u32, height: u32 },
}

/// An image with its metadata removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cleaned {
    pub(crate) kind: ImageKind,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) bytes: Vec<u8>,
}

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// What a walker found: the kept bytes and the size in pixels.
struct Walked {
    width: u32,
    height: u32,
    bytes: Vec<u8>,
}

/// Recognises the image by content, checks its size in pixels and returns it with only the
/// chunks on the allow-list.
///
/// # Errors
/// Too large in bytes or pixels, not one of the three formats, or structurally broken.
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
    let w = out.map_err(|bad| match bad {
        Bad::Damaged => ImageError::Malformed(kind),
        Bad::Pixels(width, height) => ImageError::TooManyPixels { width, height },
    })?;
    Ok(Cleaned {
        kind,
        width: w.width,
        height: w.height,
        bytes: w.bytes,
    })
}

/// Why a walker refused an image.
enum Bad {
    Damaged,
    Pixels(u32, u32),
}

type Walk = Result<Walked, Bad>;

/// `Err` when a picture of `width`×`height` is refused (a zero side is damage, not size).
fn check_pixels(width: u32, height: u32) -> Result<(), Bad> {
    if width == 0 || height == 0 {
        return Err(Bad::Damaged);
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Bad::Pixels(width, height));
    }
    Ok(())
}

/// `?` on an `Option` inside a walker: `None` is damage.
macro_rules! get {
    ($e:expr) => {
        match $e {
            Some(v) => v,
            None => return Err(Bad::Damaged),
        }
    };
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(3)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], 0]))
}

/// PNG: signature, then chunks (length, type, data, CRC) from `IHDR` to `IEND`.
fn png(b: &[u8]) -> Walk {
    /// The chunks kept, each only at the data size it may have.
    fn allowed(kind: &[u8], len: usize) -> bool {
        match kind {
            b"IHDR" => len == 13,
            b"PLTE" => len <= 768 && len.is_multiple_of(3),
            b"IDAT" | b"IEND" => true,
            b"tRNS" => len <= 256,
            b"gAMA" => len == 4,
            b"cHRM" => len == 32,
            b"sRGB" => len == 1,
            _ => false,
        }
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut at = PNG_SIGNATURE.len();
    let mut first = true;
    let mut saw_idat = false;
    let (mut width, mut height) = (0, 0);
    loop {
        let len = get!(be32(b, at));
        // The format caps chunk lengths at 2^31 - 1.
        if len > 0x7FFF_FFFF {
            return Err(Bad::Damaged);
        }
        let len = get!(usize::try_from(len).ok());
        let kind = get!(b.get(at + 4..at + 8));
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(Bad::Damaged);
        }
        let end = get!(at.checked_add(12).and_then(|e| e.checked_add(len)));
        let chunk = get!(b.get(at..end));
        if first {
            if kind != b"IHDR" || len != 13 {
                return Err(Bad::Damaged);
            }
            // Checked before anything else is read: a header alone can claim any size.
            width = get!(be32(b, at + 8));
            height = get!(be32(b, at + 12));
            check_pixels(width, height)?;
        } else if kind == b"IHDR" {
            return Err(Bad::Damaged);
        }
        first = false;
        saw_idat |= kind == b"IDAT";
        if allowed(kind, len) {
            out.extend_from_slice(chunk);
        }
        at = end;
        if kind == b"IEND" {
            // Bytes after IEND are not part of the image; they are where things hide.
            return saw_idat
                .then_some(Walked {
                    width,
                    height,
                    bytes: out,
                })
                .ok_or(Bad::Damaged);
        }
    }
}

/// JPEG: markers and length-prefixed segments up to the scan, entropy-coded data, then more
/// segments, until EOI.
fn jpeg(b: &[u8]) -> Walk {
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut at = 2;
    let mut size: Option<(u32, u32)> = None;
    let mut saw_scan = false;
    loop {
        if *get!(b.get(at)) != 0xFF {
            return Err(Bad::Damaged);
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while *get!(b.get(at)) == 0xFF {
            at += 1;
        }
        let marker = *get!(b.get(at));
        at += 1;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return match size {
                    Some((width, height)) if saw_scan => Ok(Walked {
                        width,
                        height,
                        bytes: out,
                    }),
                    _ => Err(Bad::Damaged),
                };
            }
            // Standalone markers: no length. TEM and stray restart markers carry nothing.
            0x01 | 0xD0..=0xD7 => {}
            0x00 | 0xD8 => return Err(Bad::Damaged),
            _ => {
                let len = usize::from(get!(be16(b, at)));
                if len < 2 {
                    return Err(Bad::Damaged);
                }
                let end = get!(at.checked_add(len));
                let payload = get!(b.get(at + 2..end));
                let is_frame =
                    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                if is_frame {
                    // SOFn: precision, height, width, components.
                    let height = u32::from(get!(be16(payload, 1)));
                    let width = u32::from(get!(be16(payload, 3)));
                    // A height of 0 means "given later by DNL": not something a screenshot
                    // does, and its size could not be checked first.
                    check_pixels(width, height)?;
                    if size.is_some_and(|s| s != (width, height)) {
                        return Err(Bad::Damaged);
                    }
                    size = Some((width, height));
                }
                let keep = match marker {
                    // DHT, DAC, DQT, DNL, DRI, SOS.
                    0xC4 | 0xCC | 0xDB | 0xDC | 0xDD | 0xDA => true,
                    // Adobe's colour transform, only at its fixed size.
                    0xEE => payload.len() == 12 && payload.starts_with(b"Adobe"),
                    _ => is_frame,
                };
                if keep {
                    out.extend_from_slice(&[0xFF, marker]);
                    out.extend_from_slice(get!(b.get(at..end)));
                }
                at = end;
                if marker == 0xDA {
                    if size.is_none() {
                        return Err(Bad::Damaged);
                    }
                    saw_scan = true;
                    // Entropy-coded data runs to the next marker that is neither a stuffed
                    // zero nor a restart marker.
                    let start = at;
                    loop {
                        if *get!(b.get(at)) == 0xFF {
                            let next = *get!(b.get(at + 1));
                            if next != 0x00 && !(0xD0..=0xD7).contains(&next) && next != 0xFF {
                                break;
                            }
                        }
                        at += 1;
                    }
                    out.extend_from_slice(get!(b.get(start..at)));
                }
            }
        }
    }
}

/// The chunks of a RIFF body from `at` to the end of `b`: (FourCC, data), each checked
/// against what is left; `None` when one overruns.
fn riff_chunks(b: &[u8], mut at: usize) -> Option<Vec<(&[u8], &[u8])>> {
    let mut chunks = Vec::new();
    while at < b.len() {
        let fourcc = b.get(at..at.checked_add(4)?)?;
        let size = usize::try_from(le32(b, at + 4)?).ok()?;
        let data_start = at.checked_add(8)?;
        let data_end = data_start.checked_add(size)?;
        let end = data_end.checked_add(size & 1)?;
        let data = b.get(data_start..data_end)?;
        if end > b.len() {
            return None;
        }
        chunks.push((fourcc, data));
        at = end;
    }
    Some(chunks)
}

fn push_riff_chunk(out: &mut Vec<u8>, fourcc: &[u8], data: &[u8]) -> Option<()> {
    out.extend_from_slice(fourcc);
    out.extend_from_slice(&u32::try_from(data.len()).ok()?.to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    Some(())
}

/// The size a `VP8 ` (lossy) or `VP8L` (lossless) bitstream declares.
fn vp8_size(fourcc: &[u8], data: &[u8]) -> Option<(u32, u32)> {
    if fourcc == b"VP8L" {
        // Signature 0x2F, then 14 bits width - 1 and 14 bits height - 1, little-endian.
        if *data.first()? != 0x2F {
            return None;
        }
        let bits = le32(data, 1)?;
        Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
    } else {
        // A key frame: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height.
        if data.get(3..6)? != [0x9D, 0x01, 0x2A] {
            return None;
        }
        let w = u32::from(u16::from_le_bytes([*data.get(6)?, *data.get(7)?]) & 0x3FFF);
        let h = u32::from(u16::from_le_bytes([*data.get(8)?, *data.get(9)?]) & 0x3FFF);
        Some((w, h))
    }
}

/// WebP: a RIFF container of chunks (FourCC, little-endian size, data, pad to even).
fn webp(b: &[u8]) -> Walk {
    // VP8X flags: ICC profile, EXIF and XMP present.
    const ICC_FLAG: u8 = 0x20;
    const EXIF_FLAG: u8 = 0x08;
    const XMP_FLAG: u8 = 0x04;
    let riff = get!(usize::try_from(get!(le32(b, 4))).ok());
    let total = get!(riff.checked_add(8));
    if riff < 4 || total > b.len() {
        return Err(Bad::Damaged);
    }
    // Trailing bytes past the RIFF size are not part of the image.
    let chunks = get!(riff_chunks(&b[..total], 12));
    let Some(&(first, first_data)) = chunks.first() else {
        return Err(Bad::Damaged);
    };
    // The canvas: VP8X's when there is one, else the single bitstream's.
    let (width, height) = match first {
        b"VP8X" => {
            if first_data.len() < 10 {
                return Err(Bad::Damaged);
            }
            (get!(le24(first_data, 4)) + 1, get!(le24(first_data, 7)) + 1)
        }
        b"VP8 " | b"VP8L" => get!(vp8_size(first, first_data)),
        _ => return Err(Bad::Damaged),
    };
    check_pixels(width, height)?;
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut saw_image = false;
    for (fourcc, data) in chunks {
        match fourcc {
            b"VP8X" => {
                let mut d = data.to_vec();
                d[0] &= !(ICC_FLAG | EXIF_FLAG | XMP_FLAG);
                get!(push_riff_chunk(&mut out, fourcc, &d));
            }
            b"VP8 " | b"VP8L" => {
                let (w, h) = get!(vp8_size(fourcc, data));
                check_pixels(w, h)?;
                saw_image = true;
                get!(push_riff_chunk(&mut out, fourcc, data));
            }
            b"ALPH" | b"ANIM" => get!(push_riff_chunk(&mut out, fourcc, data)),
            b"ANMF" => {
                // A frame: a 16-byte header (position, size, duration, flags), then its own
                // chunks, of which only the image ones stay.
                let header = get!(data.get(..16));
                let mut frame = header.to_vec();
                for (sub, sub_data) in get!(riff_chunks(data, 16)) {
                    match sub {
                        b"VP8 " | b"VP8L" => {
                            let (w, h) = get!(vp8_size(sub, sub_data));
                            check_pixels(w, h)?;
                            saw_image = true;
                            get!(push_riff_chunk(&mut frame, sub, sub_data));
                        }
                        b"ALPH" => get!(push_riff_chunk(&mut frame, sub, sub_data)),
                        _ => {}
                    }
                }
                get!(push_riff_chunk(&mut out, fourcc, &frame));
            }
            // ICCP, EXIF, "XMP " and anything unknown.
            _ => {}
        }
    }
    if !saw_image {
        return Err(Bad::Damaged);
    }
    let riff = get!(u32::try_from(out.len() - 8).ok());
    out[4..8].copy_from_slice(&riff.to_le_bytes());
    Ok(Walked {
        width,
        height,
        bytes: out,
    })
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
        p.extend(png_chunk(b"sRGB", &[0]));
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

    /// A PNG of `width`×`height` with the given extra chunks before its (tiny) pixel data.
    fn png_sized(width: u32, height: u32, extra: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        let mut p = PNG_SIGNATURE.to_vec();
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

    fn png_kinds(bytes: &[u8]) -> Vec<String> {
        let mut at = 8;
        let mut kinds = Vec::new();
        while let Some(len) = be32(bytes, at) {
            kinds.push(String::from_utf8_lossy(&bytes[at + 4..at + 8]).into_owned());
            at += 12 + usize::try_from(len).expect("fits");
        }
        kinds
    }

    #[test]
    fn png_keeps_only_the_allowed_chunks() {
        let profile = {
            let mut p = b"Phone display P3\0\0".to_vec();
            p.extend_from_slice(b"device: Pixel 9 serial 1234 GPS-SECRET");
            p
        };
        let input = png_sized(
            2,
            2,
            &[
                (b"eXIf", gps_exif()),
                (b"iCCP", profile),
                (b"prVt", b"free file hosting: GPS-SECRET".repeat(40)),
                (b"pHYs", vec![0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]),
                (b"gAMA", vec![0, 0, 0xB1, 0x8F]),
                (b"tRNS", vec![0, 0, 0, 0, 0, 0]),
                // The right kind at the wrong size carries more than it should: dropped.
                (b"sRGB", b"0GPS-SECRET".to_vec()),
                (b"acTL", vec![0, 0, 0, 2, 0, 0, 0, 0]),
            ],
        );
        let out = clean(&input).expect("valid png");
        assert_eq!((out.width, out.height), (2, 2));
        assert_eq!(
            png_kinds(&out.bytes),
            ["IHDR", "gAMA", "tRNS", "IDAT", "IEND"]
        );
        assert!(!contains(&out.bytes, b"GPS-SECRET"));
        assert!(!contains(&out.bytes, b"Pixel 9"));
        assert_eq!(clean(&out.bytes).expect("still parses"), out);
    }

    #[test]
    fn images_with_too_many_pixels_are_refused_by_their_header() {
        // 20000×20000: a small file that decodes to 1.6 GB.
        assert_eq!(
            clean(&png_sized(20_000, 20_000, &[])),
            Err(ImageError::TooManyPixels {
                width: 20_000,
                height: 20_000
            })
        );
        // A header alone, claiming 100000×100000, nothing after it: refused for its size
        // before anything else is read.
        let mut header = PNG_SIGNATURE.to_vec();
        header.extend(png_chunk(
            b"IHDR",
            &[0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 6, 0, 0, 0],
        ));
        assert!(matches!(
            clean(&header),
            Err(ImageError::TooManyPixels {
                width: 100_000,
                height: 100_000
            })
        ));
        // Within the side limit but over the pixel budget; and one side too long.
        assert!(clean(&png_sized(8000, 8000, &[])).is_err());
        assert!(matches!(
            clean(&png_sized(1, MAX_SIDE + 1, &[])),
            Err(ImageError::TooManyPixels { .. })
        ));
        // At the limits: accepted. A zero side is damage, not size.
        assert!(clean(&png_sized(MAX_SIDE, 2000, &[])).is_ok());
        assert!(clean(&png_sized(6000, 6666, &[])).is_ok());
        assert_eq!(
            clean(&png_sized(0, 10, &[])),
            Err(ImageError::Malformed(ImageKind::Png))
        );

        let mut jpeg = jpeg_with_gps();
        let sof = jpeg
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .expect("SOF0");
        // SOF0: marker, length (2), precision, height (2), width (2).
        jpeg[sof + 5..sof + 7].copy_from_slice(&30_000u16.to_be_bytes());
        jpeg[sof + 7..sof + 9].copy_from_slice(&30_000u16.to_be_bytes());
        assert_eq!(
            clean(&jpeg),
            Err(ImageError::TooManyPixels {
                width: 30_000,
                height: 30_000
            })
        );

        // WebP: the VP8X canvas (24-bit width - 1 and height - 1).
        let mut webp = webp_with_gps();
        webp[24..27].copy_from_slice(&[0x1F, 0x4E, 0]);
        webp[27..30].copy_from_slice(&[0x1F, 0x4E, 0]);
        assert_eq!(
            clean(&webp),
            Err(ImageError::TooManyPixels {
                width: 20_000,
                height: 20_000
            })
        );
    }

    #[test]
    fn jpeg_keeps_only_frame_tables_and_scan_and_adobe_at_its_size() {
        let mut j = vec![0xFF, 0xD8];
        // ICC profile, a JFXX thumbnail, Adobe colour transform, a vendor APP4, a comment.
        j.extend(jpeg_segment(0xE2, b"ICC_PROFILE\0\x01\x01GPS-SECRET"));
        j.extend(jpeg_segment(0xE0, b"JFXX\0\x10GPS-SECRET"));
        j.extend(jpeg_segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"));
        j.extend(jpeg_segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01GPS-SECRET"));
        j.extend(jpeg_segment(0xE4, b"GPS-SECRET"));
        let rest = jpeg_with_gps();
        j.extend_from_slice(&rest[2..]);
        let out = clean(&j).expect("valid jpeg");
        assert_eq!((out.width, out.height), (1, 1));
        assert!(!contains(&out.bytes, b"GPS-SECRET"));
        assert!(!contains(&out.bytes, b"ICC_PROFILE"));
        assert!(contains(&out.bytes, b"Adobe\0\x64\0\0\0\0\x01"));
        let app_markers = out
            .bytes
            .windows(2)
            .filter(|w| w[0] == 0xFF && (0xE0..=0xEF).contains(&w[1]))
            .count();
        assert_eq!(app_markers, 1, "only the Adobe segment");
        assert_eq!(clean(&out.bytes).expect("still parses"), out);
    }

    #[test]
    fn webp_drops_icc_and_unknown_chunks_also_inside_animation_frames() {
        let mut frame = vec![0; 16];
        frame.extend(riff_chunk(b"VP8L", &[0x2F, 0, 0, 0, 0, 0x07]));
        frame.extend(riff_chunk(b"priv", b"GPS-SECRET in a frame"));
        let mut body = b"WEBP".to_vec();
        // VP8X: ICC, animation, EXIF flags; 1x1 canvas.
        body.extend(riff_chunk(b"VP8X", &[0x2A, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        body.extend(riff_chunk(b"ICCP", b"GPS-SECRET profile"));
        body.extend(riff_chunk(b"ANIM", &[0; 6]));
        body.extend(riff_chunk(b"ANMF", &frame));
        body.extend(riff_chunk(b"zzzz", b"GPS-SECRET"));
        let mut w = b"RIFF".to_vec();
        w.extend_from_slice(&u32::try_from(body.len()).expect("small").to_le_bytes());
        w.extend(body);
        let out = clean(&w).expect("valid animated webp");
        assert!(!contains(&out.bytes, b"GPS-SECRET"));
        assert!(!contains(&out.bytes, b"ICCP") && !contains(&out.bytes, b"priv"));
        assert!(contains(&out.bytes, b"ANMF") && contains(&out.bytes, b"VP8L"));
        assert_eq!(out.bytes[20] & 0x2C, 0, "ICC, EXIF and XMP flags cleared");
        assert_eq!(out.bytes[20] & 0x02, 0x02, "the animation flag stays");
        assert_eq!(clean(&out.bytes).expect("still parses"), out);
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
    fn jpeg_loses_exif_xmp_comments_and_jfif_and_keeps_the_scan() {
        let input = jpeg_with_gps();
        let out = clean(&input).expect("valid jpeg");
        assert_eq!(out.kind, ImageKind::Jpeg);
        assert!(!contains(&out.bytes, b"GPS-SECRET"));
        assert!(!contains(&out.bytes, b"Exif\0\0"));
        assert!(
            !contains(&out.bytes, b"JFIF\0"),
            "every APPn goes, JFIF too"
        );
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
