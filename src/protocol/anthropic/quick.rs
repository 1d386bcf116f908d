//! The event nearly every event of a Messages stream is — a `content_block_delta` with a
//! `text_delta` or `thinking_delta` — read in one checking pass that takes the text and
//! nothing else. Anything else (another event, another delta type, a null or missing text,
//! an unknown or duplicate key) is left to the full decoder (`stream.rs`), so what this reads
//! it reads exactly the same way.

use crate::protocol::scan::{Found, Scan, Text};

/// Which kind of text a delta carries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    #[default]
    Text,
    Thinking,
}

pub type Template = crate::protocol::scan::Template<Field>;

/// The text of such an event, with its kind and where it is when it is a plain string.
pub fn read(data: &str) -> Option<Found<'_, Field>> {
    let mut s = Scan::new(data);
    let mut seen = 0u8;
    let mut delta = None;
    s.object(|s, key| {
        let bit = match key {
            b"type" => 1,
            b"index" => 2,
            b"delta" => 4,
            _ => return None,
        };
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        match bit {
            1 => {
                let (start, end) = s.plain_string()?;
                (&s.b[start..end] == b"content_block_delta").then_some(())
            }
            2 => s.number(),
            _ => {
                delta = Some(text_delta(s)?);
                Some(())
            }
        }
    })?;
    s.done()?;
    // Without its `type` the event's SSE name would decide: the full decoder's business.
    if seen & 1 == 0 {
        return None;
    }
    let (field, text) = delta?;
    text.found(field, data)
}

/// `{"type": "text_delta", "text": …}` or `{"type": "thinking_delta", "thinking": …}`, the
/// text a string.
fn text_delta(s: &mut Scan) -> Option<(Field, Text)> {
    let (mut kind, mut text, mut seen) = (None, None, 0u8);
    s.object(|s, key| {
        let bit = match key {
            b"type" => 1,
            b"text" => 2,
            b"thinking" => 4,
            _ => return None,
        };
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        if bit == 1 {
            let (start, end) = s.plain_string()?;
            kind = match &s.b[start..end] {
                b"text_delta" => Some(Field::Text),
                b"thinking_delta" => Some(Field::Thinking),
                _ => return None,
            };
            return Some(());
        }
        match s.text()? {
            Text::None => None,
            t => {
                text = Some((bit, t));
                Some(())
            }
        }
    })?;
    let (bit, text) = text?;
    let kind = kind?;
    // One text key, the one its type names.
    let wanted = if kind == Field::Text { 2 } else { 4 };
    (seen & 6 == wanted && bit == wanted).then_some((kind, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

    const TEXT: &str =
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#;

    fn text(d: &str) -> Option<(Field, String)> {
        read(d).map(|(f, t, _)| (f, t.into_owned()))
    }

    #[test]
    fn reads_text_and_thinking_deltas() {
        assert_eq!(text(TEXT), Some((Field::Text, "Hi".into())));
        let thinking = r#"{ "type": "content_block_delta", "index": 1, "delta": { "thinking": "h\u00e9\n", "type": "thinking_delta" } }"#;
        assert_eq!(text(thinking), Some((Field::Thinking, "hé\n".into())));
        assert_eq!(
            text(&TEXT.replace("\"Hi\"", "\"\"")),
            Some((Field::Text, String::new()))
        );
    }

    #[test]
    fn leaves_everything_else_to_the_full_decoder() {
        for other in [
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"s"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":null}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","thinking":"x"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","text":"b"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","citations":[]}}"#,
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"}}"#,
            r#"{"index":0,"delta":{"type":"text_delta","text":"a"}}"#,
            r#"{"type":"content_block_delta","type":"x","delta":{"type":"text_delta","text":"a"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}} x"#,
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
        ] {
            assert_eq!(text(other), None, "{other}");
        }
    }

    /// Found by the `shortcuts` fuzz target: an empty thinking delta is no event in full, so
    /// it must be none by the shortcut either (it once gave `Reasoning("")`).
    #[test]
    fn an_empty_delta_is_no_event_either_way() {
        use crate::conversation::ReplyStream;
        use crate::protocol::Provider;
        let body = concat!(
            "event: content_block_delta\n",
            r#"data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":""}}"#,
            "\n\nevent: content_block_delta\n",
            r#"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""}}"#,
            "\n\n"
        );
        for mut s in [
            ReplyStream::new(Provider::Anthropic),
            ReplyStream::exact(Provider::Anthropic),
        ] {
            let mut events = Vec::new();
            s.feed(body.as_bytes(), &mut events).unwrap();
            assert_eq!(events, []);
        }
    }

    #[test]
    fn accepts_only_what_the_json_parser_accepts() {
        let full = |t: &str| {
            let v = Json::parse(t).ok()?;
            v.get("delta")?.str_field("text").map(str::to_owned)
        };
        let bytes = TEXT.as_bytes();
        for i in 0..bytes.len() {
            for b in [
                b'"', b'\\', b'{', b'}', b',', b':', b' ', b'0', b'a', b'n', b'-',
            ] {
                let mut v = bytes.to_vec();
                v[i] = b;
                let Ok(t) = core::str::from_utf8(&v) else {
                    continue;
                };
                if let Some((Field::Text, got)) = text(t) {
                    assert_eq!(Some(got), full(t), "{t}");
                }
            }
            assert_eq!(text(&TEXT[..i]), None);
        }
    }
}
