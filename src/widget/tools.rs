//! Tool-call cards inside a reply: the tool's name and state in the summary, the arguments
//! as the model streams them, then the page handler's result (or its error). Tools the
//! provider runs itself (web search, web fetch, code execution) get a card of their own: what
//! was searched, how many results, and the results as links.

use crate::prelude::*;

use super::element;
use super::sources::source_link;
use super::strings::Strings;
use crate::json::Json;
use crate::protocol::ServerResult;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element, Text};

#[derive(Default)]
pub(super) struct ToolCards {
    /// Holds the cards, above the reply text; made with the first card.
    list: Option<Element>,
    cards: Vec<Card>,
}

struct Card {
    index: u64,
    id: String,
    /// Run by the provider (no page handler answers it).
    server: bool,
    card: Element,
    status: Element,
    /// What the summary says the call is about (a search's query), for server tools.
    about: Element,
    args: Text,
}

impl ToolCards {
    /// A tool-call delta (of the page's tool, or with `server` one the provider runs): the
    /// first one of a call (it has the id) makes the card, later ones add to its arguments.
    #[allow(clippy::too_many_arguments)]
    pub fn call(
        &mut self,
        doc: &Document,
        t: &Strings,
        (bubble, content): (&Element, &Element),
        (index, server): (u64, bool),
        id: Option<&str>,
        name: Option<&str>,
        arguments_delta: &str,
    ) -> Result<(), JsValue> {
        let at = self.card(doc, t, (bubble, content), server, index, id, name)?;
        self.cards[at].args.append_data(arguments_delta)?;
        Ok(())
    }

    /// The provider's tool returned: the query it ran, how many results, the results.
    pub fn server_result(
        &mut self,
        doc: &Document,
        t: &Strings,
        r: &ServerResult,
    ) -> Result<(), JsValue> {
        let Some(card) = self
            .cards
            .iter()
            .find(|c| c.server && c.id == r.tool_use_id)
        else {
            return Ok(());
        };
        // The input is whole by now: a search shows its query, a fetch its URL.
        let input = Json::parse(&card.args.data()).ok();
        let about = input
            .as_ref()
            .and_then(|i| i.str_field("query").or_else(|| i.str_field("url")));
        if let Some(about) = about {
            card.about.set_text_content(Some(about));
        }
        let (state, status) = match (&r.error, r.count) {
            (Some(code), _) => ("failed", format!("{}: {code}", t.get("toolFailed"))),
            (None, Some(n)) => ("done", t.fill("results", &[("n", &n.to_string())])),
            (None, None) => ("done", t.get("toolDone").to_owned()),
        };
        card.card.set_attribute("data-state", state)?;
        card.status.set_text_content(Some(&status));
        if !r.sources.is_empty() {
            let list = element(doc, "ul", "tool-sources", "tool-sources")?;
            for (url, title) in &r.sources {
                let item = doc.create_element("li")?;
                let link = source_link(doc, url, title)?;
                item.append_child(&link)?;
                list.append_child(&item)?;
            }
            card.card.append_child(&list)?;
        }
        Ok(())
    }

    /// The card a fragment belongs to, made by the call's first fragment.
    #[allow(clippy::too_many_arguments)]
    fn card(
        &mut self,
        doc: &Document,
        t: &Strings,
        (bubble, content): (&Element, &Element),
        server: bool,
        index: u64,
        id: Option<&str>,
        name: Option<&str>,
    ) -> Result<usize, JsValue> {
        let known = match id {
            Some(id) => self.cards.iter().rposition(|c| c.id == id),
            None => self
                .cards
                .iter()
                .rposition(|c| c.index == index && c.server == server),
        };
        if let Some(at) = known {
            return Ok(at);
        }
        let list = match &self.list {
            Some(list) => list.clone(),
            None => {
                let list = element(doc, "div", "tools", "tools")?;
                bubble.insert_before(&list, Some(content))?;
                self.list = Some(list.clone());
                list
            }
        };
        let name = name.unwrap_or("tool");
        let shown = match (server, name) {
            (true, "web_search") => t.get("webSearch"),
            (true, "web_fetch") => t.get("webFetch"),
            (true, "code_execution") => t.get("codeExecution"),
            _ => name,
        };
        let mut card = new_card(doc, t, index, id.unwrap_or_default(), shown)?;
        card.server = server;
        if server {
            card.card.set_attribute("data-kind", "server")?;
        }
        list.append_child(&card.card)?;
        self.cards.push(card);
        Ok(self.cards.len() - 1)
    }

    /// The handler answered: the card shows the result and whether it failed.
    pub fn result(
        &mut self,
        doc: &Document,
        t: &Strings,
        id: &str,
        content: &str,
        is_error: bool,
    ) -> Result<(), JsValue> {
        let Some(card) = self.cards.iter().find(|c| !c.server && c.id == id) else {
            return Ok(());
        };
        let state = if is_error { "failed" } else { "done" };
        card.card.set_attribute("data-state", state)?;
        card.status.set_text_content(Some(t.get(if is_error {
            "toolFailed"
        } else {
            "toolDone"
        })));
        let result = section(doc, t.get("toolResult"), "tool-result", content)?;
        card.card.append_child(&result)?;
        Ok(())
    }
}

fn new_card(
    doc: &Document,
    t: &Strings,
    index: u64,
    id: &str,
    name: &str,
) -> Result<Card, JsValue> {
    let card = element(doc, "details", "tool", "tool-call")?;
    card.set_attribute("data-state", "running")?;
    let summary = doc.create_element("summary")?;
    let label = element(doc, "span", "tool-name", "tool-name")?;
    label.set_text_content(Some(name));
    let about = element(doc, "span", "tool-about", "tool-about")?;
    let status = element(doc, "span", "tool-status", "tool-status")?;
    status.set_text_content(Some(t.get("toolRunning")));
    summary.append_with_node_3(&label, &about, &status)?;
    card.append_child(&summary)?;
    let args_section = section(doc, t.get("toolArguments"), "tool-args", "")?;
    let args = doc.create_text_node("");
    if let Some(pre) = args_section.query_selector("pre")? {
        pre.append_child(&args)?;
    }
    card.append_child(&args_section)?;
    Ok(Card {
        index,
        id: id.to_owned(),
        server: false,
        card,
        status,
        about,
        args,
    })
}

/// A labelled `<pre>` (arguments, result): text only, whatever the model or handler wrote.
fn section(doc: &Document, label: &str, class: &str, text: &str) -> Result<Element, JsValue> {
    let wrap = element(doc, "div", &format!("tool-section {class}"), class)?;
    let heading = element(doc, "div", "tool-label", "tool-label")?;
    heading.set_text_content(Some(label));
    let pre = doc.create_element("pre")?;
    // It may scroll sideways, so it must be reachable by keyboard.
    pre.set_attribute("tabindex", "0")?;
    if !text.is_empty() {
        pre.set_text_content(Some(text));
    }
    wrap.append_with_node_2(&heading, &pre)?;
    Ok(wrap)
}
