//! Property tests: any split of a byte stream gives the events (and the reply) of parsing
//! it whole, for generated SSE streams and for every recorded fixture.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use rill_chat::conversation::ReplyStream;
use rill_chat::protocol::Provider;
use rill_chat::sse::{Limits, SseEvent, SseParser};

/// Parses `body` cut at `cuts` (sorted, deduplicated offsets); returns the events and
/// whether a limit was hit.
fn parse(
    body: &[u8],
    cuts: &[usize],
    limits: Limits,
) -> (Vec<SseEvent>, Option<String>, Option<u64>) {
    let mut parser = SseParser::with_limits(limits);
    let mut events = Vec::new();
    let mut start = 0;
    let mut error = None;
    for &cut in cuts.iter().chain(std::iter::once(&body.len())) {
        let cut = cut.min(body.len()).max(start);
        if let Err(e) = parser.feed(&body[start..cut], &mut events) {
            error = Some(e.to_string());
            break;
        }
        start = cut;
    }
    let retry = parser.retry();
    parser.end();
    (events, error, retry)
}

/// Lines an event stream is made of, including the awkward ones.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Zé😀 {}\":,]{0,12}".prop_map(|t| format!("data: {t}")),
        "[a-z0-9 ]{0,8}".prop_map(|t| format!("data:{t}")),
        Just("data".to_owned()),
        "[a-z_]{0,6}".prop_map(|t| format!("event: {t}")),
        "[a-z0-9]{0,4}".prop_map(|t| format!("id: {t}")),
        Just("id: a\u{0}b".to_owned()),
        "[0-9x]{0,5}".prop_map(|t| format!("retry: {t}")),
        "[ -~]{0,10}".prop_map(|t| format!(":{t}")),
        Just(String::new()),
        Just("\u{FEFF}data: bom".to_owned()),
        "[a-z]{1,5}(:[ a-z]{0,5})?",
    ]
}

fn stream() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::collection::vec(
            (line(), prop_oneof![Just("\n"), Just("\r"), Just("\r\n")]),
            0..40,
        ),
        prop::collection::vec(any::<u8>(), 0..3),
    )
        .prop_map(|(bom, lines, junk)| {
            let mut out = if bom {
                vec![0xEF, 0xBB, 0xBF]
            } else {
                Vec::new()
            };
            for (l, end) in lines {
                out.extend_from_slice(l.as_bytes());
                out.extend_from_slice(end.as_bytes());
            }
            // A few arbitrary bytes: invalid UTF-8 and a possibly unfinished last line.
            out.extend(junk);
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_split_gives_the_one_chunk_events(body in stream(), mut cuts in prop::collection::vec(0usize..400, 0..12)) {
        cuts.sort_unstable();
        let limits = Limits { max_line: 64, max_event: 256 };
        let whole = parse(&body, &[], limits);
        prop_assert_eq!(parse(&body, &cuts, limits), whole.clone());
        let bytes: Vec<usize> = (1..body.len()).collect();
        prop_assert_eq!(parse(&body, &bytes, limits), whole);
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../shared/fixtures/streams/{name}.sse",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture beside the repo")
}

fn reply(
    body: &[u8],
    cuts: &[usize],
    provider: Provider,
) -> (String, String, Vec<(String, String)>, bool) {
    let mut s = ReplyStream::new(provider);
    let mut out = Vec::new();
    let mut start = 0;
    let mut failed = false;
    for &cut in cuts.iter().chain(std::iter::once(&body.len())) {
        let cut = cut.min(body.len()).max(start);
        failed |= s.feed(&body[start..cut], &mut out).is_err();
        start = cut;
        if failed {
            break;
        }
    }
    let complete = !failed && s.end().is_ok();
    let r = s.into_reply();
    (
        r.text,
        r.reasoning,
        r.tool_calls
            .into_iter()
            .map(|c| (c.name, c.arguments))
            .collect(),
        complete,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_split_of_a_fixture_gives_the_same_reply(which in 0usize..6, mut cuts in prop::collection::vec(0usize..20_000, 0..30)) {
        let (name, provider) = [
            ("aimlapi-claude37-text", Provider::OpenAi),
            ("deepseek-reasoning-toolcall", Provider::OpenAi),
            ("openai-compat-claude-toolcall-index1", Provider::OpenAi),
            ("anthropic-thinking", Provider::Anthropic),
            ("anthropic-tool-use", Provider::Anthropic),
            ("litellm-anthropic-midstream-error", Provider::Anthropic),
        ][which];
        cuts.sort_unstable();
        let body = fixture(name);
        prop_assert_eq!(reply(&body, &cuts, provider), reply(&body, &[], provider));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The same for our provider corpus: any split gives the reply of the whole body, its
    /// refusal and usage included.
    #[test]
    fn any_split_of_a_corpus_stream_gives_the_same_reply(which in 0usize..1000, mut cuts in prop::collection::vec(0usize..20_000, 0..30)) {
        let dir = format!("{}/tests/fixtures/streams", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("tests/fixtures/streams")
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.strip_suffix(".sse").map(str::to_owned))
            .collect();
        names.sort();
        let name = &names[which % names.len()];
        let meta = std::fs::read_to_string(format!("{dir}/{name}.json")).unwrap();
        let provider = if meta.contains("\"format\": \"anthropic\"") { Provider::Anthropic } else { Provider::OpenAi };
        let body = std::fs::read(format!("{dir}/{name}.sse")).unwrap();
        cuts.sort_unstable();
        let whole = full_reply(&body, &[], provider);
        prop_assert_eq!(full_reply(&body, &cuts, provider), whole);
    }
}

fn full_reply(
    body: &[u8],
    cuts: &[usize],
    provider: Provider,
) -> (rill_chat::conversation::Reply, bool) {
    let mut s = ReplyStream::new(provider);
    let mut out = Vec::new();
    let mut start = 0;
    for &cut in cuts.iter().chain(std::iter::once(&body.len())) {
        let cut = cut.min(body.len()).max(start);
        if s.feed(&body[start..cut], &mut out).is_err() {
            return (s.into_reply(), false);
        }
        start = cut;
    }
    let complete = s.end().is_ok();
    (s.into_reply(), complete)
}
