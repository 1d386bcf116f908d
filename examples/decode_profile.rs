//! One pass of the whole decode pipeline over the bench's 20 MB stream in 64 KiB chunks, for
//! profilers (`perf record cargo run --release --example decode_profile`).

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use rill_chat::conversation::ReplyStream;
    use rill_chat::protocol::Provider;
    let data = r#"{"id":"chatcmpl-x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"tok"},"finish_reason":null}]}"#;
    let mut body = format!("data: {data}\n\n").repeat(129_033).into_bytes();
    body.extend_from_slice(b"data: [DONE]\n\n");
    let step: usize = std::env::var("STEP")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(65536);
    for _ in 0..std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
    {
        let mut s = ReplyStream::new(Provider::OpenAi);
        let mut events = Vec::new();
        for chunk in body.chunks(step) {
            s.feed(chunk, &mut events).unwrap();
            events.clear();
        }
        s.end().unwrap();
        std::hint::black_box(s.reply());
    }
}
