//! Differential test: on generated chat-like markdown (no raw HTML, no bare URLs, which the
//! two renderers treat differently by design), our HTML equals pulldown-cmark's.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use pulldown_cmark::{html, Options, Parser};
use rill_chat::markdown::render_html;

fn oracle(text: &str) -> String {
    let mut out = String::new();
    html::push_html(
        &mut out,
        Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH),
    );
    out
}

fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z]{1,8}"
}

fn inline() -> impl Strategy<Value = String> {
    prop_oneof![
        word(),
        word().prop_map(|w| format!("**{w}**")),
        word().prop_map(|w| format!("*{w}*")),
        word().prop_map(|w| format!("_{w}_")),
        word().prop_map(|w| format!("`{w}`")),
        word().prop_map(|w| format!("~~{w}~~")),
        (word(), word()).prop_map(|(a, b)| format!("[{a}](https://example.com/{b})")),
        (word(), word()).prop_map(|(a, b)| format!("![{a}](https://example.com/{b}.png \"{b}\")")),
        word().prop_map(|w| format!("**{w} *nested* {w}**")),
        Just("a & b < c".to_owned()),
        Just("\\*not emphasis\\*".to_owned()),
        Just("x_y_z".to_owned()),
        Just("***both***".to_owned()),
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(inline(), 1..6).prop_map(|w| w.join(" "))
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        line().prop_map(|l| format!("{l}\n\n")),
        (line(), line()).prop_map(|(a, b)| format!("{a}\n{b}\n\n")),
        (1usize..=6, line()).prop_map(|(n, l)| format!("{} {l}\n\n", "#".repeat(n))),
        prop::collection::vec(line(), 1..4).prop_map(|ls| ls
            .iter()
            .map(|l| format!("- {l}\n"))
            .collect::<String>()
            + "\n"),
        prop::collection::vec(line(), 1..4).prop_map(|ls| ls
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{}. {l}\n", i + 1))
            .collect::<String>()
            + "\n"),
        prop::collection::vec(line(), 1..3)
            .prop_map(|ls| ls.iter().map(|l| format!("- {l}\n\n")).collect::<String>()),
        (line(), line()).prop_map(|(a, b)| format!("- {a}\n  - {b}\n\n")),
        line().prop_map(|l| format!("> {l}\n\n")),
        word().prop_map(|w| format!("```{w}\nlet x = 1 < 2;\n  {w}\n```\n\n")),
        Just("    code block\n\n".to_owned()),
        (word(), word(), word(), word())
            .prop_map(|(a, b, c, d)| format!("| {a} | {b} |\n|---|---|\n| {c} | {d} |\n\n")),
        Just("---\n\n".to_owned()),
        (line(), line()).prop_map(|(a, b)| format!("{a}  \n{b}\n\n")),
    ]
}

/// The two renderers place newlines between tags differently (tables); that is not content.
fn normalize(html: &str) -> String {
    html.replace(">\n<", "><")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn same_html_as_pulldown_cmark(blocks in prop::collection::vec(block(), 1..8)) {
        let text = blocks.concat();
        prop_assert_eq!(normalize(&render_html(&text)), normalize(&oracle(&text)), "input: {:?}", text);
    }
}
