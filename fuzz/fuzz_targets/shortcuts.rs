//! Both decoders' shortcuts (one-pass and template reads of text and reasoning deltas)
//! against reading every event in full: any body, in any chunking, gives the same events,
//! reply and outcome.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rill_chat::conversation::ReplyStream;
use rill_chat::protocol::{merge_deltas, Provider};

fn run(mut s: ReplyStream, body: &[u8], step: usize) -> String {
    let mut events = Vec::new();
    let mut error = None;
    for chunk in body.chunks(step.max(1)) {
        if let Err(e) = s.feed(chunk, &mut events) {
            error = Some(e.kind);
            break;
        }
    }
    let end = s.end().err().map(|e| e.kind);
    format!("{:?} {:?} {error:?} {end:?}", merge_deltas(&events), s.into_reply())
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, body)) = data.split_first() else { return };
    let provider = if seed & 1 == 0 { Provider::OpenAi } else { Provider::Anthropic };
    let step = usize::from(seed >> 1) % 97 + 1;
    assert_eq!(
        run(ReplyStream::new(provider), body, step),
        run(ReplyStream::exact(provider), body, step)
    );
});
