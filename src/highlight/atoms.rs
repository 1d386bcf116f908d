//! The lexer's atoms: numbers, words (keywords, literals, types, calls), keys at the start
//! of a line, shell and PHP variables, JSON keys and JavaScript regular expressions.

use super::langs::*;
use super::{find_byte_in, is_ident, is_ident_start, listed, Kind, Lexer};
use crate::prelude::in_bytes;

impl Lexer<'_> {
    pub(super) fn number(&mut self) {
        let b = self.b;
        let n = b.len();
        let mut j = self.i;
        let hex = self.peek(j) == b'0' && matches!(self.peek(j + 1) | 0x20, b'x' | b'b' | b'o');
        while j < n {
            let c = b[j];
            if c.is_ascii_alphanumeric() || c == b'_' {
                let exp = !hex && c | 0x20 == b'e' && matches!(self.peek(j + 1), b'+' | b'-');
                j += if exp { 2 } else { 1 };
            } else if c == b'.' && self.peek(j + 1).is_ascii_digit() {
                j += 1;
            } else {
                break;
            }
        }
        if self.lang.mode == Mode::Css && self.peek(j) == b'%' {
            j += 1;
        }
        self.emit(Kind::Number, j);
    }

    pub(super) fn word_end(&self, from: usize) -> usize {
        let b = self.b;
        let mut j = from;
        while j < b.len() {
            let c = b[j];
            let dash = c == b'-' && self.has(DASHES) && is_ident(self.peek(j + 1));
            if is_ident(c) || dash || c == b'\'' && self.has(PRIMES) {
                j += 1;
            } else {
                break;
            }
        }
        j
    }

    /// Whether only blanks come before `i` on this line.
    pub(crate) fn line_start(&self, i: usize) -> bool {
        self.b[..i].iter().all(|&c| c == b' ' || c == b'\t')
    }

    pub(super) fn word(&mut self, line_start: bool) {
        let i = self.i;
        let j = self.word_end(i);
        let w = &self.b[i..j];
        let nocase = self.has(NOCASE);
        let words = self.w;
        let kind = if listed(words.keywords, w, nocase) && (!self.has(LINE_KW) || line_start) {
            Kind::Keyword
        } else if listed(words.literals, w, nocase) {
            Kind::Literal
        } else if listed(words.types, w, nocase) {
            Kind::Type
        } else if self.peek(j) == b'('
            || self.has(DASHES) && w[0].is_ascii_uppercase() && in_bytes(w, b'-')
        {
            // A call, or a PowerShell cmdlet (`Get-ChildItem`).
            Kind::Func
        } else if self.has(CAPS) && w[0].is_ascii_uppercase() && w.len() > 1 {
            Kind::Type
        } else if self.peek(j) == b'!' && self.has(LIFETIMES) && self.peek(j + 1) != b'=' {
            // A Rust macro call, `println!`.
            self.emit(Kind::Func, j + 1);
            return;
        } else {
            Kind::Plain
        };
        self.emit(kind, j);
    }

    /// `key:` (YAML), `key =` (TOML, INI, make), `target:` (make), `[section]`: at the start
    /// of a line only.
    pub(super) fn key(&mut self) -> bool {
        let b = self.b;
        let n = b.len();
        let mut i = self.i;
        if b[i] == b'-' && self.peek(i + 1) == b' ' {
            // A YAML list item's key.
            self.emit(Kind::Punct, i + 1);
            i += 2;
            while i < n && b[i] == b' ' {
                i += 1;
            }
            self.emit(Kind::Plain, i);
        }
        if i < n && b[i] == b'[' && self.lang.mode != Mode::Yaml {
            let mut end = n;
            while end > i && (b[end - 1] == b' ' || b[end - 1] == b'\t') {
                end -= 1;
            }
            if end > i && b[end - 1] == b']' {
                self.emit(Kind::Tag, end);
                return true;
            }
            return false;
        }
        let mut j = i;
        while j < n && !in_bytes(b" \t:=#\"'", b[j]) {
            j += 1;
        }
        if j == i {
            return false;
        }
        let mut k = j;
        while k < n && (b[k] == b' ' || b[k] == b'\t') {
            k += 1;
        }
        let c = self.peek(k);
        let kind = match (c, self.peek(k + 1)) {
            (b'=', _) | (b':' | b'?' | b'+', b'=') if self.lang.mode != Mode::Yaml => Kind::Attr,
            (b':', b' ' | b'\t' | 0) if self.lang.mode == Mode::Yaml => Kind::Attr,
            (b':', _) if self.lang.mode == Mode::Make && k == j => Kind::Func,
            _ => return false,
        };
        self.emit(kind, j);
        true
    }

    /// A JavaScript regular expression, where an operand may start (after an operator, an
    /// opening bracket, a comma, a keyword, or at the start of the line): to its closing `/`
    /// outside a character class, then its flags. Its quotes and `//` are not strings or
    /// comments. `false` when the `/` is a division.
    pub(super) fn regex(&mut self) -> bool {
        // What ends before it, blanks aside: the token covering the last other byte.
        let Some(p) = self.b[..self.i]
            .iter()
            .rposition(|c| !c.is_ascii_whitespace())
        else {
            return self.from == self.i && self.regex_body();
        };
        let kind = self.out[self.base..]
            .iter()
            .find(|t| t.end > p)
            .map_or(Kind::Plain, |t| t.kind);
        let operand = match kind {
            Kind::Operator | Kind::Keyword => true,
            Kind::Punct | Kind::Plain => !is_ident(self.b[p]) && !matches!(self.b[p], b')' | b']'),
            _ => false,
        };
        operand && self.from == self.i && self.regex_body()
    }

    pub(super) fn regex_body(&mut self) -> bool {
        let b = self.b;
        let mut j = self.i + 1;
        let mut class = false;
        while j < b.len() {
            match b[j] {
                b'\\' => j += 1,
                b'[' => class = true,
                b']' => class = false,
                b'/' if !class => break,
                _ => {}
            }
            j += 1;
        }
        if j >= b.len() {
            return false;
        }
        j += 1;
        while j < b.len() && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        self.emit(Kind::String, j);
        true
    }

    /// `$name`, `${name}`, `$(…`, `$1`, `$@` (shell, PHP, PowerShell, make).
    pub(super) fn dollar_var(&mut self) {
        let b = self.b;
        let n = b.len();
        let i = self.i;
        let next = self.peek(i + 1);
        let end = if next == b'{' || next == b'(' && self.lang.mode == Mode::Make {
            let close = if next == b'{' { b'}' } else { b')' };
            find_byte_in(&b[i..], close).map_or(n, |k| i + k + 1)
        } else if is_ident_start(next) {
            let mut j = i + 1;
            while j < n && is_ident(b[j]) {
                j += 1;
            }
            j
        } else if next.is_ascii_digit() || in_bytes(b"@#?*!$-<^", next) && next != 0 {
            i + 2
        } else {
            i + 1
        };
        self.emit(
            if end > i + 1 {
                Kind::Var
            } else {
                Kind::Operator
            },
            end,
        );
    }

    /// A JSON string: a key when a `:` follows it.
    pub(super) fn json_string(&mut self) {
        let b = self.b;
        let n = b.len();
        let i = self.i;
        let mut j = i + 1;
        while j < n && b[j] != b'"' {
            j += if b[j] == b'\\' { 2 } else { 1 };
        }
        let end = (j + 1).min(n);
        let mut k = end;
        while k < n && b[k] == b' ' {
            k += 1;
        }
        if self.peek(k) == b':' {
            self.emit(Kind::Attr, end);
        } else {
            self.string(i, 0, 0);
        }
    }
}
