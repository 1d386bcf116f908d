//! Strings in code: quotes, triple quotes, raw strings and their prefixes, escapes,
//! interpolation (`${…}`, `$name`, `#{…}`, `\(…)`, f-strings) with the code inside read as
//! code until its closing bracket, and character literals.

use super::langs::*;
use super::{
    is_ident, is_ident_start, Frame, Kind, Lexer, Str, CODE, INTERP, MULTILINE, RAW, STRING, TRIPLE,
};
use crate::prelude::*;

impl Lexer<'_> {
    pub(super) fn in_string(&mut self) {
        let s = self.st.s;
        let n = self.b.len();
        let style = self.lang.interp;
        let mut i = self.i;
        while i < n {
            let c = self.b[i];
            let next = self.peek(i + 1);
            if s.flags & INTERP != 0 {
                let opens = match style {
                    I_DOLLAR | I_DOLLAR_BRACE => c == b'$' && next == b'{',
                    I_HASH => c == b'#' && next == b'{',
                    I_PAREN => c == b'\\' && next == b'(',
                    I_BRACE => c == b'{' && next != b'{',
                    _ => false,
                };
                if opens && self.push_interp(i) {
                    return;
                }
                if style == I_BRACE && (c == b'{' || c == b'}') && next == c {
                    self.emit(Kind::String, i);
                    self.emit(Kind::Escape, i + 2);
                    i += 2;
                    continue;
                }
                if style == I_DOLLAR && c == b'$' && is_ident_start(next) {
                    self.emit(Kind::String, i);
                    let mut j = i + 1;
                    while j < n && is_ident(self.b[j]) {
                        j += 1;
                    }
                    self.emit(Kind::Var, j);
                    i = j;
                    continue;
                }
            }
            if c == b'\\' && s.flags & RAW == 0 {
                self.emit(Kind::String, i);
                let mut j = (i + 2).min(n);
                while j < n && self.b[j] & 0xC0 == 0x80 {
                    j += 1;
                }
                self.emit(Kind::Escape, j);
                if j == n {
                    // A backslash at the end continues the string on the next line.
                    self.st.s.flags |= MULTILINE;
                }
                i = j;
                continue;
            }
            if c == s.quote && self.closes(i) {
                let end = i + if s.flags & TRIPLE != 0 { 3 } else { 1 } + s.hashes as usize;
                self.emit(Kind::String, end);
                self.st.mode = CODE;
                return;
            }
            i += 1;
        }
        self.emit(Kind::String, n);
    }

    pub(super) fn closes(&self, i: usize) -> bool {
        let s = self.st.s;
        let q = s.quote;
        if s.flags & TRIPLE != 0 && !(self.peek(i + 1) == q && self.peek(i + 2) == q) {
            return false;
        }
        let after = i + if s.flags & TRIPLE != 0 { 3 } else { 1 };
        (0..s.hashes as usize).all(|k| self.peek(after + k) == b'#')
    }

    /// `${` and its kin: the string is put aside and code is read until the matching close.
    pub(super) fn push_interp(&mut self, i: usize) -> bool {
        let sp = self.st.sp as usize;
        if sp == self.st.stack.len() {
            return false;
        }
        self.emit(Kind::String, i);
        let len = if self.lang.interp == I_BRACE { 1 } else { 2 };
        self.emit(Kind::Interp, i + len);
        self.st.stack[sp] = Frame {
            s: self.st.s,
            open: 0,
        };
        self.st.sp += 1;
        self.st.mode = CODE;
        true
    }

    /// A bracket in code: counts toward the end of an interpolation; `true` when it ended one.
    pub(super) fn bracket(&mut self, c: u8) -> bool {
        let Some(sp) = (self.st.sp as usize).checked_sub(1) else {
            return false;
        };
        let (open, close) = if self.lang.interp == I_PAREN {
            (b'(', b')')
        } else {
            (b'{', b'}')
        };
        let f = &mut self.st.stack[sp];
        if c == open {
            f.open = f.open.saturating_add(1);
        } else if c == close {
            if f.open == 0 {
                self.st.s = f.s;
                self.st.sp -= 1;
                self.st.mode = STRING;
                let end = self.i + 1;
                self.emit(Kind::Interp, end);
                return true;
            }
            f.open -= 1;
        }
        false
    }

    /// Starts a string whose opening quote is at `q` (the token began at `self.from`).
    pub(super) fn string(&mut self, q: usize, prefix: u8, hashes: u8) {
        let quote = self.b[q];
        let lang = self.lang;
        let mut flags = prefix;
        let triple = self.has(TRIPLES) && self.peek(q + 1) == quote && self.peek(q + 2) == quote;
        if triple {
            flags |= TRIPLE;
        }
        let which = match quote {
            b'"' => Q_DQ,
            b'\'' => Q_SQ,
            _ => Q_BT,
        };
        if which == Q_SQ && self.has(SQ_RAW) || which == Q_BT && self.has(BT_RAW) {
            flags |= RAW;
        }
        if lang.interp_on & which != 0 && prefix & RAW == 0 {
            flags |= INTERP;
        }
        if self.has(ML_STRINGS) || which == Q_BT {
            flags |= MULTILINE;
        }
        self.st.s = Str {
            quote,
            flags,
            hashes,
        };
        self.st.mode = STRING;
        self.i = q + if triple { 3 } else { 1 };
    }

    pub(super) fn quote_starts(&self, c: u8) -> bool {
        match c {
            b'"' => self.has(DQ),
            b'\'' => self.has(SQ),
            b'`' => self.has(BT),
            _ => false,
        }
    }

    /// `r"…"`, `f'…'`, `$"…"`, `r#"…"#`: prefix letters the language gives a meaning to.
    pub(super) fn prefixed_string(&mut self) -> bool {
        let i = self.i;
        if i > 0 && is_ident(self.b[i - 1]) {
            return false;
        }
        let mut j = i;
        let mut flags = 0;
        while j < i + 3 && has_byte(self.w.prefixes, self.peek(j).to_ascii_lowercase()) {
            match self.b[j].to_ascii_lowercase() {
                b'r' | b'@' => flags |= RAW,
                b'f' | b's' | b'$' => flags |= INTERP,
                _ => {}
            }
            j += 1;
        }
        if j == i {
            return false;
        }
        let mut hashes = 0;
        while self.has(RAW_HASHES) && flags & RAW != 0 && self.peek(j) == b'#' && hashes < 8 {
            hashes += 1;
            j += 1;
        }
        if !self.quote_starts(self.peek(j)) || self.peek(j) == b'\'' && hashes > 0 {
            return false;
        }
        if flags & INTERP != 0 && self.lang.interp_on & Q_PREFIX == 0 {
            flags &= !INTERP;
        }
        if flags & RAW != 0 && self.has(RAW_HASHES) {
            // Rust's raw strings span lines like its others; C#'s verbatim ones too.
            flags |= MULTILINE;
        }
        self.string(j, flags, hashes);
        true
    }

    /// A character literal (`'a'`, `'\n'`) or, in Rust, a lifetime.
    pub(super) fn char_literal(&mut self) {
        let i = self.i;
        let n = self.b.len();
        let mut j = i + 1;
        if self.peek(j) == b'\\' {
            j += 2;
            while j < n && j < i + 12 && self.b[j] != b'\'' {
                j += 1;
            }
        } else if j < n {
            j += 1;
            while j < n && self.b[j] & 0xC0 == 0x80 {
                j += 1;
            }
        }
        if self.peek(j) == b'\'' {
            self.emit(Kind::String, j + 1);
        } else if self.has(LIFETIMES) && is_ident_start(self.peek(i + 1)) {
            let mut j = i + 1;
            while j < n && is_ident(self.b[j]) {
                j += 1;
            }
            self.emit(Kind::Meta, j);
        } else {
            self.emit(Kind::Punct, i + 1);
        }
    }
}
