//! Chat-completions codec: the request body here (Claude behind the AI/ML API takes
//! Anthropic-style fields), the reply decoding in `stream`.

use crate::prelude::*;

mod stream;

pub use stream::{decode_complete, StreamDecoder};

use super::{
    is_claude, parse_data_url, ChatOptions, ContentPart, Message, Role, ToolChoice, ToolFormat,
};
use crate::json::Json;

fn obj(pairs: Vec<(&str, Json)>) -> Json {
    Json::object(pairs)
}

/// The chat-completions body. Claude models behind the AI/ML API take Anthropic-style
/// fields (top-level `system`, `stop_sequences`, `top_k`, base64 image parts); other
/// OpenAI-compatible models get the OpenAI names.
pub fn request_body(opts: &ChatOptions, messages: &[Message], stream: bool) -> Json {
    let claude = is_claude(&opts.model);
    let mut system = Vec::new();
    if let Some(s) = &opts.system {
        system.push(s.clone());
    }
    let mut wire = Vec::new();
    for m in messages {
        if m.role == Role::System && (claude || !system.is_empty() && wire.is_empty()) {
            system.push(m.joined_text());
            continue;
        }
        wire.push(message_json(m, claude));
    }
    let system = join(&system, "\n\n");
    if !system.is_empty() && !claude {
        wire.insert(
            0,
            message_json(&Message::text(Role::System, system.clone()), false),
        );
    }
    let mut body = Json::obj();
    body.push("model", Json::str(&opts.model));
    body.push("messages", Json::Arr(wire));
    body.push("stream", Json::Bool(stream));
    if stream && opts.include_usage {
        body.push(
            "stream_options",
            obj(vec![("include_usage", Json::Bool(true))]),
        );
    }
    if claude && !system.is_empty() {
        body.push("system", Json::Str(system));
    }
    let num = |n: u64| Json::Num(n as f64);
    if let Some(n) = opts.effective_max_tokens() {
        body.push("max_tokens", num(n));
    }
    for (key, value) in [
        ("temperature", opts.temperature),
        ("top_p", opts.top_p),
        ("frequency_penalty", opts.frequency_penalty),
    ] {
        if let Some(v) = value {
            body.push(key, Json::Num(v));
        }
    }
    if let Some(k) = opts.top_k {
        body.push("top_k", num(k));
    }
    if !opts.stop_sequences.is_empty() {
        let mut stops = Vec::new();
        for stop in &opts.stop_sequences {
            stops.push(Json::str(stop));
        }
        body.push(
            if claude { "stop_sequences" } else { "stop" },
            Json::Arr(stops),
        );
    }
    if !opts.tools.is_empty() {
        let mut tools = Vec::new();
        for t in &opts.tools {
            let description = t.description.clone().map_or(Json::Null, Json::Str);
            tools.push(match opts.tool_format {
                ToolFormat::OpenAi => obj(vec![
                    ("type", Json::str("function")),
                    (
                        "function",
                        obj(vec![
                            ("name", Json::str(&t.name)),
                            ("description", description),
                            ("parameters", Json::Raw(t.parameters.clone())),
                        ]),
                    ),
                ]),
                ToolFormat::Anthropic => obj(vec![
                    ("name", Json::str(&t.name)),
                    ("description", description),
                    ("input_schema", Json::Raw(t.parameters.clone())),
                ]),
            });
        }
        body.push("tools", Json::Arr(tools));
    }
    if opts.has_advanced() {
        advanced_fields(opts, &mut body);
    }
    body
}

crate::lazy!("a1000000000000000000000000000006" fn advanced_fields(opts: &ChatOptions, body: &mut Json) -> () {
    super::push_metadata_and_thinking(body, opts);
    if let Some(choice) = &opts.tool_choice {
        body.push(
            "tool_choice",
            match (opts.tool_format, choice) {
                (ToolFormat::OpenAi, ToolChoice::Auto) => Json::str("auto"),
                (ToolFormat::OpenAi, ToolChoice::None) => Json::str("none"),
                (ToolFormat::OpenAi, ToolChoice::Any) => Json::str("required"),
                (ToolFormat::OpenAi, ToolChoice::Tool(n)) => obj(vec![
                    ("type", Json::str("function")),
                    ("function", obj(vec![("name", Json::str(n))])),
                ]),
                (ToolFormat::Anthropic, ToolChoice::Auto) => obj(vec![("type", Json::str("auto"))]),
                (ToolFormat::Anthropic, ToolChoice::None) => obj(vec![("type", Json::str("none"))]),
                (ToolFormat::Anthropic, ToolChoice::Any) => obj(vec![("type", Json::str("any"))]),
                (ToolFormat::Anthropic, ToolChoice::Tool(n)) => {
                    obj(vec![("type", Json::str("tool")), ("name", Json::str(n))])
                }
            },
        );
    }
});

fn message_json(m: &Message, claude: bool) -> Json {
    let content = match m.parts.as_slice() {
        [] => Json::Null,
        [ContentPart::Text(t)] => Json::str(t),
        parts => parts_json(parts, claude),
    };
    let mut out = obj(vec![
        ("role", Json::str(m.role.as_str())),
        ("content", content),
    ]);
    if !m.tool_calls.is_empty() {
        out.push("tool_calls", super::message::calls_json(&m.tool_calls));
    }
    if let Some(id) = &m.tool_call_id {
        out.push("tool_call_id", Json::str(id));
    }
    out
}

crate::lazy!(
/// Content in parts (images, or text the page split): in the second module, which a message
/// with parts has loaded (attachments, a restored conversation and the JS API are there;
/// `build_request` checks).
"ac000000000000000000000000000001" fn parts_json(parts: &[ContentPart], claude: bool) -> Json {
    Json::Arr(parts.iter().map(|p| part_json(p, claude)).collect())
});

/// Whether a message's content goes out in parts (`parts_json`).
pub fn in_parts(m: &Message) -> bool {
    !matches!(m.parts.as_slice(), [] | [ContentPart::Text(_)])
}

/// The AI/ML API takes Claude images only as base64, in Anthropic's part shape.
fn part_json(p: &ContentPart, claude: bool) -> Json {
    match p {
        ContentPart::Text(t) => obj(vec![("type", Json::str("text")), ("text", Json::str(t))]),
        ContentPart::Image(url) => match parse_data_url(url).filter(|_| claude) {
            Some((media_type, data)) => obj(vec![
                ("type", Json::str("image")),
                (
                    "source",
                    obj(vec![
                        ("type", Json::str("base64")),
                        ("media_type", Json::str(media_type)),
                        ("data", Json::str(data)),
                    ]),
                ),
            ]),
            None => obj(vec![
                ("type", Json::str("image_url")),
                ("image_url", obj(vec![("url", Json::str(url))])),
            ]),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::protocol::{usage, ChatEvent};
    use crate::sse::SseEvent;

    fn opts(model: &str, system: Option<&str>) -> ChatOptions {
        let system = system.map_or(String::new(), |s| format!(r#","system":"{s}""#));
        let text = format!(r#"{{"endpoint":"/v1/chat/completions","model":"{model}"{system}}}"#);
        ChatOptions::from_json(&Json::parse(&text).unwrap()).unwrap()
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
    fn images_are_openai_parts_except_base64_for_claude() {
        let m = Message {
            parts: vec![
                ContentPart::Text("what?".into()),
                ContentPart::Image("data:image/png;base64,AA==".into()),
            ],
            ..Message::text(Role::User, "")
        };
        let body = request_body(&opts("gpt-4o", None), core::slice::from_ref(&m), false);
        assert_eq!(
            body.get("messages").unwrap().to_string(),
            r#"[{"role":"user","content":[{"type":"text","text":"what?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA=="}}]}]"#
        );
        let body = request_body(&opts("anthropic/claude-3.5-sonnet", None), &[m], false);
        assert!(body.get("messages").unwrap().to_string().contains(
            r#"{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}}"#
        ));
    }

    #[test]
    fn every_documented_parameter_reaches_the_body() {
        let text = r#"{"endpoint":"https://api.aimlapi.com/v1/chat/completions","model":"claude-3-7-sonnet-20250219","maxTokens":4096,"topP":0.9,"stopSequences":["END"],"frequencyPenalty":0.1,"metadata":{"user_id":"u"},"thinking":{"budgetTokens":1024},"tools":[{"name":"get_time","description":"Current time","parameters":{"type":"object","properties":{}}}],"toolChoice":"auto","system":"Be brief."}"#;
        let o = ChatOptions::from_json(&Json::parse(text).unwrap()).unwrap();
        let body = request_body(&o, &[Message::text(Role::User, "hi")], true);
        assert_eq!(
            body.to_string(),
            r#"{"model":"claude-3-7-sonnet-20250219","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true},"system":"Be brief.","max_tokens":4096,"top_p":0.9,"frequency_penalty":0.1,"stop_sequences":["END"],"tools":[{"type":"function","function":{"name":"get_time","description":"Current time","parameters":{"type":"object","properties":{}}}}],"metadata":{"user_id":"u"},"thinking":{"type":"enabled","budget_tokens":1024},"tool_choice":"auto"}"#
        );
        let anthropic_tools = text
            .replace(
                r#""toolChoice":"auto""#,
                r#""toolChoice":"auto","toolFormat":"anthropic","topK":5"#,
            )
            .replace(r#""thinking":{"budgetTokens":1024},"#, "");
        let o = ChatOptions::from_json(&Json::parse(&anthropic_tools).unwrap()).unwrap();
        let body = request_body(&o, &[Message::text(Role::User, "hi")], false);
        assert_eq!(
            body.get("tools").unwrap().to_string(),
            r#"[{"name":"get_time","description":"Current time","input_schema":{"type":"object","properties":{}}}]"#
        );
        assert_eq!(
            body.get("tool_choice").unwrap().to_string(),
            r#"{"type":"auto"}"#
        );
        assert_eq!(body.get("top_k").and_then(Json::as_u64), Some(5));
        assert!(body.get("stream_options").is_none());
    }

    #[test]
    fn tool_turns_round_trip_in_the_openai_shape() {
        let call = crate::protocol::ToolCall {
            index: 0,
            id: "c1".into(),
            name: "get_time".into(),
            arguments: "{}".into(),
            extra: None,
        };
        let assistant = Message {
            parts: vec![],
            tool_calls: vec![call],
            ..Message::text(Role::Assistant, "")
        };
        let body = request_body(
            &opts("gpt-4o", None),
            &[
                Message::text(Role::User, "time?"),
                assistant,
                Message::tool_result("c1", "12:00", false),
            ],
            true,
        );
        assert_eq!(
            body.get("messages").unwrap().to_string(),
            r#"[{"role":"user","content":"time?"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_time","arguments":"{}"}}]},{"role":"tool","content":"12:00","tool_call_id":"c1"}]"#
        );
        // Gemini's thought signature goes back with its call, through the public shape too.
        let extra = Json::parse(r#"{"google":{"thought_signature":"sig"}}"#).unwrap();
        let mut signed = Message::from_json(
            &Json::parse(r#"{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_time","arguments":"{}"},"extra_content":{"google":{"thought_signature":"sig"}}}]}"#).unwrap(),
        )
        .unwrap();
        assert_eq!(signed.tool_calls[0].extra.as_ref(), Some(&extra));
        assert_eq!(
            Message::from_json(&signed.to_json()).unwrap().tool_calls,
            signed.tool_calls
        );
        signed.tool_calls[0].index = 0;
        let body = request_body(
            &opts("gemini-2.5-flash", None),
            &[Message::text(Role::User, "time?"), signed],
            true,
        );
        assert!(body
            .to_string()
            .contains(r#""extra_content":{"google":{"thought_signature":"sig"}}"#));
    }

    #[test]
    fn aimlapi_cost_and_reasoning_tokens_are_read() {
        let mut d = StreamDecoder::default();
        let mut out = Vec::new();
        let data = r#"{"id":"x","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14,"completion_tokens_details":{"reasoning_tokens":4}},"meta":{"usage":{"credits_used":2480,"usd_spent":0.00124}}}"#;
        d.decode(
            &SseEvent {
                event: "message".into(),
                data: data.into(),
                id: String::new(),
            },
            &mut out,
        )
        .unwrap();
        let usage = out
            .iter()
            .find_map(|e| {
                if let ChatEvent::Usage(u) = e {
                    Some(*u)
                } else {
                    None
                }
            })
            .unwrap();
        assert_eq!(
            (
                usage.tokens(usage::REASONING),
                usage.0[usage::COST],
                usage.0[usage::CREDITS]
            ),
            (Some(4), Some(0.00124), Some(2480.0))
        );
        assert!(d.is_complete());
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

    fn decode_all(chunks: &[&str]) -> (Vec<ChatEvent>, Result<(), crate::error::ChatError>) {
        let mut d = StreamDecoder::default();
        let mut out = Vec::new();
        for data in chunks {
            let ev = SseEvent {
                event: "message".into(),
                data: (*data).into(),
                id: String::new(),
            };
            if let Err(e) = d.decode(&ev, &mut out) {
                return (out, Err(e));
            }
        }
        (out, Ok(()))
    }

    #[test]
    fn errors_without_an_error_object_are_still_errors() {
        // vLLM's unwrapped ErrorResponse, and OpenRouter's finish_reason "error" alone.
        let (_, r) = decode_all(&[
            r#"{"object":"error","message":"Out of memory","type":"InternalServerError","code":500}"#,
        ]);
        let e = r.unwrap_err();
        assert_eq!(
            (e.kind, e.message.as_str(), e.code.as_deref()),
            (ErrorKind::Stream, "Out of memory", Some("500"))
        );
        let (out, r) = decode_all(&[
            r#"{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"#,
            r#"{"choices":[{"index":0,"delta":{},"finish_reason":"error"}]}"#,
        ]);
        assert_eq!(r.unwrap_err().kind, ErrorKind::Stream);
        assert!(out.contains(&ChatEvent::Text("Hi".into())));
    }

    #[test]
    fn index_less_fragments_join_the_last_call_and_a_new_name_or_id_starts_one() {
        let (out, _) = decode_all(&[
            r#"{"choices":[{"delta":{"tool_calls":[{"function":{"name":"a","arguments":"{\"x\":"}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"1}"}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"function":{"name":"b","arguments":"{}"}}]}}]}"#,
        ]);
        let indexes: Vec<u64> = out
            .iter()
            .filter_map(|e| match e {
                ChatEvent::ToolCall { index, .. } => Some(*index),
                _ => None,
            })
            .collect();
        assert_eq!(indexes, [0, 0, 1]);
    }
}
