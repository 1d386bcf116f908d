//! Streaming markdown: any split of a text ends in exactly the tree of parsing it whole, and
//! a block, once final, is the block the whole parse has at that place.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use rill_chat::markdown::{parse, Block, MarkdownStream};

/// Chat-like markdown: paragraphs, headings, lists, code, quotes, tables, emphasis, links.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,8}( [a-z]{1,8}){0,6}".prop_map(|t| format!("{t}\n")),
        "[a-z]{1,6}".prop_map(|t| format!("**{t}** and *{t}* and `{t}`\n")),
        "[a-z]{1,6}".prop_map(|t| format!("[{t}](https://example.com/{t}) [{t}][ref]\n")),
        "[a-z]{1,6}".prop_map(|t| format!("# {t}\n")),
        "[a-z]{1,6}".prop_map(|t| format!("- {t}\n")),
        "[a-z]{1,6}".prop_map(|t| format!("  - {t}\n")),
        "[a-z]{1,6}".prop_map(|t| format!("1. {t}\n")),
        "[a-z]{1,6}".prop_map(|t| format!("> {t}\n")),
        Just("```rust\nfn main() {}\n```\n".to_owned()),
        Just("```\nunclosed\n".to_owned()),
        Just("~~~~ py extra\nx = 1\n~~~\nstill code\n  ~~~~~  \n".to_owned()),
        Just("``` js `x`\n".to_owned()),
        Just("- a\n  ```\n  in list\n  ```\n".to_owned()),
        Just("```c\r\nint x;\r\n```\r\n".to_owned()),
        Just("```\n\n\n```\n".to_owned()),
        Just("| a | b |\n|---|:-:|\n| 1 | 2 |\n".to_owned()),
        Just("---\n".to_owned()),
        Just("\n".to_owned()),
        Just("    indented\n".to_owned()),
        Just("[ref]: https://example.com/ref\n".to_owned()),
        Just("Setext\n===\n".to_owned()),
        Just("line\r\n".to_owned()),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..25).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn any_split_gives_the_whole_parse(text in document(), mut cuts in prop::collection::vec(0usize..2000, 0..40)) {
        cuts.retain(|&c| c <= text.len() && text.is_char_boundary(c));
        cuts.sort_unstable();
        cuts.dedup();
        let whole = parse(&text);
        let mut stream = MarkdownStream::new();
        let mut last = 0;
        let mut frozen_seen: Vec<String> = Vec::new();
        for &cut in cuts.iter().chain(std::iter::once(&text.len())) {
            stream.push(&text[last..cut]);
            last = cut;
            // Frozen blocks never change once frozen (compared by their debug form).
            let now: Vec<String> = stream.frozen().map(|b| format!("{b:?}")).collect();
            prop_assert!(now.starts_with(&frozen_seen), "a frozen block changed");
            frozen_seen = now;
        }
        let frozen = stream.frozen_len();
        let streamed = stream.finish();
        prop_assert_eq!(&streamed, &whole);
        // Without late definitions, final blocks are exactly the whole parse's first blocks.
        prop_assert!(frozen <= whole.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// What a view drawing an open code block line by line relies on: while a top-level fence
    /// is open, `open_code` gives its code verbatim after the opening line; the block it
    /// becomes (once closed, or at the end) is the next final block, a code block whose lines
    /// start with every complete line shown meanwhile.
    #[test]
    fn an_open_code_block_grows_into_its_final_block(text in document(), mut cuts in prop::collection::vec(0usize..2000, 0..40)) {
        cuts.retain(|&c| c <= text.len() && text.is_char_boundary(c));
        cuts.sort_unstable();
        cuts.dedup();
        let mut stream = MarkdownStream::new();
        let mut last = 0;
        // (start, frozen index it will have, complete lines shown)
        let mut open: Option<(usize, usize, Vec<String>)> = None;
        for &cut in cuts.iter().chain(std::iter::once(&text.len())) {
            stream.push(&text[last..cut]);
            last = cut;
            if let Some((_, index, shown)) = &open {
                if stream.frozen_len() > *index {
                    let block = stream.frozen().nth(*index).unwrap();
                    let Block::CodeBlock { literal, .. } = block else {
                        return Err(TestCaseError::fail(format!("not a code block: {block:?}")));
                    };
                    let lines: Vec<&str> = literal.lines().collect();
                    prop_assert!(lines.starts_with(&shown.iter().map(String::as_str).collect::<Vec<_>>()));
                    open = None;
                }
            }
            if let Some(code) = stream.open_code() {
                prop_assert!(text[code.start..].starts_with("```") || text[code.start..].starts_with("~~~"));
                prop_assert!(text[..cut].ends_with(code.body));
                let complete = code.body.rfind('\n').map_or("", |i| &code.body[..i]);
                let shown: Vec<String> = complete.lines().map(|l| l.trim_end_matches('\r').to_owned()).collect();
                match &mut open {
                    Some((start, _, seen)) if *start == code.start => *seen = shown,
                    _ => open = Some((code.start, stream.frozen_len(), shown)),
                }
            }
        }
        let blocks = stream.finish();
        if let Some((_, index, shown)) = open {
            let Some(Block::CodeBlock { literal, .. }) = blocks.get(index) else {
                return Err(TestCaseError::fail("the open block did not end as a code block"));
            };
            let lines: Vec<&str> = literal.lines().collect();
            prop_assert!(lines.starts_with(&shown.iter().map(String::as_str).collect::<Vec<_>>()));
        }
    }
}

#[test]
fn one_word_at_a_time_freezes_blocks_as_they_close() {
    let text = "# Title\n\nFirst paragraph with **bold**.\n\n- a\n- b\n\n```js\nlet x = 1;\n```\n\nLast words";
    let mut s = MarkdownStream::new();
    for word in text.split_inclusive(' ') {
        s.push(word);
    }
    assert_eq!(
        s.frozen_len(),
        4,
        "heading, paragraph, list and code are final; the last paragraph is open"
    );
    assert_eq!(s.tail().len(), 1);
    assert_eq!(s.finish(), parse(text));
}

#[test]
fn a_late_definition_still_links_earlier_text() {
    let text = "See [docs].\n\nMore.\n\n[docs]: https://example.com\n";
    let mut s = MarkdownStream::new();
    for c in text.chars() {
        s.push(&c.to_string());
    }
    assert_eq!(s.finish(), parse(text));
}

#[test]
fn a_table_header_that_was_a_paragraph_line_is_not_cut_off() {
    // Found by fuzzing: the header line is tab-indented paragraph continuation text; on its
    // own at the start of a document it would be an indented code block.
    let text = "intro\n\thead|\n| --- |\nrow\n";
    let mut s = MarkdownStream::new();
    for c in text.chars() {
        s.push(&c.to_string());
    }
    assert_eq!(s.finish(), parse(text));
}

/// What the second module reads (character references, `<…>` autolinks, link titles,
/// reference definitions), among plain chat markdown.
fn rare_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        piece(),
        Just("caf&eacute; &amp; &#x1F600; &copy;\n".to_owned()),
        Just("see <https://example.com/a> or <me@example.com>\n".to_owned()),
        Just("[t](/u \"title\") and [t](/u 'q')\n".to_owned()),
        Just("[def]: /target \"T\"\n".to_owned()),
        Just("[def] and [x][def]\n".to_owned()),
        Just("R&D, a < b, x & y; <T> Vec<u8>\n".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Streamed while the second module is not linked, then linked at any point: the blocks
    /// read without it are read again (as the element does), and the end is the whole parse.
    #[test]
    fn read_before_the_second_module_then_after(
        pieces in prop::collection::vec(rare_piece(), 0..16),
        mut cuts in prop::collection::vec(0usize..1500, 0..30),
        link_at in 0usize..1500,
    ) {
        let text = pieces.concat();
        cuts.retain(|&c| c <= text.len() && text.is_char_boundary(c));
        cuts.sort_unstable();
        cuts.dedup();
        let whole = parse(&text);
        rill_chat::split::pretend_unlinked(true);
        let mut stream = MarkdownStream::new();
        let mut last = 0;
        for &cut in cuts.iter().chain(std::iter::once(&text.len())) {
            if cut >= link_at {
                rill_chat::split::pretend_unlinked(false);
                if let Some(i) = stream.needs(0) {
                    stream.reparse_from(i);
                }
            }
            stream.push(&text[last..cut]);
            last = cut;
        }
        rill_chat::split::pretend_unlinked(false);
        prop_assert_eq!(stream.finish(), whole);
    }
}

#[test]
fn only_what_the_second_module_reads_waits_for_it() {
    rill_chat::split::pretend_unlinked(true);
    let mut plain = MarkdownStream::new();
    plain.push("R&D, a < b, x & y; <T> Vec<u8> [link](/u) **b**\n\nnext\n\n");
    assert_eq!(plain.frozen_len(), 2);
    assert_eq!(plain.needs(0), None);
    for rare in [
        "caf&eacute;\n\nnext\n\n",
        "<https://example.com>\n\nnext\n\n",
        "[t](/u \"title\")\n\nnext\n\n",
        "[def]: /target\n\nnext\n\n",
    ] {
        let mut s = MarkdownStream::new();
        s.push(rare);
        assert_eq!(s.needs(0), Some(0), "{rare}");
        rill_chat::split::pretend_unlinked(false);
        s.reparse_from(0);
        assert_eq!(s.needs(0), None, "{rare}");
        assert_eq!(s.finish(), parse(rare), "{rare}");
        rill_chat::split::pretend_unlinked(true);
    }
    rill_chat::split::pretend_unlinked(false);
}
