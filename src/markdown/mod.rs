//! Our own CommonMark + GFM renderer, made for text that arrives a few characters at a time
//! and is written by a model nobody trusts.
//!
//! - `blocks` builds the block structure line by line (so it is incremental by nature),
//!   `inlines` parses each block's text, `tree` is the result, `html` renders it as a string
//!   and the element renders the same tree as DOM.
//! - Half-typed syntax in the open tail (`**bol`, `` `co``, `[link](ht`) is shown as the
//!   construct it is becoming, not as raw markers: markers that appear and then vanish make
//!   the text jump under the reader's eyes (`stream::complete_tail`).
//! - Size: 19,821 B gzip -9 in the release wasm (115,723 B with `renderMarkdown` exported vs
//!   95,902 B without it, measured 2026-11-22), against ~72 KB for pulldown-cmark.
//! - Speed: natively about 2.6x pulldown-cmark's time on the same document
//!   (`cargo run --release --example markdown_throughput`).
//! - Safe by construction: raw HTML is text (there is no HTML node), and a link or image
//!   whose destination fails `url::safe` is never built — its text is shown instead.

use crate::prelude::*;

mod autolink;
mod blocks;
mod entities;
mod html;
mod inlines;
pub mod mathspan;
mod stream;
pub mod tree;
pub mod url;

pub use blocks::code_language;
pub use stream::{closes as closes_fence, MarkdownStream, OpenCode};
pub use tree::{Align, Block, Inline, ListItem};

/// Constructs models rarely write — character references, `<…>` autolinks, link titles and
/// reference definitions — are read by the second module (`split.rs`): a first reply without
/// them never fetches it. Until it is linked, a parse that meets one reads it as text and
/// says so (`take_needed`); the view waits for the module, then the stream parses those
/// blocks again (`MarkdownStream::needs`). Checked only where the construct can really be
/// there (a `&name;` shape, a `:` or `@` between `<` and `>`, …), so text that merely has an
/// `&` or a `<` never waits.
pub(crate) fn rare_ready() -> bool {
    let ready = crate::split::loaded();
    if !ready {
        needed_swap(true);
    }
    ready
}

/// Whether a parse since the last call met a construct the second module reads.
pub fn take_needed() -> bool {
    needed_swap(false)
}

#[cfg(feature = "ship")]
fn needed_swap(to: bool) -> bool {
    use core::sync::atomic::{AtomicBool, Ordering};
    static NEEDED: AtomicBool = AtomicBool::new(false);
    NEEDED.swap(to, Ordering::Relaxed)
}

// Per thread where tests run in parallel (`split::pretend_unlinked` is per thread too).
#[cfg(not(feature = "ship"))]
fn needed_swap(to: bool) -> bool {
    std::thread_local!(static NEEDED: core::cell::Cell<bool> = const { core::cell::Cell::new(false) });
    NEEDED.with(|n| n.replace(to))
}

/// Parses a whole document.
pub fn parse(text: &str) -> Vec<Block> {
    blocks::BlockParser::parse(text).0
}

/// Markdown → safe HTML string (the reference renderer's output format).
pub fn render_html(text: &str) -> String {
    html::render(&parse(text))
}
