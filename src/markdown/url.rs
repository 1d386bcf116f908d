//! Which link and image destinations may reach the page (DESIGN.md: judged as the browser
//! would resolve them; relative ones are fine; only http, https and mailto, and for images
//! http, https and raster `data:image/…`), and their normalized, percent-encoded form.

use crate::prelude::*;

/// The destination to use, or `None` when it must not become a link.
pub fn safe(dest: &str, image: bool) -> Option<String> {
    // The URL parser drops leading/trailing C0 controls and spaces, and every tab and
    // newline inside, before it looks for a scheme: judge what it will see.
    // Bytes: all of these are ASCII (a char trim and filter cost 0.2 KB of wasm).
    let b = dest.as_bytes();
    let start = b.iter().position(|&c| c > b' ').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c > b' ').map_or(start, |i| i + 1);
    let kept = &dest[start..end];
    let mut seen = String::with_capacity(kept.len());
    let mut from = 0;
    for (i, c) in kept.bytes().enumerate() {
        if matches!(c, b'\t' | b'\n' | b'\r') {
            seen.push_str(&kept[from..i]);
            from = i + 1;
        }
    }
    seen.push_str(&kept[from..]);
    if let Some(scheme) = scheme_of(&seen) {
        let scheme = scheme.to_ascii_lowercase();
        let ok = match scheme.as_str() {
            "http" | "https" => true,
            "mailto" => !image,
            "data" => image && is_raster_data_url(&seen),
            _ => false,
        };
        if !ok {
            return None;
        }
    }
    Some(normalize(dest))
}

/// The scheme if the URL has one (`[A-Za-z][A-Za-z0-9+.-]*:` before any `/ ? #`).
fn scheme_of(url: &str) -> Option<&str> {
    let end = find_byte(url, b':')?;
    let scheme = &url[..end];
    let s = scheme.as_bytes();
    let valid = s.first().is_some_and(u8::is_ascii_alphabetic)
        && s.iter()
            .all(|&c| c.is_ascii_alphanumeric() || in_bytes(b"+.-", c));
    valid.then_some(scheme)
}

fn is_raster_data_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("data:image/") else {
        return false;
    };
    ["png", "jpeg", "jpg", "gif", "webp", "avif", "bmp"]
        .iter()
        .any(|t| {
            rest.strip_prefix(t)
                .is_some_and(|after| starts_with_any(after, b";,"))
        })
}

/// Percent-encodes what is not allowed in a URL, keeping existing `%XX` escapes (the
/// normalization commonmark.js applies).
pub fn normalize(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let keep = b.is_ascii_alphanumeric() || in_bytes(b";/?:@&=+$,-_.!~*'()#", b);
        if keep {
            out.push(b as char);
        } else if b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
        {
            out.push('%');
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_judged_as_the_browser_sees_them() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            " javascript:x",
            "java\tscript:x",
            "jav\nascript:x",
            "\u{1}javascript:x",
            "vbscript:x",
            "data:text/html,x",
            "file:///etc/passwd",
        ] {
            assert_eq!(safe(bad, false), None, "{bad:?}");
        }
        assert_eq!(
            safe("data:image/png;base64,AA", true).as_deref(),
            Some("data:image/png;base64,AA")
        );
        assert_eq!(
            safe("data:image/svg+xml,<svg>", true),
            None,
            "SVG can script"
        );
        assert_eq!(safe("mailto:a@b.c", true), None);
        for good in [
            "https://x.y/z",
            "/relative",
            "page.html",
            "#frag",
            "?q",
            "//cdn.example/x",
            "%6Aavascript:x",
        ] {
            assert!(safe(good, false).is_some(), "{good}");
        }
        assert_eq!(normalize("/föö bar%20"), "/f%C3%B6%C3%B6%20bar%20");
    }
}
