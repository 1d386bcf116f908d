//! The chunk nearly every event of a chat-completions stream is — an id, a model, one choice
//! whose delta has some `content` (or some `reasoning_content` / `reasoning`) and no finish —
//! read in one checking pass that takes the text and nothing else. Anything else (a finish,
//! usage, text and reasoning together, tool calls, an error, a key it does not know, a
//! duplicate key, an escape outside the text) is not read here: the full decoder
//! (`stream.rs`) reads it, so what this reads it reads exactly the same way.

use crate::protocol::scan::{Found, Scan, Text};
#[cfg(test)]
use alloc::borrow::Cow;

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

pub type Template = crate::protocol::scan::Template<Field>;

/// `Some(text)` (possibly empty) when `data` is such a chunk; `None` sends it to the full
/// decoder. Only valid JSON is ever accepted.
#[cfg(test)]
pub fn content(data: &str) -> Option<Cow<'_, str>> {
    read(data).and_then(|(field, text, _)| (field == Field::Content).then_some(text))
}

/// The text of such a chunk, with its field and where it is when it is a plain string.
pub fn read(data: &str) -> Option<Found<'_, Field>> {
    let mut s = Scan::new(data);
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
        text = Some(choice(s)?);
        s.ws();
        s.expect(b']')
    })?;
    s.done()?;
    let (field, text) = text?;
    text.found(field, data)
}

/// The one choice: an index, a delta with at most one text field and a role (other text,
/// reasoning and tool-call fields null), no finish.
fn choice(s: &mut Scan) -> Option<(Field, Text)> {
    let mut text = (Field::Content, Text::None);
    let mut seen = 0u16;
    s.object(|s, key| {
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
        text = delta(s)?;
        Some(())
    })?;
    Some(text)
}

fn delta(s: &mut Scan) -> Option<(Field, Text)> {
    let mut text = (Field::Content, Text::None);
    // Each text field at most once, and at most one of them not null.
    let (mut seen, mut strings) = (0u8, 0u8);
    s.object(|s, key| {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

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
            t.read(CHUNK, read).map(|(_, s)| s.into_owned()).as_deref(),
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
        t.read(&CHUNK.replace("\"Hi\"", "\"a\\nb\""), read);
        t.read(
            &CHUNK.replace("\"content\":\"Hi\"", "\"content\":null"),
            read,
        );
        assert_eq!(text(&t, &other).as_deref(), Some("Hello there"));
        // A reasoning chunk's template knows its field.
        let thinking = CHUNK.replace(
            "\"content\":\"Hi\"",
            "\"content\":null,\"reasoning_content\":\"hm\"",
        );
        assert_eq!(
            t.read(&thinking, read).map(|(f, _)| f),
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
