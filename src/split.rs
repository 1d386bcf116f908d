//! Where the shipped wasm is cut: code no first reply needs (the Anthropic codec, reading
//! back a stored conversation, attachments, edits, the page's tool handlers, HTTP error
//! bodies, the JS API's own exports) sits behind the functions declared with `lazy!`, and
//! `wasm-split-cli` (scripts/build.sh) moves everything only they reach into a second module,
//! `rill_chat_extra.wasm`, fetched on first use (`extra.rs`). The math converter is a third,
//! `rill_chat_math.wasm` (`lazy!(math …)`), fetched the first time a reply has math; a fourth,
//! `rill_chat_langs.wasm` (`lazy!(langs …)`), holds the highlighter's less common languages.
//! They share nothing outside the first module (a function two of them used would be one more
//! file, a "chunk" that the build refuses).
//!
//! In the shipped build a lazy function is a wasm import that the split turns into a call
//! through the function table, whose slot is empty until its module is linked: a caller
//! must have awaited `extra::load_module` (or checked `is_loaded`) first. Every other build
//! (native tests, the browser tests) calls the body directly, and everything is loaded.

use core::sync::atomic::{AtomicBool, Ordering};

/// The modules cut out of the first one: `extra` (what is listed above) and `math` (the
/// LaTeX → MathML converter, fetched the first time a reply has math).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Module {
    Extra,
    Math,
    /// The highlighter's less common languages (`highlight::table::MORE`).
    Langs,
}

impl Module {
    /// Its file in `pkg/`.
    pub fn file(self) -> &'static str {
        match self {
            Module::Extra => "rill_chat_extra.wasm",
            Module::Math => "rill_chat_math.wasm",
            Module::Langs => "rill_chat_langs.wasm",
        }
    }
}

const SPLIT: bool = cfg!(all(feature = "ship", target_arch = "wasm32"));
static LOADED: [AtomicBool; 3] = [
    AtomicBool::new(!SPLIT),
    AtomicBool::new(!SPLIT),
    AtomicBool::new(!SPLIT),
];

/// Whether the second module's lazy functions can be called now.
pub fn loaded() -> bool {
    is_loaded(Module::Extra)
}

/// Whether `m`'s lazy functions can be called now.
pub fn is_loaded(m: Module) -> bool {
    LOADED[m as usize].load(Ordering::Relaxed) && !unlinked()
}

#[cfg(not(feature = "ship"))]
std::thread_local!(static UNLINKED: core::cell::Cell<bool> = const { core::cell::Cell::new(false) });

#[cfg(not(feature = "ship"))]
fn unlinked() -> bool {
    UNLINKED.with(core::cell::Cell::get)
}

#[cfg(feature = "ship")]
fn unlinked() -> bool {
    false
}

/// Tests: on this thread, every split module counts as not linked until `pretend_unlinked(false)`
/// (the bodies are still called directly if anything does, as in every build but the shipped one).
#[cfg(not(feature = "ship"))]
pub fn pretend_unlinked(yes: bool) {
    UNLINKED.with(|u| u.set(yes));
}

/// `m` is linked (called by `extra::load_module`).
pub fn set_loaded(m: Module) {
    LOADED[m as usize].store(true, Ordering::Relaxed);
}

static WANTED: AtomicBool = AtomicBool::new(false);
static GAVE_UP: AtomicBool = AtomicBool::new(false);

/// The element held back stream events that the second module draws (reasoning, tool cards,
/// citations): the transport fetches it before it reads on (`transport.rs`).
pub fn want() {
    WANTED.store(true, Ordering::Relaxed);
}

/// Whether the element asked for the second module since the last call.
pub fn take_wanted() -> bool {
    WANTED.swap(false, Ordering::Relaxed)
}

/// The second module could not be fetched for this reply: what only it draws is dropped.
pub fn give_up(yes: bool) {
    GAVE_UP.store(yes, Ordering::Relaxed);
}

pub fn gave_up() -> bool {
    GAVE_UP.load(Ordering::Relaxed)
}

/// Declares a function whose body goes to a split module:
/// `lazy!([math] "<32 hex digits>" fn name<'a>(a: A, …) -> R { body })` (the module is `extra`
/// unless named; one lifetime may be named, for a boxed future that borrows the arguments). The id pairs the import with its export for wasm-split-cli and must be
/// unique; arguments are passed as they are (references and plain values), the result
/// through a pointer.
#[macro_export]
#[doc(hidden)]
macro_rules! lazy {
    ($(#[$meta:meta])* $id:literal $($rest:tt)*) => {
        $crate::lazy!(@split $(#[$meta])* extra $id $($rest)*);
    };
    // The measurement build without the highlighter (`bench/highlight-size.sh`): its split
    // functions are plain ones, which nothing calls, so none of it is left in any module.
    ($(#[$meta:meta])* langs $id:literal $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(feature = "cut-highlight")]
        #[allow(dead_code)]
        $(#[$meta])*
        $vis fn $name($($arg: $ty),*) -> $ret $body
        #[cfg(not(feature = "cut-highlight"))]
        $crate::lazy!(@split $(#[$meta])* langs $id $vis fn $name($($arg: $ty),*) -> $ret $body);
    };
    ($(#[$meta:meta])* $module:ident $id:literal $($rest:tt)*) => {
        $crate::lazy!(@split $(#[$meta])* $module $id $($rest)*);
    };
    (@split $(#[$meta:meta])* $module:ident $id:literal $vis:vis fn $name:ident $(<$lt:lifetime>)? ($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        $(#[$meta])*
        #[cfg(all(feature = "ship", target_arch = "wasm32"))]
        $vis fn $name $(<$lt>)? ($($arg: $ty),*) -> $ret {
            #[link(wasm_import_module = "__wasm_split_placeholder__")]
            #[allow(improper_ctypes)]
            extern "C" {
                #[link_name = concat!("__wasm_split_00", stringify!($module), "00_import_", $id, "_", stringify!($name))]
                fn import $(<$lt>)? ($($arg: $ty,)* out: *mut $ret);
            }
            #[export_name = concat!("__wasm_split_00", stringify!($module), "00_export_", $id, "_", stringify!($name))]
            // A body's own `unsafe` blocks are needed in the native build, where it is no
            // closure inside one.
            #[allow(improper_ctypes_definitions, unused_unsafe)]
            extern "C" fn export $(<$lt>)? ($($arg: $ty,)* out: *mut $ret) {
                // SAFETY: `out` is the caller's uninitialised slot, written once here.
                unsafe { out.write((|| -> $ret { $body })()) }
            }
            let _ = export;
            let mut out = core::mem::MaybeUninit::<$ret>::uninit();
            // SAFETY: the import is rewritten to the export above (same signature, same
            // crate, so the same layouts); it fills `out` before returning.
            unsafe {
                import($($arg,)* out.as_mut_ptr());
                out.assume_init()
            }
        }
        $(#[$meta])*
        #[cfg(not(all(feature = "ship", target_arch = "wasm32")))]
        $vis fn $name $(<$lt>)? ($($arg: $ty),*) -> $ret $body
    };
}
