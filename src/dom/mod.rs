//! The one DOM boundary: the widget writes edits (`edits.rs`) into one buffer that a single
//! import hands to `interpreter.js`, and hears events through one delegated listener per
//! shadow root. No web-sys call per DOM method, no `Closure` per listener.
//!
//! Edits are replayed when `flush` is called — at the end of each drawing and user action —
//! before any read of the page (`number`, `lookup`), and otherwise by a microtask queued when
//! the buffer stops being empty, so nothing written is ever left unshown.

pub mod edits;

#[cfg(target_arch = "wasm32")]
mod live;
#[cfg(target_arch = "wasm32")]
pub use live::*;

pub use edits::{Edits, Node, TARGET};
