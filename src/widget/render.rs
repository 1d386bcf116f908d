//! The markdown tree as DOM, built with `createElement` and text nodes only (no
//! `innerHTML`), and a streaming view over it: final blocks are appended once and keep their
//! nodes; only the open tail is rebuilt, at most once per animation frame.

use crate::prelude::*;

use super::chrome::button;
use super::strings::Strings;
use super::{element, message_el};
use crate::markdown::{url, Align, Block, Inline, MarkdownStream};
use alloc::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element, Node};

/// A reply's markdown as it streams into `root`.
pub struct MarkdownView {
    stream: MarkdownStream,
    root: Element,
    /// Holds the rendering of the open tail; final blocks go before it.
    tail: Element,
    frozen_shown: usize,
    strings: Rc<Strings>,
}

impl MarkdownView {
    pub fn new(
        doc: &Document,
        root: Element,
        strings: Rc<Strings>,
    ) -> Result<MarkdownView, JsValue> {
        let tail = doc.create_element("div")?;
        tail.set_class_name("tail");
        root.append_child(&tail)?;
        Ok(MarkdownView {
            stream: MarkdownStream::new(),
            root,
            tail,
            frozen_shown: 0,
            strings,
        })
    }

    pub fn push(&mut self, text: &str) {
        self.stream.push(text);
    }

    /// Brings the DOM up to date: new final blocks are appended for good, the tail redrawn.
    pub fn render(&mut self, doc: &Document) -> Result<(), JsValue> {
        for block in self.stream.frozen().skip(self.frozen_shown) {
            self.root
                .insert_before(&block_node(doc, &self.strings, block)?, Some(&self.tail))?;
        }
        self.frozen_shown = self.stream.frozen_len();
        let tail = self.stream.tail();
        self.tail.set_text_content(None);
        for block in &tail {
            self.tail
                .append_child(&block_node(doc, &self.strings, block)?)?;
        }
        Ok(())
    }

    /// The reply is over: the tail is drawn from the text as it is (no completed markers).
    pub fn finish(self, doc: &Document) -> Result<(), JsValue> {
        let shown = self.frozen_shown;
        let blocks = self.stream.finish();
        self.tail.set_text_content(None);
        for block in blocks.iter().skip(shown) {
            self.tail
                .append_child(&block_node(doc, &self.strings, block)?)?;
        }
        Ok(())
    }
}

fn el(doc: &Document, tag: &str) -> Result<Element, JsValue> {
    doc.create_element(tag)
}

fn with_inlines(doc: &Document, tag: &str, items: &[Inline]) -> Result<Element, JsValue> {
    let e = el(doc, tag)?;
    inlines(doc, &e, items)?;
    Ok(e)
}

pub fn block_node(doc: &Document, t: &Strings, block: &Block) -> Result<Node, JsValue> {
    let node: Element = match block {
        Block::Paragraph(items) => with_inlines(doc, "p", items)?,
        Block::Heading { level, content } => {
            with_inlines(doc, &format!("h{}", level.clamp(&1, &6)), content)?
        }
        Block::ThematicBreak => el(doc, "hr")?,
        Block::CodeBlock {
            language, literal, ..
        } => {
            let pre = el(doc, "pre")?;
            pre.set_attribute("part", "code")?;
            // It scrolls sideways, so it must be reachable by keyboard.
            pre.set_attribute("tabindex", "0")?;
            let code = el(doc, "code")?;
            if let Some(lang) = language {
                code.set_class_name(&format!("language-{lang}"));
            }
            code.set_text_content(Some(literal));
            pre.append_child(&code)?;
            // A head row (language, Copy) so the button never covers the code.
            let wrap = el(doc, "div")?;
            wrap.set_class_name("code");
            let head = el(doc, "div")?;
            head.set_class_name("code-head");
            let lang = el(doc, "span")?;
            lang.set_text_content(language.as_deref());
            let copy = copy_button(doc, t, "code")?;
            head.append_with_node_2(&lang, &copy)?;
            wrap.append_with_node_2(&head, &pre)?;
            wrap
        }
        Block::BlockQuote(children) => {
            let q = el(doc, "blockquote")?;
            for c in children {
                q.append_child(&block_node(doc, t, c)?)?;
            }
            q
        }
        Block::List {
            ordered,
            start,
            tight,
            items,
        } => {
            let list = el(doc, if *ordered { "ol" } else { "ul" })?;
            if *ordered && *start != 1 {
                list.set_attribute("start", &start.to_string())?;
            }
            for item in items {
                let li = el(doc, "li")?;
                if let Some(checked) = item.task {
                    let input = el(doc, "input")?;
                    input.set_attribute("type", "checkbox")?;
                    input.set_attribute("disabled", "")?;
                    if checked {
                        input.set_attribute("checked", "")?;
                    }
                    li.append_child(&input)?;
                    li.append_child(&doc.create_text_node(" "))?;
                }
                for b in &item.blocks {
                    match b {
                        Block::Paragraph(content) if *tight => inlines(doc, &li, content)?,
                        other => {
                            li.append_child(&block_node(doc, t, other)?)?;
                        }
                    }
                }
                list.append_child(&li)?;
            }
            list
        }
        Block::Table { align, head, rows } => {
            let wrap = el(doc, "div")?;
            wrap.set_class_name("table");
            let table = el(doc, "table")?;
            let thead = el(doc, "thead")?;
            let head_row = row(doc, "th", head, align)?;
            thead.append_child(&head_row)?;
            table.append_child(&thead)?;
            let tbody = el(doc, "tbody")?;
            for r in rows {
                let body_row = row(doc, "td", r, align)?;
                tbody.append_child(&body_row)?;
            }
            table.append_child(&tbody)?;
            wrap.append_child(&table)?;
            wrap
        }
    };
    Ok(node.into())
}

fn row(
    doc: &Document,
    tag: &str,
    cells: &[Vec<Inline>],
    align: &[Align],
) -> Result<Element, JsValue> {
    let tr = el(doc, "tr")?;
    for (cell, a) in cells.iter().zip(align) {
        let c = with_inlines(doc, tag, cell)?;
        let side = match a {
            Align::None => None,
            Align::Left => Some("left"),
            Align::Center => Some("center"),
            Align::Right => Some("right"),
        };
        if let Some(side) = side {
            c.set_attribute("data-align", side)?;
        }
        tr.append_child(&c)?;
    }
    Ok(tr)
}

fn inlines(doc: &Document, parent: &Element, items: &[Inline]) -> Result<(), JsValue> {
    for item in items {
        let node: Node = match item {
            Inline::Text(t) => doc.create_text_node(t).into(),
            Inline::Code(c) => {
                let code = el(doc, "code")?;
                code.set_text_content(Some(c));
                code.into()
            }
            Inline::Emph(c) => with_inlines(doc, "em", c)?.into(),
            Inline::Strong(c) => with_inlines(doc, "strong", c)?.into(),
            Inline::Strike(c) => with_inlines(doc, "del", c)?.into(),
            Inline::Link {
                url,
                title,
                children,
            } => {
                let a = with_inlines(doc, "a", children)?;
                // The URL was judged safe when the tree was built (markdown::url::safe).
                a.set_attribute("href", url)?;
                a.set_attribute("target", "_blank")?;
                a.set_attribute("rel", "noopener noreferrer nofollow")?;
                if !title.is_empty() {
                    a.set_attribute("title", title)?;
                }
                a.into()
            }
            Inline::Image { url, title, alt } => {
                let img = el(doc, "img")?;
                img.set_attribute("src", url)?;
                let mut text = String::new();
                Inline::plain_text(alt, &mut text);
                img.set_attribute("alt", &text)?;
                img.set_attribute("loading", "lazy")?;
                if !title.is_empty() {
                    img.set_attribute("title", title)?;
                }
                img.into()
            }
            Inline::SoftBreak => doc.create_text_node("\n").into(),
            Inline::HardBreak => el(doc, "br")?.into(),
        };
        parent.append_child(&node)?;
    }
    Ok(())
}

/// A copy button; one delegated listener on the log handles them all (`controls::on_copy`).
pub fn copy_button(doc: &Document, t: &Strings, what: &str) -> Result<Element, JsValue> {
    let b = button(doc, "copy", "copy")?;
    b.set_attribute("data-copy", what)?;
    let label = if what == "code" {
        "copyCode"
    } else {
        "copyReply"
    };
    b.set_attribute("aria-label", t.get(label))?;
    b.set_text_content(Some(t.get("copy")));
    Ok(b.into())
}

/// A sent message: its text as text (never markup), its images, and an Edit button.
pub fn user_bubble(
    doc: &Document,
    t: &Strings,
    text: &str,
    images: &[String],
) -> Result<Element, JsValue> {
    let user = message_el(doc, "user")?;
    if !images.is_empty() {
        let row = element(doc, "div", "images", "images")?;
        for src in images {
            // Stored history is untrusted too: only raster data URLs and http(s) images.
            let Some(src) = url::safe(src, true) else {
                continue;
            };
            let img = element(doc, "img", "thumb", "image")?;
            img.set_attribute("src", &src)?;
            img.set_attribute("alt", t.get("image"))?;
            row.append_child(&img)?;
        }
        user.append_child(&row)?;
    }
    if !text.is_empty() {
        let body = element(doc, "div", "user-text", "user-text")?;
        body.set_attribute("dir", "auto")?;
        body.set_text_content(Some(text));
        user.append_child(&body)?;
    }
    let edit = button(doc, "copy edit", "edit")?;
    edit.set_attribute("data-action", "edit")?;
    edit.set_attribute("aria-label", t.get("editLabel"))?;
    edit.set_text_content(Some(t.get("edit")));
    user.append_child(&edit)?;
    Ok(user)
}

/// Only the newest reply offers Regenerate and Continue; older ones lose them.
pub fn prune_actions(log: &Element) {
    remove_actions(log, 0);
}

/// After drawing a stored conversation: every reply but the newest loses its actions.
pub fn prune_actions_but_last(log: &Element) {
    remove_actions(log, 1);
}

fn remove_actions(log: &Element, keep: u32) {
    if let Ok(buttons) = log.query_selector_all("[data-action=regenerate], [data-action=continue]")
    {
        for i in 0..buttons.length().saturating_sub(keep) {
            if let Some(b) = buttons.item(i) {
                if let Some(p) = b.parent_node() {
                    let _ = p.remove_child(&b);
                }
            }
        }
    }
}
