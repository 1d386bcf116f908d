//! The `<rill-chat>` element's inside: a shadow DOM with a message log and a composer,
//! streaming replies into the log as they arrive. (pkg/index.js defines the element class
//! and forwards to this; all DOM work stays in Rust.)

use crate::prelude::*;

mod attach;
mod bubble;
mod chrome;
mod controls;
mod persist;
mod render;
mod scroll;
mod sources;
mod strings;
mod styles;
mod tools;
mod turn;

use crate::bindings::chat_error_js;
use crate::error::ChatError;
use crate::protocol::Message;
use alloc::rc::Rc;
use attach::Attachment;
use chrome::Chrome;
use controls::Listener;
use core::cell::RefCell;
use js_sys::{Function, Promise, Reflect};
use strings::Strings;
use wasm_bindgen::prelude::*;
use web_sys::{
    AbortController, CssStyleSheet, CustomEvent, CustomEventInit, Document, Element, HtmlElement,
    ShadowRootInit, ShadowRootMode,
};

pub struct Widget {
    state: Rc<RefCell<State>>,
    /// Removed from the DOM when the widget is dropped (`free()` on disconnect).
    _listeners: Vec<Listener>,
}

pub(crate) struct State {
    host: HtmlElement,
    doc: Document,
    ui: Chrome,
    strings: Rc<Strings>,
    get_options: Function,
    history: Vec<Message>,
    abort: Option<AbortController>,
    /// Images waiting in the composer for the next message.
    attachments: Vec<Attachment>,
    /// A reply finished while the launcher was closed.
    unread: bool,
    /// Older turns of a restored history, drawn as the reader scrolls up to them.
    older: Option<persist::Older>,
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
        // A widget made again for the same host (reconnected element) starts from scratch.
        while let Some(child) = root.first_child() {
            root.remove_child(&child)?;
        }
        let sheet = CssStyleSheet::new()?;
        sheet.replace_sync(styles::CSS)?;
        Reflect::set(
            &root,
            &"adoptedStyleSheets".into(),
            &js_sys::Array::of1(&sheet),
        )?;
        let strings = host_strings(&host).map_err(|e| chat_error_js(&e, None))?;
        let ui = Chrome::build(&doc, &root)?;
        ui.label(&strings, false, false);
        let state = Rc::new(RefCell::new(State {
            host,
            doc,
            ui,
            strings: Rc::new(strings),
            get_options,
            history: Vec::new(),
            abort: None,
            attachments: Vec::new(),
            unread: false,
            older: None,
        }));
        persist::restore(&state);
        controls::sync_open(&state);
        let listeners = controls::wire(&state)?;
        Ok(Widget {
            state,
            _listeners: listeners,
        })
    }

    /// The user bubble and the empty reply bubble appear before this returns; the promise
    /// settles when the reply is finished.
    pub fn send(&self, text: String, images: Vec<String>) -> Promise {
        turn::start(&self.state, turn::Ask::Text(text, images))
    }

    /// Asks again for the last reply (after a bad answer, an error or a stop).
    pub fn regenerate(&self) -> Promise {
        turn::start(&self.state, turn::Ask::Again)
    }

    pub fn stop(&self) {
        let state = self.state.clone();
        when_free(&self.state, move || {
            if let Some(abort) = &state.borrow().abort {
                abort.abort();
            }
        });
    }

    pub fn clear(&self) {
        let state = self.state.clone();
        when_free(&self.state, move || {
            let busy = state.borrow().abort.clone();
            if let Some(abort) = busy {
                abort.abort();
            }
            clear(&state);
        });
    }

    /// The page set `strings`: unknown keys are refused, the fixed controls relabelled.
    pub fn refresh_strings(&self) -> Result<(), JsValue> {
        let host = self.state.borrow().host.clone();
        let strings = host_strings(&host).map_err(|e| chat_error_js(&e, None))?;
        let state = self.state.clone();
        when_free(&self.state, move || {
            let mut s = state.borrow_mut();
            s.ui.label(&strings, s.abort.is_some(), s.unread);
            s.strings = Rc::new(strings);
        });
        Ok(())
    }

    /// The page changed the `open` attribute (launcher mode).
    pub fn sync_open(&self) {
        let state = self.state.clone();
        when_free(&self.state, move || controls::sync_open(&state));
    }
}

/// Runs `f` now, or — when the page called in from inside the element's own work (an event
/// listener, an attribute callback) — right after that work, instead of failing.
fn when_free(state: &Rc<RefCell<State>>, f: impl FnOnce() + 'static) {
    if state.try_borrow_mut().is_ok() {
        f();
    } else {
        wasm_bindgen_futures::spawn_local(async move { f() });
    }
}

impl Drop for Widget {
    /// A removed element stops its reply; in-flight work then ends on its own.
    fn drop(&mut self) {
        if let Ok(s) = self.state.try_borrow() {
            if let Some(abort) = &s.abort {
                abort.abort();
            }
        }
    }
}

fn clear(state: &Rc<RefCell<State>>) {
    let mut s = state.borrow_mut();
    s.history.clear();
    s.older = None;
    s.ui.log.set_text_content(None);
    s.ui.follow.to_end();
    drop(s);
    persist::save(state);
}

fn host_strings(host: &HtmlElement) -> Result<Strings, ChatError> {
    let overrides = Reflect::get(host, &"strings".into()).unwrap_or(JsValue::UNDEFINED);
    let (strings, unknown) = Strings::from_js(&overrides);
    if unknown.is_empty() {
        Ok(strings)
    } else {
        Err(ChatError::config(format!(
            "unknown UI string{} {}",
            if unknown.len() > 1 { "s" } else { "" },
            unknown.join(", ")
        )))
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
