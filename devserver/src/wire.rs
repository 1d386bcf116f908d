//! Puts the demo model's answer on the wire exactly as the real services do: the AI/ML API's
//! Claude flavour of chat completions (no `[DONE]`, `id` only first, usage on the finish
//! chunk, a trailing finish-only chunk), plain OpenAI (`[DONE]`, optional usage chunk), and
//! Anthropic Messages events.

use crate::model::{Answer, Api, Ask, Piece};
use serde_json::{json, Value};

/// Where an event sits in the stream; faults and pacing act on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Head,
    Content,
    Tail,
}

/// One SSE event, already framed (`data: …\n\n`, LF line endings).
#[derive(Debug, Clone)]
pub struct Event {
    pub text: String,
    pub stage: Stage,
}

fn data(v: &Value, stage: Stage) -> Event {
    Event {
        text: format!("data: {v}\n\n"),
        stage,
    }
}

fn named(name: &str, v: &Value, stage: Stage) -> Event {
    Event {
        text: format!("event: {name}\ndata: {v}\n\n"),
        stage,
    }
}

/// The AI/ML API serves Claude through chat completions with its own quirks.
pub fn aimlapi_flavour(ask: &Ask) -> bool {
    ask.model.contains("claude")
}

pub fn stream_events(api: Api, ask: &Ask, answer: &Answer, id: &str, created: u64) -> Vec<Event> {
    match api {
        Api::Chat => chat_events(ask, answer, id, created),
        Api::Messages => messages_events(ask, answer, id),
    }
}

fn chat_events(ask: &Ask, answer: &Answer, id: &str, created: u64) -> Vec<Event> {
    let aiml = aimlapi_flavour(ask);
    let model = &ask.model;
    let chunk = |first: bool, delta: Value, finish: Value| {
        let id = if first || !aiml { id } else { "" };
        json!({"id": id, "object": "chat.completion.chunk", "created": created, "model": model,
               "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]})
    };
    let mut out = vec![data(
        &chunk(
            true,
            json!({"role": "assistant", "content": ""}),
            Value::Null,
        ),
        Stage::Head,
    )];
    for piece in &answer.pieces {
        let delta = match piece {
            Piece::Reasoning(t) => json!({"reasoning_content": t}),
            Piece::Text(t) => json!({"content": t}),
        };
        out.push(data(&chunk(false, delta, Value::Null), Stage::Content));
    }
    let finish = if answer.truncated { "length" } else { "stop" };
    let usage = json!({"prompt_tokens": ask.input_tokens, "completion_tokens": answer.output_tokens(),
                       "total_tokens": ask.input_tokens + answer.output_tokens()});
    let mut last = chunk(false, json!({}), json!(finish));
    if aiml {
        last["usage"] = usage;
        out.push(data(&last, Stage::Tail));
        out.push(data(
            &json!({"id": "", "object": "chat.completion.chunk", "created": created, "model": model,
                              "choices": [{"index": 0, "finish_reason": finish}], "usage": null}),
            Stage::Tail,
        ));
    } else {
        out.push(data(&last, Stage::Tail));
        if ask.include_usage {
            out.push(data(&json!({"id": id, "object": "chat.completion.chunk", "created": created, "model": model,
                                  "choices": [], "usage": usage}), Stage::Tail));
        }
        out.push(Event {
            text: "data: [DONE]\n\n".into(),
            stage: Stage::Tail,
        });
    }
    out
}

fn messages_events(ask: &Ask, answer: &Answer, id: &str) -> Vec<Event> {
    let mut out = vec![named(
        "message_start",
        &json!({"type": "message_start", "message": {
        "id": id, "type": "message", "role": "assistant", "content": [], "model": ask.model,
        "stop_reason": null, "stop_sequence": null,
        "usage": {"input_tokens": ask.input_tokens, "output_tokens": 1}}}),
        Stage::Head,
    )];
    let mut index = 0;
    let mut open: Option<&str> = None;
    for piece in &answer.pieces {
        let (kind, delta) = match piece {
            Piece::Reasoning(t) => ("thinking", json!({"type": "thinking_delta", "thinking": t})),
            Piece::Text(t) => ("text", json!({"type": "text_delta", "text": t})),
        };
        if open != Some(kind) {
            if let Some(prev) = open {
                close_block(&mut out, index, prev);
                index += 1;
            }
            let block = if kind == "thinking" {
                json!({"type": "thinking", "thinking": "", "signature": ""})
            } else {
                json!({"type": "text", "text": ""})
            };
            out.push(named(
                "content_block_start",
                &json!({"type": "content_block_start", "index": index, "content_block": block}),
                Stage::Content,
            ));
            if index == 0 {
                out.push(named("ping", &json!({"type": "ping"}), Stage::Content));
            }
            open = Some(kind);
        }
        out.push(named(
            "content_block_delta",
            &json!({"type": "content_block_delta", "index": index, "delta": delta}),
            Stage::Content,
        ));
    }
    if let Some(prev) = open {
        close_block(&mut out, index, prev);
    }
    let stop = if answer.truncated {
        "max_tokens"
    } else {
        "end_turn"
    };
    out.push(named(
        "message_delta",
        &json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null},
                                             "usage": {"output_tokens": answer.output_tokens()}}),
        Stage::Tail,
    ));
    out.push(named(
        "message_stop",
        &json!({"type": "message_stop"}),
        Stage::Tail,
    ));
    out
}

fn close_block(out: &mut Vec<Event>, index: usize, kind: &str) {
    if kind == "thinking" {
        // Real thinking blocks end with an opaque signature the client must send back.
        out.push(named(
            "content_block_delta",
            &json!({"type": "content_block_delta", "index": index,
            "delta": {"type": "signature_delta", "signature": "ZGVtby1zaWduYXR1cmU="}}),
            Stage::Content,
        ));
    }
    out.push(named(
        "content_block_stop",
        &json!({"type": "content_block_stop", "index": index}),
        Stage::Content,
    ));
}

/// The in-stream error each API sends when generation fails midway.
pub fn stream_error(api: Api) -> Event {
    match api {
        Api::Chat => data(
            &json!({"error": {"message": "Overloaded", "type": "overloaded_error", "param": null, "code": "529"}}),
            Stage::Tail,
        ),
        Api::Messages => named(
            "error",
            &json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
            Stage::Tail,
        ),
    }
}

/// The non-streaming response body.
pub fn complete_body(api: Api, ask: &Ask, answer: &Answer, id: &str, created: u64) -> Value {
    let (text, reasoning) = (answer.text(), answer.reasoning());
    match api {
        Api::Chat => {
            let aiml = aimlapi_flavour(ask);
            let finish = match (answer.truncated, aiml) {
                (true, true) => "max_tokens",
                (true, false) => "length",
                (false, true) => "end_turn",
                (false, false) => "stop",
            };
            let mut message = json!({"role": "assistant", "content": text});
            if aiml || !reasoning.is_empty() {
                message["reasoning_content"] = json!(reasoning);
            }
            json!({"id": id, "object": "chat.completion", "created": created, "model": ask.model,
                   "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": finish}],
                   "usage": {"prompt_tokens": ask.input_tokens, "completion_tokens": answer.output_tokens(),
                             "total_tokens": ask.input_tokens + answer.output_tokens()}})
        }
        Api::Messages => {
            let mut content = Vec::new();
            if !reasoning.is_empty() {
                content.push(json!({"type": "thinking", "thinking": reasoning, "signature": "ZGVtby1zaWduYXR1cmU="}));
            }
            content.push(json!({"type": "text", "text": text}));
            json!({"id": id, "type": "message", "role": "assistant", "model": ask.model, "content": content,
                   "stop_reason": if answer.truncated { "max_tokens" } else { "end_turn" }, "stop_sequence": null,
                   "usage": {"input_tokens": ask.input_tokens, "output_tokens": answer.output_tokens()}})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{answer, validate};

    fn ask(api: Api, body: &str) -> Ask {
        validate(api, body.as_bytes()).unwrap()
    }

    #[test]
    fn aimlapi_flavour_has_its_quirks() {
        let a = ask(
            Api::Chat,
            r#"{"model":"anthropic/claude-sonnet-4","stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
        );
        let ev = stream_events(Api::Chat, &a, &answer(&a), "msg_1", 1);
        let all: String = ev.iter().map(|e| e.text.as_str()).collect();
        assert!(!all.contains("[DONE]"));
        assert_eq!(all.matches("\"id\":\"msg_1\"").count(), 1);
        assert!(
            ev.last().unwrap().text.contains("\"usage\":null")
                && !ev.last().unwrap().text.contains("delta")
        );
    }

    #[test]
    fn openai_flavour_ends_with_done_and_optional_usage() {
        let a = ask(
            Api::Chat,
            r#"{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#,
        );
        let ev = stream_events(Api::Chat, &a, &answer(&a), "c1", 1);
        assert_eq!(ev.last().unwrap().text, "data: [DONE]\n\n");
        assert!(ev[ev.len() - 2].text.contains("\"choices\":[]"));
    }

    #[test]
    fn anthropic_thinking_then_text_blocks() {
        let a = ask(
            Api::Messages,
            r#"{"model":"claude-sonnet-4","max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"hi"}]}"#,
        );
        let ev = stream_events(Api::Messages, &a, &answer(&a), "msg_1", 1);
        let all: String = ev.iter().map(|e| e.text.as_str()).collect();
        assert!(all.contains("\"index\":0,\"content_block\":{\"signature\":\"\",\"thinking\":\"\",\"type\":\"thinking\"}") || all.contains("thinking_delta"));
        assert!(all.contains("signature_delta") && all.contains("\"index\":1"));
        assert!(all.ends_with("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
    }
}
