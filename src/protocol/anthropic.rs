//! Anthropic Messages codec (`POST /v1/messages`): converts the OpenAI-shaped messages of
//! the public API into content blocks and reads the `message_start` … `message_stop` event
//! sequence (research/api-formats.md §3).

use super::{ChatEvent, ChatOptions, ContentPart, FinishReason, Message, Role, Usage};
use crate::error::{ChatError, ErrorKind};
use crate::json::Json;
use crate::sse::SseEvent;

/// The Messages API requires `max_tokens`; this is used when the page sets none.
pub const DEFAULT_MAX_TOKENS: u64 = 4096;

pub fn request_body(opts: &ChatOptions, messages: &[Message], stream: bool) -> Json {
    let mut system: Vec<String> = opts.system.iter().cloned().collect();
    let mut wire = Vec::new();
    for m in messages {
        if m.role == Role::System {
            system.push(m.joined_text());
        } else {
            wire.push(Json::Obj(vec![
                ("role".into(), Json::str(m.role.as_str())),
                ("content".into(), content_json(&m.parts)),
            ]));
        }
    }
    let mut body = Json::obj();
    body.push("model", Json::str(&opts.model));
    body.push(
        "max_tokens",
        Json::Num(opts.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS) as f64),
    );
    body.push("messages", Json::Arr(wire));
    if !system.is_empty() {
        body.push("system", Json::Str(system.join("\n\n")));
    }
    body.push("stream", Json::Bool(stream));
    if let Some(t) = opts.temperature {
        body.push("temperature", Json::Num(t));
    }
    if let Some(p) = opts.top_p {
        body.push("top_p", Json::Num(p));
    }
    body
}

fn content_json(parts: &[ContentPart]) -> Json {
    if let [ContentPart::Text(t)] = parts {
        return Json::str(t);
    }
    let block = |pairs: Vec<(&str, Json)>| {
        Json::Obj(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    };
    Json::Arr(
        parts
            .iter()
            .map(|p| match p {
                ContentPart::Text(t) => {
                    block(vec![("type", Json::str("text")), ("text", Json::str(t))])
                }
                ContentPart::Image(url) => {
                    let source = match parse_data_url(url) {
                        Some((media_type, data)) => block(vec![
                            ("type", Json::str("base64")),
                            ("media_type", Json::str(media_type)),
                            ("data", Json::str(data)),
                        ]),
                        None => block(vec![("type", Json::str("url")), ("url", Json::str(url))]),
                    };
                    block(vec![("type", Json::str("image")), ("source", source)])
                }
            })
            .collect(),
    )
}

/// `data:image/png;base64,AAAA` → (`image/png`, `AAAA`).
fn parse_data_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("data:")?;
    let (meta, data) = rest.split_once(',')?;
    let media_type = meta.strip_suffix(";base64")?;
    Some((media_type, data))
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
    };
    (u != Usage::default()).then_some(u)
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

    #[test]
    fn body_moves_system_up_and_converts_images() {
        let opts = ChatOptions {
            endpoint: "/v1/messages".into(),
            model: "claude-sonnet-4".into(),
            ..Default::default()
        };
        let msgs = [
            Message::text(Role::System, "be brief"),
            Message {
                role: Role::User,
                parts: vec![
                    ContentPart::Image("data:image/png;base64,AA==".into()),
                    ContentPart::Text("what?".into()),
                ],
            },
        ];
        let body = request_body(&opts, &msgs, true);
        assert_eq!(
            body.to_string(),
            r#"{"model":"claude-sonnet-4","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}},{"type":"text","text":"what?"}]}],"system":"be brief","stream":true}"#
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
}
