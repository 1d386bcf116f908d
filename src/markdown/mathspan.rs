//! Where math is in markdown text: `$…$` and `$$…$$` as Claude writes it, `\(…\)` and
//! `\[…\]` as GPT models do. One rule keeps prices text: a single `$` opens math only with
//! no space after it and no digit before it, and closes only at the next unescaped `$` with
//! no space before it and no digit after it. So `$5 and $10` and `costs 5$ or 6$` stay text
//! (the `$` before `10` has a space before it; those after `5` and `6` follow a digit),
//! while `$x^2$` and `$2^n$` are math. One more for a price before a `5$`: a span that
//! starts with a digit and has spaces is math only if it has TeX in it (`\`, `^`, `_`,
//! braces, `=`, `+`, `*`, `/`, `<`, `>`, `|`), so `$10, or 5$` stays text. The inline parser
//! and the streaming view share it.

use crate::prelude::*;
use core::ops::Range;

/// A math span at `s[at..]`, which starts with `$`, `\(` or `\[`: the TeX between the
/// delimiters, whether it is display math, and where the span ends.
pub fn find(s: &str, at: usize) -> Option<(Range<usize>, bool, usize)> {
    let rest = &s[at..];
    let b = s.as_bytes();
    // Bytes, not chars: every delimiter and every test here is ASCII (and `char`'s Unicode
    // whitespace table is not needed for it).
    let blank = |c: u8| c.is_ascii_whitespace();
    if rest.starts_with("$$") {
        let from = at + 2;
        let close = from + unescaped(&s[from..], "$$")?;
        let tex = from..close;
        return (!b[tex.clone()].iter().all(|&c| blank(c))).then_some((tex, true, close + 2));
    }
    if rest.starts_with("$") {
        let after = *b.get(at + 1)?;
        if blank(after) || at > 0 && b[at - 1].is_ascii_digit() {
            return None;
        }
        let from = at + 1;
        let close = from + unescaped(&s[from..], "$")?;
        if close == from || blank(b[close - 1]) || b.get(close + 1).is_some_and(u8::is_ascii_digit)
        {
            return None;
        }
        let tex = &s[from..close];
        if after.is_ascii_digit() && has_any(tex, b" \t\n") && !has_any(tex, b"\\^_{}=+*/<>|") {
            return None;
        }
        return Some((from..close, false, close + 1));
    }
    let (closer, display) = if rest.starts_with("\\(") {
        ("\\)", false)
    } else if rest.starts_with("\\[") {
        ("\\]", true)
    } else {
        return None;
    };
    let from = at + 2;
    let close = from + unescaped(&s[from..], closer)?;
    // `\[\\\]` (escaped brackets around an escaped backslash) is not math: there has to be
    // something that is not an escaped punctuation character.
    let tex = &s[from..close];
    let mut bytes = tex.bytes();
    let mut something = false;
    while let Some(c) = bytes.next() {
        if c == b'\\' {
            if bytes.next().is_some_and(|n| !n.is_ascii_punctuation()) {
                something = true;
            }
        } else if !c.is_ascii_whitespace() {
            something = true;
        }
    }
    something.then_some((from..close, display, close + 2))
}

/// `text` with each complete math span's bytes replaced by `m` (so its `*` and backticks are
/// not markdown), and where an unclosed span that is surely math begins (`$$`, `\(`, `\[`,
/// or `$` before a letter or a command): what the streaming view must leave as it is.
pub fn mask(text: &str) -> (String, Option<usize>) {
    let mut out = text.as_bytes().to_vec();
    let b = text.as_bytes();
    let mut i = 0;
    let mut pending = None;
    while i < b.len() {
        match b[i] {
            b'$' | b'\\' => {
                if let Some((_, _, end)) = find(text, i) {
                    out[i..end].fill(b'm');
                    i = end;
                    continue;
                }
                let next = b.get(i + 1).copied().unwrap_or(b' ');
                let surely = match b[i] {
                    b'$' => next == b'$' || next == b'\\' || next.is_ascii_alphabetic(),
                    _ => next == b'(' || next == b'[',
                };
                if surely {
                    pending = Some(i);
                    break;
                }
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            _ => i += 1,
        }
    }
    (
        String::from_utf8(out).unwrap_or_else(|_| text.to_owned()),
        pending,
    )
}

/// The first `needle` in `s` not escaped by a backslash (an escaped backslash does not
/// escape: `\\$` closes).
fn unescaped(s: &str, needle: &str) -> Option<usize> {
    let b = s.as_bytes();
    let n = needle.as_bytes();
    let mut i = 0;
    while i + n.len() <= b.len() {
        if b[i] == b'\\' && !(n[0] == b'\\' && b[i..].starts_with(n)) {
            i += 2;
            continue;
        }
        if b[i..].starts_with(n) {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find;

    fn spans(s: &str) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < s.len() {
            if let Some((tex, display, end)) = find(s, i) {
                out.push((&s[tex], display));
                i = end;
            } else {
                i += s[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        out
    }

    #[test]
    fn the_four_delimiters() {
        assert_eq!(
            spans(r"so $x^2$ and $$\frac12$$"),
            [("x^2", false), (r"\frac12", true)]
        );
        assert_eq!(
            spans(r"so \(a+b\) and \[c\]"),
            [("a+b", false), ("c", true)]
        );
        assert_eq!(spans("$$\na = b\n$$"), [("\na = b\n", true)]);
        assert_eq!(spans(r"$2^n$ and $\$5$"), [("2^n", false), (r"\$5", false)]);
    }

    #[test]
    fn prices_stay_text() {
        for s in [
            "$5 and $10",
            "it costs $5, or $6 with tax",
            "between $5-$10 a month",
            "costs 5$ or 6$",
            "$1,000 and $2,000",
            "$10, or 5$ each",
            "from $3 to 4$",
            "a lone $ sign",
            "$ x$",
            "$x $",
            r"\[\\\]",
            r"\(\)",
            "$$ $$",
        ] {
            assert_eq!(spans(s), [], "{s}");
        }
        assert_eq!(spans("$5 and $x$"), [("x", false)]);
        assert_eq!(
            spans("$3x + 1$ and $2 \\pi r$ and $10$"),
            [("3x + 1", false), ("2 \\pi r", false), ("10", false)]
        );
    }
}
