//! Our corpus of provider streams (tests/fixtures/streams: 22 providers and gateways, each
//! file's `.json` names the page it was written from) through `ReplyStream`, the decoder
//! `ChatClient`, `ReplyDecoder` and the element share: whole, one byte at a time and at many
//! random splits, each must give exactly the reply its `.json` expects.
#![cfg(not(target_arch = "wasm32"))]

use rill_chat::conversation::{Reply, ReplyStream};
use rill_chat::error::{ChatError, ErrorKind};
use rill_chat::json::Json;
use rill_chat::protocol::{ChatEvent, FinishReason, Provider, Usage};
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/streams")
}

struct Outcome {
    reply: Reply,
    error: Option<ChatError>,
    complete: bool,
    /// The usage of the last usage event: what a `stream()` consumer ends with.
    last_usage: Option<Usage>,
    client_tool_events: usize,
}

fn run(body: &[u8], provider: Provider, cuts: &[usize]) -> Outcome {
    let mut s = ReplyStream::new(provider);
    let mut events = Vec::new();
    let mut error = None;
    let mut start = 0;
    for &cut in cuts.iter().chain(std::iter::once(&body.len())) {
        let cut = cut.clamp(start, body.len());
        if let Err(e) = s.feed(&body[start..cut], &mut events) {
            error = Some(e);
            break;
        }
        start = cut;
    }
    let complete = error.is_none() && s.end().is_ok();
    let last_usage = events.iter().rev().find_map(|e| match e {
        ChatEvent::Usage(u) => Some(*u),
        _ => None,
    });
    let client_tool_events = events
        .iter()
        .filter(|e| matches!(e, ChatEvent::ToolCall { server: false, .. }))
        .count();
    Outcome {
        reply: s.into_reply(),
        error,
        complete,
        last_usage,
        client_tool_events,
    }
}

/// Cut points from a small deterministic generator (no dependency, same on every run).
fn random_cuts(len: usize, seed: u64, count: usize) -> Vec<usize> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut cuts: Vec<usize> = (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % (len as u64 + 1)) as usize
        })
        .collect();
    cuts.sort_unstable();
    cuts
}

fn s<'a>(v: &'a Json, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Json::as_str)
}

fn check(name: &str, ctx: &str, out: &Outcome, want: &Json) {
    let r = &out.reply;
    let at = |what: &str| format!("{name} ({ctx}): {what}");
    assert_eq!(r.text, s(want, "text").unwrap_or(""), "{}", at("text"));
    assert_eq!(
        r.reasoning,
        s(want, "reasoning").unwrap_or(""),
        "{}",
        at("reasoning")
    );
    assert_eq!(
        r.refusal.as_deref(),
        s(want, "refusal"),
        "{}",
        at("refusal")
    );
    let calls = want
        .get("tool_calls")
        .and_then(Json::as_array)
        .unwrap_or_default();
    assert_eq!(r.tool_calls.len(), calls.len(), "{}", at("tool call count"));
    assert_eq!(
        out.client_tool_events > 0,
        !calls.is_empty(),
        "{}",
        at("client tool events")
    );
    for (got, c) in r.tool_calls.iter().zip(calls) {
        assert_eq!(got.id, s(c, "id").unwrap(), "{}", at("tool id"));
        assert_eq!(got.name, s(c, "name").unwrap(), "{}", at("tool name"));
        assert_eq!(
            got.arguments,
            s(c, "arguments").unwrap(),
            "{}",
            at("tool arguments")
        );
        let extra = c.get("extra").and_then(Json::as_bool).unwrap_or(false);
        assert_eq!(got.extra.is_some(), extra, "{}", at("tool extra_content"));
    }
    let servers = want
        .get("server_tools")
        .and_then(Json::as_array)
        .unwrap_or_default();
    assert_eq!(
        r.server_calls.len(),
        servers.len(),
        "{}",
        at("server tools")
    );
    for (got, t) in r.server_calls.iter().zip(servers) {
        assert_eq!(
            got.name,
            s(t, "name").unwrap(),
            "{}",
            at("server tool name")
        );
        assert_eq!(
            got.arguments,
            s(t, "input").unwrap(),
            "{}",
            at("server tool input")
        );
        let result = r.server_result(&got.id).expect("server tool result");
        assert_eq!(
            result.count,
            t.get("result_count").and_then(Json::as_u64),
            "{}",
            at("result count")
        );
        assert_eq!(
            result.error.as_deref(),
            s(t, "error"),
            "{}",
            at("server tool error")
        );
    }
    let cites = want
        .get("citations")
        .and_then(Json::as_array)
        .unwrap_or_default();
    let got: Vec<(&str, &str)> = r
        .citations
        .iter()
        .map(|c| (c.url.as_str(), c.title.as_str()))
        .collect();
    let wanted: Vec<(&str, &str)> = cites
        .iter()
        .map(|c| (s(c, "url").unwrap(), s(c, "title").unwrap()))
        .collect();
    assert_eq!(got, wanted, "{}", at("citations"));
    let blocks = want
        .get("thinking_blocks")
        .and_then(Json::as_u64)
        .unwrap_or(0);
    assert_eq!(r.thinking.len() as u64, blocks, "{}", at("thinking blocks"));
    assert_eq!(
        r.to_message().thinking,
        r.thinking,
        "{}",
        at("thinking goes back")
    );

    match want.get("error").filter(|e| !e.is_null()) {
        Some(e) => {
            let err = out
                .error
                .as_ref()
                .unwrap_or_else(|| panic!("{}", at("an error")));
            assert_eq!(err.kind, ErrorKind::Stream, "{}", at("error kind"));
            assert_eq!(
                err.message,
                s(e, "message").unwrap(),
                "{}",
                at("error message")
            );
            if let Some(code) = s(e, "code") {
                assert_eq!(err.code.as_deref(), Some(code), "{}", at("error code"));
            }
            assert!(!out.complete, "{}", at("an error is not complete"));
        }
        None => {
            assert!(
                out.error.is_none(),
                "{}",
                at(&format!("no error, got {:?}", out.error))
            );
            assert!(out.complete, "{}", at("complete"));
            let (reason, raw) = r.finish.clone().expect("a finish");
            assert_eq!(
                reason.as_str(),
                s(want, "finish_reason").unwrap(),
                "{}",
                at("finish")
            );
            assert_eq!(
                raw,
                s(want, "raw_finish_reason").unwrap(),
                "{}",
                at("raw finish")
            );
            if reason == FinishReason::ToolCalls {
                assert!(!r.tool_calls.is_empty(), "{}", at("tool_calls has calls"));
            }
        }
    }
    match want.get("usage").filter(|u| !u.is_null()) {
        None => assert_eq!(r.usage, None, "{}", at("no usage")),
        Some(u) => {
            let n = |k| u.get(k).and_then(Json::as_u64);
            let f = |k| u.get(k).and_then(Json::as_f64);
            let got = r.usage.unwrap_or_else(|| panic!("{}", at("usage")));
            let count = |k| n(k).map(|n| n as f64);
            let expected = Usage([
                count("input"),
                count("output"),
                count("total"),
                count("reasoning"),
                f("cost"),
                f("credits"),
            ]);
            assert_eq!(got, expected, "{}", at("usage"));
            assert_eq!(out.last_usage, Some(expected), "{}", at("last usage event"));
        }
    }
}

#[test]
fn every_corpus_stream_decodes_to_its_expected_reply_at_any_split() {
    let mut entries: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("tests/fixtures/streams")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sse"))
        .collect();
    entries.sort();
    let mut providers = std::collections::BTreeSet::new();
    for path in &entries {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let body = std::fs::read(path).unwrap();
        let meta = Json::parse(&std::fs::read_to_string(path.with_extension("json")).unwrap())
            .unwrap_or_else(|e| panic!("{name}.json: {e}"));
        assert!(
            meta.get("source").and_then(|s| s.get("page")).is_some(),
            "{name}: the .json names its source page"
        );
        providers.insert(s(&meta, "provider").unwrap().to_owned());
        let provider = match s(&meta, "format") {
            Some("anthropic") => Provider::Anthropic,
            _ => Provider::OpenAi,
        };
        let want = meta.get("expected").unwrap();
        check(&name, "whole", &run(&body, provider, &[]), want);
        let bytes: Vec<usize> = (1..body.len()).collect();
        check(
            &name,
            "one byte at a time",
            &run(&body, provider, &bytes),
            want,
        );
        for seed in 1..=25u64 {
            let cuts = random_cuts(body.len(), seed, 1 + seed as usize % 40);
            check(
                &name,
                &format!("split {cuts:?}"),
                &run(&body, provider, &cuts),
                want,
            );
        }
    }
    assert!(
        entries.len() >= 30,
        "the corpus has {} streams",
        entries.len()
    );
    assert!(
        providers.len() >= 15,
        "the corpus covers {} providers",
        providers.len()
    );
}

/// Every recorded stream (`.sse`), ours and `../shared`'s, in a stable order.
fn stream_paths() -> Vec<PathBuf> {
    let shared = corpus_dir().join("../../../../shared/fixtures/streams");
    let mut paths: Vec<_> = [corpus_dir(), shared]
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sse"))
        .collect();
    paths.sort();
    paths
}

/// The decoders' shortcuts (one-pass and template reads of text chunks) change nothing: every
/// stream, whole and a byte at a time, gives the same events, reply and outcome as reading
/// every chunk in full.
#[test]
fn shortcuts_read_every_stream_as_the_full_decoder_does() {
    use rill_chat::protocol::merge_deltas;
    let paths = stream_paths();
    let outcome = |mut s: ReplyStream, body: &[u8], step: usize| {
        let mut events = Vec::new();
        let mut error = None;
        for chunk in body.chunks(step) {
            if let Err(e) = s.feed(chunk, &mut events) {
                error = Some(e.kind);
                break;
            }
        }
        let end = s.end().err().map(|e| e.kind);
        (merge_deltas(&events), s.into_reply(), error, end)
    };
    let (mut openai, mut messages) = (0, 0);
    for path in &paths {
        let body = std::fs::read(path).unwrap();
        let anthropic = path.to_string_lossy().contains("anthropic");
        let provider = if anthropic {
            Provider::Anthropic
        } else {
            Provider::OpenAi
        };
        openai += usize::from(!anthropic);
        messages += usize::from(anthropic);
        for step in [body.len().max(1), 1, 7, 64] {
            let fast = outcome(ReplyStream::new(provider), &body, step);
            let exact = outcome(ReplyStream::exact(provider), &body, step);
            assert_eq!(fast, exact, "{} in {step}-byte chunks", path.display());
        }
    }
    assert!(openai >= 25, "only {openai} chat-completions streams");
    assert!(messages >= 8, "only {messages} Messages streams");
}

/// The first module reads chunks of the common shape itself and leaves the rest (reasoning,
/// tool calls, errors, servers' quirks) to the second module, keeping them in order until it
/// is linked: linking it whenever the stream asks gives the same events, reply and outcome
/// as reading everything at once; never linking it ends in a network error that keeps what
/// was read before the first chunk it could not read.
#[test]
fn the_first_module_reads_common_chunks_and_the_rest_waits_for_the_second() {
    use rill_chat::error::ErrorKind;
    use rill_chat::protocol::merge_deltas;
    let paths: Vec<_> = stream_paths()
        .into_iter()
        .filter(|p| !p.to_string_lossy().contains("anthropic"))
        .collect();
    let outcome = |mut s: ReplyStream, body: &[u8], step: usize, link: bool| {
        let mut events = Vec::new();
        let mut error = None;
        let mut waited = false;
        for chunk in body.chunks(step) {
            let mut fed = s.feed(chunk, &mut events);
            if s.is_waiting() && link {
                waited = true;
                s.link();
                fed = fed.and(s.drain(&mut events));
            }
            if let Err(e) = fed {
                error = Some(e.kind);
                break;
            }
        }
        let end = s.end().err().map(|e| e.kind);
        ((merge_deltas(&events), s.into_reply(), error, end), waited)
    };
    let (mut waited_for, mut read_alone) = (0, 0);
    for path in &paths {
        let body = std::fs::read(path).unwrap();
        for step in [body.len().max(1), 1, 7, 64] {
            let (exact, _) = outcome(ReplyStream::exact(Provider::OpenAi), &body, step, true);
            let (linked, waited) =
                outcome(ReplyStream::unlinked(Provider::OpenAi), &body, step, true);
            assert_eq!(linked, exact, "{} in {step}-byte chunks", path.display());
            if step == 1 {
                waited_for += usize::from(waited);
                read_alone += usize::from(!waited);
                if std::env::var_os("RILL_SHOW_WAITED").is_some() {
                    eprintln!(
                        "{} {}",
                        if waited { "waits" } else { "alone" },
                        path.display()
                    );
                }
            }
            let (alone, _) = outcome(ReplyStream::unlinked(Provider::OpenAi), &body, step, false);
            if waited {
                assert_eq!(
                    alone.3,
                    Some(ErrorKind::Network),
                    "{}: never linked",
                    path.display()
                );
                assert!(
                    exact.1.text.starts_with(&alone.1.text),
                    "{}: what was read stays",
                    path.display()
                );
            } else {
                assert_eq!(
                    alone,
                    exact,
                    "{} read by the first module alone",
                    path.display()
                );
            }
        }
    }
    eprintln!("{waited_for} streams waited for the second module, {read_alone} did not");
    assert!(
        waited_for >= 10,
        "only {waited_for} streams needed the second module"
    );
    assert!(
        read_alone >= 5,
        "only {read_alone} streams were read by the first module alone"
    );
}
