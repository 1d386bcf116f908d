//! Everything the user does to the element — keys, buttons, scrolling, the launcher,
//! attachments by picker, paste and drop — arriving from the one delegated listener of the
//! shadow root (`dom::listen`) as a kind and the control's code.

use crate::prelude::*;

use super::chrome::code;
use super::turn::{self, Ask};
use super::{attach, clear, persist, State};
use crate::dom::{self, kind, Node, TARGET};
use crate::protocol::{ContentPart, Role};
use alloc::rc::Rc;
use core::cell::RefCell;
use wasm_bindgen::prelude::*;

/// One event: `code` is the nearest control's (low byte: which, above: its item's handle),
/// `files` a FileList for change, paste and drop. Returns whether to prevent the default.
pub(crate) fn on_event(state: &Rc<RefCell<State>>, what: u32, code: u32, files: JsValue) -> bool {
    // Page code run by our own work (a focus, a click) may send an event back: it waits.
    if state.try_borrow_mut().is_err() {
        return false;
    }
    let (action, item) = (code & 0xFF, Node(code >> 8));
    let files = (!files.is_null() && !files.is_undefined()).then_some(files);
    match what {
        // Enter sends, Shift+Enter is a newline (IME composition is left alone).
        kind::ENTER if action == code::INPUT => {
            turn::submit(state);
            true
        }
        // Esc stops a streaming reply; otherwise it closes the launcher's panel.
        kind::ESCAPE => {
            let busy = state.borrow().abort.clone();
            match busy {
                Some(abort) => abort.abort(),
                None if is_launcher(state) => set_open(state, false),
                None => {}
            }
            false
        }
        kind::CLICK => {
            on_click(state, action, item);
            false
        }
        // The composer grows with its text (CSSOM writes are allowed under style-src 'self').
        kind::INPUT if action == code::INPUT => {
            let input = state.borrow().ui.input;
            dom::with(|e| e.style(input, "height", "auto"));
            let height = dom::number(input, dom::Measure::ScrollHeight).min(160);
            let mut px = crate::json::decimal(height.max(0) as u64);
            px.push_str("px");
            dom::with(|e| e.style(input, "height", &px));
            false
        }
        kind::SCROLL if action == code::LOG => {
            let follow = state.borrow().ui.follow.clone();
            follow.on_scroll();
            persist::draw_older_near_top(state);
            false
        }
        kind::CHANGE if action == code::FILES => {
            if let Some(files) = files {
                attach::add_files(state, &files);
            }
            let picker = state.borrow().ui.file_input;
            dom::with(|e| e.value(picker, ""));
            false
        }
        kind::PASTE => match files {
            Some(files) => {
                attach::add_files(state, &files);
                true
            }
            None => false,
        },
        kind::DRAG_OVER | kind::DRAG_LEAVE => {
            let frame = state.borrow().ui.frame;
            dom::with(|e| e.class(frame, "dragging", what == kind::DRAG_OVER));
            what == kind::DRAG_OVER
        }
        kind::DROP => {
            let frame = state.borrow().ui.frame;
            dom::with(|e| e.class(frame, "dragging", false));
            match files {
                Some(files) => {
                    attach::add_files(state, &files);
                    true
                }
                None => false,
            }
        }
        _ => false,
    }
}

fn on_click(state: &Rc<RefCell<State>>, action: u32, item: Node) {
    match action {
        code::SEND => {
            let busy = state.borrow().abort.clone();
            match busy {
                Some(abort) => abort.abort(),
                None => turn::submit(state),
            }
        }
        code::JUMP => state.borrow().ui.follow.to_end(),
        code::CLEAR => {
            if let Some(abort) = state.borrow().abort.clone() {
                abort.abort();
            }
            clear(state);
            let input = state.borrow().ui.input;
            dom::with(|e| e.focus(input));
        }
        code::CLOSE => set_open(state, false),
        code::LAUNCHER => {
            let open = dom::attr(&state.borrow().host, "open").is_some();
            set_open(state, !open);
        }
        code::ATTACH => {
            let picker = state.borrow().ui.file_input;
            dom::with(|e| e.click(picker));
        }
        code::COPY_CODE | code::COPY_REPLY => on_copy(state, action),
        code::REGENERATE | code::RETRY => turn::start_from_ui(state, Ask::Again),
        code::CONTINUE => turn::start_from_ui(state, Ask::Continue),
        code::EDIT => super::with_extra(state, move |state| edit(state, item)),
        code::REMOVE_IMAGE => attach::remove(state, item),
        _ => {}
    }
}

crate::lazy!(
/// Edit a sent message: its text and images return to the composer, and it and everything
/// after it leave the conversation (the k-th user bubble is the k-th user message). In the
/// second module (`split.rs`): no first reply needs it.
"a5000000000000000000000000000001" fn edit(state: &Rc<RefCell<State>>, bubble: Node) -> () {
    let images = {
        let mut s = state.borrow_mut();
        if s.abort.is_some() {
            return;
        }
        // Counted from the end: the oldest turns of a restored history may not be drawn yet.
        let Some(k) = s.users.iter().rev().position(|n| *n == bubble) else {
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
        let at = s.users.len() - 1 - k;
        let later = s.users.split_off(at);
        s.set_last_reply(None);
        let input = s.ui.input;
        dom::with(|e| {
            e.cut_after(bubble);
            for n in later {
                if n == bubble {
                    e.remove(n);
                } else {
                    e.forget(n);
                }
            }
            e.value(input, &message.joined_text());
            e.focus(input);
        });
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
});

/// A copy button in the log: a code block's text or a reply's markdown goes to the
/// clipboard, and the button says so.
fn on_copy(state: &Rc<RefCell<State>>, action: u32) {
    let text = if action == code::COPY_CODE {
        dom::lookup(TARGET, ".code", "pre", "#text")
    } else {
        dom::lookup(TARGET, ".msg", "", "data-markdown")
    };
    let Some(text) = text else { return };
    let done = dom::copy(&text);
    let s = state.borrow();
    let word = s.strings.get(if done { "copied" } else { "copyFailed" });
    dom::with(|e| e.set_text(TARGET, word));
}

fn is_launcher(state: &Rc<RefCell<State>>) -> bool {
    dom::attr(&state.borrow().host, "mode").as_deref() == Some("launcher")
}

/// Opens or closes the launcher's panel; focus goes where the user's attention goes.
fn set_open(state: &Rc<RefCell<State>>, open: bool) {
    // No borrow across the change: the element's attributeChangedCallback runs inside it.
    let host = state.borrow().host.clone();
    dom::set_host_attr(&host, "open", open.then_some(""));
    sync_open(state);
    if !is_launcher(state) {
        return;
    }
    let s = state.borrow();
    let to = if open { s.ui.input } else { s.ui.launcher };
    dom::with(|e| e.focus(to));
}

/// Brings the launcher button in line with the host's `open` attribute.
pub(crate) fn sync_open(state: &Rc<RefCell<State>>) {
    let mut s = state.borrow_mut();
    let open = dom::attr(&s.host, "open").is_some();
    let launcher = s.ui.launcher;
    dom::with(|e| {
        e.set_attr(
            launcher,
            "aria-expanded",
            if open { "true" } else { "false" },
        )
    });
    if open && s.unread {
        s.unread = false;
        let dot = s.ui.unread_dot;
        dom::with(|e| e.flag(dot, "hidden", true));
        s.ui.label(&s.strings, s.abort.is_some(), false);
    }
}

/// A reply finished while the launcher's panel was closed: the button shows a dot.
pub(crate) fn mark_unread(s: &mut State) {
    let launcher = dom::attr(&s.host, "mode").as_deref() == Some("launcher");
    if launcher && dom::attr(&s.host, "open").is_none() {
        s.unread = true;
        let dot = s.ui.unread_dot;
        dom::with(|e| e.flag(dot, "hidden", false));
        s.ui.label(&s.strings, s.abort.is_some(), true);
    }
}
