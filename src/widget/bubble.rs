//! One assistant reply in the log: its markdown body, the reasoning panel, tool-call cards,
//! the closing marker (stopped, cut at max tokens) or error banner, and the footer.

use crate::prelude::*;

use super::chrome::button;
use super::render::MarkdownView;
use super::scroll::Follow;
use super::sources::Citations;
use super::strings::Strings;
use super::tools::ToolCards;
use super::{element, message_el, State};
use crate::bindings::js_from_json;
use crate::conversation::{Metrics, Reply};
use crate::protocol::{ChatEvent, FinishReason};
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Text};

/// The assistant bubble being streamed into: text and reasoning grow in place.
pub(super) struct Bubble {
    pub(super) body_el: Element,
    /// Keeps the reader at the end of the log, if that is where they are.
    follow: Rc<Follow>,
    content: Element,
    /// The reply's markdown; `None` once finished.
    view: Rc<RefCell<Option<MarkdownView>>>,
    frame_pending: Rc<Cell<bool>>,
    /// The `<details>` panel and its text, created by the first reasoning delta.
    reasoning: RefCell<Option<(Element, Text)>>,
    answer_started: Cell<bool>,
    tools: RefCell<ToolCards>,
    citations: RefCell<Citations>,
    strings: Rc<Strings>,
    /// Everything drawn as the answer (all tool rounds, a continuation's start): what Copy
    /// gives and what the live region reads.
    shown: RefCell<String>,
    /// A tool round ended: the next text starts a new paragraph.
    after_tool: Cell<bool>,
    /// When the text was last drawn (`performance.now()`).
    last_draw: Rc<Cell<f64>>,
}

/// Least time between two drawings of a streaming reply.
const MIN_DRAW_GAP_MS: f64 = 50.0;

impl Bubble {
    pub(super) fn new(s: &State) -> Result<Bubble, JsValue> {
        let body_el = message_el(&s.doc, "assistant")?;
        let content = element(&s.doc, "div", "body markdown", "body")?;
        content.set_attribute("dir", "auto")?;
        body_el.append_child(&content)?;
        Bubble::around(s, body_el, content, "")
    }

    /// Reopens a finished reply to stream its continuation after `text`.
    pub(super) fn resume(s: &State, body_el: Element, text: &str) -> Result<Bubble, JsValue> {
        for sel in [".meta", ".marker", ".error"] {
            while let Some(old) = body_el.query_selector(sel)? {
                old.remove();
            }
        }
        let content = match body_el.query_selector(".body")? {
            Some(c) => c,
            None => return Err(JsValue::from_str("the reply has no body")),
        };
        content.set_text_content(None);
        let b = Bubble::around(s, body_el, content, text)?;
        b.answer_started.set(true);
        if let Some(v) = b.view.borrow_mut().as_mut() {
            v.render(&s.doc)?;
        }
        Ok(b)
    }

    fn around(
        s: &State,
        body_el: Element,
        content: Element,
        text: &str,
    ) -> Result<Bubble, JsValue> {
        body_el.set_attribute("aria-busy", "true")?;
        let mut view = MarkdownView::new(&s.doc, content.clone(), s.strings.clone())?;
        view.push(text);
        Ok(Bubble {
            body_el,
            follow: s.ui.follow.clone(),
            content,
            view: Rc::new(RefCell::new(Some(view))),
            frame_pending: Rc::new(Cell::new(false)),
            reasoning: RefCell::new(None),
            answer_started: Cell::new(false),
            tools: RefCell::new(ToolCards::default()),
            citations: RefCell::new(Citations::default()),
            strings: s.strings.clone(),
            shown: RefCell::new(text.to_owned()),
            after_tool: Cell::new(false),
            last_draw: Rc::new(Cell::new(f64::NEG_INFINITY)),
        })
    }

    /// Text is drawn at most once per animation frame, however many deltas arrive.
    fn schedule_render(&self, doc: &Document) {
        if self.frame_pending.replace(true) {
            return;
        }
        let (view, pending, doc, follow) = (
            self.view.clone(),
            self.frame_pending.clone(),
            doc.clone(),
            self.follow.clone(),
        );
        let draw = move || {
            pending.set(false);
            if let Some(v) = view.borrow_mut().as_mut() {
                let _ = v.render(&doc);
            }
            follow.after_growth();
        };
        let Some(w) = web_sys::window() else {
            return draw();
        };
        // Each drawing costs a layout of the log; while text pours in, a few drawings a
        // second read as smooth and leave the time to the decoding.
        let wait = MIN_DRAW_GAP_MS - (crate::transport::performance_now() - self.last_draw.get());
        let last = self.last_draw.clone();
        let frame = move || {
            last.set(crate::transport::performance_now());
            draw();
        };
        let on_frame = Closure::once_into_js(frame);
        if wait <= 0.0 {
            let _ = w.request_animation_frame(on_frame.unchecked_ref());
            return;
        }
        let w2 = w.clone();
        let later = Closure::once_into_js(move || {
            let _ = w2.request_animation_frame(on_frame.unchecked_ref());
        });
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
            later.unchecked_ref(),
            wait as i32,
        );
    }

    /// Finish, stop and error all end here: the whole text is drawn at once.
    pub(super) fn flush(&self, s: &State) {
        self.draw_rest(s);
        self.follow.after_growth();
    }

    /// Draws what is left without following: following reads the log's height, a layout, which
    /// per bubble of a restored history made loading it quadratic.
    pub(super) fn draw_rest(&self, s: &State) {
        if let Some(v) = self.view.borrow_mut().take() {
            let _ = v.finish(&s.doc);
        }
    }

    /// Applies one event; returns the page event it calls for (`rill-usage`; deltas are sent
    /// per batch by the caller), dispatched once no borrow of the state is held (a listener
    /// may call back into the element).
    pub(super) fn apply(&self, s: &State, ev: &ChatEvent) -> Option<(&'static str, JsValue)> {
        match ev {
            // A declined reply shows what the model said instead (OpenAI's refusal text).
            ChatEvent::Text(delta) | ChatEvent::Refusal(delta) => {
                // The answer has begun: the thinking folds away once (one click reopens it).
                if !self.answer_started.replace(true) {
                    if let Some((panel, _)) = self.reasoning.borrow().as_ref() {
                        let _ = panel.remove_attribute("open");
                    }
                }
                self.push_text(delta);
                self.schedule_render(&s.doc);
            }
            ChatEvent::Reasoning(delta) => {
                let mut slot = self.reasoning.borrow_mut();
                if slot.is_none() {
                    *slot = reasoning_panel(&s.doc, &self.strings, &self.body_el).ok();
                }
                if let Some((_, node)) = slot.as_ref() {
                    let _ = node.append_data(delta);
                }
            }
            ChatEvent::ServerToolResult(r) => {
                // As after a page tool: what the model writes next is a new paragraph.
                self.after_tool.set(true);
                let _ = self
                    .tools
                    .borrow_mut()
                    .server_result(&s.doc, &self.strings, r);
            }
            ChatEvent::Citation(c) => {
                let _ = self
                    .citations
                    .borrow_mut()
                    .add(&s.doc, &self.strings, &self.body_el, c);
            }
            ChatEvent::Usage(u) => return Some(("rill-usage", js_from_json(&u.to_json()))),
            ChatEvent::ToolCall {
                index,
                id,
                name,
                arguments_delta,
                server,
            } => {
                let _ = self.tools.borrow_mut().call(
                    &s.doc,
                    &self.strings,
                    (&self.body_el, &self.content),
                    (*index, *server),
                    id.as_deref(),
                    name.as_deref(),
                    arguments_delta,
                );
            }
            ChatEvent::ToolResult {
                id,
                content,
                is_error,
                ..
            } => {
                self.after_tool.set(true);
                let _ =
                    self.tools
                        .borrow_mut()
                        .result(&s.doc, &self.strings, id, content, *is_error);
            }
            _ => {}
        }
        None
    }

    /// Adds answer text (drawn on the next frame, or by `flush`).
    pub(super) fn push_text(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        let mut shown = self.shown.borrow_mut();
        let mut view = self.view.borrow_mut();
        if self.after_tool.replace(false) && !shown.is_empty() {
            shown.push_str("\n\n");
            if let Some(v) = view.as_mut() {
                v.push("\n\n");
            }
        }
        shown.push_str(text);
        if let Some(v) = view.as_mut() {
            v.push(text);
        }
    }

    /// A finished tool call (restored from storage): its card with the result.
    pub(super) fn restored_call(
        &self,
        doc: &Document,
        call: &crate::protocol::ToolCall,
        result: Option<(&str, bool)>,
    ) -> Result<(), JsValue> {
        let mut tools = self.tools.borrow_mut();
        tools.call(
            doc,
            &self.strings,
            (&self.body_el, &self.content),
            (call.index, false),
            Some(&call.id),
            Some(&call.name),
            &call.arguments,
        )?;
        if let Some((content, is_error)) = result {
            self.after_tool.set(true);
            tools.result(doc, &self.strings, &call.id, content, is_error)?;
        }
        Ok(())
    }

    /// After a finished reply: a marker when max tokens cut it, and the footer numbers.
    pub(super) fn finished(&self, s: &State, reply: &Reply, metrics: &Metrics) {
        let _ = self.body_el.set_attribute("aria-busy", "false");
        let t = &self.strings;
        if reply.refusal.is_some() {
            let _ = self.body_el.class_list().add_1("declined");
            // Anthropic declines with no text at all: say so rather than leave it empty.
            if self.shown.borrow().is_empty() {
                let note = t.get("declinedEmpty");
                if let Ok(p) = s.doc.create_element("p") {
                    p.set_text_content(Some(note));
                    let _ = self.content.append_child(&p);
                }
                self.shown.borrow_mut().push_str(note);
            }
            self.marker(s, "declined", false);
        } else if matches!(reply.finish, Some((FinishReason::ContentFilter, _))) {
            self.marker(s, "filtered", false);
        } else if matches!(reply.finish, Some((FinishReason::Length, _))) {
            self.marker(s, "cutOff", true);
        }
        let mut parts = Vec::new();
        if let Some(n) = metrics.output_tokens {
            let n = format!("{}{n}", if metrics.estimated { "~" } else { "" });
            parts.push(t.fill("tokens", &[("n", &n)]));
        }
        if let Some(ms) = metrics.ttft_ms {
            parts.push(t.fill("firstToken", &[("s", &crate::json::fixed(ms / 1000.0, 1))]));
        }
        if let Some(r) = metrics.tokens_per_second() {
            parts.push(t.fill("tokensPerSecond", &[("n", &crate::json::fixed(r, 0))]));
        }
        match reply.usage.map(|u| (u.cost_usd, u.credits)) {
            Some((Some(usd), _)) => {
                parts.push(t.fill("cost", &[("usd", &crate::json::dollars(usd))]))
            }
            Some((None, Some(credits))) => {
                parts.push(t.fill("credits", &[("n", &crate::json::fixed(credits, 0))]))
            }
            _ => {}
        }
        if let Ok(meta) = self.footer(&s.doc, &parts.join(" · ")) {
            let _ = self.body_el.append_child(&meta);
        }
        // Copying a reply gives its markdown, not the rendered text.
        let _ = self
            .body_el
            .set_attribute("data-markdown", &self.shown.borrow());
    }

    fn footer(&self, doc: &Document, numbers: &str) -> Result<Element, JsValue> {
        let t = &self.strings;
        let meta = element(doc, "div", "meta", "meta")?;
        let figures = element(doc, "span", "numbers", "metrics")?;
        figures.set_text_content(Some(numbers));
        meta.append_child(&figures)?;
        let copy = super::render::copy_button(doc, t, "message")?;
        meta.append_child(&copy)?;
        let again = button(doc, "copy", "regenerate")?;
        again.set_attribute("data-action", "regenerate")?;
        again.set_attribute("aria-label", t.get("regenerateLabel"))?;
        again.set_text_content(Some(t.get("regenerate")));
        meta.append_child(&again)?;
        Ok(meta)
    }

    /// What the live region reads: the rendered answer, without buttons and numbers.
    pub(super) fn spoken_text(&self) -> String {
        self.content.text_content().unwrap_or_default()
    }

    /// A quiet note at the end of the reply (not an error: nothing went wrong); a cut reply
    /// offers to go on.
    pub(super) fn marker(&self, s: &State, key: &str, offer_continue: bool) {
        let Ok(m) = element(&s.doc, "div", "marker", "marker") else {
            return;
        };
        let label = element(&s.doc, "span", "marker-text", "marker-text");
        if let Ok(label) = label {
            label.set_text_content(Some(self.strings.get(key)));
            let _ = m.append_child(&label);
        }
        if offer_continue {
            if let Ok(b) = button(&s.doc, "copy continue", "continue") {
                let _ = b.set_attribute("data-action", "continue");
                b.set_text_content(Some(self.strings.get("continue")));
                let _ = m.append_child(&b);
            }
        }
        let _ = self.body_el.append_child(&m);
    }

    /// The failure banner: the provider's own message and a Retry.
    pub(super) fn error(&self, s: &State, message: &str) {
        let build = || -> Result<(), JsValue> {
            let note = element(&s.doc, "div", "error", "error")?;
            note.set_attribute("role", "alert")?;
            let text = element(&s.doc, "span", "error-text", "error-text")?;
            text.set_text_content(Some(message));
            let retry = button(&s.doc, "retry", "retry")?;
            retry.set_attribute("data-action", "retry")?;
            retry.set_text_content(Some(self.strings.get("retry")));
            note.append_with_node_2(&text, &retry)?;
            self.body_el.append_child(&note)?;
            Ok(())
        };
        let _ = build();
    }
}

fn reasoning_panel(
    doc: &Document,
    t: &Strings,
    body: &Element,
) -> Result<(Element, Text), JsValue> {
    let panel = element(doc, "details", "reasoning", "reasoning")?;
    panel.set_attribute("open", "")?;
    let summary = doc.create_element("summary")?;
    summary.set_text_content(Some(t.get("reasoning")));
    let text = doc.create_text_node("");
    let inner = element(doc, "div", "reasoning-text", "reasoning-text")?;
    inner.set_attribute("dir", "auto")?;
    inner.append_child(&text)?;
    panel.append_child(&summary)?;
    panel.append_child(&inner)?;
    body.insert_before(&panel, body.first_child().as_ref())?;
    Ok((panel, text))
}
