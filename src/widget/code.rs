//! Code blocks as DOM: each line highlighted once (`highlight`), token by token as spans
//! with a class; and a code block whose fence is still open drawn a line at a time, so the
//! lines already shown keep their nodes and only the open last line is drawn again.

use crate::prelude::*;

use super::chrome::code as actions;
use super::render::copy_button;
use super::strings::Strings;
use crate::dom::{Edits, Node};
use crate::highlight::{Highlighter, Kind, LineStream, Token};
use crate::markdown::Block;
use crate::split::{self, Module};

/// Whether a code block in `language` can be drawn now: its language is one of the first
/// module's, or the module with the others is linked (or could not be fetched: then it is
/// plain). The first block that needs the module starts fetching it.
pub fn ready_for(language: Option<&str>) -> bool {
    language.is_none_or(|l| Highlighter::common(l).is_some() || super::module_ready(Module::Langs))
}

/// `ready_for` every code block in `b` (lists and quotes hold them too). An empty block
/// does not wait: in the streaming tail it is a fence whose info string is still being
/// typed (`pyth` on its way to `python`), and an empty block has nothing to colour.
pub fn block_ready(b: &Block) -> bool {
    match b {
        Block::CodeBlock {
            language, literal, ..
        } => literal.is_empty() || ready_for(language.as_deref()),
        Block::BlockQuote(children) => children.iter().all(block_ready),
        Block::List { items, .. } => items.iter().all(|i| i.blocks.iter().all(block_ready)),
        _ => true,
    }
}

fn highlighter(language: Option<&str>) -> Option<Highlighter> {
    let l = language?;
    Highlighter::common(l).or_else(|| {
        if split::is_loaded(Module::Langs) {
            more_language(l)
        } else {
            None
        }
    })
}

crate::lazy!(langs "aa000000000000000000000000000001" fn more_language(word: &str) -> Option<Highlighter> {
    Highlighter::more(word)
});

/// The head row (language, Copy) and `<pre><code>`, left open on the edit stack; the outer
/// element kept when `keep`.
fn open_block(e: &mut Edits, t: &Strings, language: Option<&str>, keep: bool) -> Option<Node> {
    // A head row so the button never covers the code.
    e.open("div");
    e.attr("class", "code");
    let outer = keep.then(|| e.keep());
    e.open("div");
    e.attr("class", "code-head");
    e.open("span");
    e.text(language.unwrap_or_default());
    e.close();
    copy_button(e, t, actions::COPY_CODE);
    e.close();
    e.open("pre");
    e.attr("part", "code");
    // It scrolls sideways, so it must be reachable by keyboard.
    e.attr("tabindex", "0");
    e.open("code");
    if let Some(lang) = language {
        e.attr("class", &cat(&["language-", lang]));
    }
    outer
}

fn close_block(e: &mut Edits) {
    e.close();
    e.close();
    e.close();
}

/// One line, its tokens as spans (plain runs as text), without its line ending.
fn line(e: &mut Edits, text: &str, tokens: &[Token], highlighted: bool) {
    if !highlighted {
        e.text(text);
        return;
    }
    let mut from = 0;
    for t in tokens {
        let piece = &text[from..t.end];
        if t.kind == Kind::Plain {
            e.text(piece);
        } else {
            e.open("span");
            e.attr("class", t.kind.class());
            e.text(piece);
            e.close();
        }
        from = t.end;
    }
}

/// A code block, whole.
pub fn block(e: &mut Edits, t: &Strings, language: Option<&str>, literal: &str) {
    open_block(e, t, language, false);
    let mut lines = LineStream::with(highlighter(language));
    if lines.highlighted() {
        lines.complete(literal, &mut |l, tokens| {
            line(e, l, tokens, true);
            e.text("\n");
            true
        });
    } else {
        e.text(literal);
    }
    close_block(e);
}

/// A code block drawn while its fence is open (`MarkdownStream::open_code`).
pub struct LiveCode {
    /// Where its fence starts in the reply's text: which open block this is.
    pub start: usize,
    /// The index it will have among the final blocks.
    pub index: usize,
    outer: Node,
    code: Node,
    /// Holds the open last line.
    open: Node,
    lines: LineStream,
    /// Lines drawn for good.
    drawn: usize,
}

impl LiveCode {
    /// Draws the empty block where the edit stack is.
    pub fn new(
        e: &mut Edits,
        t: &Strings,
        start: usize,
        index: usize,
        language: Option<&str>,
    ) -> LiveCode {
        let outer = open_block(e, t, language, true).unwrap_or(Node(0));
        let code = e.keep();
        e.open("span");
        let open = e.keep();
        e.close();
        close_block(e);
        LiveCode {
            start,
            index,
            outer,
            code,
            open,
            lines: LineStream::with(highlighter(language)),
            drawn: 0,
        }
    }

    /// Draws the complete lines of `text` not drawn yet, until `e` has grown past `limit`
    /// bytes. Returns whether all were drawn.
    fn add_lines(&mut self, e: &mut Edits, text: &str, limit: usize) -> bool {
        e.before(self.code, self.open);
        let highlighted = self.lines.highlighted();
        let mut all = true;
        let mut drawn = 0;
        self.lines.complete(text, &mut |l, tokens| {
            if e.buf.len() > limit {
                all = false;
                return false;
            }
            line(e, l, tokens, highlighted);
            e.text("\n");
            drawn += 1;
            true
        });
        self.drawn += drawn;
        e.end();
        all
    }

    /// The block has grown to `body` (the text after its opening line): new complete lines
    /// are drawn for good, then the open line again. A partial line that may be the closing
    /// fence (`fence` characters) is not shown, so it never flashes as code. Returns whether
    /// lines are still waiting (draw again soon).
    pub fn grow(&mut self, e: &mut Edits, body: &str, fence: u8, limit: usize) -> bool {
        if !self.add_lines(e, body, limit) {
            return true;
        }
        let highlighted = self.lines.highlighted();
        let (rest, tokens) = self.lines.open(body);
        let maybe_fence = {
            let t = trim_start_set(rest, b" ");
            rest.len() - t.len() <= 3
                && !t.is_empty()
                && trim_end_set(t, b" \t").bytes().all(|c| c == fence)
        };
        e.set_text(self.open, "");
        if !maybe_fence {
            e.at(self.open);
            line(e, rest, tokens, highlighted);
            e.end();
        }
        false
    }

    /// The block is final with `literal`: its lines not drawn yet are drawn, and the open line
    /// goes. Returns `false` when `limit` stopped it (call again).
    pub fn settle(&mut self, e: &mut Edits, literal: &str, limit: usize) -> bool {
        self.lines.rebase(literal, self.drawn);
        if !self.add_lines(e, literal, limit) {
            return false;
        }
        e.remove(self.open);
        e.forget(self.code);
        e.forget(self.outer);
        true
    }

    /// The block is not wanted after all (the final text is not what it looked like).
    pub fn discard(self, e: &mut Edits) {
        e.forget(self.open);
        e.forget(self.code);
        e.remove(self.outer);
    }
}
