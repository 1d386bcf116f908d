//! The languages that are not read as code: HTML/XML tags and attributes, CSS selectors and
//! declarations, diffs (a line at a time) and markdown. They share the lexer's emitter,
//! strings and block comments; what they carry between lines is in the same `State`.

use super::langs::Mode;
use super::{is_ident, is_ident_start, Kind, Lexer, BLOCK, EMBED, MULTILINE, RAW};
use crate::prelude::in_bytes;

// Every language read this way is a `table::MORE` one: read in their split module.
crate::lazy!(langs "aa000000000000000000000000000004" pub(super) fn step(lx: &mut Lexer) -> () {
    match lx.lang.mode {
        Mode::Markup => tag(lx),
        Mode::Css => css(lx),
        Mode::Diff => diff(lx),
        _ => markdown(lx),
    }
});

/// Nothing spans lines in these modes except what `State` already holds.
pub(super) fn end_of_line(_lx: &mut Lexer) {}

fn blanks(lx: &mut Lexer) -> bool {
    let b = lx.b;
    let mut j = lx.i;
    while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
        j += 1;
    }
    if j == lx.i {
        return false;
    }
    lx.emit(Kind::Plain, j);
    true
}

fn block(lx: &mut Lexer) -> bool {
    let Some(k) = lx.block_at(lx.i) else {
        return false;
    };
    lx.st.mode = BLOCK;
    lx.st.block = k as u8;
    lx.st.depth = 0;
    lx.i += lx.w.block(k).map_or(1, |b| b.0.len());
    true
}

fn until(lx: &Lexer, from: usize, set: &[u8]) -> usize {
    let b = lx.b;
    let mut j = from;
    while j < b.len() && !in_bytes(set, b[j]) {
        j += 1;
    }
    j
}

/// HTML and XML. `st.braces` is 1 inside a tag (between its name and `>`), which may span
/// lines, as may a quoted attribute value.
fn tag(lx: &mut Lexer) {
    let b = lx.b;
    let n = b.len();
    let i = lx.i;
    let c = b[i];
    let next = lx.peek(i + 1);
    if lx.st.braces == 1 {
        if blanks(lx) {
            return;
        }
        match c {
            b'>' => {
                lx.st.braces = 0;
                lx.emit(Kind::Punct, i + 1);
                if lx.st.depth != 0 {
                    // `<script …>` or `<style …>`: what follows is JavaScript or CSS.
                    lx.st.block = lx.st.depth;
                    lx.st.depth = 0;
                    lx.st.mode = EMBED;
                }
            }
            b'/' | b'?' if next == b'>' => {
                lx.st.braces = 0;
                lx.st.depth = 0;
                lx.emit(Kind::Punct, i + 2);
            }
            b'"' | b'\'' => {
                lx.string(i, RAW | MULTILINE, 0);
            }
            b'=' => lx.emit(Kind::Operator, i + 1),
            _ => {
                let j = until(lx, i + 1, b" \t=>/\"'");
                lx.emit(Kind::Attr, j);
            }
        }
        return;
    }
    if block(lx) {
        return;
    }
    if c == b'<' && (next == b'!' || next == b'?') {
        let j = until(lx, i, b">");
        lx.emit(Kind::Meta, (j + 1).min(n));
        return;
    }
    if c == b'<' && (is_ident_start(next) || next == b'/' && is_ident_start(lx.peek(i + 2))) {
        let start = if next == b'/' { i + 2 } else { i + 1 };
        lx.emit(Kind::Punct, start);
        let mut j = start;
        while j < n && (is_ident(b[j]) || in_bytes(b"-:.", b[j])) {
            j += 1;
        }
        let name = &b[start..j];
        lx.st.depth = match next {
            b'/' => 0,
            _ if name.eq_ignore_ascii_case(b"script") => 1,
            _ if name.eq_ignore_ascii_case(b"style") => 2,
            _ => 0,
        };
        lx.emit(Kind::Tag, j);
        lx.st.braces = 1;
        return;
    }
    if c == b'&' {
        let j = until(lx, i + 1, b"; \t<&");
        if lx.peek(j) == b';' && j - i <= 32 && j > i + 1 {
            lx.emit(Kind::Escape, j + 1);
            return;
        }
    }
    let j = until(lx, i + 1, b"<&");
    lx.emit(Kind::Plain, j);
}

/// CSS, SCSS, Less. `st.braces` is the brace depth: outside braces words are selectors,
/// inside them `name:` is a property unless the line opens a nested rule.
fn css(lx: &mut Lexer) {
    let b = lx.b;
    let n = b.len();
    let i = lx.i;
    let c = b[i];
    let next = lx.peek(i + 1);
    if blanks(lx) || block(lx) {
        return;
    }
    let after_blank = i == 0 || in_bytes(b" \t;{}", b[i - 1]);
    if after_blank && lx.comment_at(i) {
        lx.emit(Kind::Comment, n);
        return;
    }
    if lx.quote_starts(c) {
        lx.string(i, 0, 0);
        return;
    }
    let depth = lx.st.braces;
    let opens_rule = in_bytes(&b[i..], b'{');
    let selector = depth == 0 || opens_rule;
    if c.is_ascii_digit() || c == b'.' && next.is_ascii_digit() {
        lx.number();
        return;
    }
    let word = |lx: &Lexer, from: usize| lx.word_end(from);
    match c {
        b'#' if !selector => {
            let mut j = i + 1;
            while j < n && b[j].is_ascii_alphanumeric() {
                j += 1;
            }
            lx.emit(Kind::Number, j);
        }
        b'#' | b'.' | b'&' if selector && (is_ident_start(next) || c == b'&') => {
            let j = word(lx, i + 1);
            lx.emit(Kind::Tag, j);
        }
        b'@' if is_ident_start(next) => {
            let j = word(lx, i + 1);
            lx.emit(Kind::Keyword, j);
        }
        b'$' if lx.has(super::langs::DOLLAR_VARS) && is_ident_start(next) => {
            let j = word(lx, i + 1);
            lx.emit(Kind::Var, j);
        }
        b'-' if next == b'-' => {
            let j = word(lx, i + 2);
            lx.emit(Kind::Var, j);
        }
        b'!' if is_ident_start(next) => {
            let j = word(lx, i + 1);
            lx.emit(Kind::Keyword, j);
        }
        b':' if selector && (is_ident_start(next) || next == b':') => {
            let from = if next == b':' { i + 2 } else { i + 1 };
            let j = word(lx, from);
            lx.emit(Kind::Meta, j);
        }
        b'{' => {
            lx.st.braces = depth.saturating_add(1);
            lx.emit(Kind::Punct, i + 1);
        }
        b'}' => {
            lx.st.braces = depth.saturating_sub(1);
            lx.emit(Kind::Punct, i + 1);
        }
        _ if is_ident_start(c) || c == b'-' && is_ident_start(next) => {
            let j = word(lx, i + 1);
            let mut k = j;
            while k < n && b[k] == b' ' {
                k += 1;
            }
            let kind = if lx.peek(j) == b'(' {
                Kind::Func
            } else if selector {
                Kind::Tag
            } else if lx.peek(k) == b':' {
                Kind::Attr
            } else {
                Kind::Plain
            };
            lx.emit(kind, j);
        }
        b'(' | b')' | b',' | b';' | b'[' | b']' => lx.emit(Kind::Punct, i + 1),
        _ if c < 0x80 && !c.is_ascii_alphanumeric() => lx.emit(Kind::Operator, i + 1),
        _ => {
            let j = word(lx, i + 1);
            lx.emit(Kind::Plain, j);
        }
    }
}

/// A diff line is one token, by its first character.
fn diff(lx: &mut Lexer) {
    let b = lx.b;
    let starts = |s: &[u8]| b.starts_with(s);
    let header = [&b"+++ "[..], b"--- ", b"@@", b"diff ", b"index "];
    let kind = if header.iter().any(|h| starts(h)) {
        Kind::Meta
    } else if starts(b"+") || starts(b">") {
        Kind::Inserted
    } else if starts(b"-") || starts(b"<") {
        Kind::Deleted
    } else if starts(b"\\") {
        Kind::Comment
    } else {
        Kind::Plain
    };
    lx.emit(kind, b.len());
}

/// Markdown: headings, quotes, list markers, fences (their content as code), code spans,
/// emphasis markers and link destinations. `st.braces` is the open fence's length and
/// `st.s.quote` its character.
fn markdown(lx: &mut Lexer) {
    let b = lx.b;
    let n = b.len();
    let i = lx.i;
    if lx.line_start(i) {
        if blanks(lx) {
            return;
        }
        let c = b[i];
        let mut run = i;
        while run < n && b[run] == c {
            run += 1;
        }
        let len = run - i;
        let rest_blank = b[run..].iter().all(|&x| x == b' ' || x == b'\t');
        if lx.st.braces > 0 {
            let closes = c == lx.st.s.quote && len >= lx.st.braces as usize && rest_blank;
            if closes {
                lx.st.braces = 0;
            }
            lx.emit(if closes { Kind::Meta } else { Kind::String }, n);
            return;
        }
        if (c == b'`' || c == b'~') && len >= 3 {
            lx.st.braces = len.min(255) as u8;
            lx.st.s.quote = c;
            lx.emit(Kind::Meta, n);
            return;
        }
        if c == b'#' && len <= 6 && (run == n || b[run] == b' ') {
            lx.emit(Kind::Keyword, n);
            return;
        }
        if c == b'>' {
            lx.emit(Kind::Comment, n);
            return;
        }
        if in_bytes(b"-*_", c) && len >= 3 && rest_blank {
            lx.emit(Kind::Punct, n);
            return;
        }
        if in_bytes(b"-*+", c) && len == 1 && (run == n || b[run] == b' ') {
            lx.emit(Kind::Operator, run);
            return;
        }
        let mut d = i;
        while d < n && b[d].is_ascii_digit() {
            d += 1;
        }
        if d > i && d < n && (b[d] == b'.' || b[d] == b')') && lx.peek(d + 1) == b' ' {
            lx.emit(Kind::Operator, d + 1);
            return;
        }
    } else if lx.st.braces > 0 {
        lx.emit(Kind::String, n);
        return;
    }
    let c = b[i];
    match c {
        b'`' => {
            let mut run = i;
            while run < n && b[run] == b'`' {
                run += 1;
            }
            let ticks = &b[i..run];
            let close =
                (run..n).find(|&k| b[k..].starts_with(ticks) && lx.peek(k + ticks.len()) != b'`');
            match close {
                Some(k) => lx.emit(Kind::String, k + ticks.len()),
                None => lx.emit(Kind::Plain, run),
            }
        }
        b'*' | b'~' => {
            let mut j = i;
            while j < n && b[j] == c {
                j += 1;
            }
            lx.emit(Kind::Operator, j);
        }
        b'_' if i == 0 || !is_ident(b[i - 1]) => lx.emit(Kind::Operator, i + 1),
        b'\\' if lx.peek(i + 1).is_ascii_punctuation() => lx.emit(Kind::Escape, i + 2),
        b']' if lx.peek(i + 1) == b'(' => {
            lx.emit(Kind::Punct, i + 2);
            let j = until(lx, i + 2, b") ");
            lx.emit(Kind::Attr, j);
        }
        b'[' | b']' | b'(' | b')' | b'!' => lx.emit(Kind::Punct, i + 1),
        _ => {
            let j = until(lx, i + 1, b"`*~_\\[]()!");
            lx.emit(Kind::Plain, j);
        }
    }
}
