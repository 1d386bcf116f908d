//! Link syntax shared by inline links and reference definitions: destinations, titles,
//! labels and their normalization, escapes and entities, and the definitions themselves.

use crate::prelude::*;

use crate::markdown::entities;

/// Link reference definitions by normalized label: (destination, title). A plain list:
/// replies hold a handful of definitions, and a map type would add ~3 KB gzip to the wasm.
#[derive(Debug, Default, PartialEq)]
pub struct RefMap(Vec<(String, (String, String))>);

impl Clone for RefMap {
    /// Definitions are read only by the second module (`extract_refs`), so a first reply's
    /// map is empty, and copying a full one is that module's code.
    fn clone(&self) -> RefMap {
        if self.0.is_empty() {
            RefMap::default()
        } else {
            clone_refs(self)
        }
    }
}

crate::lazy!("a5000000000000000000000000000002" fn clone_refs(refs: &RefMap) -> RefMap {
    RefMap(refs.0.clone())
});

impl RefMap {
    pub fn get(&self, label: &str) -> Option<&(String, String)> {
        self.0.iter().find(|(l, _)| l == label).map(|(_, v)| v)
    }

    /// The first definition of a label wins (spec §4.7).
    pub fn insert_first(&mut self, label: String, value: (String, String)) {
        if self.get(&label).is_none() {
            self.0.push((label, value));
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Forgets every definition after the first `n`.
    pub fn truncate(&mut self, n: usize) {
        self.0.truncate(n);
    }
}

pub(super) fn skip_ws(s: &str, i: usize) -> usize {
    i + s[i..].len() - trim_start_set(&s[i..], b" \t\n").len()
}

/// `<dest>` or a raw destination with balanced parentheses; unescaped and decoded.
pub(super) fn link_destination(s: &str, i: usize) -> Option<(String, usize)> {
    let rest = &s[i..];
    if let Some(inner) = rest.strip_prefix("<") {
        let mut escaped = false;
        for (k, c) in inner.char_indices() {
            match c {
                '\n' | '<' if !escaped => return None,
                '>' if !escaped => return Some((unescape(&inner[..k]), i + k + 2)),
                _ => {}
            }
            escaped = c == '\\' && !escaped;
        }
        return None;
    }
    let mut depth = 0usize;
    let mut end = rest.len();
    let mut escaped = false;
    for (k, c) in rest.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = k;
                break;
            }
            ')' => depth -= 1,
            c if c.is_ascii_whitespace() || c.is_ascii_control() => {
                end = k;
                break;
            }
            _ => {}
        }
    }
    if end == 0 || depth != 0 {
        return None;
    }
    Some((unescape(&rest[..end]), i + end))
}

crate::lazy!("ad000000000000000000000000000002" pub(super) fn link_title(s: &str, i: usize) -> Option<(String, usize)> {
    let rest = &s[i..];
    let open = rest.chars().next()?;
    let close = match open {
        '"' => '"',
        '\'' => '\'',
        '(' => ')',
        _ => return None,
    };
    let mut escaped = false;
    for (k, c) in rest.char_indices().skip(1) {
        if !escaped && c == close {
            return Some((unescape(&rest[1..k]), i + k + 1));
        }
        if !escaped && open == '(' && c == '(' {
            return None;
        }
        escaped = c == '\\' && !escaped;
    }
    None
});

/// `[label]` at the start of `s`: (raw label, bytes used).
pub(super) fn link_label(s: &str) -> Option<(&str, usize)> {
    let inner = s.strip_prefix("[")?;
    let mut escaped = false;
    for (k, c) in inner.char_indices() {
        match c {
            '[' if !escaped => return None,
            ']' if !escaped => return Some((&inner[..k], k + 2)),
            _ => {}
        }
        escaped = c == '\\' && !escaped;
    }
    None
}

/// Labels match case-insensitively. Only ASCII is folded: Unicode case tables would cost
/// ~10 KB gzip in the wasm for labels like `ẞ` vs `SS` that models do not write. Runs of
/// spaces, tabs and line endings (the spec's whitespace here, all ASCII) become one space;
/// a no-break space stays part of its word.
pub fn normalize_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let b = label.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i > start {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&label[start..i]);
        }
        i += 1;
    }
    out.make_ascii_lowercase();
    out
}

pub(super) fn is_email(s: &str) -> bool {
    let Some((local, domain)) = split_once_byte(s, b'@') else {
        return false;
    };
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || one_of(c, b".!#$%&'*+/=?^_`{|}~-"))
        && !domain.is_empty()
        && split_byte(domain, b'.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with("-")
                && !l.ends_with("-")
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Backslash escapes and entities resolved (destinations, titles, info strings).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        if c == '\\' {
            if let Some(n) = s[i + 1..].chars().next().filter(char::is_ascii_punctuation) {
                out.push(n);
                i += 2;
                continue;
            }
        } else if c == '&' {
            if let Some((d, len)) = entities::decode_at(&s[i..]) {
                out.push_str(&d);
                i += len;
                continue;
            }
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Takes the link reference definitions off the start of a paragraph's text; returns the rest.
pub fn extract_reference_definitions<'a>(content: &'a str, refs: &mut RefMap) -> &'a str {
    &content[definitions(content, refs)..]
}

crate::lazy!("ad000000000000000000000000000003" fn definitions(content: &str, refs: &mut RefMap) -> usize {
    let mut rest = content;
    while rest.starts_with("[") {
        let Some((label, used)) = link_label(rest) else {
            break;
        };
        if label.trim_ascii().is_empty()
            || char_count(label) > 999
            || !rest[used..].starts_with(":")
        {
            break;
        }
        let i = skip_ws(rest, used + 1);
        let Some((dest, after)) = link_destination(rest, i) else {
            break;
        };
        if after == i {
            break;
        }
        let j = skip_ws(rest, after);
        let line_end = |k: usize| find_byte(&rest[k..], b'\n').map_or(rest.len(), |n| k + n + 1);
        let only_ws_to_eol = |k: usize| rest[k..line_end(k)].trim_ascii().is_empty();
        let (title, end) = match link_title(rest, j).filter(|_| j > after) {
            Some((t, k)) if only_ws_to_eol(k) => (t, line_end(k)),
            _ if only_ws_to_eol(after) => (String::new(), line_end(after)),
            _ => break,
        };
        refs.insert_first(normalize_label(label), (dest, title));
        rest = &rest[end..];
    }
    content.len() - rest.len()
});

crate::lazy!(
/// `[label]`, `[]` or nothing at the start of `rest` (just after a link text `text`), found
/// among the definitions: the destination and title, and the bytes of `rest` it used.
"ad000000000000000000000000000004" pub(super) fn reference(refs: &RefMap, rest: &str, text: &str) -> Option<((String, String), usize)> {
    let (label, used) = match link_label(rest) {
        Some((l, n)) if !l.trim_ascii().is_empty() => (l, n),
        Some((_, n)) => (text, n),
        None => (text, 0),
    };
    if char_count(label) > 999 {
        return None;
    }
    Some((refs.get(&normalize_label(label))?.clone(), used))
});

crate::lazy!(
/// The destination of `<inner>` when it is a URI or email autolink (an email gets `mailto:`).
"ad000000000000000000000000000005" pub(super) fn angle_link(inner: &str) -> Option<String> {
    let is_uri = split_once_byte(inner, b':').is_some_and(|(scheme, _)| {
        (2..=32).contains(&scheme.len())
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || one_of(c, b"+.-"))
    }) && !inner
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '<');
    if is_uri {
        Some(inner.to_owned())
    } else {
        is_email(inner).then(|| cat(&["mailto:", inner]))
    }
});
