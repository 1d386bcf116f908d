//! Where the shipped wasm is cut in two: code no first reply needs (the Anthropic codec,
//! reading back a stored conversation, attachments, edits, the page's tool handlers, HTTP
//! error bodies, the JS API's own exports) sits behind the functions declared with `lazy!`,
//! and `wasm-split-cli` (scripts/build.sh) moves everything only they reach into a second
//! module, `rill_chat_extra.wasm`, fetched on first use (`extra.rs`).
//!
//! In the shipped build a lazy function is a wasm import that the split turns into a call
//! through the function table, whose slot is empty until the second module is linked: a
//! caller must have awaited `extra::load()` (or checked `loaded()`) first. Every other build
//! (native tests, the browser tests) calls the body directly, and `loaded()` is always true.

use core::sync::atomic::{AtomicBool, Ordering};

static LOADED: AtomicBool = AtomicBool::new(!cfg!(all(feature = "ship", target_arch = "wasm32")));

/// Whether the lazy functions can be called now.
pub fn loaded() -> bool {
    LOADED.load(Ordering::Relaxed)
}

/// The second module is linked (called by `extra::load`).
pub fn set_loaded() {
    LOADED.store(true, Ordering::Relaxed);
}

/// Declares a function whose body goes to the second module:
/// `lazy!("<32 hex digits>" fn name(a: A, …) -> R { body })`. The id pairs the import with
/// its export for wasm-split-cli and must be unique; arguments are passed as they are
/// (references and plain values), the result through a pointer.
#[macro_export]
#[doc(hidden)]
macro_rules! lazy {
    ($(#[$meta:meta])* $id:literal $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        $(#[$meta])*
        #[cfg(all(feature = "ship", target_arch = "wasm32"))]
        $vis fn $name($($arg: $ty),*) -> $ret {
            #[link(wasm_import_module = "__wasm_split_placeholder__")]
            #[allow(improper_ctypes)]
            extern "C" {
                #[link_name = concat!("__wasm_split_00extra00_import_", $id, "_", stringify!($name))]
                fn import($($arg: $ty,)* out: *mut $ret);
            }
            #[export_name = concat!("__wasm_split_00extra00_export_", $id, "_", stringify!($name))]
            #[allow(improper_ctypes_definitions)]
            extern "C" fn export($($arg: $ty,)* out: *mut $ret) {
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
        $vis fn $name($($arg: $ty),*) -> $ret $body
    };
}
