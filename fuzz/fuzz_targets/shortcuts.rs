//! The chat-completions decoder's shortcuts (one-pass and template reads of text chunks)
//! against reading every chunk in full: any body, in any chunking, gives the same events,
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
    let step = usize::from(seed) % 97 + 1;
    assert_eq!(
        run(ReplyStream::new(Provider::OpenAi), body, step),
        run(ReplyStream::exact(Provider::OpenAi), body, step)
    );
});
