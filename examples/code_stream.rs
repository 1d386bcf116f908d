//! How streaming a long code block scales (`cargo run --release --example code_stream`): a
//! fenced block of N lines pushed a line at a time into `MarkdownStream`, the open block read
//! after each line as the element does, for N and 2N lines. Linear work doubles; quadratic
//! work quadruples. Prints the times and their ratio.

#![cfg_attr(target_arch = "wasm32", allow(dead_code))]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use rill_chat::highlight::LineStream;
    use rill_chat::markdown::MarkdownStream;
    use std::time::Instant;

    let run = |lines: usize| {
        let start = Instant::now();
        let mut s = MarkdownStream::new();
        let mut view = LineStream::new(Some("python"));
        let mut drawn = 0usize;
        s.push("Here it is:\n\n```python\n");
        for i in 0..lines {
            s.push(&format!("def f{i}(x):  # line {i}\n"));
            if let Some(code) = s.open_code() {
                view.complete(code.body, &mut |_, t| {
                    drawn += t.len();
                    true
                });
            }
        }
        s.push("```\n");
        let blocks = s.finish();
        assert_eq!(blocks.len(), 2);
        (start.elapsed().as_secs_f64() * 1e3, drawn)
    };
    let n = 4000;
    let _ = run(200);
    let (a, _) = run(n);
    let (b, _) = run(2 * n);
    println!(
        "{n} lines: {a:.1} ms; {} lines: {b:.1} ms; ratio {:.2} (2 = linear, 4 = quadratic)",
        2 * n,
        b / a
    );
}
