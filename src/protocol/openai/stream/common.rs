//! What the first module reads of a chat-completions stream by itself: chunks of the common
//! shape. The rest goes to `StreamDecoder::chunk`, in the second module (`split.rs`).

use crate::prelude::*;

use super::{ReasoningField, StreamDecoder};
use crate::json::Raw;
use crate::protocol::{ChatEvent, FinishReason, Usage};
use alloc::borrow::Cow;

impl StreamDecoder {
    /// A chunk of the shape most servers send for most of a reply (an id, a model, one
    /// choice with a text delta or a finish reason, standard usage), read the way `chunk`
    /// reads it. Anything else (reasoning, tool calls, refusals, errors, the quirks of
    /// particular servers) is `false` with nothing read: `chunk` reads it, in the second
    /// module. A chunk of text alone, its text a plain string, becomes the template the next
    /// chunks are matched against (`data` is the chunk `v` was parsed from).
    pub(super) fn common(&mut self, v: Raw, data: &str, out: &mut Vec<ChatEvent>) -> bool {
        // The members `chunk` reads (`Fields::of`), and only those: what it ignores is
        // ignored here too.
        let (mut id, mut model, mut choices, mut usage) = (None, None, None, None);
        for (k, val) in v.members() {
            match &*k {
                "id" => id = Some(val),
                "model" => model = Some(val),
                "choices" => choices = Some(val),
                "usage" => usage = Some(val),
                "object" if val.text() == "\"error\"" => return false,
                "error" | "event" | "state" | "x_groq" | "meta" if !val.is_null() => return false,
                _ => {}
            }
        }
        let (mut delta, mut finish) = (None, None);
        if let Some(choices) = choices {
            if !choices.is_array() {
                return false;
            }
            let mut items = choices.items();
            if let Some(choice) = items.next() {
                if items.next().is_some() || !choice.is_object() {
                    return false;
                }
                // As `the_reply` reads a choice.
                for (k, val) in choice.members() {
                    match &*k {
                        "index" if val.as_u64().unwrap_or(0) != 0 => return false,
                        "delta" => delta = Some(val).filter(|d| d.is_object()),
                        "finish_reason" => match val.as_str() {
                            Some(r) if r == "error" => return false,
                            r => finish = r.filter(|r| !r.is_empty()),
                        },
                        "usage" if !val.is_null() => return false,
                        _ => {}
                    }
                }
            }
        }
        // As `delta` reads one: text, or reasoning from `reasoning_content` or `reasoning`.
        let (mut text, mut found) = (None, [None, None]);
        for (k, val) in delta.into_iter().flat_map(Raw::members) {
            let slot = match &*k {
                "content" => &mut text,
                "reasoning_content" => &mut found[0],
                "reasoning" => &mut found[1],
                "refusal" | "reasoning_details" | "tool_calls" | "function_call"
                    if !val.is_null() =>
                {
                    return false
                }
                _ => continue,
            };
            *slot = match val.as_str() {
                Some(t) => Some(t),
                None if val.is_null() => None,
                None => return false,
            };
        }
        let usage = match usage {
            Some(u) if u.is_object() => Some(u),
            Some(u) if !u.is_null() => return false,
            _ => None,
        };
        // Gemini's "stop" after tool calls is decided in `chunk`.
        if !self.calls.is_empty() {
            return false;
        }
        if !self.started {
            self.started = true;
            let field = |f: Option<Raw>| f.and_then(Raw::as_str).map(|s| s.into_owned());
            out.push(ChatEvent::Start {
                id: field(id).unwrap_or_default(),
                model: field(model).unwrap_or_default(),
            });
        }
        // The reasoning field is the first that carried text, as `delta` picks it.
        let fields = [ReasoningField::ReasoningContent, ReasoningField::Reasoning];
        let pick = match self.reasoning {
            Some(f) => fields.iter().position(|x| *x == f),
            None => found
                .iter()
                .position(|r| r.as_ref().is_some_and(|r| !r.is_empty())),
        };
        // A chunk of one plain text field alone: everything around it is what this just
        // read, so a chunk with these bytes around other plain text reads the same.
        let strings = [&found[0], &found[1], &text];
        let one = strings.iter().filter(|s| s.is_some()).count() == 1;
        if let Some(i) = strings
            .iter()
            .position(|s| matches!(s, Some(Cow::Borrowed(_))))
        {
            if let (true, None, None, Some(t)) = (one, &usage, &finish, strings[i]) {
                let start = t.as_ptr() as usize - data.as_ptr() as usize;
                self.template
                    .set(data, fields.get(i).copied(), start, start + t.len());
            }
        }
        if let Some(i) = pick {
            if let Some(r) = found[i].take().filter(|r| !r.is_empty()) {
                self.reasoning = Some(fields[i]);
                out.push(ChatEvent::Reasoning(r.into_owned()));
            }
        }
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            out.push(ChatEvent::Text(t.into_owned()));
        }
        let mut reported = Usage::default();
        if let Some(u) = usage {
            reported.merge(Usage::from_json(&u.to_json()));
        }
        if let Some(total) = self.usage.report(reported) {
            out.push(ChatEvent::Usage(total));
        }
        if let Some(raw) = finish.filter(|_| !self.finished) {
            self.finished = true;
            out.push(ChatEvent::Finish {
                reason: FinishReason::normalize(&raw),
                raw: raw.into_owned(),
            });
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sse::SseEvent;

    const CHUNK: &str = r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1712,"model":"m","system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}]}"#;

    fn events(d: &mut StreamDecoder, chunks: &[String]) -> Vec<ChatEvent> {
        let mut out = Vec::new();
        for data in chunks {
            let ev = SseEvent {
                event: "message".into(),
                data: data.clone(),
                id: String::new(),
            };
            d.batch(out.len());
            d.decode(&ev, &mut out).unwrap();
        }
        out
    }

    #[test]
    fn a_text_chunk_becomes_the_template_and_reads_as_the_full_reading_would() {
        let mut d = StreamDecoder::default();
        events(&mut d, &[CHUNK.into()]);
        let other = CHUNK.replace("\"Hi\"", "\"Hello there\"");
        assert_eq!(d.template.text(&other), Some((None, "Hello there")));
        for not_it in [
            CHUNK.replace("\"Hi\"", "\"a\\nb\""),
            CHUNK.replace("\"Hi\"", "\"a\"b\""),
            CHUNK.replace("null}]}", "\"stop\"}]}"),
            CHUNK.replace("chatcmpl-1", "chatcmpl-2"),
            format!("{CHUNK} "),
        ] {
            assert_eq!(d.template.text(&not_it), None, "{not_it}");
        }
        // What is not text alone, or whose text is escaped or absent, makes no template.
        for no_template in [
            CHUNK.replace("null}]}", "\"stop\"}]}"),
            CHUNK.replace("]}", "],\"usage\":{\"prompt_tokens\":1}}"),
            CHUNK.replace("\"Hi\"", "\"a\\nb\""),
            CHUNK.replace("\"Hi\"", "null"),
        ] {
            let mut d = StreamDecoder::default();
            events(&mut d, core::slice::from_ref(&no_template));
            assert_eq!(d.template.text(CHUNK), None, "{no_template}");
        }
        // Any mix of chunks reads as the reference reads it.
        let mix: Vec<String> = [
            CHUNK.replace("\"Hi\"", "\"\""),
            CHUNK.into(),
            other.clone(),
            CHUNK.replace("\"Hi\"", "\"a\\nb\""),
            other,
            CHUNK
                .replace("\"Hi\"", "\"x\"")
                .replace("null}]}", "\"length\"}]}"),
            CHUNK.replace("\"Hi\"", "\"after the end\""),
        ]
        .into();
        let mut exact = StreamDecoder::default();
        exact.exact();
        let mut quick = StreamDecoder::default();
        assert_eq!(events(&mut quick, &mix), events(&mut exact, &mix));
    }

    #[test]
    fn reasoning_is_read_from_the_field_it_first_came_in() {
        let think = |field: &str, t: &str| {
            CHUNK.replace(
                "\"content\":\"Hi\"",
                &format!("\"content\":null,\"{field}\":\"{t}\""),
            )
        };
        let mut d = StreamDecoder::default();
        events(&mut d, &[think("reasoning_content", "hm")]);
        assert_eq!(
            d.template.text(&think("reasoning_content", "so")),
            Some((Some(ReasoningField::ReasoningContent), "so"))
        );
        // Sent in two fields (OpenRouter), the second one is ignored, as the full reading does.
        let mix: Vec<String> = [
            CHUNK.replace("\"Hi\"", "\"\""),
            think("reasoning", "first"),
            think("reasoning_content", "twice"),
            think("reasoning", "then"),
            think("reasoning_content", "again"),
            CHUNK.replace("\"Hi\"", "\"a\\nb\""),
            CHUNK.into(),
            CHUNK.replace(
                "\"content\":\"Hi\"",
                "\"content\":\"x\",\"reasoning\":\"y\"",
            ),
        ]
        .into();
        let mut exact = StreamDecoder::default();
        exact.exact();
        let mut quick = StreamDecoder::default();
        let got = events(&mut quick, &mix);
        assert_eq!(got, events(&mut exact, &mix));
        assert!(got.contains(&ChatEvent::Reasoning("then".into())));
        assert!(!got
            .iter()
            .any(|e| *e == ChatEvent::Reasoning("again".into())));
    }
}
