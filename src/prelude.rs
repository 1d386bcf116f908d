//! What `std`'s prelude gives every file, from `alloc`, so the crate also builds as `no_std`
//! (the shipped wasm: no std panic and formatting machinery, see `lib.rs`).

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;

/// Where `needle` first occurs in `hay`. A plain search: `str::find` with a string pattern
/// brings `core`'s two-way searcher, kilobytes of wasm for the few short needles we look for.
/// The text of bytes cut from a `&str` at ASCII positions (always valid UTF-8; were a cut ever
/// to split a character, the valid part). Not `String::from_utf8_lossy`, whose replacement
/// machinery would ship for a case that does not arise.
pub fn text_of(bytes: &[u8]) -> &str {
    match core::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => core::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// Appends `bytes` as text, each maximal invalid UTF-8 sequence replaced by U+FFFD: what
/// `String::from_utf8_lossy` gives (`Utf8Error::error_len` is its rule), in one loop over
/// `from_utf8` instead of its chunk iterator.
pub fn push_lossy(out: &mut String, mut bytes: &[u8]) {
    loop {
        match core::str::from_utf8(bytes) {
            Ok(text) => return out.push_str(text),
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                out.push_str(core::str::from_utf8(valid).unwrap_or_default());
                out.push('\u{FFFD}');
                match e.error_len() {
                    Some(n) => bytes = &rest[n..],
                    None => return,
                }
            }
        }
    }
}

pub fn find_str(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i] == n[0] && &h[i..i + n.len()] == n)
}

/// Where `needle` last occurs in `hay`.
pub fn rfind_str(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?)
        .rev()
        .find(|&i| &h[i..i + n.len()] == n)
}

/// How many times `needle` (not empty) occurs in `hay` without overlapping.
pub fn count_str(hay: &str, needle: &str) -> usize {
    let (mut n, mut at) = (0, 0);
    while let Some(i) = find_str(&hay[at..], needle) {
        n += 1;
        at += i + needle.len().max(1);
    }
    n
}

/// Whether `c` is one of the ASCII bytes in `set` (`str::contains` with a char pattern
/// brings the two-way searcher too, for characters beyond ASCII).
pub fn one_of(c: char, set: &[u8]) -> bool {
    c.is_ascii() && in_bytes(set, c as u8)
}

/// Whether `s` holds the ASCII byte `b`.
pub fn has_byte(s: &str, b: u8) -> bool {
    in_bytes(s.as_bytes(), b)
}

/// Whether `c` is in `bytes`: a loop rather than `<[u8]>::contains`, which brings core's
/// word-at-a-time `memchr` (−0.2 KB gzip; the sets and texts searched here are short).
#[inline(never)]
#[allow(clippy::manual_contains)]
pub fn in_bytes(bytes: &[u8], c: u8) -> bool {
    bytes.iter().any(|&x| x == c)
}

/// `hay` with every `from` (not empty) replaced by `to`.
pub fn replace_str(hay: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(hay.len());
    let mut at = 0;
    while let Some(i) = find_str(&hay[at..], from) {
        out.push_str(&hay[at..at + i]);
        out.push_str(to);
        at += i + from.len().max(1);
    }
    out.push_str(&hay[at..]);
    out
}

/// The pieces joined: how messages are built on release paths instead of `format!`, whose
/// formatting machinery costs kilobytes of wasm.
pub fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// `s` without the ASCII bytes of `set` at its end. (`str::trim_end_matches` with a char or
/// an array of chars brings a char searcher per pattern type: hundreds of bytes of wasm each.)
pub fn trim_end_set<'a>(s: &'a str, set: &[u8]) -> &'a str {
    let b = s.as_bytes();
    let mut end = b.len();
    while end > 0 && in_bytes(set, b[end - 1]) {
        end -= 1;
    }
    // Only ASCII bytes were cut: `end` is on a char boundary.
    &s[..end]
}

/// `s` without the ASCII bytes of `set` at its start.
pub fn trim_start_set<'a>(s: &'a str, set: &[u8]) -> &'a str {
    let start = s.bytes().take_while(|&b| in_bytes(set, b)).count();
    &s[start..]
}

/// `s` without the ASCII bytes of `set` at either end.
pub fn trim_set<'a>(s: &'a str, set: &[u8]) -> &'a str {
    trim_end_set(trim_start_set(s, set), set)
}

/// How many chars `s` has (every byte that does not continue a UTF-8 sequence).
pub fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

/// The first `n` chars of `s` (all of it when shorter): what a message quotes of a long value.
pub fn clip(s: &str, n: usize) -> &str {
    let mut seen = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b & 0xC0 != 0x80 {
            if seen == n {
                return &s[..i];
            }
            seen += 1;
        }
    }
    s
}

/// The last char of `s` (not `chars().next_back()`, a reverse UTF-8 decoder).
pub fn last_char(s: &str) -> Option<char> {
    let b = s.as_bytes();
    let mut i = b.len();
    while i > 0 {
        i -= 1;
        if b[i] & 0xC0 != 0x80 {
            return s.get(i..)?.chars().next();
        }
    }
    None
}

/// `s` without the ASCII byte at `i` (`String::remove` decodes the char there: −40 B).
pub fn remove_byte(s: &mut String, i: usize) {
    let rest = s[i + 1..].to_owned();
    s.truncate(i);
    s.push_str(&rest);
}

/// `s` with every ASCII byte `from` replaced by `to`.
pub fn replace_byte(s: &str, from: u8, to: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for (i, b) in s.bytes().enumerate() {
        if b == from {
            out.push_str(&s[at..i]);
            out.push_str(to);
            at = i + 1;
        }
    }
    out.push_str(&s[at..]);
    out
}

/// Where the ASCII byte `b` first occurs in `s`. Not inlined, and with these the shipped
/// wasm has no `str::find`/`split` with a char pattern left: `core`'s char searcher and its
/// split iterators went with them.
#[inline(never)]
pub fn find_byte(s: &str, b: u8) -> Option<usize> {
    s.bytes().position(|x| x == b)
}

/// Where the ASCII byte `b` last occurs in `s`.
#[inline(never)]
pub fn rfind_byte(s: &str, b: u8) -> Option<usize> {
    s.bytes().rposition(|x| x == b)
}

/// Where one of the ASCII bytes of `set` last occurs in `s`.
#[inline(never)]
pub fn rfind_any(s: &str, set: &[u8]) -> Option<usize> {
    s.bytes().rposition(|x| in_bytes(set, x))
}

/// Whether `s` holds one of the ASCII bytes of `set`.
pub fn has_any(s: &str, set: &[u8]) -> bool {
    rfind_any(s, set).is_some()
}

/// Whether `s` starts with one of the ASCII bytes of `set`.
pub fn starts_with_any(s: &str, set: &[u8]) -> bool {
    s.as_bytes().first().is_some_and(|&b| in_bytes(set, b))
}

/// Whether `s` ends with one of the ASCII bytes of `set`.
pub fn ends_with_any(s: &str, set: &[u8]) -> bool {
    s.as_bytes().last().is_some_and(|&b| in_bytes(set, b))
}

/// `s` around the first ASCII byte `b`.
pub fn split_once_byte(s: &str, b: u8) -> Option<(&str, &str)> {
    let i = find_byte(s, b)?;
    Some((&s[..i], &s[i + 1..]))
}

/// `s.split(b)` for an ASCII byte `b`.
pub fn split_byte(s: &str, b: u8) -> SplitByte<'_> {
    SplitByte { rest: Some(s), b }
}

pub struct SplitByte<'a> {
    rest: Option<&'a str>,
    b: u8,
}

impl<'a> Iterator for SplitByte<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match find_byte(rest, self.b) {
            Some(i) => {
                self.rest = Some(&rest[i + 1..]);
                Some(&rest[..i])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// Whether `word` is one of the space-separated words of `list` (how our static word lists
/// are written: one string compresses better than a table of `&str`s).
pub fn listed(list: &str, word: &str) -> bool {
    split_byte(list, b' ').any(|w| w == word)
}

/// `c` `n` times.
pub fn repeat_char(c: char, n: usize) -> String {
    let mut out = String::with_capacity(n * c.len_utf8());
    push_n(&mut out, c, n);
    out
}

/// Appends `c` `n` times (not `extend(repeat_n(c, n))`, a char iterator per call site).
pub fn push_n(out: &mut String, c: char, n: usize) {
    for _ in 0..n {
        out.push(c);
    }
}

/// An unsigned decimal, as `str::parse::<u64>` reads it (an optional `+`, then digits; no
/// overflow).
pub fn parse_u64(s: &str) -> Option<u64> {
    let digits = s.strip_prefix("+").unwrap_or(s);
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(n)
}

/// `parts.join(sep)`: `[String]::join` brings `alloc`'s generic join (1 KB of wasm) for it.
pub fn join(parts: &[String], sep: &str) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn last_char_matches_std() {
        for s in ["", "a", "é", "ab€", "a😀", "x\u{a0}"] {
            assert_eq!(super::last_char(s), s.chars().next_back(), "{s:?}");
        }
    }

    #[test]
    fn remove_byte_matches_std() {
        for s in ["a", "ab€[", "[x", "é[", "a😀]b"] {
            for i in (0..s.len()).filter(|&i| s.as_bytes()[i].is_ascii()) {
                let mut a = s.to_owned();
                super::remove_byte(&mut a, i);
                let mut b = s.to_owned();
                b.remove(i);
                assert_eq!(a, b);
            }
        }
    }

    #[test]
    fn lossy_decoding_matches_std() {
        let cases: &[&[u8]] = &[
            b"plain",
            b"",
            b"\xff",
            b"a\xffb",
            b"\xe2\x82",
            b"\xe2\x82a",
            b"\xf0\x9f\x98\x80\xf0\x9f",
            b"\xed\xa0\x80x",
            b"\xc0\xafz",
            b"\xf4\x90\x80\x80",
            b"ok\xe2\x82\xacok\xfe\xfe",
        ];
        for bytes in cases {
            let mut out = String::new();
            push_lossy(&mut out, bytes);
            assert_eq!(out, String::from_utf8_lossy(bytes), "{bytes:?}");
        }
        // Every two-byte sequence, and every prefix of a few longer ones.
        for a in 0..=255u8 {
            for b in [0x41u8, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xe0, 0xff] {
                let bytes = [a, b, 0x80, 0x41];
                for n in 1..=bytes.len() {
                    let mut out = String::new();
                    push_lossy(&mut out, &bytes[..n]);
                    assert_eq!(out, String::from_utf8_lossy(&bytes[..n]));
                }
            }
        }
    }

    use super::*;

    #[test]
    fn byte_helpers_agree_with_std() {
        let cases = [
            "",
            "  \t a b \t",
            "##x##",
            "é#",
            "#é",
            "+12",
            "007",
            "18446744073709551615",
            "18446744073709551616",
            "1a",
            "+",
            "-1",
            "::--::",
            "a\nb\n\n",
            "ü\0ü",
        ];
        for s in cases {
            assert_eq!(
                trim_end_set(s, b" \t"),
                s.trim_end_matches([' ', '\t']),
                "{s:?}"
            );
            assert_eq!(
                trim_start_set(s, b" \t\n"),
                s.trim_start_matches([' ', '\t', '\n']),
                "{s:?}"
            );
            assert_eq!(trim_set(s, b"#"), s.trim_matches('#'), "{s:?}");
            assert_eq!(char_count(s), s.chars().count(), "{s:?}");
            assert_eq!(replace_byte(s, b'\n', " "), s.replace('\n', " "), "{s:?}");
            assert_eq!(
                replace_byte(s, 0, "\u{FFFD}"),
                s.replace('\0', "\u{FFFD}"),
                "{s:?}"
            );
            assert_eq!(parse_u64(s), s.parse::<u64>().ok(), "{s:?}");
        }
        for s in ["", "a.b.c", "é.é", ".", "..", "abc", "@x@", "a."] {
            assert_eq!(find_byte(s, b'.'), s.find('.'), "{s:?}");
            assert_eq!(rfind_byte(s, b'.'), s.rfind('.'), "{s:?}");
            assert_eq!(split_once_byte(s, b'@'), s.split_once('@'), "{s:?}");
            assert_eq!(
                split_byte(s, b'.').collect::<Vec<_>>(),
                s.split('.').collect::<Vec<_>>(),
                "{s:?}"
            );
        }
        for s in ["", "a\nb\r", "é", "\rx", "x;", ";x"] {
            assert_eq!(rfind_any(s, b"\n\r"), s.rfind(['\n', '\r']), "{s:?}");
            assert_eq!(has_any(s, b"\n\r"), s.contains(['\n', '\r']), "{s:?}");
            assert_eq!(
                starts_with_any(s, b";,"),
                s.starts_with([';', ',']),
                "{s:?}"
            );
            assert_eq!(ends_with_any(s, b";\r"), s.ends_with([';', '\r']), "{s:?}");
        }
        assert_eq!(repeat_char('~', 3), "~~~");
        assert_eq!(repeat_char('é', 2), "éé");
        assert_eq!(repeat_char('*', 0), "");
    }

    #[test]
    fn plain_string_search_agrees_with_core() {
        let hays = ["", "a", "**x**", "ab ab aab", "é**é", "\n\n\n", "[a](b"];
        let needles = ["a", "ab", "**", "\n\n", "](", "é", "zz"];
        for h in hays {
            for n in needles {
                assert_eq!(find_str(h, n), h.find(n), "{h:?} {n:?}");
                assert_eq!(rfind_str(h, n), h.rfind(n), "{h:?} {n:?}");
                assert_eq!(count_str(h, n), h.matches(n).count(), "{h:?} {n:?}");
                assert_eq!(replace_str(h, n, "-"), h.replace(n, "-"), "{h:?} {n:?}");
            }
        }
    }
}
