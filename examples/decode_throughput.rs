//! Native decode throughput on the bench's 20 MB stream of chat-completions chunks: the
//! whole pipeline (SSE parser + OpenAI decoder + reply) with and without the decoders'
//! shortcuts, the same for a reasoning stream and an Anthropic Messages stream of the same
//! size, then each stage alone — the SSE parser, the in-place JSON check, a full JSON tree
//! (`cargo run --release --example decode_throughput`). Prints medians of 7 runs.

#![cfg_attr(target_arch = "wasm32", allow(dead_code))]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use rill_chat::conversation::ReplyStream;
    use rill_chat::json::{Json, Raw};
    use rill_chat::protocol::Provider;
    use rill_chat::sse::SseParser;
    use std::hint::black_box;
    const EVENTS: usize = 129_033;
    let data = r#"{"id":"chatcmpl-x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"tok"},"finish_reason":null}]}"#;
    let mut body = format!("data: {data}\n\n").repeat(EVENTS).into_bytes();
    body.extend_from_slice(b"data: [DONE]\n\n");
    let mb = body.len() as f64 / 1e6;
    let median = |f: &mut dyn FnMut()| {
        let mut times: Vec<f64> = (0..7)
            .map(|_| {
                let t = std::time::Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[3]
    };
    let report = |what: &str, secs: f64| {
        println!("{what:<28} {:>7.1} ms  {:>5.0} MB/s", secs * 1e3, mb / secs);
    };
    let whole = |body: &[u8], provider: Provider, exact: bool| {
        let mut s = if exact {
            ReplyStream::exact(provider)
        } else {
            ReplyStream::new(provider)
        };
        let mut events = Vec::new();
        for chunk in body.chunks(65536) {
            s.feed(chunk, &mut events).unwrap();
            events.clear();
        }
        s.end().unwrap();
    };
    report(
        "whole pipeline",
        median(&mut || whole(&body, Provider::OpenAi, false)),
    );
    report(
        "… every chunk read in full",
        median(&mut || whole(&body, Provider::OpenAi, true)),
    );
    // The same size of reasoning deltas, and of Anthropic text deltas.
    let thinking = String::from_utf8(body.clone())
        .unwrap()
        .replace(r#"{"content":"tok"}"#, r#"{"reasoning_content":"tok"}"#)
        .into_bytes();
    report(
        "reasoning stream",
        median(&mut || whole(&thinking, Provider::OpenAi, false)),
    );
    report(
        "… read in full",
        median(&mut || whole(&thinking, Provider::OpenAi, true)),
    );
    let delta =
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tok"}}"#;
    let mut messages = String::from("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude\",\"usage\":{\"input_tokens\":1}}}\n\n");
    messages.push_str(
        &format!("event: content_block_delta\ndata: {delta}\n\n").repeat(EVENTS * 150 / 100),
    );
    messages.push_str("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    let messages = messages.into_bytes();
    let mb_messages = messages.len() as f64 / 1e6;
    let report_m = |what: &str, secs: f64| {
        println!(
            "{what:<28} {:>7.1} ms  {:>5.0} MB/s",
            secs * 1e3,
            mb_messages / secs
        );
    };
    report_m(
        "Messages stream",
        median(&mut || whole(&messages, Provider::Anthropic, false)),
    );
    report_m(
        "… read in full",
        median(&mut || whole(&messages, Provider::Anthropic, true)),
    );
    report(
        "SSE parser alone",
        median(&mut || {
            let mut p = SseParser::new();
            let mut events = Vec::new();
            for chunk in body.chunks(65536) {
                p.feed(chunk, &mut events).unwrap();
                events.clear();
            }
        }),
    );
    report(
        "in-place JSON check alone",
        median(&mut || {
            for _ in 0..EVENTS {
                black_box(Raw::parse(black_box(data)).unwrap());
            }
        }),
    );
    report(
        "full JSON tree alone",
        median(&mut || {
            for _ in 0..EVENTS {
                black_box(Json::parse(black_box(data)).unwrap());
            }
        }),
    );
}
