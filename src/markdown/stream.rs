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
    /// The tail is a top-level fenced code block still open: while it grows, new lines are
    /// only checked for its closing fence, not parsed again (a long code block would
    /// otherwise cost time quadratic in its length).
    fence: Option<Fence>,
}

#[derive(Debug, Clone, Copy)]
struct Fence {
    start: usize,
    info: (usize, usize),
    body: usize,
    ch: u8,
    len: usize,
    /// Lines before this offset are known not to close it.
    scanned: usize,
}

/// A top-level fenced code block that is still open, its opening line complete: a view can
/// draw it line by line (see `MarkdownStream::open_code`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpenCode<'a> {
    /// Where its opening fence starts in the text: the same for as long as it stays open.
    pub start: usize,
    /// The info string, as `Block::CodeBlock` will have it.
    pub info: &'a str,
    /// The code so far: the text after the opening line (its last line may be incomplete).
    pub body: &'a str,
    /// The fence character and length, so a view can tell a closing fence being typed.
    pub fence: u8,
    pub len: usize,
}

#[derive(Debug)]
struct Frozen {
    block: Block,
    range: core::ops::Range<usize>,
    refs_known: usize,
    /// Definitions known before the parse that froze it.
    refs_before: usize,
    /// That parse met a construct the second module reads, which was not linked: the block
    /// is parsed again once it is (`markdown::rare_ready`, `reparse_from`).
    needs: bool,
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

    /// The first final block from `from` on that was read without a construct the second
    /// module reads (it was not linked yet).
    pub fn needs(&self, from: usize) -> Option<usize> {
        let i = self.frozen.get(from..)?.iter().position(|f| f.needs)?;
        Some(from + i)
    }

    /// Whether final block `i` waits for the second module (`needs`).
    pub fn waits(&self, i: usize) -> bool {
        self.frozen.get(i).is_some_and(|f| f.needs)
    }

    /// Parses the text again from final block `i` on (the second module is linked now),
    /// with the definitions known before it: what came from there is read as it should be.
    pub fn reparse_from(&mut self, i: usize) {
        let Some(f) = self.frozen.get(i) else { return };
        self.done = f.range.start;
        self.refs.truncate(f.refs_before);
        self.frozen.truncate(i);
        self.fence = None;
        self.freeze_closed_blocks();
    }

    /// Whether parsing what is not final yet, as `finish` will, meets a construct the second
    /// module reads while it is not linked.
    pub fn rest_needs(&self) -> bool {
        super::take_needed();
        BlockParser::fed(self.refs.clone(), &self.source[self.done..]).finish();
        super::take_needed()
    }

    /// The open tail when it is a top-level fenced code block (fence at column 0, opening
    /// line complete, an info string without escapes or references): its body is the code
    /// verbatim, and it becomes the next frozen block when it closes.
    pub fn open_code(&self) -> Option<OpenCode<'_>> {
        let f = self.fence?;
        Some(OpenCode {
            start: f.start,
            info: &self.source[f.info.0..f.info.1],
            body: &self.source[f.body..],
            fence: f.ch,
            len: f.len,
        })
    }

    /// The open tail as it should show now (parsed afresh on each call). Half-typed inline
    /// syntax at the end is shown as what it is becoming (see `complete_tail`).
    pub fn tail(&self) -> Vec<Block> {
        let shown = complete_tail(&self.source[self.done..]);
        BlockParser::fed(self.refs.clone(), &shown).finish().0
    }

    /// The whole document: equal to parsing the full text at once (once the second module
    /// is linked, if a block `needs` it).
    pub fn finish(mut self) -> Vec<Block> {
        if let Some(i) = self.needs(0).filter(|_| crate::split::loaded()) {
            self.reparse_from(i);
        }
        let MarkdownStream {
            source,
            done,
            frozen,
            refs,
            ..
        } = self;
        let (tail, refs) = BlockParser::fed(refs, &source[done..]).finish();
        let mut out = Vec::with_capacity(frozen.len() + tail.len());
        for f in frozen {
            if refs.len() > f.refs_known && has_byte(&source[f.range.clone()], b']') {
                // A definition that came later may turn this block's brackets into links.
                out.extend(BlockParser::fed(refs.clone(), &source[f.range]).finish().0);
            } else {
                out.push(f.block);
            }
        }
        out.extend(tail);
        out
    }

    /// Parses the complete lines of the tail and freezes the top-level blocks that closed.
    fn freeze_closed_blocks(&mut self) {
        if let Some(f) = &mut self.fence {
            let Some(complete) = complete_end(&self.source[f.scanned..]) else {
                return;
            };
            let end = f.scanned + complete;
            let closed = lines(&self.source[f.scanned..end]).any(|l| closes(l, f.ch, f.len));
            if !closed {
                f.scanned = end;
                return;
            }
            self.fence = None;
        }
        self.parse_tail();
        self.fence = open_fence(&self.source, self.done);
    }

    fn parse_tail(&mut self) {
        let tail = &self.source[self.done..];
        let Some(complete) = complete_end(tail) else {
            return;
        };
        super::take_needed();
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
        let (base, needs, refs_before) = (self.done, super::take_needed(), self.refs.len());
        for (block, range) in blocks.into_iter().zip(ranges) {
            self.frozen.push(Frozen {
                block,
                range: base + range.start..base + range.end,
                refs_known: refs.len(),
                refs_before,
                needs,
            });
        }
        self.done = self.frozen.last().map_or(self.done, |f| f.range.end);
        self.refs = refs;
    }
}

/// Where the complete lines of `text` end, if it has one.
fn complete_end(text: &str) -> Option<usize> {
    match rfind_any(text, b"\n\r") {
        // A CR at the very end may be the first half of CRLF: wait for the next byte.
        Some(i) if text.as_bytes()[i] == b'\r' && i + 1 == text.len() => {
            rfind_any(&text[..i], b"\n\r").map(|j| j + 1)
        }
        Some(i) => Some(i + 1),
        None => None,
    }
}

/// A fenced code block opening the tail at `from` (after blank lines), at column 0.
fn open_fence(source: &str, from: usize) -> Option<Fence> {
    let mut at = from;
    loop {
        let rest = &source[at..];
        let end = rest.bytes().position(|b| b == b'\n' || b == b'\r')?;
        let line = &rest[..end];
        let next = at
            + end
            + if rest[end..].starts_with("\r\n") {
                2
            } else {
                1
            };
        if line.bytes().all(|b| b == b' ' || b == b'\t') {
            at = next;
            continue;
        }
        if next > source.len() || rest[end..].starts_with("\r") && next == source.len() {
            return None;
        }
        let b = line.as_bytes();
        let ch = b[0];
        let len = b.iter().take_while(|&&c| c == ch).count();
        if !(ch == b'`' || ch == b'~') || len < 3 {
            return None;
        }
        let info = trim_set(&line[len..], b" \t");
        if ch == b'`' && has_byte(info, b'`') || has_any(info, b"\\&") {
            return None;
        }
        let info_at = at + (info.as_ptr() as usize - line.as_ptr() as usize);
        // The tail may hold the whole block already, closing fence and all (the parser
        // freezes a block only once what follows it is known).
        let scanned = next + complete_end(&source[next..]).unwrap_or(0);
        if lines(&source[next..scanned]).any(|l| closes(l, ch, len)) {
            return None;
        }
        return Some(Fence {
            start: at,
            info: (info_at, info_at + info.len()),
            body: next,
            ch,
            len,
            scanned,
        });
    }
}

/// Whether `line` closes a fence of `len` × `ch`: up to three spaces, the fence, blanks.
pub fn closes(line: &str, ch: u8, len: usize) -> bool {
    let b = line.as_bytes();
    let indent = b.iter().take_while(|&&c| c == b' ').count();
    let run = b[indent..].iter().take_while(|&&c| c == ch).count();
    indent <= 3 && run >= len && b[indent + run..].iter().all(|&c| c == b' ' || c == b'\t')
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
            let t = l.trim_ascii_start();
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
    // Math is not markdown: complete spans do not count, and an open one is left as its
    // source until it closes (then it is drawn as math, once).
    let (mut masked, pending) = super::mathspan::mask(&text);
    if let Some(at) = pending {
        masked.truncate(at);
    }
    // `[text](partial` → `text`; a dangling `[text` → `text`.
    if let Some(open) = rfind_byte(&masked, b'[') {
        let after = &text[open..];
        let dest = find_str(after, "](");
        let partial_dest = dest.is_some_and(|i| !has_byte(&after[i..], b')'));
        if partial_dest {
            let close = open + dest.unwrap_or(0);
            let label = text[open + 1..close].to_owned();
            text.truncate(open);
            text.push_str(&label);
            masked.truncate(open);
            masked.push_str(&label);
        } else if !has_byte(after, b']') {
            remove_byte(&mut text, open);
            remove_byte(&mut masked, open);
        }
    }
    let mut closers = String::new();
    let m = &masked;
    if count_str(m, "`") % 2 == 1 {
        closers.push('`');
    } else {
        for marker in ["**", "~~"] {
            if count_str(m, marker) % 2 == 1 && !m.trim_ascii_end().ends_with(marker) {
                closers.insert_str(0, marker);
            }
        }
        let singles = count_str(&replace_str(m, "**", ""), "*");
        let bullet = m.trim_ascii_start().starts_with("* ") as usize;
        if (singles - bullet) % 2 == 1 && !m.trim_ascii_end().ends_with("*") {
            closers.insert(0, '*');
        }
    }
    let trailing_ws = text.len() - text.trim_ascii_end().len();
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
        // Math is left alone: its `*` and brackets are TeX, and an open span stays source.
        assert_eq!(complete_tail("so $a*b$ and *c"), "so $a*b$ and *c*");
        assert_eq!(complete_tail("so $a*b"), "so $a*b");
        assert_eq!(complete_tail("**x** \\[ [0,1] *"), "**x** \\[ [0,1] *");
        assert_eq!(
            complete_tail("costs $5 and **bold"),
            "costs $5 and **bold**"
        );
    }
}
