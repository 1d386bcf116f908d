//! Conformance: every example of CommonMark 0.31.2 and of the GFM extensions, rendered and
//! compared with the spec's HTML; prints the pass rate per section. Raw HTML is shown as
//! text by design, so "HTML blocks" and "Raw HTML" are reported but not counted.
#![cfg(not(target_arch = "wasm32"))]

use rill_chat::json::Json;
use rill_chat::markdown::{parse, render_html, Block, Inline};
use std::collections::BTreeMap;

const NOT_COUNTED: [&str; 3] = ["HTML blocks", "Raw HTML", "Disallowed Raw HTML (extension)"];

fn examples(file: &str) -> Vec<Json> {
    let path = format!("{}/../shared/spec/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Json::parse(&text)
        .expect("spec JSON")
        .as_array()
        .expect("an array")
        .to_vec()
}

/// (passed, total, failing example numbers) per section.
fn run(file: &str) -> BTreeMap<String, (usize, usize, Vec<u64>)> {
    let mut sections: BTreeMap<String, (usize, usize, Vec<u64>)> = BTreeMap::new();
    for ex in examples(file) {
        let md = ex.get("markdown").and_then(Json::as_str).unwrap();
        let want = ex.get("html").and_then(Json::as_str).unwrap();
        let section = ex.get("section").and_then(Json::as_str).unwrap().to_owned();
        let got =
            std::panic::catch_unwind(|| render_html(md)).unwrap_or_else(|_| "<panicked>".into());
        let entry = sections.entry(section).or_default();
        entry.1 += 1;
        if got == want {
            entry.0 += 1;
        } else {
            entry
                .2
                .push(ex.get("example").and_then(Json::as_u64).unwrap());
        }
    }
    sections
}

fn report(name: &str, sections: &BTreeMap<String, (usize, usize, Vec<u64>)>) -> (usize, usize) {
    let (mut pass, mut total) = (0, 0);
    println!("\n{name}");
    for (section, (p, t, failing)) in sections {
        let counted = !NOT_COUNTED.contains(&section.as_str());
        if counted {
            pass += p;
            total += t;
        }
        let mark = if counted {
            ""
        } else {
            " (not counted: raw HTML is text)"
        };
        println!(
            "  {section:<45} {p:>3}/{t:<3} {:>5.1}%{mark}  failing: {failing:?}",
            *p as f64 * 100.0 / *t as f64
        );
    }
    println!(
        "  counted total: {pass}/{total} = {:.1}%",
        pass as f64 * 100.0 / total as f64
    );
    (pass, total)
}

#[test]
fn commonmark_and_gfm_conformance() {
    let (p, t) = report("CommonMark 0.31.2", &run("commonmark-0.31.2.json"));
    let (gp, gt) = report("GFM extensions", &run("gfm-extensions.json"));
    // The floor only ever rises; the goal is 95 % of the counted CommonMark examples.
    assert!(p * 100 >= t * 95, "CommonMark pass rate fell to {p}/{t}");
    assert!(gp * 100 >= gt * 95, "GFM pass rate fell to {gp}/{gt}");
}

/// Whether a flat inline list balances: every open has its `Close`, and no `Close` is left.
fn balanced(items: &[Inline]) -> bool {
    let mut depth = 0usize;
    for item in items {
        match item {
            Inline::Emph
            | Inline::Strong
            | Inline::Strike
            | Inline::Link { .. }
            | Inline::Image { .. } => depth += 1,
            Inline::Close if depth == 0 => return false,
            Inline::Close => depth -= 1,
            _ => {}
        }
    }
    depth == 0
}

fn all_balanced(blocks: &[Block]) -> bool {
    blocks.iter().all(|b| match b {
        Block::Paragraph(c) | Block::Heading { content: c, .. } => balanced(c),
        Block::BlockQuote(b) => all_balanced(b),
        Block::List { items, .. } => items.iter().all(|i| all_balanced(&i.blocks)),
        Block::Table { head, rows, .. } => head
            .iter()
            .chain(rows.iter().flatten())
            .all(|c| balanced(c)),
        Block::ThematicBreak | Block::CodeBlock { .. } => true,
    })
}

/// The renderers trust the flat inlines to balance (an extra `Close` would end an element
/// the block does not own): so does every spec example, and every prefix of one (what a
/// stream shows while it arrives).
#[test]
fn every_inline_list_balances() {
    for file in ["commonmark-0.31.2.json", "gfm-extensions.json"] {
        for ex in examples(file) {
            let md = ex.get("markdown").and_then(Json::as_str).unwrap();
            for (end, _) in md.char_indices().chain([(md.len(), ' ')]) {
                assert!(
                    all_balanced(&parse(&md[..end])),
                    "unbalanced inlines for {:?}",
                    &md[..end]
                );
            }
        }
    }
}

/// `SHOW=484,485 cargo test --test commonmark show -- --nocapture` prints those examples.
#[test]
fn show() {
    let Ok(wanted) = std::env::var("SHOW") else {
        return;
    };
    let wanted: Vec<u64> = wanted
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    for file in ["commonmark-0.31.2.json", "gfm-extensions.json"] {
        for ex in examples(file) {
            if wanted.contains(&ex.get("example").and_then(Json::as_u64).unwrap()) {
                let md = ex.get("markdown").and_then(Json::as_str).unwrap();
                println!(
                    "--- {}\n{md:?}\nwant {:?}\ngot  {:?}",
                    ex.get("example").unwrap(),
                    ex.get("html").and_then(Json::as_str).unwrap(),
                    render_html(md)
                );
            }
        }
    }
}
