//! Code blocks as DOM: each line highlighted once (`highlight`), token by token as spans
//! with a class; and a code block whose fence is still open drawn a line at a time, so the
//! lines already shown keep their nodes and only the open last line is drawn again.

use crate::prelude::*;

use super::chrome::code as actions;
use super::render::copy_button;
use super::strings::Strings;
use crate::dom::{Edits, Node};
use crate::highlight::{Highlighter, Kind, Token};

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
fn line(e: &mut Edits, hl: &mut Option<Highlighter>, text: &str, tokens: &mut Vec<Token>) {
    let Some(h) = hl else {
        e.text(text);
        return;
    };
    tokens.clear();
    h.line(text, tokens);
    let mut from = 0;
    for t in tokens.iter() {
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

/// The complete lines of `text` (each ends with `\n`; a `\r` before it is not code), with
/// where the next one starts.
fn complete_lines(text: &str, from: usize) -> impl Iterator<Item = (&str, usize)> {
    let mut at = from;
    core::iter::from_fn(move || {
        let i = find_byte(&text[at..], b'\n')?;
        let l = trim_end_set(&text[at..at + i], b"\r");
        at += i + 1;
        Some((l, at))
    })
}

/// A code block, whole.
pub fn block(e: &mut Edits, t: &Strings, language: Option<&str>, literal: &str) {
    open_block(e, t, language, false);
    let mut hl = language.and_then(Highlighter::new);
    if hl.is_none() {
        e.text(literal);
    } else {
        let mut tokens = Vec::new();
        for (l, _) in complete_lines(literal, 0) {
            line(e, &mut hl, l, &mut tokens);
            e.text("\n");
        }
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
    /// Bytes of the body and lines drawn for good.
    drawn: usize,
    lines: usize,
    hl: Option<Highlighter>,
    tokens: Vec<Token>,
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
            drawn: 0,
            lines: 0,
            hl: language.and_then(Highlighter::new),
            tokens: Vec::new(),
        }
    }

    /// Draws the complete lines of `text` after those drawn (counted in bytes of the body
    /// while it grows, in lines of the final literal when it settles), until `e` has grown
    /// past `limit` bytes. Returns whether all were drawn.
    fn add_lines(&mut self, e: &mut Edits, text: &str, settle: bool, limit: usize) -> bool {
        e.before(self.code, self.open);
        let mut skip = if settle { self.lines } else { 0 };
        let mut all = true;
        for (l, next) in complete_lines(text, if settle { 0 } else { self.drawn }) {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            if e.buf.len() > limit {
                all = false;
                break;
            }
            line(e, &mut self.hl, l, &mut self.tokens);
            e.text("\n");
            self.lines += 1;
            if !settle {
                self.drawn = next;
            }
        }
        e.end();
        all
    }

    /// The block has grown to `body` (the text after its opening line): new complete lines
    /// are drawn for good, then the open line again. A partial line that may be the closing
    /// fence (`fence` × `len`) is not shown, so it never flashes as code. Returns whether
    /// lines are still waiting (draw again soon).
    pub fn grow(&mut self, e: &mut Edits, body: &str, fence: u8, limit: usize) -> bool {
        if !self.add_lines(e, body, false, limit) {
            return true;
        }
        let rest = trim_end_set(&body[self.drawn..], b"\r");
        let maybe_fence = {
            let t = trim_start_set(rest, b" ");
            rest.len() - t.len() <= 3
                && !t.is_empty()
                && trim_end_set(t, b" \t").bytes().all(|c| c == fence)
        };
        e.set_text(self.open, "");
        if !maybe_fence {
            e.at(self.open);
            // On a copy: the open line is tokenised again when it grows or completes.
            let mut hl = self.hl;
            line(e, &mut hl, rest, &mut self.tokens);
            e.end();
        }
        false
    }

    /// The block is final with `literal`: its lines not drawn yet are drawn, and the open line
    /// goes. Returns `false` when `limit` stopped it (call again).
    pub fn settle(&mut self, e: &mut Edits, literal: &str, limit: usize) -> bool {
        if !self.add_lines(e, literal, true, limit) {
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
