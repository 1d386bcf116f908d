//! Anthropic Messages codec (`POST /v1/messages`): converts the OpenAI-shaped messages of
//! the public API into content blocks and reads the `message_start` … `message_stop` event
//! sequence (research/api-formats.md §3).

use crate::prelude::*;

mod quick;
mod stream;

pub use stream::{decode_complete, StreamDecoder};

use super::{parse_data_url, ChatOptions, ContentPart, Message, Role, ThinkingBlock, ToolChoice};
use crate::json::Json;

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
        body.push("system", Json::Str(join(&system, "\n\n")));
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
            tool.push("input_schema", Json::Raw(t.parameters.clone()));
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
    for t in &m.thinking {
        blocks.push(match t {
            ThinkingBlock::Signed { text, signature } => obj(vec![
                ("type", Json::str("thinking")),
                ("thinking", Json::str(text)),
                ("signature", Json::str(signature)),
            ]),
            ThinkingBlock::Redacted(data) => obj(vec![
                ("type", Json::str("redacted_thinking")),
                ("data", Json::str(data)),
            ]),
        });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::usage;
    use crate::sse::SseEvent;

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
            extra: None,
        };
        let assistant = Message {
            tool_calls: vec![call],
            thinking: vec![
                ThinkingBlock::Signed {
                    text: "need time".into(),
                    signature: "sig".into(),
                },
                ThinkingBlock::Redacted("opaque".into()),
            ],
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
            r#"{"model":"claude-sonnet-4","max_tokens":8000,"messages":[{"role":"user","content":"time?"},{"role":"assistant","content":[{"type":"thinking","thinking":"need time","signature":"sig"},{"type":"redacted_thinking","data":"opaque"},{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"get_time","input":{"tz":"UTC"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"12:00"},{"type":"tool_result","tool_use_id":"toolu_2","content":"boom","is_error":true}]}],"stream":false,"top_p":0.8,"stop_sequences":["STOP"],"metadata":{"user_id":"u1"},"thinking":{"type":"enabled","budget_tokens":2048},"tools":[{"name":"get_time","description":"Now","input_schema":{"type":"object","properties":{}}}],"tool_choice":{"type":"auto"}}"#
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
                crate::protocol::ChatEvent::Usage(u) => {
                    Some((u.tokens(usage::INPUT), u.tokens(usage::OUTPUT)))
                }
                _ => None,
            })
            .collect();
        assert_eq!(usages, [(Some(8), Some(17))]);
    }
}
