//! The wasm's own async executor (wasm only): tasks are polled from a microtask, and JS
//! promises, timers and yields are awaited through one callback shared by all.
//!
//! wasm-bindgen-futures gives every spawned future type its own task, promise and closure
//! code; here a task is one boxed future and an await is a slot number the JS half
//! (`src/host.js`) reports back, so the machinery exists once (BENCHMARKS.md, "Before and
//! after").

use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/host.js")]
extern "C" {
    /// Gives JS the wasm's exports: it answers through `rill_settled` (src/bindings.rs).
    fn connect(exports: &JsValue);
    /// The value the promise being answered settled with (undefined for timers and yields).
    fn held() -> JsValue;
    /// Calls back with `RUN` from a microtask.
    fn soon();
    /// Calls back with `(slot, 1)` or `(slot, 0)` once `promise` settles, its value or reason
    /// held for `held()` during the call.
    #[wasm_bindgen(js_name = settleOn)]
    fn settle_on(promise: &JsValue, slot: u32);
    /// Calls back with `(slot, 1)` after `ms` (a timeout).
    fn after(ms: f64, slot: u32);
    /// Calls back with `(slot, 1)` from a new task (a message to ourselves).
    #[wasm_bindgen(js_name = nextTask)]
    fn next_task(slot: u32);
    /// Calls back with `(slot, 1)` on the animation frame after `wait` ms.
    #[wasm_bindgen(js_name = frame)]
    fn frame_js(wait: f64, slot: u32);
    /// A new promise, settled later by `resolve(id, …)`.
    fn deferred(id: u32) -> JsValue;
    fn resolve(id: u32, ok: bool, value: &JsValue);
}

/// The callback's slot for "run the ready tasks".
const RUN: u32 = 0;

type Job = Pin<Box<dyn Future<Output = ()>>>;

struct Task {
    future: RefCell<Option<Job>>,
    queued: Cell<bool>,
}

enum Slot {
    Free,
    Waiting(Option<Waker>),
    Done(bool, JsValue),
    /// Its `Wait` was dropped before JS answered: the answer frees it.
    Abandoned,
}

struct Executor {
    ready: RefCell<Vec<Rc<Task>>>,
    run_queued: Cell<bool>,
    slots: RefCell<Vec<Slot>>,
    deferreds: Cell<u32>,
    connected: Cell<bool>,
}

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for Executor {}

static EXECUTOR: Executor = Executor {
    ready: RefCell::new(Vec::new()),
    run_queued: Cell::new(false),
    slots: RefCell::new(Vec::new()),
    deferreds: Cell::new(0),
    connected: Cell::new(false),
};

/// Tells JS where to answer (the exports, not a `Closure`: no closure machinery ships), the
/// first time anything waits.
fn ensure_connected() {
    if !EXECUTOR.connected.replace(true) {
        connect(&wasm_bindgen::exports());
    }
}

/// Called by JS (through `rill_settled`) from its own task or microtask (never inside a call
/// into the wasm), so the woken tasks are polled right here: no extra microtask and crossing
/// per await.
pub(crate) fn settled(slot: u32, ok: u32) {
    if slot != RUN {
        answer(slot, ok != 0, held());
    }
    run();
}

fn answer(slot: u32, ok: bool, value: JsValue) {
    // Marked queued first: the wake below then only queues the task; `run` follows.
    EXECUTOR.run_queued.set(true);
    let waker = {
        let mut slots = EXECUTOR.slots.borrow_mut();
        let Some(entry) = slots.get_mut(slot as usize - 1) else {
            return;
        };
        match entry {
            Slot::Waiting(waker) => {
                let waker = waker.take();
                *entry = Slot::Done(ok, value);
                waker
            }
            Slot::Abandoned => {
                *entry = Slot::Free;
                None
            }
            Slot::Free | Slot::Done(..) => None,
        }
    };
    if let Some(w) = waker {
        w.wake();
    }
}

/// Runs `future` to its end on the page's event loop.
#[inline(always)]
pub fn spawn(future: impl Future<Output = ()> + 'static) {
    spawn_job(Box::pin(future));
}

/// Not generic: the task code exists once for every spawned future.
#[inline(never)]
fn spawn_job(job: Job) {
    let task = Rc::new(Task {
        future: RefCell::new(Some(job)),
        queued: Cell::new(false),
    });
    schedule(task);
}

fn schedule(task: Rc<Task>) {
    if task.queued.replace(true) {
        return;
    }
    EXECUTOR.ready.borrow_mut().push(task);
    if !EXECUTOR.run_queued.replace(true) {
        ensure_connected();
        soon();
    }
}

fn run() {
    EXECUTOR.run_queued.set(false);
    // In order, a batch at a time (what a batch wakes is the next one): a vector taken
    // whole rather than a `VecDeque` (−0.1 KB of wasm), and given back once run so that
    // waking a task does not allocate.
    loop {
        let mut batch = core::mem::take(&mut *EXECUTOR.ready.borrow_mut());
        if batch.is_empty() {
            *EXECUTOR.ready.borrow_mut() = batch;
            return;
        }
        for task in &batch {
            task.queued.set(false);
            // Taken out while polled: a task that wakes itself is only queued again.
            let Some(mut job) = task.future.borrow_mut().take() else {
                continue;
            };
            let waker = waker(task);
            if job
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_pending()
            {
                *task.future.borrow_mut() = Some(job);
            }
        }
        batch.clear();
        let mut ready = EXECUTOR.ready.borrow_mut();
        if ready.is_empty() {
            *ready = batch;
        }
    }
}

fn waker(task: &Rc<Task>) -> Waker {
    let raw = RawWaker::new(Rc::into_raw(task.clone()).cast(), &VTABLE);
    // SAFETY: the vtable below keeps the Rc count right for every clone/wake/drop.
    unsafe { Waker::from_raw(raw) }
}

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone_raw, wake_raw, wake_by_ref_raw, drop_raw);

unsafe fn clone_raw(p: *const ()) -> RawWaker {
    Rc::increment_strong_count(p.cast::<Task>());
    RawWaker::new(p, &VTABLE)
}
unsafe fn wake_raw(p: *const ()) {
    schedule(Rc::from_raw(p.cast::<Task>()));
}
unsafe fn wake_by_ref_raw(p: *const ()) {
    Rc::increment_strong_count(p.cast::<Task>());
    schedule(Rc::from_raw(p.cast::<Task>()));
}
unsafe fn drop_raw(p: *const ()) {
    drop(Rc::from_raw(p.cast::<Task>()));
}

/// One pending answer from JS: a settled promise, a timeout, a yield.
pub struct Wait {
    slot: u32,
}

impl Wait {
    fn new(start: impl FnOnce(u32)) -> Wait {
        let slot = Wait::reserve();
        start(slot);
        Wait { slot }
    }

    /// A free slot, taken (not generic: once for every kind of wait).
    #[inline(never)]
    fn reserve() -> u32 {
        ensure_connected();
        let mut slots = EXECUTOR.slots.borrow_mut();
        let at = match slots.iter().position(|s| matches!(s, Slot::Free)) {
            Some(at) => at,
            None => {
                slots.push(Slot::Free);
                slots.len() - 1
            }
        };
        slots[at] = Slot::Waiting(None);
        at as u32 + 1
    }
}

impl Future for Wait {
    type Output = Result<JsValue, JsValue>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slots = EXECUTOR.slots.borrow_mut();
        let Some(entry) = slots.get_mut((self.slot as usize).wrapping_sub(1)) else {
            return Poll::Pending;
        };
        match core::mem::replace(entry, Slot::Free) {
            Slot::Done(ok, value) => {
                // The slot may now serve another wait: this one no longer names it.
                self.slot = 0;
                Poll::Ready(if ok { Ok(value) } else { Err(value) })
            }
            _ => {
                *entry = Slot::Waiting(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}

impl Drop for Wait {
    fn drop(&mut self) {
        let mut slots = EXECUTOR.slots.borrow_mut();
        if let Some(entry) = slots.get_mut((self.slot as usize).wrapping_sub(1)) {
            *entry = match entry {
                Slot::Waiting(_) => Slot::Abandoned,
                _ => Slot::Free,
            };
        }
    }
}

/// The value `promise` (or any thenable or value) settles with.
pub fn wait(promise: &impl AsRef<JsValue>) -> Wait {
    wait_js(promise.as_ref())
}

fn wait_js(promise: &JsValue) -> Wait {
    Wait::new(|slot| settle_on(promise, slot))
}

/// Resolves after `ms`.
pub fn sleep(ms: f64) -> Wait {
    Wait::new(|slot| after(ms, slot))
}

/// Resolves on the animation frame after `ms` (drawing is paced by frames).
pub fn frame(ms: f64) -> Wait {
    Wait::new(|slot| frame_js(ms, slot))
}

/// Lets the page run (input, drawing) before going on: a message to ourselves is a new task
/// at once, without the 4 ms clamp nested timeouts get. (`scheduler.yield()` is not used:
/// its continuations run ahead of rendering, and frames should be drawn while a burst is
/// decoded.)
pub fn yield_to_page() -> Wait {
    Wait::new(next_task)
}

/// A promise for JS that settles with `future`'s result.
pub fn promise(future: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> JsValue {
    promise_job(Box::pin(future))
}

#[inline(never)]
fn promise_job(job: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> JsValue {
    let id = EXECUTOR.deferreds.get().wrapping_add(1);
    EXECUTOR.deferreds.set(id);
    let p = deferred(id);
    spawn_job(Box::pin(async move {
        match job.await {
            Ok(v) => resolve(id, true, &v),
            Err(e) => resolve(id, false, &e),
        }
    }));
    p
}
