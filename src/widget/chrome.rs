//! The element's fixed parts, built once: header (title, Clear, Close), the log with its
//! "jump to latest" button, the composer (attachments, textarea, Send/Stop) and the
//! launcher button. Labels come from `Strings` and are re-applied when the page changes them.

use super::element;
use super::scroll::Follow;
use super::strings::Strings;
use alloc::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlButtonElement, HtmlInputElement, HtmlTextAreaElement, Node};

pub(crate) struct Chrome {
    pub frame: Element,
    pub title: Element,
    pub clear: HtmlButtonElement,
    pub close: HtmlButtonElement,
    pub log: Element,
    pub empty: Element,
    pub jump: HtmlButtonElement,
    /// Announces each finished reply once to screen readers.
    pub live: Element,
    pub previews: Element,
    /// Attachment problems (too large, wrong type), shown above the composer.
    pub note: Element,
    pub attach: HtmlButtonElement,
    pub file_input: HtmlInputElement,
    pub input: HtmlTextAreaElement,
    pub button: HtmlButtonElement,
    pub launcher: HtmlButtonElement,
    pub unread_dot: Element,
    pub follow: Rc<Follow>,
}

pub(crate) fn button(
    doc: &Document,
    class: &str,
    part: &str,
) -> Result<HtmlButtonElement, JsValue> {
    let b: HtmlButtonElement = element(doc, "button", class, part)?.unchecked_into();
    b.set_type("button");
    Ok(b)
}

impl Chrome {
    pub fn build(doc: &Document, root: &Node) -> Result<Chrome, JsValue> {
        let frame = element(doc, "div", "frame", "container")?;
        frame.set_attribute("role", "region")?;
        frame.set_id("rill-frame");

        let header = element(doc, "div", "header", "header")?;
        let title = element(doc, "span", "title", "title")?;
        let clear = button(doc, "tool-button clear", "clear")?;
        let close = button(doc, "tool-button close", "close")?;
        header.append_with_node_3(&title, &clear, &close)?;

        let log_wrap = element(doc, "div", "log-wrap", "log-wrap")?;
        let log = element(doc, "div", "log", "log")?;
        log.set_attribute("role", "log")?;
        // Tokens are not read out one by one: the live region announces whole replies.
        log.set_attribute("aria-live", "off")?;
        // A scrollable region must be reachable by keyboard to be scrolled.
        log.set_attribute("tabindex", "0")?;
        let jump = button(doc, "jump", "jump")?;
        jump.set_hidden(true);
        // Shown by CSS while the log is empty.
        let empty = element(doc, "div", "empty", "empty")?;
        empty.set_attribute("aria-hidden", "true")?;
        log_wrap.append_with_node_3(&log, &jump, &empty)?;

        let live = element(doc, "div", "sr-only", "live")?;
        live.set_attribute("aria-live", "polite")?;

        let composer = element(doc, "div", "composer", "composer")?;
        let note = element(doc, "div", "note", "note")?;
        note.set_attribute("role", "alert")?;
        let previews = element(doc, "div", "previews", "previews")?;
        let row = element(doc, "div", "row", "composer-row")?;
        let attach = button(doc, "attach", "attach")?;
        attach.set_text_content(Some("+"));
        let file_input: HtmlInputElement = doc.create_element("input")?.unchecked_into();
        file_input.set_type("file");
        file_input.set_accept("image/png,image/jpeg,image/gif,image/webp");
        file_input.set_multiple(true);
        file_input.set_hidden(true);
        // Only the attach button opens it; it is not a stop on the keyboard path.
        file_input.set_tab_index(-1);
        let input: HtmlTextAreaElement =
            element(doc, "textarea", "input", "input")?.unchecked_into();
        input.set_attribute("rows", "1")?;
        input.set_attribute("dir", "auto")?;
        let send = button(doc, "send", "send")?;
        row.append_with_node_4(&attach, &file_input, &input, &send)?;
        composer.append_with_node_3(&note, &previews, &row)?;

        frame.append_with_node_4(&header, &log_wrap, &composer, &live)?;

        let launcher = button(doc, "launcher", "launcher")?;
        launcher.set_attribute("aria-controls", "rill-frame")?;
        launcher.set_attribute("aria-expanded", "false")?;
        let icon = chat_icon(doc)?;
        launcher.append_child(&icon)?;
        let unread_dot = element(doc, "span", "dot", "unread")?;
        unread_dot.set_attribute("aria-hidden", "true")?;
        unread_dot.set_hidden_attr(true)?;
        launcher.append_child(&unread_dot)?;

        root.append_child(&frame)?;
        root.append_child(&launcher)?;
        let follow = Rc::new(Follow::new(log.clone(), jump.clone().into()));
        Ok(Chrome {
            follow,
            frame,
            title,
            clear,
            close,
            log,
            empty,
            jump,
            live,
            previews,
            note,
            attach,
            file_input,
            input,
            button: send,
            launcher,
            unread_dot,
        })
    }

    /// Puts the page's words on every fixed control.
    pub fn label(&self, t: &Strings, busy: bool, unread: bool) {
        self.frame.set_attribute("aria-label", t.get("title")).ok();
        self.frame
            .set_attribute("data-drop-hint", t.get("dropHint"))
            .ok();
        self.title.set_text_content(Some(t.get("title")));
        self.clear.set_text_content(Some(t.get("clear")));
        self.clear
            .set_attribute("aria-label", t.get("clearLabel"))
            .ok();
        self.close.set_text_content(Some(t.get("close")));
        self.close
            .set_attribute("aria-label", t.get("closeLabel"))
            .ok();
        self.log.set_attribute("aria-label", t.get("logLabel")).ok();
        self.jump.set_text_content(Some(t.get("jumpToLatest")));
        self.empty.set_text_content(Some(t.get("empty")));
        self.attach
            .set_attribute("aria-label", t.get("attach"))
            .ok();
        self.attach.set_title(t.get("attach"));
        self.input
            .set_attribute("aria-label", t.get("inputLabel"))
            .ok();
        self.input.set_placeholder(t.get("placeholder"));
        self.button
            .set_text_content(Some(t.get(if busy { "stop" } else { "send" })));
        let open = if unread { "openChatUnread" } else { "openChat" };
        self.launcher.set_attribute("aria-label", t.get(open)).ok();
    }
}

trait HiddenAttr {
    fn set_hidden_attr(&self, hidden: bool) -> Result<(), JsValue>;
}

impl HiddenAttr for Element {
    fn set_hidden_attr(&self, hidden: bool) -> Result<(), JsValue> {
        if hidden {
            self.set_attribute("hidden", "")
        } else {
            self.remove_attribute("hidden")
        }
    }
}

pub(crate) fn set_hidden(el: &Element, hidden: bool) {
    let _ = el.set_hidden_attr(hidden);
}

/// A speech-bubble icon drawn with SVG elements (no markup strings, no inline styles).
fn chat_icon(doc: &Document) -> Result<Element, JsValue> {
    const SVG: &str = "http://www.w3.org/2000/svg";
    let svg = doc.create_element_ns(Some(SVG), "svg")?;
    svg.set_attribute("viewBox", "0 0 24 24")?;
    svg.set_attribute("width", "26")?;
    svg.set_attribute("height", "26")?;
    svg.set_attribute("aria-hidden", "true")?;
    svg.set_attribute("focusable", "false")?;
    let path = doc.create_element_ns(Some(SVG), "path")?;
    path.set_attribute(
        "d",
        "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    )?;
    path.set_attribute("fill", "currentColor")?;
    svg.append_child(&path)?;
    Ok(svg)
}
