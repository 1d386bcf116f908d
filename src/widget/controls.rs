//! Everything the user does to the element: keys, buttons (one delegated listener for the
//! log's buttons), scrolling, the launcher, attachments by picker, paste and drop. Each
//! listener is owned by the widget and removed when it is dropped.

use crate::prelude::*;

use super::turn::{self, Ask};
use super::{attach, chrome, clear, persist, State};
use crate::protocol::{ContentPart, Role};
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, DragEvent, Element, Event, EventTarget, KeyboardEvent};

/// An event listener that lives exactly as long as this value.
pub(crate) struct Listener {
    target: EventTarget,
    kind: &'static str,
    f: Closure<dyn FnMut(Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.f.as_ref().unchecked_ref());
    }
}

fn on(
    target: &EventTarget,
    kind: &'static str,
    f: impl FnMut(Event) + 'static,
) -> Result<Listener, JsValue> {
    let f = Closure::<dyn FnMut(Event)>::new(f);
    target.add_event_listener_with_callback(kind, f.as_ref().unchecked_ref())?;
    Ok(Listener {
        target: target.clone(),
        kind,
        f,
    })
}

pub(crate) fn wire(state: &Rc<RefCell<State>>) -> Result<Vec<Listener>, JsValue> {
    let ui = {
        let s = state.borrow();
        (
            s.ui.frame.clone(),
            s.ui.input.clone(),
            s.ui.button.clone(),
            s.ui.log.clone(),
            s.ui.jump.clone(),
            s.ui.clear.clone(),
            s.ui.close.clone(),
            s.ui.launcher.clone(),
            s.ui.attach.clone(),
            s.ui.file_input.clone(),
            s.ui.previews.clone(),
        )
    };
    let (frame, input, send, log, jump, clear_b, close, launcher, attach_b, file_input, previews) =
        ui;
    let mut all = Vec::new();

    // Enter sends, Shift+Enter is a newline (IME composition is left alone).
    let st = state.clone();
    all.push(on(&input, "keydown", move |ev| {
        let Some(ev) = ev.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            turn::submit(&st);
        }
    })?);
    // Esc stops a streaming reply; otherwise it closes the launcher's panel.
    let st = state.clone();
    all.push(on(&frame, "keydown", move |ev| {
        let Some(ev) = ev.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        if ev.key() != "Escape" {
            return;
        }
        let busy = st.borrow().abort.clone();
        match busy {
            Some(abort) => abort.abort(),
            None if is_launcher(&st) => set_open(&st, false),
            None => {}
        }
    })?);
    let st = state.clone();
    all.push(on(&send, "click", move |_| {
        let busy = st.borrow().abort.clone();
        match busy {
            Some(abort) => abort.abort(),
            None => turn::submit(&st),
        }
    })?);
    // The composer grows with its text (CSSOM writes are allowed under style-src 'self').
    let grow = input.clone();
    all.push(on(&input, "input", move |_| {
        let style = grow.style();
        let _ = style.set_property("height", "auto");
        let height = grow.scroll_height().min(160);
        let _ = style.set_property("height", &format!("{height}px"));
    })?);
    let st = state.clone();
    all.push(on(&log, "click", move |ev| on_log_click(&st, &ev))?);
    let follow = state.borrow().ui.follow.clone();
    let st = state.clone();
    all.push(on(&log, "scroll", move |_| {
        follow.on_scroll();
        super::persist::draw_older_near_top(&st);
    })?);
    let follow = state.borrow().ui.follow.clone();
    all.push(on(&jump, "click", move |_| follow.to_end())?);
    let st = state.clone();
    all.push(on(&clear_b, "click", move |_| {
        if let Some(abort) = st.borrow().abort.clone() {
            abort.abort();
        }
        clear(&st);
        let _ = st.borrow().ui.input.focus();
    })?);
    let st = state.clone();
    all.push(on(&close, "click", move |_| set_open(&st, false))?);
    let st = state.clone();
    all.push(on(&launcher, "click", move |_| {
        let open = st.borrow().host.has_attribute("open");
        set_open(&st, !open);
    })?);

    // Images: the picker, paste into the textarea, or drop anywhere on the panel.
    let picker = file_input.clone();
    all.push(on(&attach_b, "click", move |_| picker.click())?);
    let st = state.clone();
    let picker = file_input.clone();
    all.push(on(&file_input, "change", move |_| {
        if let Some(files) = picker.files() {
            attach::add_files(&st, &files);
        }
        picker.set_value("");
    })?);
    let st = state.clone();
    all.push(on(&input, "paste", move |ev| {
        let files = ev
            .dyn_ref::<ClipboardEvent>()
            .and_then(|e| e.clipboard_data())
            .and_then(|d| d.files());
        if let Some(files) = files.filter(|f| f.length() > 0) {
            ev.prevent_default();
            attach::add_files(&st, &files);
        }
    })?);
    let f = frame.clone();
    all.push(on(&frame, "dragover", move |ev| {
        let carries_files = ev
            .dyn_ref::<DragEvent>()
            .and_then(|e| e.data_transfer())
            .is_some_and(|d| d.types().includes(&"Files".into(), 0));
        if carries_files {
            ev.prevent_default();
            let _ = f.class_list().add_1("dragging");
        }
    })?);
    let f = frame.clone();
    all.push(on(&frame, "dragleave", move |ev| {
        // Leaving for a child is not leaving the panel.
        let inside = ev
            .dyn_ref::<DragEvent>()
            .and_then(|e| e.related_target())
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .is_some_and(|n| f.contains(Some(&n)));
        if !inside {
            let _ = f.class_list().remove_1("dragging");
        }
    })?);
    let st = state.clone();
    let f = frame.clone();
    all.push(on(&frame, "drop", move |ev| {
        let _ = f.class_list().remove_1("dragging");
        let files = ev
            .dyn_ref::<DragEvent>()
            .and_then(|e| e.data_transfer())
            .and_then(|d| d.files());
        if let Some(files) = files.filter(|f| f.length() > 0) {
            ev.prevent_default();
            attach::add_files(&st, &files);
        }
    })?);
    let st = state.clone();
    all.push(on(&previews, "click", move |ev| {
        attach::on_remove_click(&st, &ev)
    })?);
    Ok(all)
}

fn on_log_click(state: &Rc<RefCell<State>>, ev: &Event) {
    let action = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest("button[data-action]").ok().flatten());
    let Some(button) = action else {
        on_copy(state, ev);
        return;
    };
    match button.get_attribute("data-action").as_deref() {
        Some("regenerate" | "retry") => turn::start_from_ui(state, Ask::Again),
        Some("continue") => turn::start_from_ui(state, Ask::Continue),
        Some("edit") => edit(state, &button),
        _ => {}
    }
}

/// Edit a sent message: its text and images return to the composer, and it and everything
/// after it leave the conversation (the k-th user bubble is the k-th user message).
fn edit(state: &Rc<RefCell<State>>, button: &Element) {
    let images = {
        let mut s = state.borrow_mut();
        if s.abort.is_some() {
            return;
        }
        let Some(bubble) = button.closest(".msg.user").ok().flatten() else {
            return;
        };
        let Ok(users) = s.ui.log.query_selector_all(".msg.user") else {
            return;
        };
        // Counted from the end: the oldest turns of a restored history may not be drawn yet.
        let Some(k) = (0..users.length())
            .rev()
            .position(|i| users.item(i).is_some_and(|n| n.is_same_node(Some(&bubble))))
        else {
            return;
        };
        let Some(pos) = s
            .history
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, m)| m.role == Role::User)
            .nth(k)
            .map(|(i, _)| i)
        else {
            return;
        };
        let message = s.history[pos].clone();
        s.history.truncate(pos);
        while let Some(next) = bubble.next_sibling() {
            let _ = s.ui.log.remove_child(&next);
        }
        bubble.remove();
        s.ui.input.set_value(&message.joined_text());
        let _ = s.ui.input.focus();
        message
            .parts
            .into_iter()
            .filter_map(|p| match p {
                ContentPart::Image(url) => Some(url),
                ContentPart::Text(_) => None,
            })
            .collect::<Vec<_>>()
    };
    for url in images {
        attach::add_url(state, url);
    }
    persist::save(state);
}

/// A click on any copy button in the log: a code block's text or a reply's markdown goes
/// to the clipboard, and the button says so.
fn on_copy(state: &Rc<RefCell<State>>, ev: &Event) {
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
    let s = state.borrow();
    button.set_text_content(Some(s.strings.get(if done {
        "copied"
    } else {
        "copyFailed"
    })));
}

fn is_launcher(state: &Rc<RefCell<State>>) -> bool {
    state.borrow().host.get_attribute("mode").as_deref() == Some("launcher")
}

/// Opens or closes the launcher's panel; focus goes where the user's attention goes.
fn set_open(state: &Rc<RefCell<State>>, open: bool) {
    // No borrow across the change: the element's attributeChangedCallback runs inside it.
    let host = state.borrow().host.clone();
    let _ = if open {
        host.set_attribute("open", "")
    } else {
        host.remove_attribute("open")
    };
    sync_open(state);
    let s = state.borrow();
    if !is_launcher(state) {
        return;
    }
    let _ = if open {
        s.ui.input.focus()
    } else {
        s.ui.launcher.focus()
    };
}

/// Brings the launcher button in line with the host's `open` attribute.
pub(crate) fn sync_open(state: &Rc<RefCell<State>>) {
    let mut s = state.borrow_mut();
    let open = s.host.has_attribute("open");
    let _ =
        s.ui.launcher
            .set_attribute("aria-expanded", if open { "true" } else { "false" });
    if open && s.unread {
        s.unread = false;
        chrome::set_hidden(&s.ui.unread_dot, true);
        s.ui.label(&s.strings, s.abort.is_some(), false);
    }
}

/// A reply finished while the launcher's panel was closed: the button shows a dot.
pub(crate) fn mark_unread(s: &mut State) {
    let launcher = s.host.get_attribute("mode").as_deref() == Some("launcher");
    if launcher && !s.host.has_attribute("open") {
        s.unread = true;
        chrome::set_hidden(&s.ui.unread_dot, false);
        s.ui.label(&s.strings, s.abort.is_some(), true);
    }
}
