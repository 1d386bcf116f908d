//! Native parse+render throughput of our markdown renderer beside pulldown-cmark on the same
//! chat-like document (`cargo run --release --example markdown_throughput`). Prints medians.

#![cfg_attr(target_arch = "wasm32", allow(dead_code))]

fn document() -> String {
    let mut s = String::new();
    for i in 0..400 {
        s.push_str(&format!(
            "## Section {i}\n\nSome **bold** text, some *emphasis*, `code`, a [link](https://example.com/{i}) and ~~strike~~.\n\
             A second line of the paragraph with more words to read through.\n\n\
             - item one with `code`\n- item two with **strong**\n  - nested item\n\n\
             | a | b |\n|---|:-:|\n| {i} | x |\n\n```rust\nfn main() {{ println!(\"{i}\"); }}\n```\n\n> quoted *text*\n\n"
        ));
    }
    s
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let doc = document();
    let mb = doc.len() as f64 / 1e6;
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..15 {
        let t = std::time::Instant::now();
        std::hint::black_box(rill_chat::markdown::render_html(&doc));
        ours.push(t.elapsed().as_secs_f64());
        let t = std::time::Instant::now();
        let mut out = String::new();
        let opts =
            pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
        pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new_ext(&doc, opts));
        std::hint::black_box(out);
        theirs.push(t.elapsed().as_secs_f64());
    }
    let (o, p) = (median(ours), median(theirs));
    println!("document: {:.2} MB", mb);
    println!("rill-chat markdown: {:.1} MB/s (median of 15)", mb / o);
    println!("pulldown-cmark:     {:.1} MB/s (median of 15)", mb / p);
    println!(
        "ratio (pulldown / ours time): {:.2}x slower than pulldown-cmark",
        o / p
    );
}
