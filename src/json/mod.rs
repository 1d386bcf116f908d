//! A small JSON value, parser and writer, so the pure modules can read stream chunks and
//! build request bodies without serde: serde_json costs about 14 KB gzip in the wasm
//! (research/wasm-toolchain.md), several times this module, and chat payloads need no
//! typed deserialisation beyond a handful of fields.

use crate::prelude::*;

use core::fmt;

/// A parsed JSON value. Objects keep their keys in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
    /// A JSON text carried whole and written as it is, never built by parsing: a value the
    /// crate passes on without reading (a tool's schema), so it is neither cloned as a tree
    /// nor walked again for each request.
    Raw(String),
}

/// Where and why a JSON text was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub offset: usize,
    pub reason: &'static str,
}

impl JsonError {
    pub fn message(&self) -> String {
        cat(&[
            "invalid JSON at byte ",
            &decimal(self.offset as u64),
            ": ",
            self.reason,
        ])
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for JsonError {}

pub(crate) mod float;
mod parse;
mod raw;

pub use raw::Raw;

impl Json {
    pub fn parse(text: &str) -> Result<Json, JsonError> {
        parse::whole(text, true)
    }

    /// The member `key` of an object; `None` for other values or a missing key.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// A non-negative integer that fits in u64 (token counts, indexes).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Num(n) if *n >= 0.0 && float::fract(*n) == 0.0 && *n < 1.8e19 => Some(*n as u64),
            // Some gateways send counts as strings ("statusCode": "429").
            Json::Str(s) => parse_u64(s.trim_ascii()),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// A non-null, non-empty string member (the common "is this field really here" test).
    pub fn str_field(&self, key: &str) -> Option<&str> {
        self.get(key)
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
    }

    /// Appends `key: value` to an object; does nothing on other values.
    pub fn push(&mut self, key: &str, value: Json) {
        if let Json::Obj(members) = self {
            members.push((key.to_owned(), value));
        }
    }

    pub fn obj() -> Json {
        Json::Obj(Vec::new())
    }

    /// An object from `(key, value)` pairs, in order.
    pub fn object(pairs: Vec<(&str, Json)>) -> Json {
        let mut members = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            members.push((k.to_owned(), v));
        }
        Json::Obj(members)
    }

    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }
}

impl Json {
    /// Compact JSON text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Appends the compact JSON text (no `core::fmt`: it costs kilobytes of wasm).
    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => write_number(*n, out),
            Json::Str(s) => write_string(s, out),
            Json::Raw(text) => out.push_str(text),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// Appends the decimal digits of `n`.
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(d as char);
    }
}

/// `n` in decimal.
pub fn decimal(n: u64) -> String {
    let mut out = String::new();
    push_u64(&mut out, n);
    out
}

fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

fn write_number(n: f64, out: &mut String) {
    if !n.is_finite() {
        out.push_str("null");
    } else if float::fract(n) == 0.0 && n.abs() < 1e15 {
        push_i64(out, n as i64);
    } else {
        out.push_str(&shortest(n));
    }
}

/// The shortest decimal text (up to 17 significant digits) that reads back as `n`, found
/// with integer digits — `core`'s float formatting costs kilobytes of wasm.
fn shortest(n: f64) -> String {
    let x = n.abs();
    let mut exp = 0i32; // x = d.ddd × 10^exp
    let mut scaled = x;
    while scaled >= 10.0 {
        scaled /= 10.0;
        exp += 1;
    }
    while scaled < 1.0 {
        scaled *= 10.0;
        exp -= 1;
    }
    let mut best = String::new();
    for precision in 1..=17 {
        let shift = precision - 1 - exp;
        let digits = float::round(parse::scale10(x, shift)) as u64;
        let text = place_point(digits, shift, n < 0.0);
        let back = parse::number_value(&text);
        best = text;
        if back == n {
            break;
        }
    }
    best
}

/// `x` with exactly `decimals` digits after the point ("0.6", "12", "3.50"), for what the
/// element shows (footer figures, file sizes) without `core`'s float formatting.
pub fn fixed(x: f64, decimals: u32) -> String {
    if !x.is_finite() {
        return "–".to_owned();
    }
    let scaled = float::round(x.abs() * float::pow10(decimals)) as u64;
    let mut out = String::new();
    if x < 0.0 && scaled > 0 {
        out.push('-');
    }
    let d = decimal(scaled);
    let places = decimals as usize;
    if places > 0 && d.len() <= places {
        out.push('0');
        out.push('.');
        push_n(&mut out, '0', places - d.len());
        out.push_str(&d);
    } else {
        out.push_str(&d[..d.len() - places]);
        if places > 0 {
            out.push('.');
            out.push_str(&d[d.len() - places..]);
        }
    }
    out
}

/// Dollars with at least two decimals and three significant digits, so a reply that cost a
/// fraction of a cent reads "0.00124", not "0.00".
pub fn dollars(usd: f64) -> String {
    if !usd.is_finite() || usd <= 0.0 {
        return "0.00".to_owned();
    }
    let (mut decimals, mut scaled) = (2u32, usd * 100.0);
    while scaled < 100.0 && decimals < 8 {
        scaled *= 10.0;
        decimals += 1;
    }
    let text = fixed(usd, decimals);
    let trimmed = trim_end_set(&text, b"0");
    let keep = find_byte(trimmed, b'.')
        .map_or(text.len(), |p| p + 3)
        .max(trimmed.len());
    text[..keep.min(text.len())].to_owned()
}

/// `digits × 10^-shift` as decimal text (exponent form when it would be long).
fn place_point(digits: u64, shift: i32, negative: bool) -> String {
    let d = decimal(digits);
    let mut out = String::from(if negative { "-" } else { "" });
    let exp = d.len() as i32 - 1 - shift;
    if !(-7..=20).contains(&exp) {
        let mantissa = trim_end_set(&d, b"0");
        let (first, rest) = mantissa.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        push_i64(&mut out, exp as i64);
        return out;
    }
    if shift <= 0 {
        out.push_str(&d);
        push_n(&mut out, '0', (-shift) as usize);
        return out;
    }
    let shift = shift as usize;
    let mut body = String::new();
    if d.len() <= shift {
        body.push_str("0.");
        push_n(&mut body, '0', shift - d.len());
        body.push_str(&d);
    } else {
        body.push_str(&d[..d.len() - shift]);
        body.push('.');
        body.push_str(&d[d.len() - shift..]);
    }
    out.push_str(trim_end_set(trim_end_set(&body, b"0"), b"."));
    out
}

fn write_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let esc = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            out.push_str("\\u00");
            out.push(HEX[(c as usize) >> 4] as char);
            out.push(HEX[(c as usize) & 15] as char);
        } else {
            out.push_str(esc);
        }
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_chat_chunk_shapes() {
        let v = Json::parse(r#" {"id":"x","choices":[{"index":0,"delta":{"content":"H\u00e9\ud83d\ude00\n"},"finish_reason":null}],"n":-1.5e2} "#).unwrap();
        let delta = &v.get("choices").unwrap().as_array().unwrap()[0];
        assert_eq!(
            delta.get("delta").unwrap().get("content").unwrap().as_str(),
            Some("Hé😀\n")
        );
        assert!(delta.get("finish_reason").unwrap().is_null());
        assert_eq!(v.get("n").unwrap().as_f64(), Some(-150.0));
        assert_eq!(Json::parse("\"429\"").unwrap().as_u64(), Some(429));
    }

    #[test]
    fn huge_and_tiny_exponents_saturate() {
        // The fuzzer's crash: an exponent past the table once the value was infinite.
        for (text, want) in [
            ("1e400", f64::INFINITY),
            ("-1e400", f64::NEG_INFINITY),
            ("5555555555555555555555e99999", f64::INFINITY),
            ("1e-400", 0.0),
            ("0e2147483647", 0.0),
            ("1e99999999999999", f64::INFINITY),
            ("1e-99999999999999", 0.0),
            ("4.9e-324", 4.9e-324),
        ] {
            assert_eq!(Json::parse(text).unwrap().as_f64(), Some(want), "{text}");
        }
        assert_eq!(Json::Num(5e-324).to_string(), "5e-324");
    }

    #[test]
    fn rejects_malformed_input() {
        for bad in [
            "",
            "{",
            "{\"a\" 1}",
            "[1,]",
            "01",
            "1.",
            "\"\\x\"",
            "\"a\nb\"",
            "tru",
            "{} x",
            "-",
            "1e",
        ] {
            assert!(Json::parse(bad).is_err(), "{bad:?} should fail");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(Json::parse(&deep).unwrap_err().reason, "nested too deeply");
    }

    #[test]
    fn lone_surrogates_become_replacement() {
        assert_eq!(
            Json::parse(r#""\ud800x\udc00""#).unwrap().as_str(),
            Some("\u{FFFD}x\u{FFFD}")
        );
    }

    #[test]
    fn writes_round_trip() {
        let text = r#"{"a":[1,2.5,-3,true,false,null],"s":"q\"\\\n\t\u0001é","o":{}}"#;
        let v = Json::parse(text).unwrap();
        assert_eq!(v.to_string(), text);
        assert_eq!(Json::parse(&v.to_string()).unwrap(), v);
        assert_eq!(Json::Num(f64::NAN).to_string(), "null");
        assert_eq!(Json::Num(0.7).to_string(), "0.7");
        assert_eq!(
            [
                fixed(0.6, 1),
                fixed(12.0, 0),
                fixed(3.5, 2),
                fixed(0.04, 1),
                fixed(-1.25, 1)
            ],
            ["0.6", "12", "3.50", "0.0", "-1.3"]
        );
        assert_eq!(
            [
                fixed(0.004, 2),
                fixed(5.0, 2),
                fixed(0.05, 3),
                fixed(-0.001, 1)
            ],
            ["0.00", "5.00", "0.050", "0.0"]
        );
        assert_eq!(
            [decimal(0), decimal(7), decimal(u64::MAX)],
            ["0", "7", "18446744073709551615"]
        );
        assert_eq!(Json::str("\u{1f}\u{0}").text(), r#""\u001f\u0000""#);
        assert_eq!(
            [0.00124, 0.000788, 1.5, 0.5, 12.0, 0.1234567, 3e-9].map(dollars),
            ["0.00124", "0.000788", "1.50", "0.50", "12.00", "0.123", "0.00"]
        );
        for (n, text) in [
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e-7, "0.0000001"),
            (-1.25e21, "-1.25e21"),
            (123.456, "123.456"),
            (1e20, "100000000000000000000"),
            (0.95, "0.95"),
        ] {
            assert_eq!(Json::Num(n).to_string(), text);
        }
        // Any double survives a round trip through our text, or lands next to itself.
        let mut seed = 7u64;
        for _ in 0..10_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = f64::from_bits(seed >> 2) % 1e12;
            if !n.is_finite() || n == 0.0 {
                continue;
            }
            let back = Json::parse(&Json::Num(n).to_string())
                .unwrap()
                .as_f64()
                .unwrap();
            assert!(((back - n) / n).abs() < 1e-15, "{n} came back as {back}");
        }
    }
}
