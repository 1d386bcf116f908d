//! The buffer in use and the imports from `interpreter.js` (wasm only).

use super::edits::{Edits, Node};
use crate::prelude::*;
use core::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/dom/interpreter.js")]
extern "C" {
    fn apply(bytes: &[u8]);
    fn adopt(id: u32, node: &JsValue);
    #[wasm_bindgen(js_name = node)]
    fn node_js(id: u32) -> JsValue;
    fn num(id: u32, what: u32) -> f64;
    #[wasm_bindgen(js_name = lookup)]
    fn lookup_js(id: u32, up: &str, down: &str, what: &str) -> Option<String>;
    #[wasm_bindgen(js_name = listen)]
    fn listen_js(root: u32, exports: &JsValue);
    #[wasm_bindgen(js_name = unlisten)]
    fn unlisten_js(root: u32);
    /// The files of the event being reported, or null (`listen`).
    #[wasm_bindgen(js_name = eventFiles)]
    fn event_files() -> JsValue;
    #[wasm_bindgen(js_name = mount)]
    fn mount_js(host: &JsValue, css: &str, id: u32);
    /// One more stylesheet, in every shadow root mounted so far and every one after.
    #[wasm_bindgen(js_name = addSheet)]
    pub fn add_sheet(css: &str);
    #[wasm_bindgen(js_name = grab)]
    fn grab_js(id: u32, up: &str, down: &str, into: u32) -> bool;
    /// The host element's attribute, read at once.
    pub fn attr(el: &JsValue, name: &str) -> Option<String>;
    #[wasm_bindgen(js_name = setAttr)]
    fn set_attr_js(el: &JsValue, name: &str, value: Option<&str>);
    /// A `CustomEvent` that bubbles out of the shadow root, dispatched at once.
    pub fn emit(el: &JsValue, name: &str, detail: &JsValue);
    #[wasm_bindgen(js_name = store)]
    fn store_js(kind: &str, key: &str, value: &JsValue) -> JsValue;
    /// Puts `text` on the clipboard; `false` when the page has no clipboard access.
    pub fn copy(text: &str) -> bool;
}

/// Runs `f` once, on the animation frame after `wait_ms` (drawing is paced by frames).
pub fn frame(wait_ms: f64, f: impl FnOnce() + 'static) {
    crate::task::spawn(async move {
        let _ = crate::task::frame(wait_ms).await;
        f();
    });
}

/// The page's Web Storage of `kind` (`local` or `session`), which may refuse (then nothing
/// is read and nothing kept).
pub struct Store(pub &'static str);

impl Store {
    pub fn get(&self, key: &str) -> Option<String> {
        store_js(self.0, key, &JsValue::UNDEFINED).as_string()
    }

    /// Whether it was kept (a full quota refuses it).
    pub fn set(&self, key: &str, value: &str) -> bool {
        store_js(self.0, key, &JsValue::from_str(value)).is_truthy()
    }

    pub fn remove(&self, key: &str) {
        store_js(self.0, key, &JsValue::NULL);
    }
}

/// Sets (`Some`) or removes (`None`) the host element's attribute at once: its
/// `attributeChangedCallback` runs inside this call.
pub fn set_host_attr(el: &JsValue, name: &str, value: Option<&str>) {
    set_attr_js(el, name, value);
}

/// The wasm runs on one thread: the buffer is shared by every widget on the page.
struct Shared {
    edits: RefCell<Edits>,
    flush_queued: Cell<bool>,
    /// Runs before each replay (`before_flush`).
    hook: Cell<Option<fn()>>,
}

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for Shared {}

static SHARED: Shared = Shared {
    edits: RefCell::new(Edits::new()),
    flush_queued: Cell::new(false),
    hook: Cell::new(None),
};

/// `f` runs before every replay: the widget adopts there the stylesheets of the split
/// modules linked since the last one, before the edits that draw what they style.
pub fn before_flush(f: fn()) {
    SHARED.hook.set(Some(f));
}

/// Writes edits. The closure must not call back into `dom` (it only encodes). Always
/// inlined: as a function per caller (46 of them), each had its own frame and closure
/// environment (−510 B gzip inlined).
#[inline(always)]
pub fn with<R>(f: impl FnOnce(&mut Edits) -> R) -> R {
    let r = f(&mut SHARED.edits.borrow_mut());
    queue_flush();
    r
}

/// Not generic, so the future machinery exists once, not once per `with` caller.
#[inline(never)]
fn queue_flush() {
    if !SHARED.edits.borrow().buf.is_empty() && !SHARED.flush_queued.replace(true) {
        crate::task::spawn(async { flush() });
    }
}

/// Replays everything written so far.
pub fn flush() {
    SHARED.flush_queued.set(false);
    // Taken out first: focus() and click() at the end of the replay may run page code that
    // writes edits of its own.
    if let Some(f) = SHARED.hook.get() {
        f();
    }
    let buf = core::mem::take(&mut SHARED.edits.borrow_mut().buf);
    if buf.is_empty() {
        SHARED.edits.borrow_mut().buf = buf;
        return;
    }
    apply(&buf);
    let mut e = SHARED.edits.borrow_mut();
    if e.buf.is_empty() {
        let mut buf = buf;
        buf.clear();
        e.buf = buf;
    }
}

/// Gives a page object (the host, its shadow root) a handle.
pub fn adopt_js(value: &JsValue) -> Node {
    let n = with(|e| e.handle());
    adopt(n.0, value);
    n
}

/// The host's shadow root, emptied, with `css` adopted.
pub fn mount(host: &JsValue, css: &str) -> Node {
    let n = with(|e| e.handle());
    flush();
    mount_js(host, css, n.0);
    n
}

/// From `n`, up to `closest(up)` and down to `querySelector(down)`: that node gets a handle.
pub fn grab(n: Node, up: &str, down: &str) -> Option<Node> {
    flush();
    let into = with(|e| e.handle());
    if grab_js(n.0, up, down, into.0) {
        Some(into)
    } else {
        with(|e| e.forget(into));
        None
    }
}

/// The page object behind a handle (for APIs that take a node).
pub fn js(n: Node) -> JsValue {
    flush();
    node_js(n.0)
}

pub enum Measure {
    ScrollTop = 0,
    ScrollHeight = 1,
    ClientHeight = 2,
}

pub fn number(n: Node, what: Measure) -> i32 {
    flush();
    num(n.0, what as u32) as i32
}

/// From `n`, up to `closest(up)` and down to `querySelector(down)` (empty: stay), then an
/// attribute, `#text` or `#value`.
pub fn lookup(n: Node, up: &str, down: &str, what: &str) -> Option<String> {
    flush();
    lookup_js(n.0, up, down, what)
}

/// Events inside `root` arrive at `handler(kind, code, files)` (kinds in interpreter.js);
/// the listener goes when the returned value is dropped.
pub struct Listening {
    root: Node,
}

type Handler = Box<dyn FnMut(u32, u32, JsValue) -> bool>;

/// The handler of each listening root, by its handle: the interpreter's one delegated
/// listener per root calls the export `rill_event` (src/bindings.rs), which finds it here —
/// no `Closure` per listener, so no closure machinery ships.
struct Handlers(RefCell<Vec<(u32, Option<Handler>)>>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for Handlers {}

static HANDLERS: Handlers = Handlers(RefCell::new(Vec::new()));

pub fn listen(root: Node, handler: impl FnMut(u32, u32, JsValue) -> bool + 'static) -> Listening {
    HANDLERS
        .0
        .borrow_mut()
        .push((root.0, Some(Box::new(handler))));
    flush();
    listen_js(root.0, &wasm_bindgen::exports());
    Listening { root }
}

/// An event for `root`'s handler; whether to prevent its default. The handler is taken out
/// while it runs: an event its own work causes (a focus or click that page code answers at
/// once) finds none and is left to the browser, instead of re-entering it.
pub fn event(root: u32, kind: u32, code: u32) -> bool {
    let files = event_files();
    let taken = {
        let mut list = HANDLERS.0.borrow_mut();
        list.iter_mut()
            .find(|(r, _)| *r == root)
            .and_then(|(_, h)| h.take())
    };
    let Some(mut handler) = taken else {
        return false;
    };
    let prevent = handler(kind, code, files);
    if let Some((_, slot)) = HANDLERS.0.borrow_mut().iter_mut().find(|(r, _)| *r == root) {
        *slot = Some(handler);
    }
    prevent
}

impl Drop for Listening {
    fn drop(&mut self) {
        let root = self.root.0;
        // Taken out before it is dropped: dropping a handler may drop widgets (and so their
        // own `Listening`).
        let gone = {
            let mut list = HANDLERS.0.borrow_mut();
            let at = list.iter().position(|(r, _)| *r == root);
            at.map(|i| list.swap_remove(i))
        };
        drop(gone);
        unlisten_js(root);
        with(|e| e.forget(self.root));
    }
}

/// What `listen`'s handler is told happened (see `interpreter.js`).
pub mod kind {
    pub const CLICK: u32 = 1;
    pub const ENTER: u32 = 2;
    pub const ESCAPE: u32 = 3;
    pub const INPUT: u32 = 4;
    pub const SCROLL: u32 = 5;
    pub const CHANGE: u32 = 6;
    pub const PASTE: u32 = 7;
    pub const DRAG_OVER: u32 = 8;
    pub const DRAG_LEAVE: u32 = 9;
    pub const DROP: u32 = 10;
}
