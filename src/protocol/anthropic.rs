//! Anthropic Messages codec (`POST /v1/messages`): converts the OpenAI-shaped messages of
//! the public API into content blocks and reads the `message_start` … `message_stop` event
//! sequence (research/api-formats.md §3).

use super::{
    parse_data_url, ChatEvent, ChatOptions, ContentPart, FinishReason, Message, Role, ToolChoice,
    Usage,
};
use crate::error::{ChatError, ErrorKind};
use crate::json::Json;
use crate::sse::SseEvent;

/// The Messages API requires `max_tokens`; this is used when the page sets none.
pub const DEFAULT_MAX_TOKENS: u64 = 4096;

fn obj(pairs: Vec<(&str, Json)>) -> Json {
    Json::object(pairs)
}

pub fn request_body(opts: &ChatOptions, messages: &[Message], stream: bool) -> Json {
    let mut system: Vec<String> = opts.system.iter().cloned().collect();
    let mut wire: Vec<(Role, Vec<Json>)> = Vec::new();
    for m in messages {
        let (role, blocks) = match m.role {
            Role::System => {
                system.push(m.joined_text());
                continue;
            }
            // Tool results travel as `tool_result` blocks of a user turn.
            Role::Tool => (Role::User, vec![tool_result_block(m)]),
            role => (role, content_blocks(m)),
        };
        // Consecutive turns of one role merge: all results of one round go in one user turn.
        match wire.last_mut() {
            Some((last, prev)) if *last == role => prev.extend(blocks),
            _ => wire.push((role, blocks)),
        }
    }
    let wire = wire.into_iter().map(|(role, blocks)| {
        let content = match blocks.as_slice() {
            [b] if b.str_field("type") == Some("text") && b.get("cache_control").is_none() => {
                b.get("text").cloned().unwrap_or(Json::Null)
            }
            _ => Json::Arr(blocks),
        };
        obj(vec![
            ("role", Json::str(role.as_str())),
            ("content", content),
        ])
    });
    let num = |n: u64| Json::Num(n as f64);
    let mut body = Json::obj();
    body.push("model", Json::str(&opts.model));
    body.push(
        "max_tokens",
        num(opts.effective_max_tokens().unwrap_or(DEFAULT_MAX_TOKENS)),
    );
    body.push("messages", Json::Arr(wire.collect()));
    if !system.is_empty() {
        body.push("system", Json::Str(system.join("\n\n")));
    }
    body.push("stream", Json::Bool(stream));
    for (key, value) in [("temperature", opts.temperature), ("top_p", opts.top_p)] {
        if let Some(v) = value {
            body.push(key, Json::Num(v));
        }
    }
    if let Some(k) = opts.top_k {
        body.push("top_k", num(k));
    }
    if !opts.stop_sequences.is_empty() {
        body.push(
            "stop_sequences",
            Json::Arr(opts.stop_sequences.iter().map(Json::str).collect()),
        );
    }
    super::push_metadata_and_thinking(&mut body, opts);
    if !opts.tools.is_empty() {
        let tools = opts.tools.iter().map(|t| {
            let mut tool = obj(vec![("name", Json::str(&t.name))]);
            if let Some(d) = &t.description {
                tool.push("description", Json::str(d));
            }
            tool.push("input_schema", t.parameters.clone());
            tool
        });
        body.push("tools", Json::Arr(tools.collect()));
    }
    if let Some(choice) = &opts.tool_choice {
        body.push(
            "tool_choice",
            match choice {
                ToolChoice::Auto => obj(vec![("type", Json::str("auto"))]),
                ToolChoice::None => obj(vec![("type", Json::str("none"))]),
                ToolChoice::Any => obj(vec![("type", Json::str("any"))]),
                ToolChoice::Tool(n) => {
                    obj(vec![("type", Json::str("tool")), ("name", Json::str(n))])
                }
            },
        );
    }
    body
}

fn content_blocks(m: &Message) -> Vec<Json> {
    let mut blocks = Vec::new();
    if let Some(t) = m.thinking.as_ref().filter(|t| !t.signature.is_empty()) {
        blocks.push(obj(vec![
            ("type", Json::str("thinking")),
            ("thinking", Json::str(&t.text)),
            ("signature", Json::str(&t.signature)),
        ]));
    }
    for p in &m.parts {
        blocks.push(match p {
            ContentPart::Text(t) if t.is_empty() && !m.tool_calls.is_empty() => continue,
            ContentPart::Text(t) => obj(vec![("type", Json::str("text")), ("text", Json::str(t))]),
            ContentPart::Image(url) => {
                let source = match parse_data_url(url) {
                    Some((media_type, data)) => obj(vec![
                        ("type", Json::str("base64")),
                        ("media_type", Json::str(media_type)),
                        ("data", Json::str(data)),
                    ]),
                    None => obj(vec![("type", Json::str("url")), ("url", Json::str(url))]),
                };
                obj(vec![("type", Json::str("image")), ("source", source)])
            }
        });
    }
    for c in &m.tool_calls {
        // Arguments the model left unfinished (max_tokens) cannot be sent back as JSON.
        let input = Json::parse(&c.arguments)
            .ok()
            .filter(|v| matches!(v, Json::Obj(_)))
            .unwrap_or_else(Json::obj);
        blocks.push(obj(vec![
            ("type", Json::str("tool_use")),
            ("id", Json::str(&c.id)),
            ("name", Json::str(&c.name)),
            ("input", input),
        ]));
    }
    blocks
}

fn tool_result_block(m: &Message) -> Json {
    let mut block = obj(vec![
        ("type", Json::str("tool_result")),
        (
            "tool_use_id",
            Json::str(m.tool_call_id.as_deref().unwrap_or_default()),
        ),
        ("content", Json::str(m.joined_text())),
    ]);
    if m.is_error {
        block.push("is_error", Json::Bool(true));
    }
    block
}

/// Stream state for one response.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    stopped: bool,
    finished: bool,
}

impl StreamDecoder {
    pub fn is_complete(&self) -> bool {
        self.stopped || self.finished
    }

    pub fn decode(&mut self, ev: &SseEvent, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        let v = Json::parse(&ev.data).map_err(|e| {
            ChatError::new(
                ErrorKind::Parse,
                format!("the provider sent a malformed stream event ({e})"),
            )
        })?;
        let kind = v.str_field("type").unwrap_or(&ev.event);
        match kind {
            "message_start" => {
                let msg = v.get("message");
                let field = |k| {
                    msg.and_then(|m| m.str_field(k))
                        .unwrap_or_default()
                        .to_owned()
                };
                out.push(ChatEvent::Start {
                    id: field("id"),
                    model: field("model"),
                });
                if let Some(u) = usage_from(msg.and_then(|m| m.get("usage"))) {
                    out.push(ChatEvent::Usage(u));
                }
            }
            "content_block_start" => {
                let index = v.get("index").and_then(Json::as_u64).unwrap_or(0);
                if let Some(block) = v.get("content_block") {
                    decode_block(index, block, out);
                }
            }
            "content_block_delta" => {
                let index = v.get("index").and_then(Json::as_u64).unwrap_or(0);
                let delta = v.get("delta");
                let text = |k| delta.and_then(|d| d.str_field(k)).map(str::to_owned);
                match delta.and_then(|d| d.str_field("type")) {
                    Some("text_delta") => out.extend(text("text").map(ChatEvent::Text)),
                    Some("thinking_delta") => {
                        out.extend(text("thinking").map(ChatEvent::Reasoning))
                    }
                    Some("signature_delta") => {
                        out.extend(text("signature").map(ChatEvent::Signature))
                    }
                    Some("input_json_delta") => {
                        out.extend(text("partial_json").map(|arguments_delta| {
                            ChatEvent::ToolCall {
                                index,
                                id: None,
                                name: None,
                                arguments_delta,
                            }
                        }))
                    }
                    _ => {}
                }
            }
            "message_delta" => {
                if let Some(u) = usage_from(v.get("usage")) {
                    out.push(ChatEvent::Usage(u));
                }
                if let Some(raw) = v.get("delta").and_then(|d| d.str_field("stop_reason")) {
                    if !self.finished {
                        self.finished = true;
                        out.push(ChatEvent::Finish {
                            reason: FinishReason::normalize(raw),
                            raw: raw.to_owned(),
                        });
                    }
                }
            }
            "message_stop" => self.stopped = true,
            "error" => return Err(error_from(&v)),
            _ => {} // ping and event types added after this was written
        }
        Ok(())
    }
}

/// A block may arrive pre-filled (text, or a whole tool input) with no deltas after it.
fn decode_block(index: u64, block: &Json, out: &mut Vec<ChatEvent>) {
    match block.str_field("type") {
        Some("text") => out.extend(
            block
                .str_field("text")
                .map(|t| ChatEvent::Text(t.to_owned())),
        ),
        Some("thinking") => out.extend(
            block
                .str_field("thinking")
                .map(|t| ChatEvent::Reasoning(t.to_owned())),
        ),
        Some("tool_use") => {
            let input = block
                .get("input")
                .filter(|i| !matches!(i, Json::Obj(m) if m.is_empty()));
            out.push(ChatEvent::ToolCall {
                index,
                id: block.str_field("id").map(str::to_owned),
                name: block.str_field("name").map(str::to_owned),
                arguments_delta: input.map(Json::to_string).unwrap_or_default(),
            });
        }
        _ => {}
    }
}

fn usage_from(v: Option<&Json>) -> Option<Usage> {
    let v = v?;
    let n = |k: &str| v.get(k).and_then(Json::as_u64);
    let u = Usage {
        input_tokens: n("input_tokens").filter(|&n| n > 0),
        output_tokens: n("output_tokens"),
        total_tokens: None,
        ..Usage::default()
    };
    // An all-zero usage is a placeholder (LiteLLM's `message_start`), not a count.
    let placeholder = u.input_tokens.is_none() && u.output_tokens.unwrap_or(0) == 0;
    (!placeholder).then_some(u)
}

fn error_from(v: &Json) -> ChatError {
    let err = v.get("error").unwrap_or(v);
    let message = err
        .str_field("message")
        .unwrap_or("the provider reported an error in the stream");
    ChatError::new(ErrorKind::Stream, message).with_code(err.str_field("type").map(str::to_owned))
}

/// A non-streaming `message` body, as the events a stream of it would give.
pub fn decode_complete(v: &Json, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
    if v.str_field("type") == Some("error") {
        return Err(error_from(v));
    }
    out.push(ChatEvent::Start {
        id: v.str_field("id").unwrap_or_default().to_owned(),
        model: v.str_field("model").unwrap_or_default().to_owned(),
    });
    let blocks = v
        .get("content")
        .and_then(Json::as_array)
        .ok_or_else(|| ChatError::new(ErrorKind::Parse, "the response has no content"))?;
    for (i, block) in blocks.iter().enumerate() {
        decode_block(i as u64, block, out);
    }
    if let Some(u) = usage_from(v.get("usage")) {
        out.push(ChatEvent::Usage(u));
    }
    let raw = v.str_field("stop_reason").unwrap_or("end_turn").to_owned();
    out.push(ChatEvent::Finish {
        reason: FinishReason::normalize(&raw),
        raw,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(extra: &str) -> ChatOptions {
        let text = format!(r#"{{"endpoint":"/v1/messages","model":"claude-sonnet-4"{extra}}}"#);
        ChatOptions::from_json(&Json::parse(&text).unwrap()).unwrap()
    }

    #[test]
    fn body_moves_system_up_and_converts_images() {
        let msgs = [
            Message::text(Role::System, "be brief"),
            Message {
                parts: vec![
                    ContentPart::Image("data:image/png;base64,AA==".into()),
                    ContentPart::Text("what?".into()),
                ],
                ..Message::text(Role::User, "")
            },
        ];
        let body = request_body(&opts(""), &msgs, true);
        assert_eq!(
            body.to_string(),
            r#"{"model":"claude-sonnet-4","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}},{"type":"text","text":"what?"}]}],"system":"be brief","stream":true}"#
        );
    }

    #[test]
    fn every_parameter_and_tool_turns_with_signed_thinking() {
        let o = opts(
            r#","maxTokens":8000,"topP":0.8,"stopSequences":["STOP"],"metadata":{"user_id":"u1"},"thinking":{"budgetTokens":2048},"tools":[{"name":"get_time","description":"Now"}],"toolChoice":"auto""#,
        );
        let call = crate::protocol::ToolCall {
            index: 1,
            id: "toolu_1".into(),
            name: "get_time".into(),
            arguments: r#"{"tz":"UTC"}"#.into(),
        };
        let assistant = Message {
            tool_calls: vec![call],
            thinking: Some(crate::protocol::Thinking {
                text: "need time".into(),
                signature: "sig".into(),
            }),
            ..Message::text(Role::Assistant, "Checking.")
        };
        let msgs = [
            Message::text(Role::User, "time?"),
            assistant,
            Message::tool_result("toolu_1", "12:00", false),
            Message::tool_result("toolu_2", "boom", true),
        ];
        assert_eq!(
            request_body(&o, &msgs, false).to_string(),
            r#"{"model":"claude-sonnet-4","max_tokens":8000,"messages":[{"role":"user","content":"time?"},{"role":"assistant","content":[{"type":"thinking","thinking":"need time","signature":"sig"},{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"get_time","input":{"tz":"UTC"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"12:00"},{"type":"tool_result","tool_use_id":"toolu_2","content":"boom","is_error":true}]}],"stream":false,"top_p":0.8,"stop_sequences":["STOP"],"metadata":{"user_id":"u1"},"thinking":{"type":"enabled","budget_tokens":2048},"tools":[{"name":"get_time","description":"Now","input_schema":{"type":"object","properties":{}}}],"tool_choice":{"type":"auto"}}"#
        );
    }

    #[test]
    fn error_events_carry_type_and_message() {
        let ev = SseEvent {
            event: "error".into(),
            data: r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
                .into(),
            id: String::new(),
        };
        let err = StreamDecoder::default()
            .decode(&ev, &mut Vec::new())
            .unwrap_err();
        assert_eq!(
            (err.message.as_str(), err.code.as_deref()),
            ("Overloaded", Some("overloaded_error"))
        );
    }

    #[test]
    fn an_all_zero_usage_in_message_start_is_a_placeholder() {
        // LiteLLM's /v1/messages: zeros first, the real counts in message_delta.
        let event = |event: &str, data: &str| SseEvent {
            event: event.into(),
            data: data.into(),
            id: String::new(),
        };
        let mut out = Vec::new();
        let mut d = StreamDecoder::default();
        for ev in [
            event(
                "message_start",
                r#"{"type":"message_start","message":{"id":"m","model":"x","usage":{"input_tokens":0,"output_tokens":0}}}"#,
            ),
            event(
                "message_delta",
                r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":8,"output_tokens":17}}"#,
            ),
        ] {
            d.decode(&ev, &mut out).expect("valid events");
        }
        let usages: Vec<_> = out
            .iter()
            .filter_map(|e| match e {
                crate::protocol::ChatEvent::Usage(u) => Some((u.input_tokens, u.output_tokens)),
                _ => None,
            })
            .collect();
        assert_eq!(usages, [(Some(8), Some(17))]);
    }
}
