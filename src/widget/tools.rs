//! Tool-call cards inside a reply: the tool's name and state in the summary, the arguments
//! as the model streams them, then the page handler's result (or its error).

use super::element;
use super::strings::Strings;
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
    card: Element,
    status: Element,
    args: Text,
}

impl ToolCards {
    /// A tool-call delta: the first one of a call (it has the id) makes the card, later
    /// ones add to its arguments.
    #[allow(clippy::too_many_arguments)]
    pub fn call(
        &mut self,
        doc: &Document,
        t: &Strings,
        (bubble, content): (&Element, &Element),
        index: u64,
        id: Option<&str>,
        name: Option<&str>,
        arguments_delta: &str,
    ) -> Result<(), JsValue> {
        let known = match id {
            Some(id) => self.cards.iter().rposition(|c| c.id == id),
            None => self.cards.iter().rposition(|c| c.index == index),
        };
        let at = match known {
            Some(at) => at,
            None => {
                let list = match &self.list {
                    Some(list) => list.clone(),
                    None => {
                        let list = element(doc, "div", "tools", "tools")?;
                        bubble.insert_before(&list, Some(content))?;
                        self.list = Some(list.clone());
                        list
                    }
                };
                let card = new_card(
                    doc,
                    t,
                    index,
                    id.unwrap_or_default(),
                    name.unwrap_or("tool"),
                )?;
                list.append_child(&card.card)?;
                self.cards.push(card);
                self.cards.len() - 1
            }
        };
        self.cards[at].args.append_data(arguments_delta)?;
        Ok(())
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
        let Some(card) = self.cards.iter().find(|c| c.id == id) else {
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
    let status = element(doc, "span", "tool-status", "tool-status")?;
    status.set_text_content(Some(t.get("toolRunning")));
    summary.append_with_node_2(&label, &status)?;
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
        card,
        status,
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
