//! What the decoders' shortcuts share: a cursor that checks the JSON it steps over (so a
//! shortcut only ever accepts valid JSON), and the template of a stream's chunks — the bytes
//! around the text of the last chunk read in full, which most of the next ones repeat.

use crate::prelude::*;

use crate::json::Json;
use alloc::borrow::Cow;

/// What a stream's chunks share around their text: the bytes before and after the text
/// string of the last chunk read in full, and which field it was (`F`). A server sends the
/// same id, model, index and layout in every chunk, so most chunks are this with other text
/// in the middle.
#[derive(Debug, Default)]
pub struct Template<F> {
    before: Vec<u8>,
    after: Vec<u8>,
    field: F,
}

/// A chunk's text as a full read found it: its field, the text, and where it is in the
/// chunk when it is a plain string (no escapes), which is what a template is made from.
pub type Found<'a, F> = (F, Cow<'a, str>, Option<(usize, usize)>);

impl<F: Copy> Template<F> {
    /// The text of `data` when it is the template with plain text (no quote, backslash or
    /// control character) in the middle: then it is valid JSON of the same shape, so its
    /// text is exactly what reading it in full would give.
    pub fn text<'a>(&self, data: &'a str) -> Option<(F, &'a str)> {
        let b = data.as_bytes();
        if self.before.is_empty() || !b.starts_with(&self.before) {
            return None;
        }
        let start = self.before.len();
        let end = crate::swar::string_stop(b, start);
        (b.get(end) == Some(&b'"') && &b[end..] == self.after.as_slice())
            .then(|| (self.field, &data[start..end]))
    }

    /// The text of `data` by the template, else by `read` in full (which renews the template).
    pub fn take<'a>(
        &mut self,
        data: &'a str,
        read: fn(&'a str) -> Option<Found<'a, F>>,
    ) -> Option<(F, Cow<'a, str>)> {
        match self.text(data) {
            Some((field, text)) => Some((field, Cow::Borrowed(text))),
            None => self.read(data, read),
        }
    }

    /// Makes `data`, with its plain text at `start..end`, the template.
    pub fn set(&mut self, data: &str, field: F, start: usize, end: usize) {
        self.before.clear();
        self.before.extend_from_slice(&data.as_bytes()[..start]);
        self.after.clear();
        self.after.extend_from_slice(&data.as_bytes()[end..]);
        self.field = field;
    }

    /// Reads `data` in full with `read`, and when its text is plain, makes it the template.
    pub fn read<'a>(
        &mut self,
        data: &'a str,
        read: fn(&'a str) -> Option<Found<'a, F>>,
    ) -> Option<(F, Cow<'a, str>)> {
        let (field, text, span) = read(data)?;
        if let Some((start, end)) = span {
            self.set(data, field, start, end);
        }
        Some((field, text))
    }
}

/// Where a chunk's text is.
pub enum Text {
    /// The content between these offsets, without escapes.
    Plain(usize, usize),
    /// The whole string literal (with its quotes), which has escapes.
    Escaped(usize, usize),
    /// `null` or no content.
    None,
}

impl Text {
    /// The text itself: escapes decoded by the full parser, so read exactly as it reads them.
    pub fn found<F>(self, field: F, data: &str) -> Option<Found<'_, F>> {
        Some(match self {
            Text::Plain(start, end) => {
                (field, Cow::Borrowed(&data[start..end]), Some((start, end)))
            }
            Text::Escaped(start, end) => match Json::parse(&data[start..end]).ok()? {
                Json::Str(s) => (field, Cow::Owned(s), None),
                _ => return None,
            },
            Text::None => (field, Cow::Borrowed(""), None),
        })
    }
}

/// A cursor over JSON text that checks what it steps over.
pub struct Scan<'a> {
    pub b: &'a [u8],
    pub at: usize,
}

impl<'a> Scan<'a> {
    pub fn new(text: &'a str) -> Scan<'a> {
        Scan {
            b: text.as_bytes(),
            at: 0,
        }
    }

    pub fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.at) {
            self.at += 1;
        }
    }

    pub fn expect(&mut self, byte: u8) -> Option<()> {
        (self.b.get(self.at) == Some(&byte)).then(|| self.at += 1)
    }

    /// An object's members: `member` reads each value (the key given without its quotes).
    pub fn object(&mut self, mut member: impl FnMut(&mut Self, &[u8]) -> Option<()>) -> Option<()> {
        self.ws();
        self.expect(b'{')?;
        self.ws();
        if self.expect(b'}').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let (start, end) = self.plain_string()?;
            self.ws();
            self.expect(b':')?;
            self.ws();
            let key = &self.b[start..end];
            member(self, key)?;
            self.ws();
            match self.b.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A string without escapes: the offsets of its content.
    pub fn plain_string(&mut self) -> Option<(usize, usize)> {
        match self.string()? {
            (start, end, false) => Some((start, end)),
            _ => None,
        }
    }

    /// A string literal: the offsets of its content and whether it has escapes (which are
    /// then left for the full parser to check). Control characters refuse it.
    pub fn string(&mut self) -> Option<(usize, usize, bool)> {
        self.expect(b'"')?;
        let start = self.at;
        let mut escaped = false;
        loop {
            self.at = crate::swar::string_stop(self.b, self.at);
            match self.b.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some((start, self.at - 1, escaped));
                }
                b'\\' => {
                    escaped = true;
                    // Whatever follows is taken as escaped; the full parser judges it.
                    self.at += 2;
                }
                _ => return None,
            }
        }
    }

    pub fn null(&mut self) -> bool {
        let yes = self.b[self.at..].starts_with(b"null");
        if yes {
            self.at += 4;
        }
        yes
    }

    /// A number, checked against JSON's grammar.
    pub fn number(&mut self) -> Option<()> {
        let digits = |s: &mut Self| {
            let start = s.at;
            while let Some(b'0'..=b'9') = s.b.get(s.at) {
                s.at += 1;
            }
            s.at > start
        };
        if self.b.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match self.b.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        if self.b.get(self.at) == Some(&b'.') {
            self.at += 1;
            digits(self).then_some(())?;
        }
        if let Some(b'e' | b'E') = self.b.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.b.get(self.at) {
                self.at += 1;
            }
            digits(self).then_some(())?;
        }
        Some(())
    }

    /// A string value (or `null`) as `Text`.
    pub fn text(&mut self) -> Option<Text> {
        if self.null() {
            return Some(Text::None);
        }
        let open = self.at;
        let (start, end, escaped) = self.string()?;
        Some(match escaped {
            false => Text::Plain(start, end),
            true => Text::Escaped(open, end + 1),
        })
    }

    /// Only whitespace is left.
    pub fn done(&mut self) -> Option<()> {
        self.ws();
        (self.at == self.b.len()).then_some(())
    }
}
