//! The SSE parser on arbitrary bytes: never panics, and a chunked parse (chunk sizes taken
//! from the first input byte) equals the one-chunk parse, errors included.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rill_chat::sse::{Limits, SseParser};

fn parse(body: &[u8], step: usize) -> (Vec<rill_chat::sse::SseEvent>, Option<String>, Option<u64>) {
    let mut p = SseParser::with_limits(Limits { max_line: 512, max_event: 2048 });
    let mut events = Vec::new();
    let mut error = None;
    for chunk in body.chunks(step.max(1)) {
        if let Err(e) = p.feed(chunk, &mut events) {
            error = Some(e.to_string());
            break;
        }
    }
    let retry = p.retry();
    p.end();
    (events, error, retry)
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, body)) = data.split_first() else { return };
    let whole = parse(body, body.len());
    assert_eq!(parse(body, usize::from(seed % 17) + 1), whole);
});
