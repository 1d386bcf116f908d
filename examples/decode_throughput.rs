//! Native throughput of the SSE parser + OpenAI decoder on the bench's 20 MB stream of
//! chat-completions chunks (`cargo run --release --example decode_throughput`).

#![cfg_attr(target_arch = "wasm32", allow(dead_code))]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use rill_chat::conversation::ReplyStream;
    use rill_chat::protocol::Provider;
    let line = "data: {\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok\"},\"finish_reason\":null}]}\n\n";
    let mut body = line.repeat(129_033).into_bytes();
    body.extend_from_slice(b"data: [DONE]\n\n");
    let mut times = Vec::new();
    for _ in 0..7 {
        let t = std::time::Instant::now();
        let mut s = ReplyStream::new(Provider::OpenAi);
        let mut events = Vec::new();
        let mut n = 0;
        for chunk in body.chunks(65536) {
            s.feed(chunk, &mut events).unwrap();
            n += events.len();
            events.clear();
        }
        s.end().unwrap();
        assert_eq!(n, 129_034);
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let t = times[times.len() / 2];
    println!(
        "{:.1} MB in {:.1} ms: {:.0} MB/s",
        body.len() as f64 / 1e6,
        t * 1e3,
        body.len() as f64 / 1e6 / t
    );
}
