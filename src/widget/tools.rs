//! Tool-call cards inside a reply: the tool's name and state in the summary, the arguments
//! as the model streams them, then the page handler's result (or its error). Tools the
//! provider runs itself (web search, web fetch, code execution) get a card of their own: what
//! was searched, how many results, and the results as links.

use crate::prelude::*;

use super::chrome::open;
use super::sources::source_link;
use super::strings::Strings;
use crate::dom::{self, Edits, Node};
use crate::json::Json;
use crate::protocol::ServerResult;

#[derive(Default)]
pub(super) struct ToolCards {
    /// Holds the cards, above the reply text; made with the first card.
    list: Option<Node>,
    cards: Vec<Card>,
}

struct Card {
    index: u64,
    id: String,
    /// Run by the provider (no page handler answers it).
    server: bool,
    card: Node,
    status: Node,
    /// What the summary says the call is about (a search's query), for server tools.
    about: Node,
    args_node: Node,
    args: String,
}

impl ToolCards {
    /// A tool-call delta (of the page's tool, or with `server` one the provider runs): the
    /// first one of a call (it has the id) makes the card, later ones add to its arguments.
    pub fn call(
        &mut self,
        t: &Strings,
        (bubble, content): (Node, Node),
        (index, server): (u64, bool),
        id: Option<&str>,
        name: Option<&str>,
        arguments_delta: &str,
    ) {
        let at = self.card(t, (bubble, content), server, index, id, name);
        let card = &mut self.cards[at];
        card.args.push_str(arguments_delta);
        dom::with(|e| e.add_text(card.args_node, arguments_delta));
    }

    /// The provider's tool returned: the query it ran, how many results, the results.
    pub fn server_result(&mut self, t: &Strings, r: &ServerResult) {
        let Some(card) = self
            .cards
            .iter()
            .find(|c| c.server && c.id == r.tool_use_id)
        else {
            return;
        };
        // The input is whole by now: a search shows its query, a fetch its URL.
        let input = Json::parse(&card.args).ok();
        let about = input
            .as_ref()
            .and_then(|i| i.str_field("query").or_else(|| i.str_field("url")));
        let (state, status) = match (&r.error, r.count) {
            (Some(code), _) => {
                let mut s = String::from(t.get("toolFailed"));
                s.push_str(": ");
                s.push_str(code);
                ("failed", s)
            }
            (None, Some(n)) => (
                "done",
                t.fill("results", &[("n", &crate::json::decimal(n))]),
            ),
            (None, None) => ("done", t.get("toolDone").to_owned()),
        };
        dom::with(|e| {
            if let Some(about) = about {
                e.set_text(card.about, about);
            }
            e.set_attr(card.card, "data-state", state);
            e.set_text(card.status, &status);
            if !r.sources.is_empty() {
                e.at(card.card);
                open(e, "ul", "tool-sources", "tool-sources");
                for (url, title) in &r.sources {
                    e.open("li");
                    source_link(e, url, title, "");
                    e.close();
                }
                e.close();
                e.end();
            }
        });
    }

    /// The card a fragment belongs to, made by the call's first fragment.
    fn card(
        &mut self,
        t: &Strings,
        (bubble, content): (Node, Node),
        server: bool,
        index: u64,
        id: Option<&str>,
        name: Option<&str>,
    ) -> usize {
        let known = match id {
            Some(id) => self.cards.iter().rposition(|c| c.id == id),
            None => self
                .cards
                .iter()
                .rposition(|c| c.index == index && c.server == server),
        };
        if let Some(at) = known {
            return at;
        }
        let name = name.unwrap_or("tool");
        let shown = match (server, name) {
            (true, "web_search") => t.get("webSearch"),
            (true, "web_fetch") => t.get("webFetch"),
            (true, "code_execution") => t.get("codeExecution"),
            _ => name,
        };
        let list = self.list;
        let (list, card) = dom::with(|e| {
            let list = match list {
                Some(list) => list,
                None => {
                    e.before(bubble, content);
                    open(e, "div", "tools", "tools");
                    let list = e.keep();
                    e.close();
                    e.end();
                    list
                }
            };
            e.at(list);
            let card = new_card(e, t, shown, server);
            e.end();
            (list, card)
        });
        self.list = Some(list);
        self.cards.push(Card {
            index,
            id: id.unwrap_or_default().to_owned(),
            server,
            ..card
        });
        self.cards.len() - 1
    }

    /// The handler answered: the card shows the result and whether it failed.
    pub fn result(&mut self, t: &Strings, id: &str, content: &str, is_error: bool) {
        let Some(card) = self.cards.iter().find(|c| !c.server && c.id == id) else {
            return;
        };
        let state = if is_error { "failed" } else { "done" };
        dom::with(|e| {
            e.set_attr(card.card, "data-state", state);
            e.set_text(
                card.status,
                t.get(if is_error { "toolFailed" } else { "toolDone" }),
            );
            e.at(card.card);
            section(e, t.get("toolResult"), "tool-result", content);
            e.close();
            e.close();
            e.end();
        });
    }

    pub fn forget(&self, e: &mut Edits) {
        if let Some(list) = self.list {
            e.forget(list);
        }
        for c in &self.cards {
            for n in [c.card, c.status, c.about, c.args_node] {
                e.forget(n);
            }
        }
    }
}

fn new_card(e: &mut Edits, t: &Strings, name: &str, server: bool) -> Card {
    open(e, "details", "tool", "tool-call");
    e.attr("data-state", "running");
    if server {
        e.attr("data-kind", "server");
    }
    let card = e.keep();
    e.open("summary");
    open(e, "span", "tool-name", "tool-name");
    e.text(name);
    e.close();
    open(e, "span", "tool-about", "tool-about");
    let about = e.keep();
    e.close();
    open(e, "span", "tool-status", "tool-status");
    e.text(t.get("toolRunning"));
    let status = e.keep();
    e.close();
    e.close();
    section(e, t.get("toolArguments"), "tool-args", "");
    let args_node = e.keep_text("");
    e.close();
    e.close();
    e.close();
    Card {
        index: 0,
        id: String::new(),
        server,
        card,
        status,
        about,
        args_node,
        args: String::new(),
    }
}

/// Opens a labelled section and its `<pre>` (arguments, result) with `text` — text only,
/// whatever the model or handler wrote; the caller adds to the `<pre>` and closes both.
fn section(e: &mut Edits, label: &str, class: &str, text: &str) {
    let mut classes = String::from("tool-section ");
    classes.push_str(class);
    open(e, "div", &classes, class);
    open(e, "div", "tool-label", "tool-label");
    e.text(label);
    e.close();
    e.open("pre");
    // It may scroll sideways, so it must be reachable by keyboard.
    e.attr("tabindex", "0");
    e.text(text);
}
