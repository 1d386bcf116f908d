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
    if let Some(call) = &answer.tool_call {
        // Claude behind a gateway numbers the call after the text block (index 1).
        let index = usize::from(aiml && !answer.text().is_empty());
        let first = json!({"tool_calls": [{"index": index, "id": call.id, "type": "function", "function": {"name": call.name, "arguments": ""}}]});
        out.push(data(&chunk(false, first, Value::Null), Stage::Content));
        for fragment in fragments(&call.arguments) {
            let delta =
                json!({"tool_calls": [{"index": index, "function": {"arguments": fragment}}]});
            out.push(data(&chunk(false, delta, Value::Null), Stage::Content));
        }
    }
    let finish = match (answer.truncated, answer.tool_call.is_some()) {
        (true, _) => "length",
        (false, true) => "tool_calls",
        (false, false) => "stop",
    };
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
        index += 1;
    }
    if let Some(call) = &answer.tool_call {
        let block = json!({"type": "tool_use", "id": call.id, "name": call.name, "input": {}});
        out.push(named(
            "content_block_start",
            &json!({"type": "content_block_start", "index": index, "content_block": block}),
            Stage::Content,
        ));
        for fragment in std::iter::once(String::new()).chain(fragments(&call.arguments)) {
            let delta = json!({"type": "input_json_delta", "partial_json": fragment});
            out.push(named(
                "content_block_delta",
                &json!({"type": "content_block_delta", "index": index, "delta": delta}),
                Stage::Content,
            ));
        }
        close_block(&mut out, index, "tool_use");
    }
    let stop = match (answer.truncated, answer.tool_call.is_some()) {
        (true, _) => "max_tokens",
        (false, true) => "tool_use",
        (false, false) => "end_turn",
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

/// Tool arguments arrive in a few fragments, as real models send them.
fn fragments(arguments: &str) -> Vec<String> {
    let chars: Vec<char> = arguments.chars().collect();
    chars
        .chunks(chars.len().div_ceil(3).max(1))
        .map(|c| c.iter().collect())
        .collect()
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
pub fn stream_error(api: Api, message: &str) -> Event {
    match api {
        Api::Chat => data(
            &json!({"error": {"message": message, "type": "overloaded_error", "param": null, "code": "529"}}),
            Stage::Tail,
        ),
        Api::Messages => named(
            "error",
            &json!({"type": "error", "error": {"type": "overloaded_error", "message": message}}),
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
            let finish = match (answer.truncated, answer.tool_call.is_some(), aiml) {
                (true, _, true) => "max_tokens",
                (true, _, false) => "length",
                (false, true, true) => "tool_use",
                (false, true, false) => "tool_calls",
                (false, false, true) => "end_turn",
                (false, false, false) => "stop",
            };
            let mut message = json!({"role": "assistant", "content": text});
            if aiml || !reasoning.is_empty() {
                message["reasoning_content"] = json!(reasoning);
            }
            if let Some(call) = &answer.tool_call {
                message["tool_calls"] = json!([{"id": call.id, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}]);
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
            let mut stop = if answer.truncated {
                "max_tokens"
            } else {
                "end_turn"
            };
            if let Some(call) = &answer.tool_call {
                let input: Value =
                    serde_json::from_str(&call.arguments).unwrap_or_else(|_| json!({}));
                content.push(
                    json!({"type": "tool_use", "id": call.id, "name": call.name, "input": input}),
                );
                stop = "tool_use";
            }
            json!({"id": id, "type": "message", "role": "assistant", "model": ask.model, "content": content,
                   "stop_reason": stop, "stop_sequence": null,
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
    fn offered_tools_are_called_then_the_result_is_answered() {
        let a = ask(
            Api::Chat,
            r#"{"model":"anthropic/claude-sonnet-4","stream":true,"tools":[{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"timezone":{"type":"string"}}}}}],"messages":[{"role":"user","content":"what time is it?"}]}"#,
        );
        let all: String = stream_events(Api::Chat, &a, &answer(&a), "m", 1)
            .iter()
            .map(|e| e.text.clone())
            .collect();
        assert!(all.contains(r#""tool_calls":[{"index":1,"id":"call_demo_1","type":"function","function":{"name":"get_time","arguments":""}}]"#), "{all}");
        assert!(all.contains(r#""finish_reason":"tool_calls""#));
        let a = ask(
            Api::Messages,
            r#"{"model":"claude-sonnet-4","max_tokens":500,"stream":true,"tools":[{"name":"get_time","input_schema":{"type":"object","properties":{"timezone":{"type":"string"}}}}],"messages":[{"role":"user","content":"time?"}]}"#,
        );
        let all: String = stream_events(Api::Messages, &a, &answer(&a), "m", 1)
            .iter()
            .map(|e| e.text.clone())
            .collect();
        assert!(all.contains(r#""content_block":{"type":"tool_use","id":"call_demo_1","name":"get_time","input":{}}"#) && all.contains(r#""stop_reason":"tool_use""#), "{all}");
        let a = ask(
            Api::Messages,
            r#"{"model":"claude-sonnet-4","max_tokens":500,"tools":[{"name":"get_time"}],"messages":[{"role":"user","content":"time?"},{"role":"assistant","content":[{"type":"tool_use","id":"c","name":"get_time","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"c","content":"12:00 UTC"}]}]}"#,
        );
        let reply = answer(&a);
        assert!(reply.tool_call.is_none() && reply.text().contains("12:00 UTC"));
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
