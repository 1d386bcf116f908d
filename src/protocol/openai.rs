//! Chat-completions codec: the OpenAI wire format as the AI/ML API, OpenAI, LiteLLM, vLLM and
//! DeepSeek actually send it, including the quirks recorded in research/api-formats.md §7
//! (no `[DONE]`, `id` only on the first chunk, finish-only chunks without `delta`, the
//! pre-2026-02 `{event, state}` envelope, tool calls whose first index is 1).

use super::{ChatEvent, ChatOptions, ContentPart, FinishReason, Message, Role, Usage};
use crate::error::{ChatError, ErrorKind};
use crate::json::Json;
use crate::sse::SseEvent;

/// Claude models behind the AI/ML API reject `role: "system"` messages and take a
/// top-level `system` string instead; other OpenAI-compatible models expect the message.
fn wants_top_level_system(model: &str) -> bool {
    model.contains("claude")
}

pub fn request_body(opts: &ChatOptions, messages: &[Message], stream: bool) -> Json {
    let top_level_system = wants_top_level_system(&opts.model);
    let mut system: Vec<String> = opts.system.iter().cloned().collect();
    let mut wire = Vec::new();
    for m in messages {
        if m.role == Role::System && (top_level_system || !system.is_empty() && wire.is_empty()) {
            system.push(m.joined_text());
            continue;
        }
        wire.push(message_json(m));
    }
    let system = system.join("\n\n");
    if !system.is_empty() && !top_level_system {
        wire.insert(
            0,
            message_json(&Message::text(Role::System, system.clone())),
        );
    }
    let mut body = Json::obj();
    body.push("model", Json::str(&opts.model));
    body.push("messages", Json::Arr(wire));
    body.push("stream", Json::Bool(stream));
    if top_level_system && !system.is_empty() {
        body.push("system", Json::Str(system));
    }
    if let Some(n) = opts.max_tokens {
        body.push("max_tokens", Json::Num(n as f64));
    }
    if let Some(t) = opts.temperature {
        body.push("temperature", Json::Num(t));
    }
    if let Some(p) = opts.top_p {
        body.push("top_p", Json::Num(p));
    }
    body
}

fn message_json(m: &Message) -> Json {
    let content = match m.parts.as_slice() {
        [ContentPart::Text(t)] => Json::str(t),
        parts => Json::Arr(
            parts
                .iter()
                .map(|p| match p {
                    ContentPart::Text(t) => Json::Obj(vec![
                        ("type".into(), Json::str("text")),
                        ("text".into(), Json::str(t)),
                    ]),
                    ContentPart::Image(url) => Json::Obj(vec![
                        ("type".into(), Json::str("image_url")),
                        (
                            "image_url".into(),
                            Json::Obj(vec![("url".into(), Json::str(url))]),
                        ),
                    ]),
                })
                .collect(),
        ),
    };
    Json::Obj(vec![
        ("role".into(), Json::str(m.role.as_str())),
        ("content".into(), content),
    ])
}

/// Stream state for one response.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    started: bool,
    finished: bool,
    done: bool,
}

impl StreamDecoder {
    pub fn is_complete(&self) -> bool {
        self.finished || self.done
    }

    pub fn decode(&mut self, ev: &SseEvent, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        if self.done {
            return Ok(());
        }
        if ev.data.trim() == "[DONE]" {
            self.done = true;
            return Ok(());
        }
        let v = Json::parse(&ev.data).map_err(|e| {
            ChatError::new(
                ErrorKind::Parse,
                format!("the provider sent a malformed stream chunk ({e})"),
            )
        })?;
        if ev.event == "error" || v.get("error").is_some_and(|e| !e.is_null()) {
            return Err(stream_error(&v));
        }
        // Before 2026-02-13 the AI/ML API wrapped each chunk as {"event": chunk, "state": …}.
        let (chunk, state) = match (v.get("choices"), v.get("event")) {
            (None, Some(inner @ Json::Obj(_))) => (inner, v.get("state")),
            _ => (&v, None),
        };
        if !self.started {
            self.started = true;
            let field = |k| chunk.str_field(k).unwrap_or_default().to_owned();
            out.push(ChatEvent::Start {
                id: field("id"),
                model: field("model"),
            });
        }
        let mut finish = None;
        for choice in chunk
            .get("choices")
            .and_then(Json::as_array)
            .unwrap_or_default()
        {
            if choice.get("index").and_then(Json::as_u64).unwrap_or(0) != 0 {
                continue;
            }
            if let Some(delta) = choice.get("delta") {
                decode_delta(delta, out);
            }
            if let Some(raw) = choice.str_field("finish_reason") {
                finish = Some(raw.to_owned());
            }
        }
        let usage = usage_from(chunk.get("usage"))
            .or_else(|| usage_from(state.and_then(|s| s.get("usage"))));
        if let Some(u) = usage {
            out.push(ChatEvent::Usage(u));
        }
        if let Some(raw) = finish {
            if !self.finished {
                self.finished = true;
                out.push(ChatEvent::Finish {
                    reason: FinishReason::normalize(&raw),
                    raw,
                });
            }
        }
        Ok(())
    }
}

fn decode_delta(delta: &Json, out: &mut Vec<ChatEvent>) {
    // DeepSeek, the AI/ML API and xAI use reasoning_content; OpenRouter-style gateways `reasoning`.
    if let Some(r) = delta
        .str_field("reasoning_content")
        .or_else(|| delta.str_field("reasoning"))
    {
        out.push(ChatEvent::Reasoning(r.to_owned()));
    }
    if let Some(t) = delta.str_field("content") {
        out.push(ChatEvent::Text(t.to_owned()));
    }
    for call in delta
        .get("tool_calls")
        .and_then(Json::as_array)
        .unwrap_or_default()
    {
        let function = call.get("function");
        out.push(ChatEvent::ToolCall {
            index: call.get("index").and_then(Json::as_u64).unwrap_or(0),
            id: call.str_field("id").map(str::to_owned),
            name: function
                .and_then(|f| f.str_field("name"))
                .map(str::to_owned),
            arguments_delta: function
                .and_then(|f| f.get("arguments"))
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned(),
        });
    }
}

/// Usage from either naming (prompt/completion or input/output); an all-zero report
/// (the legacy envelope's last chunk) says nothing and is dropped.
fn usage_from(v: Option<&Json>) -> Option<Usage> {
    let v = v?;
    let n = |k: &str| v.get(k).and_then(Json::as_u64).filter(|&n| n > 0);
    let u = Usage {
        input_tokens: n("prompt_tokens").or_else(|| n("input_tokens")),
        output_tokens: n("completion_tokens").or_else(|| n("output_tokens")),
        total_tokens: n("total_tokens"),
    };
    (u != Usage::default()).then_some(u)
}

fn stream_error(v: &Json) -> ChatError {
    let err = v.get("error").filter(|e| !e.is_null()).unwrap_or(v);
    let message = err
        .str_field("message")
        .or_else(|| err.as_str())
        .unwrap_or("the provider reported an error in the stream")
        .to_owned();
    let code = err.get("code").and_then(|c| {
        c.as_str()
            .map(str::to_owned)
            .or_else(|| c.as_u64().map(|n| n.to_string()))
    });
    ChatError::new(ErrorKind::Stream, message)
        .with_code(code.or_else(|| err.str_field("type").map(str::to_owned)))
}

/// A non-streaming `chat.completion` body, as the events a stream of it would give.
pub fn decode_complete(v: &Json, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
    if v.get("error").is_some_and(|e| !e.is_null()) {
        return Err(stream_error(v));
    }
    out.push(ChatEvent::Start {
        id: v.str_field("id").unwrap_or_default().to_owned(),
        model: v.str_field("model").unwrap_or_default().to_owned(),
    });
    let choice = v
        .get("choices")
        .and_then(Json::as_array)
        .and_then(|c| c.first());
    let choice =
        choice.ok_or_else(|| ChatError::new(ErrorKind::Parse, "the response has no choices"))?;
    if let Some(message) = choice.get("message") {
        decode_delta(message, out);
    }
    if let Some(u) = usage_from(v.get("usage")) {
        out.push(ChatEvent::Usage(u));
    }
    let raw = choice
        .str_field("finish_reason")
        .unwrap_or("stop")
        .to_owned();
    out.push(ChatEvent::Finish {
        reason: FinishReason::normalize(&raw),
        raw,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(model: &str, system: Option<&str>) -> ChatOptions {
        ChatOptions {
            endpoint: "/v1/chat/completions".into(),
            model: model.into(),
            system: system.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn claude_gets_a_top_level_system_others_a_message() {
        let msgs = [
            Message::text(Role::System, "be brief"),
            Message::text(Role::User, "hi"),
        ];
        let body = request_body(&opts("anthropic/claude-sonnet-4", None), &msgs, true);
        assert_eq!(body.get("system").and_then(Json::as_str), Some("be brief"));
        assert_eq!(body.get("messages").unwrap().as_array().unwrap().len(), 1);
        let body = request_body(&opts("gpt-4o", Some("be kind")), &msgs, true);
        let wire = body.get("messages").unwrap().as_array().unwrap();
        assert_eq!(
            wire[0].get("content").and_then(Json::as_str),
            Some("be kind\n\nbe brief")
        );
        assert_eq!(wire.len(), 2);
    }

    #[test]
    fn image_parts_use_the_openai_shape() {
        let m = Message {
            role: Role::User,
            parts: vec![
                ContentPart::Text("what?".into()),
                ContentPart::Image("data:image/png;base64,AA==".into()),
            ],
        };
        let body = request_body(&opts("gpt-4o", None), &[m], false);
        assert_eq!(
            body.get("messages").unwrap().to_string(),
            r#"[{"role":"user","content":[{"type":"text","text":"what?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA=="}}]}]"#
        );
    }

    #[test]
    fn in_stream_errors_become_stream_errors() {
        let mut d = StreamDecoder::default();
        let ev = SseEvent {
            event: "message".into(),
            data: r#"{"error":{"message":"Overloaded","code":"529"}}"#.into(),
            id: String::new(),
        };
        let err = d.decode(&ev, &mut Vec::new()).unwrap_err();
        assert_eq!(
            (err.kind, err.message.as_str(), err.code.as_deref()),
            (ErrorKind::Stream, "Overloaded", Some("529"))
        );
        let bad = SseEvent {
            data: "{\"choices\":[".into(),
            ..ev
        };
        assert_eq!(
            d.decode(&bad, &mut Vec::new()).unwrap_err().kind,
            ErrorKind::Parse
        );
    }
}
