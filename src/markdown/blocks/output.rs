//! The parsed block structure turned into the public tree: inline parsing of each leaf,
//! list tightness, task items, tables, and the final top-level blocks the stream freezes.

use crate::prelude::*;

use super::starts::split_row;
use super::{inlines, BlockParser, Kind};
use crate::markdown::inlines::RefMap;
use crate::markdown::tree::{Block, ListItem};

impl BlockParser {
    /// The first `count` top-level blocks (all closed) as final blocks, with their byte
    /// ranges given the offsets where each line started (`starts[k]` = line k + 1, plus the
    /// end), and the definitions known so far.
    pub fn take_closed(
        self,
        count: usize,
        starts: &[usize],
    ) -> (Vec<core::ops::Range<usize>>, Vec<Block>, RefMap) {
        let kids = &self.nodes[0].children;
        let mut ranges = Vec::with_capacity(count);
        let mut blocks = Vec::with_capacity(count);
        for (i, &id) in kids.iter().take(count).enumerate() {
            let n = &self.nodes[id];
            let start = starts[n.start_line.saturating_sub(1).min(starts.len() - 1)];
            let end = match kids.get(i + 1) {
                Some(&next) => {
                    starts[self.nodes[next]
                        .start_line
                        .saturating_sub(1)
                        .min(starts.len() - 1)]
                }
                None => starts[n.end_line.min(starts.len() - 1)],
            };
            ranges.push(start..end);
            if let Some(b) = self.to_block(id) {
                blocks.push(b);
            }
        }
        (ranges, blocks, self.refs)
    }

    fn ends_with_blank_line(&self, siblings: &[usize], i: usize) -> bool {
        siblings.get(i + 1).is_some_and(|&next| {
            self.nodes[siblings[i]].end_line + 1 != self.nodes[next].start_line
        })
    }

    // Loops rather than iterator adapters here and below: each adapter chain over blocks was
    // its own generic code in the wasm.
    pub(super) fn children_blocks(&self, id: usize) -> Vec<Block> {
        let mut out = Vec::new();
        for &c in &self.nodes[id].children {
            if let Some(b) = self.to_block(c) {
                out.push(b);
            }
        }
        out
    }

    fn to_block(&self, id: usize) -> Option<Block> {
        let n = &self.nodes[id];
        Some(match n.kind {
            Kind::Paragraph => Block::Paragraph(inlines::parse(n.content.trim_ascii(), &self.refs)),
            Kind::Heading(level) => Block::Heading {
                level,
                content: inlines::parse(n.content.trim_ascii(), &self.refs),
            },
            Kind::ThematicBreak => Block::ThematicBreak,
            Kind::FencedCode | Kind::IndentedCode => {
                let language = code_language(&n.info);
                Block::CodeBlock {
                    info: n.info.clone(),
                    language,
                    literal: n.content.clone(),
                }
            }
            Kind::BlockQuote => Block::BlockQuote(self.children_blocks(id)),
            Kind::List => {
                let mut tight = true;
                for (i, &item) in n.children.iter().enumerate() {
                    let kids = &self.nodes[item].children;
                    if self.ends_with_blank_line(&n.children, i)
                        || (0..kids.len()).any(|k| self.ends_with_blank_line(kids, k))
                    {
                        tight = false;
                    }
                }
                let mut items = Vec::new();
                for &item in &n.children {
                    items.push(self.to_item(item));
                }
                Block::List {
                    ordered: n.list.ordered,
                    start: n.list.start,
                    tight,
                    items,
                }
            }
            Kind::Table => {
                let width = n.align.len();
                let mut rows = Vec::new();
                for r in &n.rows {
                    let mut cells = Vec::new();
                    for c in split_row(r).iter().take(width) {
                        cells.push(inlines::parse(c.trim_ascii(), &self.refs));
                    }
                    cells.resize_with(width, Vec::new);
                    rows.push(cells);
                }
                // The header row is always there (a table starts from it).
                let head = if rows.is_empty() {
                    Vec::new()
                } else {
                    rows.remove(0)
                };
                Block::Table {
                    align: n.align.clone(),
                    head,
                    rows,
                }
            }
            Kind::Item | Kind::Document => return None,
        })
    }

    fn to_item(&self, id: usize) -> ListItem {
        let mut task = None;
        let mut blocks = Vec::new();
        for (i, &c) in self.nodes[id].children.iter().enumerate() {
            let n = &self.nodes[c];
            if i == 0 && n.kind == Kind::Paragraph {
                let text = n.content.trim_ascii_start();
                let mark = text.get(..3).and_then(|m| match m {
                    "[ ]" => Some(false),
                    "[x]" | "[X]" => Some(true),
                    _ => None,
                });
                if let Some(checked) = mark.filter(|_| starts_with_any(&text[3..], b" \t")) {
                    task = Some(checked);
                    blocks.push(Block::Paragraph(inlines::parse(
                        text[3..].trim_ascii(),
                        &self.refs,
                    )));
                    continue;
                }
            }
            if let Some(b) = self.to_block(c) {
                blocks.push(b);
            }
        }
        ListItem { task, blocks }
    }
}

/// A code block's language: the info string's first word, sanitised.
pub fn code_language(info: &str) -> Option<String> {
    // Bytes (`split_ascii_whitespace` is 0.1 KB of wasm for this one word).
    let b = info.as_bytes();
    let start = b.iter().position(|c| !c.is_ascii_whitespace())?;
    let len = b[start..]
        .iter()
        .position(u8::is_ascii_whitespace)
        .unwrap_or(b.len() - start);
    Some(sanitize_language(&info[start..start + len])).filter(|l| !l.is_empty())
}

/// A fenced code language becomes a CSS class, so only `[A-Za-z0-9_+#.-]` survive.
fn sanitize_language(word: &str) -> String {
    // Bytes, not chars: everything kept is ASCII (and a char iterator with a filter and a
    // take was 1 KB of wasm).
    let mut out = String::new();
    for b in word.bytes() {
        if out.len() == 32 {
            break;
        }
        if b.is_ascii_alphanumeric() || in_bytes(b"_+#.-", b) {
            out.push(b as char);
        }
    }
    out
}
