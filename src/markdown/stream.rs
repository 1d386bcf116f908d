//! Markdown that arrives a few characters at a time. Top-level blocks that the block parser
//! has closed are final: they are converted once and never parsed again. Only the open tail
//! (from the first open top-level block on) is parsed again when it is rendered, so a reply
//! costs time linear in its length as long as its top-level blocks are of bounded size
//! (paragraphs, code blocks, tables; one huge list is re-parsed as a whole while it grows).
//!
//! One CommonMark rule reaches backwards: a reference definition applies to links written
//! before it. `finish` re-parses the final blocks that a late definition could change, so
//! the finished tree always equals parsing the whole text at once.

use crate::prelude::*;

use super::blocks::{lines, BlockParser};
use super::inlines::RefMap;
use super::tree::Block;

#[derive(Debug, Default)]
pub struct MarkdownStream {
    source: String,
    /// Byte offset where the open tail starts (always at a line start).
    done: usize,
    /// Final top-level blocks with the source they came from and the definitions known then.
    frozen: Vec<Frozen>,
    refs: RefMap,
}

#[derive(Debug)]
struct Frozen {
    block: Block,
    range: core::ops::Range<usize>,
    refs_known: usize,
}

impl MarkdownStream {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends text. Work is done only when the text completes a line.
    pub fn push(&mut self, text: &str) {
        let had = self.source.len();
        self.source.push_str(text);
        if has_any(text, b"\n\r") || had == 0 && has_any(&self.source, b"\n\r") {
            self.freeze_closed_blocks();
        }
    }

    /// The blocks that can no longer change.
    pub fn frozen(&self) -> impl Iterator<Item = &Block> {
        self.frozen.iter().map(|f| &f.block)
    }

    pub fn frozen_len(&self) -> usize {
        self.frozen.len()
    }

    /// The open tail as it should show now (parsed afresh on each call). Half-typed inline
    /// syntax at the end is shown as what it is becoming (see `complete_tail`).
    pub fn tail(&self) -> Vec<Block> {
        let shown = complete_tail(&self.source[self.done..]);
        let mut p = BlockParser::new();
        p.refs = self.refs.clone();
        for line in lines(&shown) {
            p.add_line_text(line);
        }
        p.finish().0
    }

    /// The whole document: equal to parsing the full text at once.
    pub fn finish(self) -> Vec<Block> {
        let MarkdownStream {
            source,
            done,
            frozen,
            refs,
        } = self;
        let mut p = BlockParser::new();
        p.refs = refs;
        for line in lines(&source[done..]) {
            p.add_line_text(line);
        }
        let (tail, refs) = p.finish();
        let mut out = Vec::with_capacity(frozen.len() + tail.len());
        for f in frozen {
            if refs.len() > f.refs_known && has_byte(&source[f.range.clone()], b']') {
                // A definition that came later may turn this block's brackets into links.
                let mut p = BlockParser::new();
                p.refs = refs.clone();
                for line in lines(&source[f.range]) {
                    p.add_line_text(line);
                }
                out.extend(p.finish().0);
            } else {
                out.push(f.block);
            }
        }
        out.extend(tail);
        out
    }

    /// Parses the complete lines of the tail and freezes the top-level blocks that closed.
    fn freeze_closed_blocks(&mut self) {
        let tail = &self.source[self.done..];
        let complete = match rfind_any(tail, b"\n\r") {
            // A CR at the very end may be the first half of CRLF: wait for the next byte.
            Some(i) if tail.as_bytes()[i] == b'\r' && i + 1 == tail.len() => {
                match rfind_any(&tail[..i], b"\n\r") {
                    Some(j) => j + 1,
                    None => return,
                }
            }
            Some(i) => i + 1,
            None => return,
        };
        let mut p = BlockParser::new();
        p.refs = self.refs.clone();
        let mut starts = Vec::new();
        let mut offset = 0;
        for line in lines(&tail[..complete]) {
            starts.push(offset);
            p.add_line_text(line);
            offset += line.len();
            let rest = &tail[offset..];
            offset += if rest.starts_with("\r\n") { 2 } else { 1 };
        }
        starts.push(complete);
        let closed = p.closed_top_level();
        if closed == 0 {
            return;
        }
        let (ranges, blocks, refs) = p.take_closed(closed, &starts);
        let base = self.done;
        for (block, range) in blocks.into_iter().zip(ranges) {
            self.frozen.push(Frozen {
                block,
                range: base + range.start..base + range.end,
                refs_known: refs.len(),
            });
        }
        self.done = self.frozen.last().map_or(self.done, |f| f.range.end);
        self.refs = refs;
    }
}

/// The tail text as it should be shown mid-stream. We render half-typed syntax as the
/// construct it is becoming rather than as raw markers, because markers that show and then
/// vanish make the text jump under the reader's eyes: an unclosed `**`, `*`, `~~` or code
/// span is closed at the end, and a link whose destination is still arriving shows only its
/// text. Only display uses this; `finish` parses the text as it is.
pub fn complete_tail(tail: &str) -> String {
    // Inside an open code fence everything is literal already.
    let fences = lines(tail)
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("```") || t.starts_with("~~~")
        })
        .count();
    if fences % 2 == 1 {
        return tail.to_owned();
    }
    // Work on the last paragraph only: earlier ones in the tail are complete.
    let start = rfind_str(tail, "\n\n").map_or(0, |i| i + 2);
    let (head, last) = tail.split_at(start);
    let mut text = last.to_owned();
    // `[text](partial` → `text`; a dangling `[text` → `text`.
    if let Some(open) = rfind_byte(&text, b'[') {
        let after = &text[open..];
        let dest = find_str(after, "](");
        let partial_dest = dest.is_some_and(|i| !has_byte(&after[i..], b')'));
        if partial_dest {
            let close = open + dest.unwrap_or(0);
            let label = text[open + 1..close].to_owned();
            text.truncate(open);
            text.push_str(&label);
        } else if !has_byte(after, b']') {
            text.remove(open);
        }
    }
    let mut closers = String::new();
    if text.matches('`').count() % 2 == 1 {
        closers.push('`');
    } else {
        for marker in ["**", "~~"] {
            if count_str(&text, marker) % 2 == 1 && !text.trim_end().ends_with(marker) {
                closers.insert_str(0, marker);
            }
        }
        let singles = replace_str(&text, "**", "").matches('*').count();
        let bullet = text.trim_start().starts_with("* ") as usize;
        if (singles - bullet) % 2 == 1 && !text.trim_end().ends_with('*') {
            closers.insert(0, '*');
        }
    }
    let trailing_ws = text.len() - text.trim_end().len();
    let ws = text.split_off(text.len() - trailing_ws);
    cat(&[head, &text, &closers, &ws])
}

#[cfg(test)]
mod tests {
    use super::complete_tail;

    #[test]
    fn half_typed_syntax_shows_as_what_it_becomes() {
        assert_eq!(complete_tail("Some **bol"), "Some **bol**");
        assert_eq!(complete_tail("a *b"), "a *b*");
        assert_eq!(complete_tail("run `cargo te"), "run `cargo te`");
        assert_eq!(complete_tail("see [the docs](https://exa"), "see the docs");
        assert_eq!(complete_tail("see [the do"), "see the do");
        assert_eq!(
            complete_tail("**done** and ~~gone"),
            "**done** and ~~gone~~"
        );
        assert_eq!(complete_tail("* item *x"), "* item *x*");
        assert_eq!(complete_tail("```js\nlet a = **b"), "```js\nlet a = **b");
        assert_eq!(complete_tail("p1 **x\n\nclean"), "p1 **x\n\nclean");
        assert_eq!(complete_tail("fine [link](/x) end"), "fine [link](/x) end");
    }
}
