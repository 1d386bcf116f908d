//! Both stream decoders on arbitrary bodies: never panic, and any chunking gives the same
//! reply and the same outcome.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rill_chat::conversation::ReplyStream;
use rill_chat::protocol::Provider;

fn decode(body: &[u8], step: usize, provider: Provider) -> (rill_chat::conversation::Reply, Option<String>) {
    let mut s = ReplyStream::new(provider);
    let mut out = Vec::new();
    for chunk in body.chunks(step.max(1)) {
        if let Err(e) = s.feed(chunk, &mut out) {
            return (s.into_reply(), Some(format!("{:?}", e.kind)));
        }
    }
    let end = s.end().err().map(|e| format!("{:?}", e.kind));
    (s.into_reply(), end)
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, body)) = data.split_first() else { return };
    let provider = if seed & 1 == 0 { Provider::OpenAi } else { Provider::Anthropic };
    let whole = decode(body, body.len(), provider);
    assert_eq!(decode(body, usize::from(seed >> 1) % 13 + 1, provider), whole);
});
