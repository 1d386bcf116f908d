//! The JSON grammar, once: with `build` it builds the value, without it only checks the
//! text (no allocation), which is what `Raw` needs before it reads fields in place. (A
//! runtime flag, not a const generic: one copy of the parser in the wasm, not two.)

use crate::prelude::*;

use super::{Json, JsonError};

/// Nesting deeper than this is refused, so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 128;

/// Parses (or, with `B = false`, validates) a whole text: one value and whitespace.
pub(super) fn whole(text: &str, build: bool) -> Result<Json, JsonError> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        build,
    };
    let value = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("trailing characters"));
    }
    Ok(value)
}

/// The number a valid JSON number text stands for. Integers up to 2^53 and decimals with
/// at most 15 significant digits and a small exponent are exact (both factors are exact
/// doubles, so one rounding); longer ones are within a few units in the last place, which
/// is all a chat client needs (no float parser from `core`: it costs kilobytes of wasm).
pub(super) fn number_value(text: &str) -> f64 {
    let bytes = text.as_bytes();
    let (negative, mut i) = match bytes.first() {
        Some(b'-') => (true, 1),
        _ => (false, 0),
    };
    let mut mantissa: u64 = 0;
    let mut exp10: i32 = 0;
    let mut digits = 0;
    let mut take = |d: u8, after_point: bool| {
        if digits < 19 {
            mantissa = mantissa * 10 + u64::from(d - b'0');
            if mantissa > 0 {
                digits += 1;
            }
            if after_point {
                exp10 -= 1;
            }
        } else if !after_point {
            exp10 += 1;
        }
    };
    while let Some(&d @ b'0'..=b'9') = bytes.get(i) {
        take(d, false);
        i += 1;
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&d @ b'0'..=b'9') = bytes.get(i) {
            take(d, true);
            i += 1;
        }
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        let sign = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let mut e: i32 = 0;
        while let Some(&d @ b'0'..=b'9') = bytes.get(i) {
            e = e.saturating_mul(10).saturating_add(i32::from(d - b'0'));
            i += 1;
        }
        exp10 = exp10.saturating_add(sign * e);
    }
    let value = scale10(mantissa as f64, exp10);
    if negative {
        -value
    } else {
        value
    }
}

/// `x × 10^e` in steps of exact powers of ten (no overflow in between).
pub(super) fn scale10(mut x: f64, mut e: i32) -> f64 {
    // Past ±800 every finite non-zero double over- or underflows (they span 10^-324..10^308);
    // the bound also keeps `1e2147483647` from taking 10^8 steps. (Found by the fuzzer: an
    // infinite `x` left the loop with `e` out of the table's range.)
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    if e > 800 {
        return f64::INFINITY.copysign(x);
    }
    if e < -800 {
        return 0.0_f64.copysign(x);
    }
    while e > 22 {
        x *= 1e22;
        e -= 22;
    }
    while e < -22 {
        x /= 1e22;
        e += 22;
    }
    if e >= 0 {
        x * POW10[e as usize]
    } else {
        x / POW10[(-e) as usize]
    }
}

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    build: bool,
}

impl Parser<'_> {
    fn err(&self, reason: &'static str) -> JsonError {
        JsonError {
            offset: self.i,
            reason,
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.s[self.i..].starts_with(lit) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        self.ws();
        match self.s.get(self.i) {
            None => Err(self.err("unexpected end")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::Str),
            Some(b't') if self.eat(b"true") => Ok(Json::Bool(true)),
            Some(b'f') if self.eat(b"false") => Ok(Json::Bool(false)),
            Some(b'n') if self.eat(b"null") => Ok(Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.eat(b"}") {
            return Ok(Json::Obj(members));
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return Err(self.err("expected a key"));
            }
            let key = self.string()?;
            self.ws();
            if !self.eat(b":") {
                return Err(self.err("expected ':'"));
            }
            let value = self.value(depth + 1)?;
            if self.build {
                members.push((key, value));
            }
            self.ws();
            if self.eat(b",") {
                continue;
            }
            if self.eat(b"}") {
                return Ok(Json::Obj(members));
            }
            return Err(self.err("expected ',' or '}'"));
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.eat(b"]") {
            return Ok(Json::Arr(items));
        }
        loop {
            let item = self.value(depth + 1)?;
            if self.build {
                items.push(item);
            }
            self.ws();
            if self.eat(b",") {
                continue;
            }
            if self.eat(b"]") {
                return Ok(Json::Arr(items));
            }
            return Err(self.err("expected ',' or ']'"));
        }
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.i;
        self.eat(b"-");
        let int_start = self.i;
        self.digits();
        let int_len = self.i - int_start;
        if int_len == 0 || (int_len > 1 && self.s[int_start] == b'0') {
            return Err(self.err("invalid number"));
        }
        if self.eat(b".") && self.digits() == 0 {
            return Err(self.err("invalid number"));
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
        }
        if !self.build {
            return Ok(Json::Null);
        }
        // The grammar above admitted only ASCII.
        let text = core::str::from_utf8(&self.s[start..self.i]).unwrap_or("0");
        Ok(Json::Num(number_value(text)))
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
        self.i - start
    }

    /// A string (the value with `B`, checked only without).
    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let run_start = self.i;
            self.i = crate::swar::string_stop(self.s, self.i);
            if self.build {
                // The input came from a &str and we stopped on ASCII, so this is UTF-8.
                out.push_str(
                    core::str::from_utf8(&self.s[run_start..self.i])
                        .map_err(|_| self.err("invalid UTF-8"))?,
                );
            }
            match self.s.get(self.i) {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let esc = *self
                        .s
                        .get(self.i)
                        .ok_or_else(|| self.err("unterminated string"))?;
                    self.i += 1;
                    let c = match esc {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.err("invalid escape")),
                    };
                    if self.build {
                        out.push(c);
                    }
                }
                Some(_) => return Err(self.err("control character in string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let hex = self
            .s
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.err("short \\u escape"))?;
        let mut v = 0;
        for &h in hex {
            let d = match h {
                b'0'..=b'9' => h - b'0',
                b'a'..=b'f' => h - b'a' + 10,
                b'A'..=b'F' => h - b'A' + 10,
                _ => return Err(self.err("invalid \\u escape")),
            };
            v = v * 16 + u32::from(d);
        }
        self.i += 4;
        Ok(v)
    }

    /// A `\uXXXX` escape; surrogate pairs are joined, a lone surrogate becomes U+FFFD
    /// (as `JSON.parse` + `TextEncoder` would do when the text reaches the page).
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) && self.s[self.i..].starts_with(b"\\u") {
            let save = self.i;
            self.i += 2;
            let lo = self.hex4()?;
            if (0xDC00..0xE000).contains(&lo) {
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.i = save;
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }
}
