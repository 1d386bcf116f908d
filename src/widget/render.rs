//! The markdown tree as DOM edits — elements and text nodes only, never markup — and a
//! streaming view over it: final blocks are drawn once and keep their nodes; only the open
//! tail is redrawn, at most once per drawing.

use crate::prelude::*;

use super::chrome::{button, code, open};
use super::code::{self as code_block, LiveCode};
use super::strings::Strings;
use crate::dom::{self, Edits, Node};
use crate::markdown::{self, code_language, url, Align, Block, Inline, MarkdownStream};
use alloc::rc::Rc;

/// A reply's markdown as it streams into `root`.
pub struct MarkdownView {
    /// `None` once the reply is finished.
    stream: Option<MarkdownStream>,
    root: Node,
    /// Holds the rendering of the open tail; final blocks go before it.
    tail: Node,
    frozen_shown: usize,
    /// After `finish`: the finished reply's blocks and how many of them are drawn.
    rest: Option<(Vec<Block>, usize)>,
    /// A code block drawn line by line while its fence is open; `settled` once its final
    /// text is drawn but before it is counted among the final blocks.
    live: Option<(LiveCode, bool)>,
    strings: Rc<Strings>,
}

/// What one drawing may add, in bytes of DOM edits (about the text plus its tags): a burst
/// of thousands of words is drawn over several frames, none of them a long task.
pub const BUDGET: usize = 16 * 1024;

impl MarkdownView {
    pub fn new(root: Node, strings: Rc<Strings>) -> MarkdownView {
        let tail = dom::with(|e| {
            e.at(root);
            open(e, "div", "tail", "tail");
            let tail = e.keep();
            e.close();
            e.end();
            tail
        });
        MarkdownView {
            stream: Some(MarkdownStream::new()),
            root,
            tail,
            frozen_shown: 0,
            rest: None,
            live: None,
            strings,
        }
    }

    pub fn push(&mut self, text: &str) {
        if let Some(stream) = &mut self.stream {
            stream.push(text);
        }
    }

    /// Brings the DOM up to date, within `BUDGET`: new final blocks are drawn for good, then
    /// the tail redrawn. Returns whether final blocks are still waiting (draw again soon).
    pub fn render(&mut self) -> bool {
        let Some(stream) = &mut self.stream else {
            return false;
        };
        // Final blocks read while the second module was not linked, which it reads: read
        // again from the first of them, now that it is (none of them is drawn yet).
        if let Some(i) = stream.needs(self.frozen_shown) {
            if crate::split::loaded() {
                stream.reparse_from(i);
            }
        }
        let stream = &*stream;
        let t = &self.strings;
        let live = &mut self.live;
        let (root, tail, from) = (self.root, self.tail, self.frozen_shown);
        let (drawn, more) = dom::with(|e| {
            let start = e.buf.len();
            e.before(root, tail);
            let mut drawn = 0;
            let mut more = false;
            for b in stream.frozen().skip(from) {
                // A block with math waits for the converter (fetched on first use).
                if e.buf.len() - start > BUDGET
                    || b.has_math() && !super::math::ready()
                    || !code_block::block_ready(b)
                    || stream.waits(from + drawn) && !extra_ready()
                {
                    more = true;
                    break;
                }
                if !final_block(e, t, live, from + drawn, b, start + BUDGET) {
                    more = true;
                    break;
                }
                drawn += 1;
            }
            e.end();
            (drawn, more)
        });
        self.frozen_shown += drawn;
        if more {
            // The tail comes after what is still waiting: it is redrawn once that is drawn.
            return true;
        }
        if let Some(open) = stream.open_code() {
            if !code_block::ready_for(code_language(open.info).as_deref()) {
                return true;
            }
            // A fence still open: its lines are drawn as they complete, never again.
            return dom::with(|e| {
                if live.as_ref().is_none_or(|(l, _)| l.start != open.start) {
                    if let Some((old, false)) = live.take() {
                        old.discard(e);
                    }
                    e.set_text(tail, "");
                    e.before(root, tail);
                    let language = code_language(open.info);
                    let l =
                        LiveCode::new(e, t, open.start, stream.frozen_len(), language.as_deref());
                    *live = Some((l, false));
                    e.end();
                }
                let limit = e.buf.len() + BUDGET;
                match live {
                    Some((l, false)) => l.grow(e, open.body, open.fence, limit),
                    _ => false,
                }
            });
        }
        markdown::take_needed();
        let mut tail_blocks = stream.tail();
        if markdown::take_needed() && !extra_ready()
            || tail_blocks.iter().any(Block::has_math) && !super::math::ready()
            || !tail_blocks.iter().all(code_block::block_ready)
        {
            return true;
        }
        dom::with(|e| {
            // A live block whose fence has closed, not yet final: the tail's first block.
            if let Some((l, settled)) = live {
                match tail_blocks.first() {
                    Some(Block::CodeBlock { literal, .. }) => {
                        if !*settled && !l.settle(e, literal, e.buf.len() + BUDGET) {
                            return true;
                        }
                        *settled = true;
                        tail_blocks.remove(0);
                    }
                    _ => {
                        if let Some((l, false)) = live.take() {
                            l.discard(e);
                        }
                        *live = None;
                    }
                }
            }
            e.set_text(tail, "");
            e.at(tail);
            for b in &tail_blocks {
                block(e, t, b);
            }
            e.end();
            false
        })
    }

    /// The reply is over: the rest is drawn from the text as it is (no completed markers),
    /// within `budget`. Returns whether some is still waiting (call again after a frame).
    pub fn finish(&mut self, budget: usize) -> bool {
        let tail = self.tail;
        // What is left to read has a construct the second module reads: wait for it (or
        // until it could not be fetched: then it is read as text).
        let waits = |s: &MarkdownStream| s.needs(0).is_some() || s.rest_needs();
        if self.stream.as_ref().is_some_and(waits) && !extra_ready() {
            return true;
        }
        if let Some(stream) = self.stream.take() {
            self.rest = Some((stream.finish(), self.frozen_shown));
            dom::with(|e| e.set_text(tail, ""));
        }
        let Some((blocks, next)) = &mut self.rest else {
            return false;
        };
        let t = &self.strings;
        let live = &mut self.live;
        let more = dom::with(|e| {
            let start = e.buf.len();
            e.at(tail);
            while *next < blocks.len() && e.buf.len() - start <= budget {
                let b = &blocks[*next];
                if b.has_math() && !super::math::ready() || !code_block::block_ready(b) {
                    break;
                }
                let limit = start.saturating_add(budget);
                if !final_block(e, t, live, *next, &blocks[*next], limit) {
                    break;
                }
                *next += 1;
            }
            e.end();
            *next < blocks.len()
        });
        if !more {
            self.rest = None;
            dom::with(|e| e.forget(tail));
        }
        more
    }
}

/// Whether markdown the second module reads can be drawn now: it is linked, or could not be
/// fetched (then it shows as text). The first call starts fetching it.
fn extra_ready() -> bool {
    super::module_ready(crate::split::Module::Extra)
}

/// Draws final block `index`, or, when it is the block drawn live, completes that one.
/// Returns `false` when `limit` stopped it (call again).
fn final_block(
    e: &mut Edits,
    t: &Strings,
    live: &mut Option<(LiveCode, bool)>,
    index: usize,
    b: &Block,
    limit: usize,
) -> bool {
    match (live.as_mut(), b) {
        (Some((l, settled)), Block::CodeBlock { literal, .. }) if l.index == index => {
            if !*settled && !l.settle(e, literal, limit) {
                return false;
            }
            *live = None;
        }
        (Some((l, _)), _) if l.index == index => {
            if let Some((l, false)) = live.take() {
                l.discard(e);
            }
            *live = None;
            block(e, t, b);
        }
        _ => block(e, t, b),
    }
    true
}

fn with_inlines(e: &mut Edits, tag: &str, items: &[Inline]) {
    e.open(tag);
    inlines(e, items);
    e.close();
}

const HEADINGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];

/// One block, put into the element on top of the edit stack.
pub fn block(e: &mut Edits, t: &Strings, b: &Block) {
    match b {
        Block::Paragraph(items) => with_inlines(e, "p", items),
        Block::Heading { level, content } => {
            let at = (*level as usize).clamp(1, 6) - 1;
            with_inlines(e, HEADINGS[at], content)
        }
        Block::ThematicBreak => {
            e.open("hr");
            e.close();
        }
        Block::CodeBlock {
            language, literal, ..
        } => code_block::block(e, t, language.as_deref(), literal),
        Block::BlockQuote(children) => {
            e.open("blockquote");
            for c in children {
                block(e, t, c);
            }
            e.close();
        }
        Block::List {
            ordered,
            start,
            tight,
            items,
        } => {
            e.open(if *ordered { "ol" } else { "ul" });
            if *ordered && *start != 1 {
                e.attr("start", &crate::json::decimal(*start));
            }
            for item in items {
                e.open("li");
                if let Some(checked) = item.task {
                    e.open("input");
                    e.attr("type", "checkbox");
                    e.attr("disabled", "");
                    if checked {
                        e.attr("checked", "");
                    }
                    e.close();
                    e.text(" ");
                }
                for b in &item.blocks {
                    match b {
                        Block::Paragraph(content) if *tight => inlines(e, content),
                        other => block(e, t, other),
                    }
                }
                e.close();
            }
            e.close();
        }
        Block::Table { align, head, rows } => {
            e.open("div");
            e.attr("class", "table");
            e.open("table");
            e.open("thead");
            row(e, "th", head, align);
            e.close();
            e.open("tbody");
            for r in rows {
                row(e, "td", r, align);
            }
            e.close();
            e.close();
            e.close();
        }
    }
}

fn row(e: &mut Edits, tag: &str, cells: &[Vec<Inline>], align: &[Align]) {
    e.open("tr");
    for (cell, a) in cells.iter().zip(align) {
        e.open(tag);
        let side = match a {
            Align::None => "",
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
        };
        if !side.is_empty() {
            e.attr("data-align", side);
        }
        inlines(e, cell);
        e.close();
    }
    e.close();
}

fn inlines(e: &mut Edits, items: &[Inline]) {
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            Inline::Text(t) => e.text(t),
            Inline::Code(c) => {
                e.open("code");
                e.text(c);
                e.close();
            }
            Inline::Math { tex, display } => super::math::draw(e, tex, *display),
            Inline::Emph => e.open("em"),
            Inline::Strong => e.open("strong"),
            Inline::Strike => e.open("del"),
            Inline::Link { url, title } => {
                e.open("a");
                // The URL was judged safe when the tree was built (markdown::url::safe).
                e.attr("href", url);
                e.attr("target", "_blank");
                e.attr("rel", "noopener noreferrer nofollow");
                if !title.is_empty() {
                    e.attr("title", title);
                }
            }
            Inline::Image { url, title } => {
                e.open("img");
                e.attr("src", url);
                let end = Inline::close_of(items, i);
                let mut text = String::new();
                Inline::plain_text(&items[i + 1..end], &mut text);
                e.attr("alt", &text);
                e.attr("loading", "lazy");
                if !title.is_empty() {
                    e.attr("title", title);
                }
                // Its description is the `alt` text, not content: on to its `Close`.
                i = end;
                continue;
            }
            Inline::Close => e.close(),
            Inline::SoftBreak => e.text("\n"),
            Inline::HardBreak => {
                e.open("br");
                e.close();
            }
        }
        i += 1;
    }
}

/// A copy button (`COPY_CODE` or `COPY_REPLY`), whole.
pub fn copy_button(e: &mut Edits, t: &Strings, what: u32) {
    button(e, "copy", "copy", what);
    e.attr(
        "data-copy",
        if what == code::COPY_CODE {
            "code"
        } else {
            "message"
        },
    );
    let label = if what == code::COPY_CODE {
        "copyCode"
    } else {
        "copyReply"
    };
    e.attr("aria-label", t.get(label));
    e.text(t.get("copy"));
    e.close();
}

/// A sent message, whole: its text as text (never markup), its images, and an Edit button
/// reported with the bubble's handle. Returns the handle.
pub fn user_bubble(e: &mut Edits, t: &Strings, text: &str, images: &[String]) -> Node {
    open(e, "div", "msg user", "message user");
    let user = e.keep();
    if !images.is_empty() {
        open(e, "div", "images", "images");
        for src in images {
            // Stored history is untrusted too: only raster data URLs and http(s) images.
            let Some(src) = url::safe(src, true) else {
                continue;
            };
            open(e, "img", "thumb", "image");
            e.attr("src", &src);
            e.attr("alt", t.get("image"));
            e.close();
        }
        e.close();
    }
    if !text.is_empty() {
        open(e, "div", "user-text", "user-text");
        e.attr("dir", "auto");
        e.text(text);
        e.close();
    }
    button(e, "copy edit", "edit", code::EDIT | (user.0 << 8));
    e.attr("data-action", "edit");
    e.attr("aria-label", t.get("editLabel"));
    e.text(t.get("edit"));
    e.close();
    e.close();
    user
}

/// Only the newest reply offers Regenerate and Continue; older ones lose them.
pub fn prune_actions(log: Node) {
    dom::with(|e| e.drop_all(log, "[data-action=regenerate], [data-action=continue]"));
}
