//! Markdown that arrives a few characters at a time. Top-level blocks that the block parser
//! has closed are final: they are converted once and never parsed again. Only the open tail
//! (from the first open top-level block on) is parsed again when it is rendered, so a reply
//! costs time linear in its length as long as its top-level blocks are of bounded size
//! (paragraphs, code blocks, tables; one huge list is re-parsed as a whole while it grows).
//!
//! One CommonMark rule reaches backwards: a reference definition applies to links written
//! before it. `finish` re-parses the final blocks that a late definition could change, so
//! the finished tree always equals parsing the whole text at once.

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
    range: std::ops::Range<usize>,
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
        if text.contains(['\n', '\r']) || had == 0 && self.source.contains(['\n', '\r']) {
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

    /// The open tail as it would render now (parsed afresh on each call).
    pub fn tail(&self) -> Vec<Block> {
        let mut p = BlockParser::new();
        p.refs = self.refs.clone();
        for line in lines(&self.source[self.done..]) {
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
            if refs.len() > f.refs_known && source[f.range.clone()].contains(']') {
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
        let complete = match tail.rfind(['\n', '\r']) {
            // A CR at the very end may be the first half of CRLF: wait for the next byte.
            Some(i) if tail.as_bytes()[i] == b'\r' && i + 1 == tail.len() => {
                match tail[..i].rfind(['\n', '\r']) {
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
