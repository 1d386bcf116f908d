//! GFM extended autolinks in plain text: `www.…`, `http(s)://…` and bare email addresses,
//! with the trailing-punctuation and parenthesis rules of the GFM spec.

use crate::prelude::*;

pub enum Piece<'a> {
    Text(&'a str),
    /// (href, shown text)
    Link(String, &'a str),
}

/// Calls `emit` with the text cut into plain pieces and links, in order.
pub fn split<'a>(text: &'a str, emit: &mut dyn FnMut(Piece<'a>)) {
    let bytes = text.as_bytes();
    let mut done = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Only ASCII bytes can start a link, so stepping by bytes stays on char boundaries
        // wherever we act.
        let b = bytes[i];
        let found = match b {
            b'w' | b'W' | b'h' | b'H'
                if i == 0
                    || matches!(
                        bytes[i - 1],
                        b' ' | b'\t' | b'\n' | b'\r' | b'*' | b'_' | b'~' | b'('
                    ) =>
            {
                web_link(&text[i..]).map(|(_, len, href)| (i, i + len, href))
            }
            b'@' => email_at(text, i, done),
            _ => None,
        };
        match found {
            Some((start, end, href)) => {
                if start > done {
                    emit(Piece::Text(&text[done..start]));
                }
                emit(Piece::Link(href, &text[start..end]));
                done = end;
                i = end;
            }
            None => i += 1,
        }
    }
    if done < text.len() {
        emit(Piece::Text(&text[done..]));
    }
}

/// `www.` or `http(s)://` at the start of `s`: (usize::MAX marker, length, href).
fn web_link(s: &str) -> Option<(usize, usize, String)> {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let (prefix, scheme) = if lower.starts_with("www.") {
        (0, "http://")
    } else if lower.starts_with("https://") {
        (8, "")
    } else if lower.starts_with("http://") {
        (7, "")
    } else {
        return None;
    };
    let domain_len = s[prefix..]
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || !c.is_ascii() || in_bytes(b"._-", c)))
        .unwrap_or(s.len() - prefix);
    let domain = &s[prefix..prefix + domain_len];
    // The labels walked once, keeping the last two (no vector of them).
    let (mut count, mut empty, mut last, mut before) = (0, false, "", "");
    for label in split_byte(trim_end_set(domain, b"."), b'.') {
        empty |= label.is_empty();
        (before, last) = (last, label);
        count += 1;
    }
    if domain.is_empty()
        || empty
        || has_byte(last, b'_')
        || has_byte(before, b'_')
        || (scheme.is_empty() && count == 0)
    {
        return None;
    }
    if prefix == 0 && count < 2 {
        return None;
    }
    let mut end = s
        .find(|c: char| c.is_whitespace() || c == '<')
        .unwrap_or(s.len());
    end = trim_trailing(&s[..end]);
    if end <= prefix {
        return None;
    }
    Some((usize::MAX, end, cat(&[scheme, &s[..end]])))
}

/// Where a link's trailing punctuation, unbalanced `)` and entity-like `&x;` end it.
fn trim_trailing(link: &str) -> usize {
    let mut end = link.len();
    loop {
        let cur = &link[..end];
        // Its last byte: only ASCII ones are trimmed (a multibyte char's last byte is none).
        let Some(&last) = cur.as_bytes().last() else {
            return 0;
        };
        let unbalanced = last == b')' && count_str(cur, "(") < count_str(cur, ")");
        if in_bytes(b"?!.,:*_~'\"", last) || unbalanced {
            end -= 1;
        } else if last == b';' {
            let amp = rfind_byte(cur, b'&');
            match amp {
                Some(a)
                    if cur.as_bytes()[a + 1..end - 1]
                        .iter()
                        .all(u8::is_ascii_alphanumeric)
                        && a + 1 < end - 1 =>
                {
                    end = a
                }
                _ => return end,
            }
        } else {
            return end;
        }
    }
}

/// An email address whose `@` is at or after `i` and whose local part starts at or after
/// `min_start`: (start, end, href) in byte offsets of `text`.
fn email_at(text: &str, i: usize, min_start: usize) -> Option<(usize, usize, String)> {
    if text.as_bytes().get(i) != Some(&b'@') {
        return None;
    }
    // Bytes: every byte of a multibyte char is outside the local part's ASCII set, so the
    // last one found is that char's last byte and the start is after it.
    let local_ok = |c: u8| c.is_ascii_alphanumeric() || in_bytes(b".+-_", c);
    let start = text.as_bytes()[min_start..i]
        .iter()
        .rposition(|&c| !local_ok(c))
        .map_or(min_start, |k| min_start + k + 1);
    if start == i {
        return None;
    }
    let rest = &text[i + 1..];
    let mut len = rest
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || in_bytes(b"-_.", c)))
        .unwrap_or(rest.len());
    while len > 0 && rest[..len].ends_with(".") {
        len -= 1;
    }
    let domain = &rest[..len];
    if !has_byte(domain, b'.')
        || ends_with_any(domain, b"-_")
        || split_byte(domain, b'.').any(str::is_empty)
    {
        return None;
    }
    let end = i + 1 + len;
    Some((start, end, cat(&["mailto:", &text[start..end]])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        split(text, &mut |p| {
            if let Piece::Link(href, _) = p {
                out.push(href);
            }
        });
        out
    }

    #[test]
    fn finds_gfm_autolinks_and_trims_them() {
        assert_eq!(
            links("see www.example.com/a."),
            ["http://www.example.com/a"]
        );
        assert_eq!(links("(https://x.org/a_(b))"), ["https://x.org/a_(b)"]);
        assert_eq!(links("mail a.b-c_d@a.b."), ["mailto:a.b-c_d@a.b"]);
        assert!(links("wwwexample.com and x@y").is_empty());
        // A multi-byte character right before the address (found by fuzzing).
        assert_eq!(
            links("é\u{FFFD}special@Bar.baz-bar0.com"),
            ["mailto:special@Bar.baz-bar0.com"]
        );
    }
}
