//! Native time of each decode stage on the bench's 20 MB stream — the SSE parser alone,
//! the in-place JSON check alone, the full JSON tree alone
//! (`cargo run --release --example stage_timing`).

#![cfg_attr(target_arch = "wasm32", allow(dead_code))]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use rill_chat::sse::SseParser;
    let line = "data: {\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok\"},\"finish_reason\":null}]}\n\n";
    let body = line.repeat(129_033).into_bytes();
    let t = std::time::Instant::now();
    let mut p = SseParser::new();
    let mut evs = Vec::new();
    let mut n = 0;
    for c in body.chunks(65536) {
        p.feed(c, &mut evs).unwrap();
        n += evs.len();
        evs.clear();
    }
    println!("sse only: {:?} ({n})", t.elapsed());
    let t = std::time::Instant::now();
    let data = &line[6..line.len() - 2];
    for _ in 0..129_033 {
        std::hint::black_box(rill_chat::json::Raw::parse(std::hint::black_box(data)).unwrap());
    }
    println!("raw validate only: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    for _ in 0..129_033 {
        std::hint::black_box(rill_chat::json::Json::parse(std::hint::black_box(data)).unwrap());
    }
    println!("full parse only: {:?}", t.elapsed());
}
