//! The `<rill-chat>` element's inside: a shadow DOM with a message log and a composer,
//! streaming replies into the log as they arrive. (pkg/index.js defines the element class
//! and forwards to this; all DOM work stays in Rust.)

mod bubble;
mod render;
mod styles;

use bubble::Bubble;

use crate::bindings::{chat_error_js, json_from_js, reply_js};
use crate::client;
use crate::conversation::Reply;
use crate::error::ChatError;
use crate::protocol::{ChatEvent, ChatOptions, Message, Role};
use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, spawn_local};
use web_sys::{
    AbortController, CssStyleSheet, CustomEvent, CustomEventInit, Document, Element,
    HtmlButtonElement, HtmlElement, HtmlTextAreaElement, KeyboardEvent, ShadowRootInit,
    ShadowRootMode,
};

pub struct Widget {
    state: Rc<RefCell<State>>,
}

struct State {
    host: HtmlElement,
    doc: Document,
    log: Element,
    /// Announces each finished reply once to screen readers.
    live: Element,
    input: HtmlTextAreaElement,
    button: HtmlButtonElement,
    get_options: Function,
    history: Vec<Message>,
    abort: Option<AbortController>,
}

impl Widget {
    pub fn new(host: HtmlElement, get_options: Function) -> Result<Widget, JsValue> {
        let doc = host
            .owner_document()
            .ok_or_else(|| JsValue::from_str("the element has no document"))?;
        let root = match host.shadow_root() {
            Some(root) => root,
            None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
        };
        let sheet = CssStyleSheet::new()?;
        sheet.replace_sync(styles::CSS)?;
        Reflect::set(
            &root,
            &"adoptedStyleSheets".into(),
            &js_sys::Array::of1(&sheet),
        )?;

        let frame = element(&doc, "div", "frame", "container")?;
        let log = element(&doc, "div", "log", "log")?;
        log.set_attribute("role", "log")?;
        // Tokens are not read out one by one: the live region below announces whole replies.
        log.set_attribute("aria-live", "off")?;
        log.set_attribute("aria-label", "Conversation")?;
        // A scrollable region must be reachable by keyboard to be scrolled.
        log.set_attribute("tabindex", "0")?;
        let live = element(&doc, "div", "sr-only", "live")?;
        live.set_attribute("aria-live", "polite")?;
        let composer = element(&doc, "div", "composer", "composer")?;
        let input: HtmlTextAreaElement =
            element(&doc, "textarea", "input", "input")?.unchecked_into();
        input.set_attribute("aria-label", "Message")?;
        input.set_attribute("rows", "1")?;
        input.set_placeholder("Type a message…");
        let button: HtmlButtonElement = element(&doc, "button", "send", "send")?.unchecked_into();
        button.set_type("button");
        button.set_text_content(Some("Send"));
        composer.append_with_node_2(&input, &button)?;
        frame.append_with_node_3(&log, &composer, &live)?;
        root.append_child(&frame)?;

        let state = Rc::new(RefCell::new(State {
            host,
            doc,
            log,
            live,
            input,
            button,
            get_options,
            history: Vec::new(),
            abort: None,
        }));
        wire_controls(&state)?;
        Ok(Widget { state })
    }

    /// The user bubble and the empty reply bubble appear before this returns; the promise
    /// settles when the reply is finished.
    pub fn send(&self, text: String) -> Promise {
        start(&self.state, Some(&text))
    }

    /// Asks again for the last reply (after a bad answer, an error or a stop).
    pub fn regenerate(&self) -> Promise {
        start(&self.state, None)
    }

    pub fn stop(&self) {
        if let Some(abort) = &self.state.borrow().abort {
            abort.abort();
        }
    }

    pub fn clear(&self) {
        self.stop();
        let mut s = self.state.borrow_mut();
        s.history.clear();
        s.log.set_text_content(None);
    }
}

pub(crate) fn element(
    doc: &Document,
    tag: &str,
    class: &str,
    part: &str,
) -> Result<Element, JsValue> {
    let el = doc.create_element(tag)?;
    el.set_class_name(class);
    el.set_attribute("part", part)?;
    Ok(el)
}

/// Enter sends, Shift+Enter is a newline, Esc stops; the button sends or stops.
fn wire_controls(state: &Rc<RefCell<State>>) -> Result<(), JsValue> {
    let (input, button) = {
        let s = state.borrow();
        (s.input.clone(), s.button.clone())
    };
    let st = state.clone();
    let on_key = Closure::<dyn FnMut(KeyboardEvent)>::new(move |ev: KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            submit(&st);
        } else if ev.key() == "Escape" {
            if let Some(abort) = &st.borrow().abort {
                abort.abort();
            }
        }
    });
    input.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref())?;
    let st = state.clone();
    let on_click = Closure::<dyn FnMut()>::new(move || {
        let busy = st.borrow().abort.clone();
        match busy {
            Some(abort) => abort.abort(),
            None => submit(&st),
        }
    });
    button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    // The listeners live as long as the element's DOM, which holds them.
    on_key.forget();
    on_click.forget();
    // The composer grows with its text (CSSOM writes are allowed under style-src 'self').
    let grow_input = input.clone();
    let on_input = Closure::<dyn FnMut()>::new(move || {
        let style = grow_input.style();
        let _ = style.set_property("height", "auto");
        let height = grow_input.scroll_height().min(160);
        let _ = style.set_property("height", &format!("{height}px"));
    });
    input.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref())?;
    on_input.forget();
    let log = state.borrow().log.clone();
    let st = state.clone();
    let on_log_click = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let action = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("button[data-action]").ok().flatten());
        if let Some(button) = action {
            match button.get_attribute("data-action").as_deref() {
                // Regenerate and Retry both ask again for the last reply; the outcome shows
                // in the log and nothing else waits for it.
                Some("regenerate" | "retry") => {
                    let reply = wasm_bindgen_futures::JsFuture::from(start(&st, None));
                    spawn_local(async move {
                        let _ = reply.await;
                    });
                }
                Some("edit") => edit(&st, &button),
                _ => {}
            }
            return;
        }
        on_copy(&ev);
    });
    log.add_event_listener_with_callback("click", on_log_click.as_ref().unchecked_ref())?;
    on_log_click.forget();
    Ok(())
}

/// Edit a sent message: its text returns to the composer, and it and everything after it
/// leave the conversation (the k-th user bubble is the k-th user message).
fn edit(state: &Rc<RefCell<State>>, button: &Element) {
    let mut s = state.borrow_mut();
    if s.abort.is_some() {
        return;
    }
    let Some(bubble) = button.closest(".msg.user").ok().flatten() else {
        return;
    };
    let Ok(users) = s.log.query_selector_all(".msg.user") else {
        return;
    };
    let Some(k) =
        (0..users.length()).find(|&i| users.item(i).is_some_and(|n| n.is_same_node(Some(&bubble))))
    else {
        return;
    };
    let Some(pos) = s
        .history
        .iter()
        .enumerate()
        .filter(|(_, m)| m.role == Role::User)
        .nth(k as usize)
        .map(|(i, _)| i)
    else {
        return;
    };
    let text = s.history[pos].joined_text();
    s.history.truncate(pos);
    while let Some(next) = bubble.next_sibling() {
        let _ = s.log.remove_child(&next);
    }
    bubble.remove();
    s.input.set_value(&text);
    let _ = s.input.focus();
}

/// A click on any copy button in the log: a code block's text or a reply's markdown goes
/// to the clipboard, and the button says so.
fn on_copy(ev: &web_sys::Event) {
    let Some(button) = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest("button[data-copy]").ok().flatten())
    else {
        return;
    };
    let text = match button.get_attribute("data-copy").as_deref() {
        Some("code") => button
            .closest(".code")
            .ok()
            .flatten()
            .and_then(|c| c.query_selector("pre").ok().flatten())
            .and_then(|p| p.text_content()),
        _ => button
            .closest(".msg")
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("data-markdown")),
    };
    let Some(text) = text else { return };
    let clipboard = Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|n| Reflect::get(&n, &"clipboard".into()));
    let write = clipboard
        .as_ref()
        .ok()
        .and_then(|c| Reflect::get(c, &"writeText".into()).ok())
        .and_then(|f| f.dyn_into::<Function>().ok());
    let done = match (clipboard, write) {
        (Ok(c), Some(f)) => f.call1(&c, &JsValue::from_str(&text)).is_ok(),
        _ => false,
    };
    button.set_text_content(Some(if done { "Copied" } else { "Copy failed" }));
}

/// Sends the composer's text from the UI; the outcome is shown in the log, not returned.
fn submit(state: &Rc<RefCell<State>>) {
    let text = {
        let s = state.borrow();
        if s.abort.is_some() {
            return;
        }
        s.input.value()
    };
    if text.trim().is_empty() {
        return;
    }
    // A refused send (bad options) keeps the text in the composer.
    let Ok(turn) = begin(state, Some(&text)) else {
        return;
    };
    state.borrow().input.set_value("");
    let state = state.clone();
    spawn_local(async move {
        let _ = stream_reply(state, turn).await;
    });
}

/// A started turn: what `begin` set up for `stream_reply`.
struct Turn {
    options: ChatOptions,
    handlers: js_sys::Object,
    bubble: Bubble,
    abort: AbortController,
}

/// Streams the reply of a started turn into its bubble and records it in the history.
async fn stream_reply(state: Rc<RefCell<State>>, turn: Turn) -> Result<JsValue, JsValue> {
    let Turn {
        options,
        handlers,
        bubble,
        abort,
    } = turn;
    let messages = state.borrow().history.clone();
    let outcome = {
        let mut on_events = |events: &[ChatEvent], _: &Reply| {
            let s = state.borrow();
            for ev in events {
                bubble.apply(&s, ev);
            }
        };
        client::converse(
            &options,
            messages,
            true,
            Some(&abort.signal()),
            &handlers,
            &mut on_events,
        )
        .await
    };
    let mut s = state.borrow_mut();
    bubble.flush(&s.doc);
    s.abort = None;
    s.button.set_text_content(Some("Send"));
    bubble.body_el.set_attribute("aria-busy", "false").ok();
    match outcome {
        Ok(outcome) => {
            bubble.finished(&s.doc, &outcome.reply, &outcome.metrics);
            s.live.set_text_content(Some(&bubble.spoken_text()));
            s.history = outcome.tool_loop.messages;
            let value = reply_js(&outcome.reply, &outcome.metrics);
            dispatch(&s.host, "rill-message", &value);
            Ok(value)
        }
        Err(failure) => {
            // What arrived stays in the conversation: the next turn can refer to it.
            if !failure.partial.text.is_empty() {
                s.history
                    .push(Message::text(Role::Assistant, failure.partial.text.clone()));
            }
            if failure.error.kind == crate::error::ErrorKind::Aborted {
                bubble.marker(&s.doc, "Stopped");
            } else {
                let note = s.doc.create_element("div")?;
                note.set_class_name("error");
                note.set_attribute("role", "alert")?;
                note.set_attribute("part", "error")?;
                let message = element(&s.doc, "span", "error-text", "error-text")?;
                message.set_text_content(Some(&failure.error.message));
                note.append_child(&message)?;
                let retry = s.doc.create_element("button")?;
                retry.set_attribute("type", "button")?;
                retry.set_attribute("data-action", "retry")?;
                retry.set_attribute("part", "retry")?;
                retry.set_class_name("retry");
                retry.set_text_content(Some("Retry"));
                note.append_child(&retry)?;
                bubble.body_el.append_child(&note)?;
            }
            let value = chat_error_js(&failure.error, Some((&failure.partial, &failure.metrics)));
            dispatch(&s.host, "rill-error", &value);
            Err(value)
        }
    }
}

/// Validates and records the user turn and builds the reply bubble.
/// Starts a turn and returns the promise of its reply (rejected if it cannot start).
fn start(state: &Rc<RefCell<State>>, text: Option<&str>) -> Promise {
    match begin(state, text) {
        Ok(turn) => future_to_promise(stream_reply(state.clone(), turn)),
        Err(e) => Promise::reject(&chat_error_js(&e, None)),
    }
}

/// Validates and records the user turn (or, for `None`, takes back the last reply to ask
/// again) and builds the reply bubble.
fn begin(state: &Rc<RefCell<State>>, text: Option<&str>) -> Result<Turn, ChatError> {
    let mut s = state.borrow_mut();
    if s.abort.is_some() {
        return Err(ChatError::config(
            "a reply is still streaming; stop it before sending again",
        ));
    }
    let raw = s
        .get_options
        .call0(&s.host)
        .map_err(|_| ChatError::config("reading the element's options failed"))?;
    let options = ChatOptions::from_json(&json_from_js(&raw)?)?;
    let handlers = client::handlers_from(&raw);
    let dom = |e: JsValue| ChatError::config(format!("could not update the page: {e:?}"));
    match text {
        Some(text) => {
            let user = message_el(&s.doc, "user").map_err(dom)?;
            let body = element(&s.doc, "div", "user-text", "user-text").map_err(dom)?;
            body.set_text_content(Some(text));
            let edit = s.doc.create_element("button").map_err(dom)?;
            for (k, v) in [
                ("type", "button"),
                ("class", "copy edit"),
                ("part", "edit"),
                ("data-action", "edit"),
                ("aria-label", "Edit message"),
            ] {
                edit.set_attribute(k, v).map_err(dom)?;
            }
            edit.set_text_content(Some("Edit"));
            user.append_with_node_2(&body, &edit).map_err(dom)?;
            s.log.append_child(&user).map_err(dom)?;
        }
        None => {
            let Some(last_user) = s.history.iter().rposition(|m| m.role == Role::User) else {
                return Err(ChatError::config("there is no message to answer again"));
            };
            s.history.truncate(last_user + 1);
            // The old reply goes: its bubble is the last one in the log.
            let replies = s.log.query_selector_all(".msg.assistant").map_err(dom)?;
            if let Some(old) = replies.item(replies.length().saturating_sub(1)) {
                if old.next_sibling().is_none() {
                    let _ = s.log.remove_child(&old);
                }
            }
        }
    }
    // Only the newest reply offers to be regenerated.
    if let Ok(buttons) = s.log.query_selector_all("[data-action=regenerate]") {
        for i in 0..buttons.length() {
            if let Some(b) = buttons.item(i).and_then(|b| b.dyn_into::<Element>().ok()) {
                b.remove();
            }
        }
    }
    let bubble = Bubble::new(&s.doc, &s.log).map_err(dom)?;
    s.log.append_child(&bubble.body_el).map_err(dom)?;
    // Sending is a clear intent to see the answer: jump to the end.
    s.log.set_scroll_top(s.log.scroll_height());
    let abort = AbortController::new().map_err(dom)?;
    s.abort = Some(abort.clone());
    s.button.set_text_content(Some("Stop"));
    if let Some(text) = text {
        s.history.push(Message::text(Role::User, text));
    }
    Ok(Turn {
        options,
        handlers,
        bubble,
        abort,
    })
}

pub(crate) fn message_el(doc: &Document, role: &str) -> Result<Element, JsValue> {
    element(
        doc,
        "div",
        &format!("msg {role}"),
        &format!("message {role}"),
    )
}

pub(crate) fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_detail(detail);
    init.set_bubbles(true);
    init.set_composed(true);
    if let Ok(ev) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&ev);
    }
}
