//! Where a reply's facts came from: the citations under its text (Anthropic
//! `citations_delta`) as links, deduplicated, in the order the model cited them.

use crate::prelude::*;

use super::element;
use super::strings::Strings;
use crate::markdown::url;
use crate::protocol::Citation;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

/// A link the model's output names: only absolute http(s) URLs become links (a relative one
/// would point into the embedding page); anything else is shown as text.
pub(super) fn source_link(doc: &Document, href: &str, text: &str) -> Result<Element, JsValue> {
    let absolute = {
        let lower = href.trim_start().to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    };
    match url::safe(href, false).filter(|_| absolute) {
        Some(safe) => {
            let a = doc.create_element("a")?;
            a.set_attribute("href", &safe)?;
            a.set_attribute("target", "_blank")?;
            a.set_attribute("rel", "noopener noreferrer nofollow")?;
            a.set_text_content(Some(if text.is_empty() { href } else { text }));
            Ok(a)
        }
        None => {
            let span = doc.create_element("span")?;
            span.set_text_content(Some(if text.is_empty() { href } else { text }));
            Ok(span)
        }
    }
}

/// The "Sources" list of one reply, made by its first citation.
#[derive(Default)]
pub(super) struct Citations {
    list: Option<Element>,
    seen: Vec<String>,
}

impl Citations {
    pub fn add(
        &mut self,
        doc: &Document,
        t: &Strings,
        bubble: &Element,
        c: &Citation,
    ) -> Result<(), JsValue> {
        // One entry per source, however many passages of it were cited.
        let key = if c.url.is_empty() { &c.title } else { &c.url };
        if key.is_empty() || self.seen.contains(key) {
            return Ok(());
        }
        self.seen.push(key.clone());
        let list = match &self.list {
            Some(list) => list.clone(),
            None => {
                let wrap = element(doc, "div", "citations", "citations")?;
                let heading = element(doc, "div", "citations-label", "citations-label")?;
                heading.set_text_content(Some(t.get("sources")));
                let list = element(doc, "ol", "citation-list", "citation-list")?;
                wrap.append_with_node_2(&heading, &list)?;
                // Before the footer, which a finished reply appends after its text.
                match bubble.query_selector(".meta")? {
                    Some(meta) => bubble.insert_before(&wrap, Some(&meta))?,
                    None => bubble.append_child(&wrap)?,
                };
                self.list = Some(list.clone());
                list
            }
        };
        let item = element(doc, "li", "citation", "citation")?;
        let link = source_link(doc, &c.url, &c.title)?;
        if !c.cited_text.is_empty() {
            link.set_attribute("title", &c.cited_text)?;
        }
        item.append_child(&link)?;
        list.append_child(&item)?;
        Ok(())
    }
}
