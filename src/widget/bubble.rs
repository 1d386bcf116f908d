//! One assistant reply in the log: its markdown body, the reasoning panel, tool-call cards,
//! the closing marker (stopped, cut at max tokens) or error banner, and the footer.

use crate::prelude::*;

use super::chrome::{button, code, open};
use super::render::MarkdownView;
use super::scroll::Follow;
use super::sources::Citations;
use super::strings::Strings;
use super::tools::ToolCards;
use super::State;
use crate::conversation::{Metrics, Reply};
use crate::dom::{self, Node};
use crate::jsvalue::js_from_json;
use crate::protocol::{usage, ChatEvent, FinishReason};
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;

/// The assistant bubble being streamed into: text and reasoning grow in place.
pub(super) struct Bubble {
    pub(super) body_el: Node,
    /// Keeps the reader at the end of the log, if that is where they are.
    follow: Rc<Follow>,
    content: Node,
    /// The reply's markdown and when it is drawn.
    drawing: Rc<Drawing>,
    /// The `<details>` panel and its text, created by the first reasoning delta.
    reasoning: Cell<Option<(Node, Node)>>,
    answer_started: Cell<bool>,
    tools: RefCell<ToolCards>,
    citations: RefCell<Citations>,
    strings: Rc<Strings>,
    /// Everything drawn as the answer (all tool rounds, a continuation's start): what Copy
    /// gives and what the live region reads.
    shown: RefCell<String>,
    /// A tool round ended: the next text starts a new paragraph.
    after_tool: Cell<bool>,
    /// Events held back until the second module is linked (it draws reasoning, tool cards
    /// and citations, `draw_rich`); everything after the first of them waits too, in order.
    held: RefCell<Vec<ChatEvent>>,
}

/// A streaming reply's markdown and the drawing of it, shared with the scheduled frames.
struct Drawing {
    /// `None` once finished.
    view: RefCell<Option<MarkdownView>>,
    pending: Cell<bool>,
    follow: Rc<Follow>,
    /// When the text was last drawn (`performance.now()`).
    last_draw: Cell<f64>,
}

/// Least time between two drawings of a streaming reply.
const MIN_DRAW_GAP_MS: f64 = 50.0;

impl Bubble {
    /// A new reply bubble, put into the element on top of the edit stack.
    pub(super) fn new(s: &State) -> Bubble {
        let (body_el, content) = dom::with(|e| {
            open(e, "div", "msg assistant", "message assistant");
            let body_el = e.keep();
            open(e, "div", "body markdown", "body");
            e.attr("dir", "auto");
            let content = e.keep();
            e.close();
            e.close();
            (body_el, content)
        });
        Bubble::around(s, body_el, content, "")
    }

    /// Reopens a finished reply to stream its continuation after `text`.
    pub(super) fn resume(s: &State, body_el: Node, text: &str) -> Option<Bubble> {
        let content = dom::grab(body_el, "", ":scope > .body")?;
        dom::with(|e| {
            e.drop_all(body_el, ":scope > .meta, :scope > .marker, :scope > .error");
            e.set_text(content, "");
        });
        let b = Bubble::around(s, body_el, content, text);
        b.answer_started.set(true);
        if let Some(v) = b.drawing.view.borrow_mut().as_mut() {
            v.render();
        }
        Some(b)
    }

    fn around(s: &State, body_el: Node, content: Node, text: &str) -> Bubble {
        dom::with(|e| e.set_attr(body_el, "aria-busy", "true"));
        let mut view = MarkdownView::new(content, s.strings.clone());
        view.push(text);
        Bubble {
            body_el,
            follow: s.ui.follow.clone(),
            content,
            drawing: Rc::new(Drawing {
                view: RefCell::new(Some(view)),
                pending: Cell::new(false),
                follow: s.ui.follow.clone(),
                last_draw: Cell::new(f64::NEG_INFINITY),
            }),
            reasoning: Cell::new(None),
            answer_started: Cell::new(false),
            tools: RefCell::new(ToolCards::default()),
            citations: RefCell::new(Citations::default()),
            strings: s.strings.clone(),
            shown: RefCell::new(text.to_owned()),
            after_tool: Cell::new(false),
            held: RefCell::new(Vec::new()),
        }
    }

    /// Finish, stop and error all end here: the rest of the text is drawn, a budget's worth
    /// per task with a return to the page between (a burst's backlog is never one long task).
    pub(super) async fn flush(&self) {
        self.catch_up();
        loop {
            let more = match self.drawing.view.borrow_mut().as_mut() {
                Some(v) => v.finish(super::render::BUDGET),
                None => false,
            };
            self.follow.after_growth();
            dom::flush();
            if !more {
                break;
            }
            let _ = crate::task::yield_to_page().await;
        }
        self.drawing.view.borrow_mut().take();
    }

    /// Draws what is left at once without following: following reads the log's height, a
    /// layout, which per bubble of a restored history made loading it quadratic.
    pub(super) fn draw_rest(&self) {
        if let Some(mut v) = self.drawing.view.borrow_mut().take() {
            v.finish(usize::MAX);
        }
    }

    /// Applies one event; returns the page event it calls for (`rill-usage`; deltas are sent
    /// per batch by the caller), dispatched once no borrow of the state is held (a listener
    /// may call back into the element).
    pub(super) fn apply(&self, ev: ChatEvent) -> Option<(&'static str, JsValue)> {
        if let ChatEvent::Usage(u) = &ev {
            return Some(("rill-usage", js_from_json(&u.to_json())));
        }
        self.catch_up();
        let waits = !self.held.borrow().is_empty() || is_rich(&ev) && !crate::split::loaded();
        if waits {
            self.held.borrow_mut().push(ev);
            if !crate::split::gave_up() {
                crate::split::want();
            }
            self.catch_up();
        } else {
            self.apply_now(&ev);
        }
        None
    }

    /// Applies the events held back once the second module is linked; if it could not be
    /// fetched, what only it draws is dropped and the rest applied.
    pub(super) fn catch_up(&self) {
        if self.held.borrow().is_empty() || !crate::split::loaded() && !crate::split::gave_up() {
            return;
        }
        let held = core::mem::take(&mut *self.held.borrow_mut());
        for ev in &held {
            if crate::split::loaded() || !is_rich(ev) {
                self.apply_now(ev);
            }
        }
    }

    fn apply_now(&self, ev: &ChatEvent) {
        match ev {
            // A declined reply shows what the model said instead (OpenAI's refusal text).
            ChatEvent::Text(delta) | ChatEvent::Refusal(delta) => {
                // The answer has begun: the thinking folds away once (one click reopens it).
                if !self.answer_started.replace(true) {
                    if let Some((panel, _)) = self.reasoning.get() {
                        dom::with(|e| e.del_attr(panel, "open"));
                    }
                }
                self.push_text(delta);
                Drawing::schedule(&self.drawing);
            }
            ev if is_rich(ev) => draw_rich(self, ev),
            _ => {}
        }
    }

    /// Adds answer text (drawn on the next frame, or by `flush`).
    pub(super) fn push_text(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        let mut shown = self.shown.borrow_mut();
        let mut view = self.drawing.view.borrow_mut();
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
        call: &crate::protocol::ToolCall,
        result: Option<(&str, bool)>,
    ) {
        let mut tools = self.tools.borrow_mut();
        tools.call(
            &self.strings,
            (self.body_el, self.content),
            (call.index, false),
            Some(&call.id),
            Some(&call.name),
            &call.arguments,
        );
        if let Some((content, is_error)) = result {
            self.after_tool.set(true);
            tools.result(&self.strings, &call.id, content, is_error);
        }
    }

    /// After a finished reply: a marker when max tokens cut it, and the footer numbers.
    /// `actions`: it is the newest reply, so it offers Regenerate (and Continue).
    pub(super) fn finished(&self, reply: &Reply, metrics: &Metrics, actions: bool) {
        let t = &self.strings;
        let body = self.body_el;
        dom::with(|e| e.set_attr(body, "aria-busy", "false"));
        if reply.refusal.is_some() {
            dom::with(|e| e.class(body, "declined", true));
            // Anthropic declines with no text at all: say so rather than leave it empty.
            if self.shown.borrow().is_empty() {
                let note = t.get("declinedEmpty");
                dom::with(|e| {
                    e.at(self.content);
                    e.open("p");
                    e.text(note);
                    e.close();
                    e.end();
                });
                self.shown.borrow_mut().push_str(note);
            }
            self.marker("declined", false);
        } else if matches!(reply.finish, Some((FinishReason::ContentFilter, _))) {
            self.marker("filtered", false);
        } else if matches!(reply.finish, Some((FinishReason::Length, _))) {
            self.marker("cutOff", actions);
        }
        let mut parts = Vec::new();
        if let Some(n) = metrics.output_tokens {
            let mut shown = String::from(if metrics.estimated { "~" } else { "" });
            crate::json::push_u64(&mut shown, n);
            parts.push(t.fill("tokens", &[("n", &shown)]));
        }
        if let Some(ms) = metrics.ttft_ms {
            parts.push(t.fill("firstToken", &[("s", &crate::json::fixed(ms / 1000.0, 1))]));
        }
        if let Some(r) = metrics.tokens_per_second() {
            parts.push(t.fill("tokensPerSecond", &[("n", &crate::json::fixed(r, 0))]));
        }
        match reply.usage.map(|u| (u.0[usage::COST], u.0[usage::CREDITS])) {
            Some((Some(usd), _)) => {
                parts.push(t.fill("cost", &[("usd", &crate::json::dollars(usd))]))
            }
            Some((None, Some(credits))) => {
                parts.push(t.fill("credits", &[("n", &crate::json::fixed(credits, 0))]))
            }
            _ => {}
        }
        let numbers = join(&parts, " · ");
        dom::with(|e| {
            e.at(body);
            open(e, "div", "meta", "meta");
            open(e, "span", "numbers", "metrics");
            e.text(&numbers);
            e.close();
            super::render::copy_button(e, t, code::COPY_REPLY);
            if actions {
                button(e, "copy", "regenerate", code::REGENERATE);
                e.attr("data-action", "regenerate");
                e.attr("aria-label", t.get("regenerateLabel"));
                e.text(t.get("regenerate"));
                e.close();
            }
            e.close();
            e.end();
            // Copying a reply gives its markdown, not the rendered text.
            e.set_attr(body, "data-markdown", &self.shown.borrow());
        });
    }

    /// What the live region reads: the rendered answer, without buttons and numbers.
    pub(super) fn spoken_text(&self) -> String {
        dom::lookup(self.content, "", "", "#text").unwrap_or_default()
    }

    /// A quiet note at the end of the reply (not an error: nothing went wrong); a cut reply
    /// offers to go on.
    pub(super) fn marker(&self, key: &str, offer_continue: bool) {
        let t = &self.strings;
        dom::with(|e| {
            e.at(self.body_el);
            open(e, "div", "marker", "marker");
            open(e, "span", "marker-text", "marker-text");
            e.text(t.get(key));
            e.close();
            if offer_continue {
                button(e, "copy continue", "continue", code::CONTINUE);
                e.attr("data-action", "continue");
                e.text(t.get("continue"));
                e.close();
            }
            e.close();
            e.end();
        });
    }

    /// The failure banner: the provider's own message and a Retry.
    pub(super) fn error(&self, message: &str) {
        let t = &self.strings;
        dom::with(|e| {
            e.at(self.body_el);
            open(e, "div", "error", "error");
            e.attr("role", "alert");
            open(e, "span", "error-text", "error-text");
            e.text(message);
            e.close();
            button(e, "retry", "retry", code::RETRY);
            e.attr("data-action", "retry");
            e.text(t.get("retry"));
            e.close();
            e.close();
            e.end();
        });
    }
}

impl Drawing {
    /// Text is drawn at most once per animation frame, however many deltas arrive.
    fn schedule(this: &Rc<Drawing>) {
        if this.pending.replace(true) {
            return;
        }
        let d = this.clone();
        let draw = move || {
            d.pending.set(false);
            let more = match d.view.borrow_mut().as_mut() {
                Some(v) => v.render(),
                None => false,
            };
            d.follow.after_growth();
            dom::flush();
            if more {
                // A backlog (a burst): the next part on the next frame, not after the gap.
                d.last_draw.set(f64::NEG_INFINITY);
                Drawing::schedule(&d);
            }
        };
        // Each drawing costs a layout of the log; while text pours in, a few drawings a
        // second read as smooth and leave the time to the decoding.
        let wait = MIN_DRAW_GAP_MS - (crate::transport::performance_now() - this.last_draw.get());
        let d = this.clone();
        dom::frame(wait, move || {
            d.last_draw.set(crate::transport::performance_now());
            draw();
        });
    }
}

impl Drop for Bubble {
    /// The bubble's parts are not needed once the reply is over; its outer node is the
    /// caller's (the newest reply keeps it for Regenerate and Continue).
    fn drop(&mut self) {
        dom::with(|e| {
            e.forget(self.content);
            if let Some((panel, text)) = self.reasoning.get() {
                e.forget(panel);
                e.forget(text);
            }
            self.tools.borrow().forget(e);
            self.citations.borrow().forget(e);
        });
    }
}

/// The folding reasoning panel, first in the bubble: (panel, its text node).
fn reasoning_panel(t: &Strings, body: Node) -> (Node, Node) {
    dom::with(|e| {
        e.first(body);
        open(e, "details", "reasoning", "reasoning");
        e.attr("open", "");
        let panel = e.keep();
        e.open("summary");
        e.text(t.get("reasoning"));
        e.close();
        open(e, "div", "reasoning-text", "reasoning-text");
        e.attr("dir", "auto");
        let text = e.keep_text("");
        e.close();
        e.close();
        e.end();
        (panel, text)
    })
}

/// What the second module draws: reasoning, tool cards and citations (their first event
/// holds the reply back until it is linked, `Bubble::apply`).
fn is_rich(ev: &ChatEvent) -> bool {
    matches!(
        ev,
        ChatEvent::Reasoning(_)
            | ChatEvent::ServerToolResult(_)
            | ChatEvent::Citation(_)
            | ChatEvent::ToolCall { .. }
            | ChatEvent::ToolResult { .. }
    )
}

crate::lazy!("a9000000000000000000000000000001" fn draw_rich(b: &Bubble, ev: &ChatEvent) -> () {
    match ev {
            ChatEvent::Reasoning(delta) => {
                let (_, text) = match b.reasoning.get() {
                    Some(panel) => panel,
                    None => {
                        let panel = reasoning_panel(&b.strings, b.body_el);
                        b.reasoning.set(Some(panel));
                        panel
                    }
                };
                dom::with(|e| e.add_text(text, delta));
            }
            ChatEvent::ServerToolResult(r) => {
                // As after a page tool: what the model writes next is a new paragraph.
                b.after_tool.set(true);
                b.tools.borrow_mut().server_result(&b.strings, r);
            }
            ChatEvent::Citation(c) => {
                b.citations
                    .borrow_mut()
                    .add(&b.strings, b.body_el, c);
            }
            ChatEvent::ToolCall {
                index,
                id,
                name,
                arguments_delta,
                server,
            } => {
                b.tools.borrow_mut().call(
                    &b.strings,
                    (b.body_el, b.content),
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
                b.after_tool.set(true);
                b.tools
                    .borrow_mut()
                    .result(&b.strings, id, content, *is_error);
            }
            _ => {}
    }
});
