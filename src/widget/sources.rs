//! Where a reply's facts came from: the citations under its text (Anthropic
//! `citations_delta`) as links, deduplicated, in the order the model cited them.

use crate::prelude::*;

use super::chrome::open;
use super::strings::Strings;
use crate::dom::{self, Edits, Node};
use crate::markdown::url;
use crate::protocol::Citation;

/// A link the model's output names, put into the top of the edit stack, with `title` when
/// not empty: only absolute http(s) URLs become links (a relative one would point into the
/// embedding page); anything else is shown as text.
pub(super) fn source_link(e: &mut Edits, href: &str, text: &str, title: &str) {
    let absolute = {
        let lower = href.trim_ascii_start().to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    };
    match url::safe(href, false).filter(|_| absolute) {
        Some(safe) => {
            e.open("a");
            e.attr("href", &safe);
            e.attr("target", "_blank");
            e.attr("rel", "noopener noreferrer nofollow");
        }
        None => e.open("span"),
    }
    if !title.is_empty() {
        e.attr("title", title);
    }
    e.text(if text.is_empty() { href } else { text });
    e.close();
}

/// The "Sources" list of one reply, made by its first citation.
#[derive(Default)]
pub(super) struct Citations {
    list: Option<Node>,
    seen: Vec<String>,
}

impl Citations {
    pub fn add(&mut self, t: &Strings, bubble: Node, c: &Citation) {
        // One entry per source, however many passages of it were cited.
        let key = if c.url.is_empty() { &c.title } else { &c.url };
        if key.is_empty() || self.seen.contains(key) {
            return;
        }
        self.seen.push(key.clone());
        let list = self.list;
        let list = dom::with(|e| {
            let list = match list {
                Some(list) => list,
                None => {
                    // Citations arrive while the reply streams, before its footer.
                    e.at(bubble);
                    open(e, "div", "citations", "citations");
                    open(e, "div", "citations-label", "citations-label");
                    e.text(t.get("sources"));
                    e.close();
                    open(e, "ol", "citation-list", "citation-list");
                    let list = e.keep();
                    e.close();
                    e.close();
                    e.end();
                    list
                }
            };
            e.at(list);
            open(e, "li", "citation", "citation");
            source_link(e, &c.url, &c.title, &c.cited_text);
            e.close();
            e.end();
            list
        });
        self.list = Some(list);
    }

    pub fn forget(&self, e: &mut Edits) {
        if let Some(list) = self.list {
            e.forget(list);
        }
    }
}
