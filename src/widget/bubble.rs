//! One assistant reply in the log: its markdown body, the reasoning panel, tool results, the
//! closing marker (stopped, cut at max tokens) and the footer with its numbers.

use super::render::MarkdownView;
use super::{dispatch, element, message_el, State};
use crate::bindings::js_from_json;
use crate::conversation::{Metrics, Reply};
use crate::protocol::{ChatEvent, FinishReason};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Text};

/// The assistant bubble being streamed into: text and reasoning grow in place.
pub(super) struct Bubble {
    pub(super) body_el: Element,
    /// The scrolling message log, followed only while the reader is at its bottom.
    log: Element,
    content: Element,
    /// The reply's markdown; `None` once finished.
    view: Rc<RefCell<Option<MarkdownView>>>,
    frame_pending: Rc<Cell<bool>>,
    /// The `<details>` panel and its text, created by the first reasoning delta.
    reasoning: RefCell<Option<(Element, Text)>>,
    answer_started: Cell<bool>,
}

impl Bubble {
    pub(super) fn new(doc: &Document, log: &Element) -> Result<Bubble, JsValue> {
        let body_el = message_el(doc, "assistant")?;
        body_el.set_attribute("aria-busy", "true")?;
        let content = element(doc, "div", "body markdown", "body")?;
        body_el.append_child(&content)?;
        let view = MarkdownView::new(doc, content.clone())?;
        Ok(Bubble {
            body_el,
            log: log.clone(),
            content,
            view: Rc::new(RefCell::new(Some(view))),
            frame_pending: Rc::new(Cell::new(false)),
            reasoning: RefCell::new(None),
            answer_started: Cell::new(false),
        })
    }

    /// Text is drawn at most once per animation frame, however many deltas arrive.
    fn schedule_render(&self, doc: &Document) {
        if self.frame_pending.replace(true) {
            return;
        }
        let (view, pending, doc, log) = (
            self.view.clone(),
            self.frame_pending.clone(),
            doc.clone(),
            self.log.clone(),
        );
        let draw = move || {
            pending.set(false);
            let follow = at_bottom(&log);
            if let Some(v) = view.borrow_mut().as_mut() {
                let _ = v.render(&doc);
            }
            if follow {
                log.set_scroll_top(log.scroll_height());
            }
        };
        match web_sys::window() {
            Some(w) => {
                let cb = Closure::once_into_js(draw);
                let _ = w.request_animation_frame(cb.unchecked_ref());
            }
            None => draw(),
        }
    }

    /// Finish, stop and error all end here: the whole text is drawn at once.
    pub(super) fn flush(&self, doc: &Document) {
        let follow = at_bottom(&self.log);
        if let Some(v) = self.view.borrow_mut().take() {
            let _ = v.finish(doc);
        }
        if follow {
            self.log.set_scroll_top(self.log.scroll_height());
        }
    }

    pub(super) fn apply(&self, s: &State, ev: &ChatEvent) {
        match ev {
            ChatEvent::Text(delta) => {
                // The answer has begun: the thinking folds away once (one click reopens it).
                if !self.answer_started.replace(true) {
                    if let Some((panel, _)) = self.reasoning.borrow().as_ref() {
                        let _ = panel.remove_attribute("open");
                    }
                }
                if let Some(v) = self.view.borrow_mut().as_mut() {
                    v.push(delta);
                }
                self.schedule_render(&s.doc);
            }
            ChatEvent::Reasoning(delta) => {
                let mut slot = self.reasoning.borrow_mut();
                if slot.is_none() {
                    *slot = reasoning_panel(&s.doc, &self.body_el).ok();
                }
                if let Some((_, node)) = slot.as_ref() {
                    let _ = node.append_data(delta);
                }
            }
            ChatEvent::Usage(u) => dispatch(&s.host, "rill-usage", &js_from_json(&u.to_json())),
            ChatEvent::ToolResult {
                name,
                content,
                is_error,
                ..
            } => {
                if let Ok(el) = element(&s.doc, "div", "tool", "tool") {
                    let mark = if *is_error { "failed" } else { "returned" };
                    el.set_text_content(Some(&format!("Tool {name} {mark}: {content}")));
                    let _ = self.body_el.insert_before(&el, Some(&self.content));
                }
            }
            _ => {}
        }
        if matches!(ev, ChatEvent::Text(_) | ChatEvent::Reasoning(_)) {
            dispatch(&s.host, "rill-delta", &js_from_json(&ev.to_json()));
        }
    }
}

impl Bubble {
    /// After a finished reply: a marker when max tokens cut it, and the footer numbers.
    pub(super) fn finished(&self, doc: &Document, reply: &Reply, metrics: &Metrics) {
        if matches!(reply.finish, Some((FinishReason::Length, _))) {
            self.marker(doc, "Cut at the max tokens limit");
        }
        let mut parts = Vec::new();
        if let Some(n) = metrics.output_tokens {
            parts.push(format!(
                "{}{n} tokens",
                if metrics.estimated { "~" } else { "" }
            ));
        }
        if let Some(t) = metrics.ttft_ms {
            parts.push(format!("first token {:.1} s", t / 1000.0));
        }
        if let Some(r) = metrics.tokens_per_second() {
            parts.push(format!("{r:.0} tokens/s"));
        }
        if let Ok(meta) = element(doc, "div", "meta", "meta") {
            meta.set_text_content(Some(&parts.join(" · ")));
            if let Ok(copy) = super::render::copy_button(doc, "message", "Copy reply") {
                let _ = meta.append_child(&copy);
            }
            if let Ok(again) = doc.create_element("button") {
                let _ = again.set_attribute("type", "button");
                let _ = again.set_attribute("data-action", "regenerate");
                let _ = again.set_attribute("part", "regenerate");
                let _ = again.set_attribute("aria-label", "Regenerate reply");
                again.set_class_name("copy");
                again.set_text_content(Some("Regenerate"));
                let _ = meta.append_child(&again);
            }
            let _ = self.body_el.append_child(&meta);
        }
        // Copying a reply gives its markdown, not the rendered text.
        let _ = self.body_el.set_attribute("data-markdown", &reply.text);
    }

    /// What the live region reads: the rendered answer, without buttons and numbers.
    pub(super) fn spoken_text(&self) -> String {
        self.content.text_content().unwrap_or_default()
    }

    /// A quiet note at the end of the reply (not an error: nothing went wrong).
    pub(super) fn marker(&self, doc: &Document, text: &str) {
        if let Ok(m) = element(doc, "div", "marker", "marker") {
            m.set_text_content(Some(text));
            let _ = self.body_el.append_child(&m);
        }
    }
}

fn reasoning_panel(doc: &Document, body: &Element) -> Result<(Element, Text), JsValue> {
    let panel = element(doc, "details", "reasoning", "reasoning")?;
    panel.set_attribute("open", "")?;
    let summary = doc.create_element("summary")?;
    summary.set_text_content(Some("Reasoning"));
    let text = doc.create_text_node("");
    let inner = element(doc, "div", "reasoning-text", "reasoning-text")?;
    inner.append_child(&text)?;
    panel.append_child(&summary)?;
    panel.append_child(&inner)?;
    body.insert_before(&panel, body.first_child().as_ref())?;
    Ok((panel, text))
}

/// Whether the reader is at the end of the log (a few pixels of slack for rounding).
fn at_bottom(log: &Element) -> bool {
    log.scroll_height() - log.scroll_top() - log.client_height() <= 24
}
