//! Every recorded stream in ../shared/fixtures/streams, fed through the SSE parser and the
//! matching decoder in many chunkings, must give the reply its `.json` sibling expects.
#![cfg(not(target_arch = "wasm32"))]

use rill_chat::conversation::Reply;
use rill_chat::error::ErrorKind;
use rill_chat::json::Json;
use rill_chat::protocol::{Provider, StreamDecoder};
use rill_chat::sse::SseParser;
use std::path::PathBuf;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/streams")
}

/// Runs one body through parser + decoder with the given chunk size.
fn decode(
    body: &[u8],
    provider: Provider,
    chunk: usize,
) -> (Reply, Option<rill_chat::error::ChatError>, bool) {
    let mut parser = SseParser::new();
    let mut decoder = StreamDecoder::new(provider);
    let mut reply = Reply::default();
    let (mut events, mut chat) = (Vec::new(), Vec::new());
    for piece in body.chunks(chunk) {
        parser
            .feed(piece, &mut events)
            .expect("fixture within limits");
        for ev in events.drain(..) {
            if let Err(e) = decoder.decode(&ev, &mut chat) {
                chat.drain(..).for_each(|c| reply.apply(&c));
                return (reply, Some(e), decoder.is_complete());
            }
            chat.drain(..).for_each(|c| reply.apply(&c));
        }
    }
    parser.end();
    (reply, None, decoder.is_complete())
}

#[test]
fn all_fixture_streams_decode_to_their_expected_reply() {
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(fixtures_dir())
        .expect("../shared/fixtures/streams beside the repo")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("sse") {
            continue;
        }
        let body = std::fs::read(&path).unwrap();
        let meta =
            Json::parse(&std::fs::read_to_string(path.with_extension("json")).unwrap()).unwrap();
        let expected = meta.get("expected").unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let provider = if name.starts_with("anthropic") || name.starts_with("litellm-anthropic") {
            Provider::Anthropic
        } else {
            Provider::OpenAi
        };
        for chunk in [body.len().max(1), 64, 7, 1] {
            let (reply, err, complete) = decode(&body, provider, chunk);
            let ctx = format!("{name} in {chunk}-byte chunks");
            assert_eq!(
                reply.text,
                expected.get("final_text").unwrap().as_str().unwrap(),
                "{ctx}: text"
            );
            assert_eq!(
                reply.reasoning,
                expected
                    .get("reasoning_text")
                    .and_then(Json::as_str)
                    .unwrap_or(""),
                "{ctx}: reasoning"
            );
            let calls = expected.get("tool_calls").unwrap().as_array().unwrap();
            assert_eq!(reply.tool_calls.len(), calls.len(), "{ctx}: tool calls");
            for (got, want) in reply.tool_calls.iter().zip(calls) {
                assert_eq!(
                    got.index,
                    want.get("index").unwrap().as_u64().unwrap(),
                    "{ctx}"
                );
                assert_eq!(got.id, want.get("id").unwrap().as_str().unwrap(), "{ctx}");
                assert_eq!(
                    got.name,
                    want.get("name").unwrap().as_str().unwrap(),
                    "{ctx}"
                );
                let args = want
                    .get("arguments")
                    .or(want.get("input_json"))
                    .unwrap()
                    .as_str()
                    .unwrap();
                assert_eq!(got.arguments, args, "{ctx}: arguments");
            }
            let raw = reply.finish.as_ref().map(|(_, raw)| raw.as_str());
            let want_finish = expected.get("finish_reason").and_then(Json::as_str);
            // The legacy envelope keeps the Anthropic reason in state; the choice says "stop".
            assert_eq!(raw, want_finish, "{ctx}: finish");
            match expected.get("error").filter(|e| !e.is_null()) {
                Some(want) => {
                    let err = err.unwrap_or_else(|| panic!("{ctx}: expected an error"));
                    assert_eq!(err.kind, ErrorKind::Stream, "{ctx}");
                    assert_eq!(
                        err.message,
                        want.get("message").unwrap().as_str().unwrap(),
                        "{ctx}"
                    );
                    assert!(!complete, "{ctx}: an errored stream is not complete");
                }
                None => {
                    assert!(err.is_none(), "{ctx}: unexpected error {err:?}");
                    assert!(complete, "{ctx}: the provider said it finished");
                }
            }
            // An all-zero usage (LiteLLM's `message_start` before an error) is a placeholder,
            // which the decoder does not report as a count.
            let placeholder = |u: &Json| {
                [
                    "input_tokens",
                    "output_tokens",
                    "prompt_tokens",
                    "completion_tokens",
                ]
                .iter()
                .all(|k| u.get(k).and_then(Json::as_u64).unwrap_or(0) == 0)
            };
            if let Some(want) = expected
                .get("usage")
                .filter(|u| !u.is_null() && !placeholder(u))
            {
                let n = |a: &str, b: &str| want.get(a).or(want.get(b)).and_then(Json::as_u64);
                let usage = reply
                    .usage
                    .unwrap_or_else(|| panic!("{ctx}: usage missing"));
                if expected.get("error").is_none_or(Json::is_null) {
                    assert_eq!(
                        usage.tokens(rill_chat::protocol::usage::INPUT),
                        n("prompt_tokens", "input_tokens"),
                        "{ctx}: input tokens"
                    );
                    assert_eq!(
                        usage.tokens(rill_chat::protocol::usage::OUTPUT),
                        n("completion_tokens", "output_tokens"),
                        "{ctx}: output tokens"
                    );
                }
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 15, "every fixture stream was checked");
}
