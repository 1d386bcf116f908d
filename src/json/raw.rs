//! A JSON value read in place: the text is checked once (no allocation), then fields are
//! found by scanning it, and a string is copied only if it has escapes. Stream chunks are
//! read this way — a chat-completions chunk has a dozen members and the decoder wants two.

use super::{parse, Json, JsonError};
use crate::prelude::has_byte;
use alloc::borrow::Cow;

/// A checked JSON value, as its text.
#[derive(Debug, Clone, Copy)]
pub struct Raw<'a> {
    text: &'a str,
}

impl<'a> Raw<'a> {
    pub fn parse(text: &'a str) -> Result<Raw<'a>, JsonError> {
        parse::whole(text, false)?;
        Ok(Raw {
            text: text.trim_ascii(),
        })
    }

    /// The member `key` of an object; `None` for other values or a missing key.
    pub fn get(self, key: &str) -> Option<Raw<'a>> {
        self.members().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// An object's members in order (nothing for other values).
    pub fn members(self) -> impl Iterator<Item = (Cow<'a, str>, Raw<'a>)> {
        let mut at = if self.text.starts_with("{") {
            1
        } else {
            self.text.len()
        };
        let text = self.text;
        core::iter::from_fn(move || {
            let b = text.as_bytes();
            at = skip_ws(b, at);
            if b.get(at) != Some(&b'"') {
                return None;
            }
            let key_end = skip_value(b, at);
            let key = unescape(&text[at..key_end]);
            at = skip_ws(b, key_end) + 1; // the ':'
            at = skip_ws(b, at);
            let end = skip_value(b, at);
            let value = Raw {
                text: &text[at..end],
            };
            at = skip_ws(b, end) + 1; // ',' or '}'
            Some((key, value))
        })
    }

    /// An array's items in order (nothing for other values).
    pub fn items(self) -> impl Iterator<Item = Raw<'a>> {
        let mut at = if self.text.starts_with("[") {
            1
        } else {
            self.text.len()
        };
        let text = self.text;
        core::iter::from_fn(move || {
            let b = text.as_bytes();
            at = skip_ws(b, at);
            if at >= b.len() || b[at] == b']' {
                return None;
            }
            let end = skip_value(b, at);
            let item = Raw {
                text: &text[at..end],
            };
            at = skip_ws(b, end) + 1;
            Some(item)
        })
    }

    pub fn as_str(self) -> Option<Cow<'a, str>> {
        self.text.starts_with("\"").then(|| unescape(self.text))
    }

    pub fn as_f64(self) -> Option<f64> {
        matches!(self.text.as_bytes().first(), Some(b'-' | b'0'..=b'9'))
            .then(|| parse::number_value(self.text))
    }

    /// A non-negative integer (token counts, indexes); also from a string, as some gateways
    /// send counts.
    pub fn as_u64(self) -> Option<u64> {
        match self.as_str() {
            Some(s) => crate::prelude::parse_u64(s.trim_ascii()),
            None => Json::Num(self.as_f64()?).as_u64(),
        }
    }

    pub fn is_array(self) -> bool {
        self.text.starts_with("[")
    }

    /// The value's JSON text as it came (arguments sent as an object rather than a string).
    pub fn text(self) -> &'a str {
        self.text
    }

    pub fn is_object(self) -> bool {
        self.text.starts_with("{")
    }

    pub fn is_null(self) -> bool {
        self.text == "null"
    }

    /// A non-null, non-empty string member.
    pub fn str_field(self, key: &str) -> Option<Cow<'a, str>> {
        self.get(key)
            .and_then(Raw::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The value built in full, for the rare parts read as a whole (usage, errors).
    pub fn to_json(self) -> Json {
        Json::parse(self.text).unwrap_or(Json::Null)
    }
}

fn skip_ws(b: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(at) {
        at += 1;
    }
    at
}

/// The end of the (already checked) value starting at `at`.
fn skip_value(b: &[u8], at: usize) -> usize {
    match b.get(at) {
        Some(b'"') => {
            let mut i = at + 1;
            loop {
                i = crate::swar::string_stop(b, i);
                match b.get(i) {
                    Some(b'\\') => i += 2,
                    Some(b'"') => return i + 1,
                    // A control character (checked input has none): step over it.
                    Some(_) => i += 1,
                    None => return b.len(),
                }
            }
        }
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut i = at;
            while i < b.len() {
                match b[i] {
                    b'"' => {
                        i = skip_value(b, i);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            b.len()
        }
        _ => {
            let mut i = at;
            while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                i += 1;
            }
            i
        }
    }
}

/// A checked string literal (with its quotes) as text: borrowed unless it has escapes.
fn unescape(literal: &str) -> Cow<'_, str> {
    let inner = &literal[1..literal.len().saturating_sub(1).max(1)];
    if !has_byte(inner, b'\\') {
        return Cow::Borrowed(inner);
    }
    match Json::parse(literal) {
        Ok(Json::Str(s)) => Cow::Owned(s),
        _ => Cow::Borrowed(inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_in_place_like_the_full_parser() {
        let text = r#" {"id":"x","choices":[{"index":0,"delta":{"content":"H\u00e9\"\n"},"finish_reason":null},{"index":1}],"n":-1.5e2,"e":{},"a":[],"s":"q\\"} "#;
        let raw = Raw::parse(text).unwrap();
        let full = Json::parse(text).unwrap();
        let choice = raw.get("choices").unwrap().items().next().unwrap();
        assert_eq!(
            choice
                .get("delta")
                .unwrap()
                .get("content")
                .unwrap()
                .as_str()
                .unwrap(),
            "Hé\"\n"
        );
        assert!(matches!(
            raw.get("id").unwrap().as_str(),
            Some(Cow::Borrowed("x"))
        ));
        assert!(choice.get("finish_reason").unwrap().is_null());
        assert_eq!(raw.get("choices").unwrap().items().count(), 2);
        assert_eq!(raw.get("n").unwrap().as_f64(), Some(-150.0));
        assert_eq!(raw.get("e").unwrap().members().count(), 0);
        assert_eq!(raw.get("a").unwrap().items().count(), 0);
        assert_eq!(raw.get("s").unwrap().as_str().unwrap(), "q\\");
        assert_eq!(raw.to_json(), full);
        assert!(raw.get("missing").is_none() && raw.get("id").unwrap().get("x").is_none());
        let keys: Vec<String> = raw.members().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(keys, ["id", "choices", "n", "e", "a", "s"]);
    }

    #[test]
    fn malformed_text_is_refused_up_front() {
        for bad in ["{\"a\" 1}", "[1,]", "{", "\"x"] {
            assert!(Raw::parse(bad).is_err(), "{bad}");
        }
    }
}
