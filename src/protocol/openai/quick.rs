//! The chunk nearly every event of a chat-completions stream is — an id, a model, one choice
//! whose delta has some `content` (or some `reasoning_content` / `reasoning`) and no finish —
//! read in one checking pass that takes the text and nothing else. Anything else (a finish,
//! usage, text and reasoning together, tool calls, an error, a key it does not know, a
//! duplicate key, an escape outside the text) is not read here: the full decoder
//! (`stream.rs`) reads it, so what this reads it reads exactly the same way.

use crate::prelude::*;

use crate::json::Json;
use alloc::borrow::Cow;

/// What a stream's chunks share around their text: the bytes before and after the content
/// string of the last chunk read in full. A server sends the same id, model and layout in
/// every chunk, so most chunks are this with other text in the middle.
#[derive(Debug, Default)]
pub struct Template {
    before: Vec<u8>,
    after: Vec<u8>,
    field: Field,
}

/// Which delta field a chunk's text is in.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    #[default]
    Content,
    /// `reasoning_content` (DeepSeek, the AI/ML API, Qwen, …).
    ReasoningContent,
    /// `reasoning` (OpenRouter, Ollama, Groq, vLLM, …).
    Reasoning,
}

impl Template {
    /// The text of `data` when it is the template with plain text (no quote, backslash or
    /// control character) in the middle: then it is valid JSON of the same shape, so its
    /// text is exactly what reading it in full would give.
    pub fn text<'a>(&self, data: &'a str) -> Option<(Field, &'a str)> {
        let b = data.as_bytes();
        if self.before.is_empty() || !b.starts_with(&self.before) {
            return None;
        }
        let start = self.before.len();
        let end = crate::swar::string_stop(b, start);
        (b.get(end) == Some(&b'"') && &b[end..] == self.after.as_slice())
            .then(|| (self.field, &data[start..end]))
    }

    /// Reads `data` in full (`content`), and when its text is plain, makes it the template.
    pub fn read<'a>(&mut self, data: &'a str) -> Option<(Field, Cow<'a, str>)> {
        let (field, text, span) = read(data)?;
        if let Some((start, end)) = span {
            self.before.clear();
            self.before.extend_from_slice(&data.as_bytes()[..start]);
            self.after.clear();
            self.after.extend_from_slice(&data.as_bytes()[end..]);
            self.field = field;
        }
        Some((field, text))
    }
}

/// `Some(text)` (possibly empty) when `data` is such a chunk; `None` sends it to the full
/// decoder. Only valid JSON is ever accepted.
#[cfg(test)]
pub fn content(data: &str) -> Option<Cow<'_, str>> {
    read(data).and_then(|(field, text, _)| (field == Field::Content).then_some(text))
}

/// A chunk's text: its field, the text, and where it is in the chunk when it is plain.
type Read<'a> = (Field, Cow<'a, str>, Option<(usize, usize)>);

/// `content`, with the field the text is in and where it is when it is a plain string.
fn read(data: &str) -> Option<Read<'_>> {
    let mut s = Scan {
        b: data.as_bytes(),
        at: 0,
    };
    let mut text = None;
    let mut seen = 0u16;
    s.object(|s, key| {
        let bit = match key {
            b"id" | b"model" => {
                s.plain_string()?;
                return Some(());
            }
            b"object" => {
                // A bare `{"object": "error", …}` is an error (old vLLM).
                let (start, end) = s.plain_string()?;
                return (&s.b[start..end] != b"error").then_some(());
            }
            b"created" => {
                s.number()?;
                return Some(());
            }
            b"system_fingerprint" | b"service_tier" | b"provider" => {
                if !s.null() {
                    s.plain_string()?;
                }
                return Some(());
            }
            b"usage" => return s.null().then_some(()),
            b"choices" => 1,
            _ => return None,
        };
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        s.expect(b'[')?;
        s.ws();
        text = Some(s.choice()?);
        s.ws();
        s.expect(b']')
    })?;
    s.ws();
    (s.at == s.b.len()).then_some(())?;
    let (field, text) = text?;
    Some(match text {
        Text::Plain(start, end) => (field, Cow::Borrowed(&data[start..end]), Some((start, end))),
        // Checked and decoded by the full parser: escapes read exactly as it reads them.
        Text::Escaped(start, end) => match Json::parse(&data[start..end]).ok()? {
            Json::Str(s) => (field, Cow::Owned(s), None),
            _ => return None,
        },
        Text::None => (field, Cow::Borrowed(""), None),
    })
}

enum Text {
    /// The content between these offsets, without escapes.
    Plain(usize, usize),
    /// The whole string literal (with its quotes), which has escapes.
    Escaped(usize, usize),
    /// `null` or no content.
    None,
}

struct Scan<'a> {
    b: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.at) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.b.get(self.at) == Some(&byte)).then(|| self.at += 1)
    }

    /// An object's members: `member` reads each value (the key given without its quotes).
    fn object(&mut self, mut member: impl FnMut(&mut Self, &[u8]) -> Option<()>) -> Option<()> {
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
    fn plain_string(&mut self) -> Option<(usize, usize)> {
        match self.string()? {
            (start, end, false) => Some((start, end)),
            _ => None,
        }
    }

    /// A string literal: the offsets of its content and whether it has escapes (which are
    /// then left for the full parser to check). Control characters refuse it.
    fn string(&mut self) -> Option<(usize, usize, bool)> {
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

    fn null(&mut self) -> bool {
        let yes = self.b[self.at..].starts_with(b"null");
        if yes {
            self.at += 4;
        }
        yes
    }

    /// A number, checked against JSON's grammar.
    fn number(&mut self) -> Option<()> {
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

    /// The one choice: an index, a delta with at most one text field and a role (other text,
    /// reasoning and tool-call fields null), no finish.
    fn choice(&mut self) -> Option<(Field, Text)> {
        let mut text = (Field::Content, Text::None);
        let mut seen = 0u16;
        self.object(|s, key| {
            let bit = match key {
                b"index" => 1,
                b"delta" => 2,
                b"finish_reason" | b"logprobs" => return s.null().then_some(()),
                _ => return None,
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            if bit == 1 {
                return s.number();
            }
            text = s.delta()?;
            Some(())
        })?;
        Some(text)
    }

    fn delta(&mut self) -> Option<(Field, Text)> {
        let mut text = (Field::Content, Text::None);
        // Each text field at most once, and at most one of them not null.
        let (mut seen, mut strings) = (0u8, 0u8);
        self.object(|s, key| {
            let field = match key {
                b"content" => Field::Content,
                b"reasoning_content" => Field::ReasoningContent,
                b"reasoning" => Field::Reasoning,
                b"role" => {
                    if !s.null() {
                        s.plain_string()?;
                    }
                    return Some(());
                }
                // Present and null: the full decoder does nothing with these either.
                b"refusal" | b"tool_calls" | b"function_call" => return s.null().then_some(()),
                _ => return None,
            };
            let bit = 1 << field as u8;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            if s.null() {
                return Some(());
            }
            strings += 1;
            let open = s.at;
            let (start, end, escaped) = s.string()?;
            text = match escaped {
                false => (field, Text::Plain(start, end)),
                true => (field, Text::Escaped(open, end + 1)),
            };
            Some(())
        })?;
        (strings <= 1).then_some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHUNK: &str = r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1712,"model":"m","system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}]}"#;

    #[test]
    fn reads_the_common_chunk() {
        assert_eq!(content(CHUNK).as_deref(), Some("Hi"));
        let spaced = " { \"id\" : \"x\" , \"choices\" : [ { \"delta\" : { \"role\" : \"assistant\" , \"content\" : \"\" } } ] } ";
        assert_eq!(content(spaced).as_deref(), Some(""));
        let escaped = r#"{"choices":[{"index":0,"delta":{"content":"a\"b\n\u00e9\ud83d\ude00"}}]}"#;
        assert_eq!(content(escaped).as_deref(), Some("a\"b\né😀"));
        let null = r#"{"choices":[{"index":0,"delta":{"content":null,"reasoning_content":null}}]}"#;
        assert_eq!(content(null).as_deref(), Some(""));
    }

    #[test]
    fn leaves_everything_else_to_the_full_decoder() {
        for other in [
            // a finish, usage, reasoning, tool calls, an error, wrappers, several choices
            r#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
            r#"{"choices":[],"usage":{"prompt_tokens":1}}"#,
            r#"{"choices":[{"index":0,"delta":{"reasoning_content":"hm"}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0}]}}]}"#,
            r#"{"object":"error","message":"boom"}"#,
            r#"{"error":{"message":"boom"}}"#,
            r#"{"event":{"choices":[]},"state":{}}"#,
            r#"{"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"content":"a","content":"b"}}]}"#,
            r#"{"choices":[{"delta":{"content":"a"}}],"choices":[]}"#,
            r#"{"choices":[{"index":0,"delta":{"content":["x"]}}]}"#,
            r#"{"id":"a\"b","choices":[{"delta":{"content":"x"}}]}"#,
            // not JSON, or JSON with something after it
            r#"{"choices":[{"delta":{"content":"a"}}]"#,
            r#"{"choices":[{"delta":{"content":"a"}}]} x"#,
            "{\"choices\":[{\"delta\":{\"content\":\"a\u{1}\"}}]}",
            r#"{"created":01,"choices":[{"delta":{"content":"a"}}]}"#,
            r#"{"created":1.,"choices":[{"delta":{"content":"a"}}]}"#,
            r#"{"choices":[{"delta":{"content":"a\q"}}]}"#,
            r#"{"choices":[{"delta":{"content":"a"},}]}"#,
            "",
            "[DONE]",
        ] {
            assert_eq!(content(other), None, "{other}");
        }
    }

    #[test]
    fn a_template_reads_what_the_full_read_would() {
        let text = |t: &Template, d: &str| t.text(d).map(|(_, s)| s.to_owned());
        let mut t = Template::default();
        assert_eq!(text(&t, CHUNK), None, "no template yet");
        assert_eq!(
            t.read(CHUNK).map(|(_, s)| s.into_owned()).as_deref(),
            Some("Hi")
        );
        let other = CHUNK.replace("\"Hi\"", "\"Hello there\"");
        assert_eq!(text(&t, &other).as_deref(), Some("Hello there"));
        assert_eq!(
            text(&t, &CHUNK.replace("\"Hi\"", "\"\"")).as_deref(),
            Some("")
        );
        for different in [
            CHUNK.replace("\"Hi\"", "\"a\\nb\""),
            CHUNK.replace("\"Hi\"", "\"a\"b\""),
            CHUNK.replace("\"Hi\"", "\"a\u{1}\""),
            CHUNK.replace("null}]}", "\"stop\"}]}"),
            CHUNK.replace("chatcmpl-1", "chatcmpl-2"),
            format!("{CHUNK} "),
            CHUNK[..CHUNK.len() - 1].to_owned(),
        ] {
            assert_eq!(text(&t, &different), None, "{different}");
        }
        // An escaped or empty text does not replace the template.
        t.read(&CHUNK.replace("\"Hi\"", "\"a\\nb\""));
        t.read(&CHUNK.replace("\"content\":\"Hi\"", "\"content\":null"));
        assert_eq!(text(&t, &other).as_deref(), Some("Hello there"));
        // A reasoning chunk's template knows its field.
        let thinking = CHUNK.replace(
            "\"content\":\"Hi\"",
            "\"content\":null,\"reasoning_content\":\"hm\"",
        );
        assert_eq!(
            t.read(&thinking).map(|(f, _)| f),
            Some(Field::ReasoningContent)
        );
        assert_eq!(
            t.text(&thinking.replace("\"hm\"", "\"so\"")),
            Some((Field::ReasoningContent, "so"))
        );
    }

    #[test]
    fn reads_one_text_field_and_leaves_two_to_the_full_decoder() {
        let field = |d: &str| read(d).map(|(f, t, _)| (f, t.into_owned()));
        let delta = |d: &str| format!(r#"{{"choices":[{{"index":0,"delta":{d}}}]}}"#);
        assert_eq!(
            field(&delta(r#"{"reasoning":"x","content":null}"#)),
            Some((Field::Reasoning, "x".into()))
        );
        assert_eq!(
            field(&delta(r#"{"reasoning_content":"y"}"#)),
            Some((Field::ReasoningContent, "y".into()))
        );
        for two in [
            r#"{"reasoning":"x","content":"y"}"#,
            r#"{"reasoning_content":"x","reasoning":"y"}"#,
            r#"{"reasoning":"x","reasoning":null}"#,
            r#"{"reasoning_details":[]}"#,
        ] {
            assert_eq!(field(&delta(two)), None, "{two}");
        }
    }

    #[test]
    fn accepts_only_what_the_json_parser_accepts() {
        // Any cut or one-byte change of a valid chunk: when it is still read here, it is JSON
        // and the text is what the full parser finds.
        let full = |t: &str| {
            let v = Json::parse(t).ok()?;
            let delta = v.get("choices")?.as_array()?.first()?.get("delta")?;
            Some(
                delta
                    .get("content")
                    .and_then(Json::as_str)
                    .unwrap_or("")
                    .to_owned(),
            )
        };
        let bytes = CHUNK.as_bytes();
        for i in 0..bytes.len() {
            for b in [
                b'"', b'\\', b'{', b'}', b',', b':', b' ', b'0', b'a', b'n', b'-', b'.',
            ] {
                let mut v = bytes.to_vec();
                v[i] = b;
                let Ok(t) = core::str::from_utf8(&v) else {
                    continue;
                };
                if let Some(text) = content(t) {
                    assert_eq!(Some(text.into_owned()), full(t), "{t}");
                }
            }
            let cut = &CHUNK[..i];
            assert_eq!(content(cut), None, "{cut}");
        }
    }
}
