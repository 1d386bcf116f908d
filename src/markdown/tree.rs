//! The parsed document that both renderers consume (the HTML string renderer here and the
//! element's DOM renderer). It has no variant that can carry raw HTML or an event handler:
//! safety does not depend on a renderer remembering to escape.

use crate::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    ThematicBreak,
    /// `info` is the whole info string; `language` its first word, sanitised for a class.
    CodeBlock {
        info: String,
        language: Option<String>,
        literal: String,
    },
    BlockQuote(Vec<Block>),
    List {
        ordered: bool,
        start: u64,
        tight: bool,
        items: Vec<ListItem>,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// GFM task list item: `Some(checked)`.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

/// A block's inline content as a flat list: an element opens at `Emph`, `Strong`, `Strike`,
/// `Link` or `Image` and ends at the `Close` that balances it (the list always balances).
/// Flat rather than nested, so the parser writes it in one pass and a renderer walks it
/// with the stack of open elements it has anyway: no tree of vectors is built, cloned or
/// dropped node by node.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    /// LaTeX between math delimiters (`mathspan`), as written: the element converts it to
    /// MathML, and a copy of the reply gives it back.
    Math {
        tex: String,
        display: bool,
    },
    Emph,
    Strong,
    Strike,
    /// `url` is already judged safe (see `url::safe_link`); an unsafe link is never built.
    Link {
        url: String,
        title: String,
    },
    /// What it holds up to its `Close` is its description (`alt`), as plain text.
    Image {
        url: String,
        title: String,
    },
    Close,
    SoftBreak,
    HardBreak,
}

impl Block {
    /// Whether any of its text is math (the element fetches its converter first).
    pub fn has_math(&self) -> bool {
        match self {
            Block::Paragraph(c) | Block::Heading { content: c, .. } => Inline::any_math(c),
            Block::BlockQuote(b) => b.iter().any(Block::has_math),
            Block::List { items, .. } => items.iter().any(|i| i.blocks.iter().any(Block::has_math)),
            Block::Table { head, rows, .. } => {
                head.iter().any(|c| Inline::any_math(c))
                    || rows.iter().any(|r| r.iter().any(|c| Inline::any_math(c)))
            }
            Block::ThematicBreak | Block::CodeBlock { .. } => false,
        }
    }
}

impl Inline {
    /// Math outside image descriptions (those are `alt` text, never drawn as MathML).
    fn any_math(items: &[Inline]) -> bool {
        let mut i = 0;
        while i < items.len() {
            match items[i] {
                Inline::Math { .. } => return true,
                Inline::Image { .. } => i = Inline::close_of(items, i),
                _ => {}
            }
            i += 1;
        }
        false
    }

    /// Whether it opens an element (one `Close` ends it).
    pub fn opens(&self) -> bool {
        matches!(
            self,
            Inline::Emph
                | Inline::Strong
                | Inline::Strike
                | Inline::Link { .. }
                | Inline::Image { .. }
        )
    }

    /// The plain text of inlines (image `alt` attributes, accessible names).
    pub fn plain_text(items: &[Inline], out: &mut String) {
        for item in items {
            match item {
                Inline::Text(t) | Inline::Code(t) | Inline::Math { tex: t, .. } => out.push_str(t),
                Inline::SoftBreak | Inline::HardBreak => out.push('\n'),
                _ => {}
            }
        }
    }

    /// Where the element that `items[open]` opens ends: the index of its `Close`.
    pub fn close_of(items: &[Inline], open: usize) -> usize {
        let mut depth = 0usize;
        for (i, item) in items.iter().enumerate().skip(open) {
            match item {
                Inline::Close if depth <= 1 => return i,
                Inline::Close => depth -= 1,
                _ if item.opens() => depth += 1,
                _ => {}
            }
        }
        items.len()
    }
}
