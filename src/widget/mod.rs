//! The `<rill-chat>` element's inside: a shadow DOM with a message log and a composer,
//! streaming replies into the log as they arrive. (src/js/index.js defines the element class
//! and forwards to this; all DOM work stays in Rust.)

use crate::prelude::*;

mod attach;
mod bubble;
mod chrome;
mod code;
mod controls;
mod math;
mod persist;
mod render;
mod scroll;
mod sources;
mod strings;
mod styles;
mod tools;
mod turn;

use crate::dom::{self, Node};
use crate::error::ChatError;
use crate::jsvalue::chat_error_js;
use crate::protocol::Message;
use crate::transport::Abort;
use alloc::rc::Rc;
use attach::Attachment;
use chrome::Chrome;
use core::cell::RefCell;
use strings::Strings;
use wasm_bindgen::prelude::*;

pub struct Widget {
    state: Rc<RefCell<State>>,
    /// The delegated listener on the shadow root, removed when the widget is dropped
    /// (`free()` on disconnect).
    _listening: dom::Listening,
}

pub(crate) struct State {
    host: JsValue,
    ui: Chrome,
    strings: Rc<Strings>,
    get_options: JsValue,
    history: Vec<Message>,
    abort: Option<Abort>,
    /// Images waiting in the composer for the next message.
    attachments: Vec<Attachment>,
    /// A reply finished while the launcher was closed.
    unread: bool,
    /// Older turns of a restored history, drawn as the reader scrolls up to them.
    older: Option<persist::Older>,
    /// The user bubbles in the log, oldest first: the k-th from the end shows the k-th
    /// user message from the end (the oldest turns of a restored history may not be drawn).
    users: Vec<Node>,
    /// The newest reply's bubble while it is the last thing in the log (Regenerate,
    /// Continue).
    last_reply: Option<Node>,
    /// How many times the conversation was cleared: a reply that streamed across a clear
    /// finds it changed and leaves the new (empty) conversation alone.
    clears: u32,
}

impl State {
    /// A user bubble was added: the last reply is no longer last.
    fn add_user(&mut self, bubble: Node) {
        self.users.push(bubble);
        self.set_last_reply(None);
    }

    fn set_last_reply(&mut self, reply: Option<Node>) {
        if let Some(old) = self.last_reply.take() {
            if Some(old) != reply {
                dom::with(|e| e.forget(old));
            }
        }
        self.last_reply = reply;
    }
}

impl Widget {
    pub fn new(host: JsValue, get_options: JsValue) -> Result<Widget, JsValue> {
        // A widget made again for the same host (reconnected element) starts from scratch.
        dom::before_flush(styles::adopt_linked);
        let root = dom::mount(&host, styles::CSS);
        let strings = host_strings(&host).map_err(|e| chat_error_js(&e, None))?;
        let ui = Chrome::build(root);
        ui.label(&strings, false, false);
        let state = Rc::new(RefCell::new(State {
            host,
            ui,
            strings: Rc::new(strings),
            get_options,
            history: Vec::new(),
            abort: None,
            attachments: Vec::new(),
            unread: false,
            older: None,
            users: Vec::new(),
            last_reply: None,
            clears: 0,
        }));
        persist::restore(&state);
        controls::sync_open(&state);
        let st = state.clone();
        let listening = dom::listen(root, move |kind, code, files| {
            let prevent = controls::on_event(&st, kind, code, files);
            dom::flush();
            prevent
        });
        dom::flush();
        Ok(Widget {
            state,
            _listening: listening,
        })
    }

    /// The user bubble and the empty reply bubble appear before this returns; the promise
    /// settles when the reply is finished.
    pub fn send(&self, text: String, images: Vec<String>) -> JsValue {
        let p = turn::start(&self.state, turn::Ask::Text(text, images));
        dom::flush();
        p
    }

    /// Asks again for the last reply (after a bad answer, an error or a stop).
    pub fn regenerate(&self) -> JsValue {
        let p = turn::start(&self.state, turn::Ask::Again);
        dom::flush();
        p
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
            dom::flush();
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
            drop(s);
            dom::flush();
        });
        Ok(())
    }

    /// The page changed the `open` attribute (launcher mode).
    pub fn sync_open(&self) {
        let state = self.state.clone();
        when_free(&self.state, move || {
            controls::sync_open(&state);
            dom::flush();
        });
    }
}

/// Runs `f` now, or — when the page called in from inside the element's own work (an event
/// listener, an attribute callback) — right after that work, instead of failing.
fn when_free(state: &Rc<RefCell<State>>, f: impl FnOnce() + 'static) {
    when_free_dyn(state, Box::new(f));
}

/// Boxed, as `with_extra_dyn`.
#[inline(never)]
fn when_free_dyn(state: &Rc<RefCell<State>>, f: Box<dyn FnOnce()>) {
    if state.try_borrow_mut().is_ok() {
        f();
    } else {
        crate::task::spawn(async move { f() });
    }
}

/// Whether split module `m` is linked, or could not be fetched (then what needs it is drawn
/// without it); the first call starts fetching it. The element's views hold back what needs
/// a module until this says so (math, the less common languages' highlighting).
pub(crate) fn module_ready(m: crate::split::Module) -> bool {
    use core::sync::atomic::{AtomicU8, Ordering};
    const IDLE: u8 = 0;
    const LOADING: u8 = 1;
    const FAILED: u8 = 2;
    static STATE: [AtomicU8; 3] = [
        AtomicU8::new(IDLE),
        AtomicU8::new(IDLE),
        AtomicU8::new(IDLE),
    ];
    let state = &STATE[m as usize];
    if crate::split::is_loaded(m) || state.load(Ordering::Relaxed) == FAILED {
        return true;
    }
    if state.swap(LOADING, Ordering::Relaxed) == IDLE {
        crate::task::spawn(async move {
            if crate::extra::load_module(m).await.is_err() {
                STATE[m as usize].store(FAILED, Ordering::Relaxed);
            }
        });
    }
    false
}

/// Runs `f` once the second module is there (now, when it already is: `split.rs`); when it
/// cannot be fetched, the composer's note says so. For what a user starts (an attachment,
/// an edit) and for reading back a stored conversation.
pub(crate) fn with_extra(
    state: &Rc<RefCell<State>>,
    f: impl FnOnce(&Rc<RefCell<State>>) + 'static,
) {
    with_extra_dyn(state, Box::new(f));
}

/// What `with_extra` runs, boxed.
type WithState = Box<dyn FnOnce(&Rc<RefCell<State>>)>;

/// Boxed: the waiting task and its error note exist once, not once per caller (−225 B).
#[inline(never)]
fn with_extra_dyn(state: &Rc<RefCell<State>>, f: WithState) {
    if crate::split::loaded() {
        f(state);
        return;
    }
    let state = state.clone();
    crate::task::spawn(async move {
        match crate::extra::load().await {
            Ok(()) => f(&state),
            Err(e) => {
                let note = state.borrow().ui.note;
                dom::with(|ed| ed.set_text(note, &e.message));
            }
        }
        dom::flush();
    });
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

impl Drop for State {
    /// The last reference is gone (the element was removed and its reply has ended): the
    /// interpreter lets go of our nodes. Not earlier: the ending reply still draws into them.
    fn drop(&mut self) {
        dom::with(|e| {
            self.ui.forget(e);
            for n in self.users.iter().chain(&self.last_reply) {
                e.forget(*n);
            }
            for a in &self.attachments {
                e.forget(a.preview);
            }
        });
    }
}

fn clear(state: &Rc<RefCell<State>>) {
    let mut s = state.borrow_mut();
    s.history.clear();
    s.clears = s.clears.wrapping_add(1);
    s.older = None;
    let users = core::mem::take(&mut s.users);
    // A reply still streaming (stopped by the clear) ends drawing into its bubble, now off
    // the page: its node is forgotten by the next turn, not under the reply's feet.
    if s.abort.is_none() {
        s.set_last_reply(None);
    }
    let log = s.ui.log;
    dom::with(|e| {
        for u in users {
            e.forget(u);
        }
        e.set_text(log, "");
    });
    s.ui.follow.to_end();
    drop(s);
    persist::save(state);
}

fn host_strings(host: &JsValue) -> Result<Strings, ChatError> {
    let overrides = crate::jsvalue::get(host, "strings");
    let (strings, unknown) = Strings::from_js(&overrides);
    if unknown.is_empty() {
        Ok(strings)
    } else {
        let mut message = String::from(if unknown.len() > 1 {
            "unknown UI strings "
        } else {
            "unknown UI string "
        });
        message.push_str(&join(&unknown, ", "));
        Err(ChatError::config(message))
    }
}

pub(crate) fn dispatch(host: &JsValue, name: &str, detail: &JsValue) {
    dom::emit(host, name, detail);
}
